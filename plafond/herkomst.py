"""Where a run's numbers come from, so it can be replayed: the run record.

Every command that draws random numbers records the same six facts (:func:`run_record`):
the plafond version, the input file and the sha256 of its bytes, the seed (an exact
integer; without ``--seed`` a fresh one is drawn from the operating system's entropy and
recorded), the number of scenarios and the methode. Rerunning the command on a file with
that sha256 with ``--seed S -n N --methode M`` gives the same numbers and, with the same
plafond version, the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import plafond
from plafond.cases import CaseError, bundled_path


def sha256_bestand(pad: Path) -> str:
    """The sha256 of a file's bytes, as 64 hex digits."""
    h = hashlib.sha256()
    with Path(pad).open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def invoerbestand(naam: str) -> Path:
    """The file behind CASE: the path itself, or a bundled case's YAML."""
    pad = Path(naam)
    if pad.exists():
        return pad
    gevonden = bundled_path(naam)
    if gevonden is None:  # load_case has already refused it; keep the message the same
        raise CaseError(naam, "", "bestand niet gevonden en geen meegeleverde case")
    return gevonden


def run_record(case: str, *, seed: int, scenarios: int, methode: str) -> dict[str, Any]:
    """The run record of a command on CASE (a path or a bundled name).

    Returns
    -------
    dict
        ``plafond_versie``, ``invoer`` (the file read), ``invoer_sha256``, ``seed`` (int),
        ``scenarios`` (int), ``methode`` — the ``run`` object of the JSON outputs.
    """
    pad = invoerbestand(case)
    return {
        "plafond_versie": plafond.__version__,
        "invoer": str(pad),
        "invoer_sha256": sha256_bestand(pad),
        "seed": int(seed),
        "scenarios": int(scenarios),
        "methode": methode,
    }


def herhaal_opdracht(commando: str, case: str, record: dict[str, Any]) -> str:
    """The command line that replays a run, e.g. ``plafond simulate X -n N --seed S ...``."""
    return (
        f"plafond {commando} {case} -n {record['scenarios']} "
        f"--seed {record['seed']} --methode {record['methode']}"
    )
