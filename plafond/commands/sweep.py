"""`plafond sweep RASTER.yaml -o F`: many cases × seeds × settings, locally or on Dask."""

from __future__ import annotations

import argparse
import sys

from plafond.cases import CaseError
from plafond.commands._common import Balk, check_output_suffix

UITVOER = (".parquet", ".csv", ".xlsx")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("sweep", help="veel cases × seeds × instellingen (lokaal of met Dask)")
    p.add_argument("raster", metavar="RASTER.yaml", help="het raster: cases, n, seeds, varieer")
    p.add_argument("-o", "--output", required=True, help="resultaat: .parquet, .csv of .xlsx")
    p.add_argument(
        "--scheduler",
        default=None,
        help="lokaal (Dask LocalCluster) of tcp://HOST:PORT; standaard: lokale processen",
    )
    p.add_argument("--werkers", type=int, default=None, help="lokale processen (standaard: kernen)")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run the cells not yet in the output file; write the whole table."""
    from plafond.sweep import lees_raster, lees_resultaat, schrijf_resultaat, sweep

    uit = check_output_suffix(args.output, UITVOER)
    if args.scheduler not in (None, "lokaal") and not str(args.scheduler).startswith("tcp://"):
        raise CaseError("--scheduler", "", "toegestaan: lokaal of tcp://HOST:PORT")
    if uit.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CaseError(str(uit), "", "parquet vraagt pyarrow: pip install \"plafond[dask]\"") \
                from None  # fmt: skip
    raster = lees_raster(args.raster)
    try:
        klaar = lees_resultaat(uit)
    except Exception as exc:  # an unreadable earlier result: say so, do not overwrite it
        naam = exc.__class__.__name__
        raise CaseError(str(uit), "", f"bestaand resultaat niet leesbaar ({naam})") from None
    balk = None if args.quiet else Balk("sweep")
    frame = sweep(raster, scheduler=args.scheduler, klaar=klaar, werkers=args.werkers,
                  voortgang=balk)  # fmt: skip
    schrijf_resultaat(frame, uit)
    fouten = frame[frame["fout"] != ""]
    for rij in fouten.itertuples():
        sys.stderr.write(f"cel {rij.case} seed {rij.seed}: {rij.fout}\n")
    print(f"{len(frame)} cellen ({len(fouten)} met fout) geschreven naar {uit}")
    return 0
