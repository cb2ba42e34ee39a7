"""Safe writing: atomic files, cells that Excel will never execute, text that fits a cell.

:func:`atomic_write` fills a temporary file beside the target and renames it; inside
:func:`uitgestelde_schrijfacties` (the command line runs every command in one) the rename
waits until :func:`vastleggen`, so an interrupted or failed run leaves no output at all.
Every message names the user's path, never the temporary one. :func:`safe_cell` makes a
text value safe for a spreadsheet cell (formula, control characters, length).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from plafond.cases.errors import CaseError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters an xlsx cell cannot hold (XML 1.0 forbids them) and a CSV should not carry.
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Excel's limit on the characters in one cell.
MAX_CEL = 32_767
#: What replaces the end of a text that is too long for a cell.
AFGEKAPT = " … [afgekapt]"
#: A temporary file of a write whose process is gone, or without a pid and older than this
#: (seconds), is a leftover of a killed earlier write and is removed by the next write.
OUD = 600.0

_wachtend: list[tuple[Path, Path]] | None = None


def _fout(target: Path, exc: OSError) -> CaseError:
    return CaseError(str(target), "", f"kan niet schrijven: {exc.strerror or exc}")


def _leeft(pid: int) -> bool:
    """Whether process ``pid`` exists (on Windows: assume so; age decides there)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def opruimen(target: Path) -> None:
    """Remove leftovers of killed earlier writes of ``target`` (``.NAME.PID.xxxx.SUFFIX``)."""
    patroon = os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*")
    for pad in glob.glob(patroon):
        rest = os.path.basename(pad)[len(target.name) + 2 :]
        pid = rest.split(".", 1)[0]
        try:
            if pid.isdigit() and os.name != "nt":
                weg = not _leeft(int(pid))
            else:  # no pid in the name, or Windows: by age
                weg = time.time() - os.stat(pad).st_mtime > OUD
            if weg:
                os.unlink(pad)
        except OSError:
            continue


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Write a file all at once: ``write`` fills a temp file beside ``path``, then it is renamed.

    A failing ``write`` leaves no file at ``path`` (and no temp file behind). The folder
    must exist (a mistyped folder is an error, not a reason to create one). Inside
    :func:`uitgestelde_schrijfacties` the rename waits for :func:`vastleggen`.

    Raises
    ------
    CaseError
        The folder does not exist or the file cannot be written; the message names ``path``.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise CaseError(
            str(target), "", f"kan niet schrijven: de map bestaat niet ({target.parent})"
        )
    if target.is_dir():
        raise CaseError(str(target), "", "kan niet schrijven: dit is een map, geen bestand")
    opruimen(target)
    try:
        fd, naam = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise _fout(target, exc) from None
    os.close(fd)
    tmp = Path(naam)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is meant to be shared
        write(tmp)
        if _wachtend is not None:
            _wachtend.append((tmp, target))
        else:
            os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _fout(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


@contextlib.contextmanager
def uitgestelde_schrijfacties() -> Iterator[None]:
    """Hold back the renames of :func:`atomic_write` until :func:`vastleggen`.

    Whatever is not committed when the block ends (an error, an interrupt) is removed.
    """
    global _wachtend
    vorige, _wachtend = _wachtend, []
    try:
        yield
    finally:
        for tmp, _ in _wachtend:
            tmp.unlink(missing_ok=True)
        _wachtend = vorige


def vastleggen() -> None:
    """Rename the held-back files to their targets (the commit of a run)."""
    if _wachtend is None:
        return
    while _wachtend:
        tmp, target = _wachtend.pop(0)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _fout(target, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_cell(value: Any) -> Any:
    """Make a text value safe for a spreadsheet cell (xlsx or csv).

    - Control characters (other than tab, newline, carriage return) are removed: an xlsx
      cell cannot hold them.
    - Text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
      single quote ``'`` (the OWASP advice against formula injection), so it is never run.
    - Text longer than :data:`MAX_CEL` (Excel's cell limit) is cut, ends in
      :data:`AFGEKAPT`, and a ``UserWarning`` says so.

    Numbers and other values pass unchanged.
    """
    if not isinstance(value, str):
        return value
    value = _CONTROLE.sub("", value)
    if value.startswith(_FORMULA_START):
        value = "'" + value
    if len(value) > MAX_CEL:
        warnings.warn(
            f"tekst van {len(value)} tekens afgekapt tot {MAX_CEL} (de grens van een "
            f"Excel-cel), herkenbaar aan '{AFGEKAPT.strip()}': {value[:40]!r}…",
            UserWarning,
            stacklevel=2,
        )
        value = value[: MAX_CEL - len(AFGEKAPT)] + AFGEKAPT
    return value
