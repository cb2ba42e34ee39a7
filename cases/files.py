"""Safe writing: atomic files and cells that Excel will never execute."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Write a file all at once: ``write`` fills a temp file beside ``path``, then it is renamed.

    A failing ``write`` leaves no file at ``path`` (and no temp file behind). The folder
    must exist (a mistyped folder is an error, not a reason to create one).
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "de map bestaat niet", str(target.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is meant to be shared
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would read as a formula (formula injection).

    Text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    single quote ``'`` (the OWASP advice for CSV and Excel) so it is never evaluated;
    numbers and other values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
