"""The example cases shipped with the package, found by name from any working directory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir() -> Path:
    return Path(str(resources.files("plafond.cases") / "data"))


def bundled_case_names() -> list[str]:
    """Names of the bundled cases, sorted."""
    return sorted(p.stem for p in _data_dir().glob("*.yaml"))


def bundled_path(name: str) -> Path | None:
    """The file of bundled case ``name``, or None if there is no such case."""
    path = _data_dir() / f"{name}.yaml"
    return path if name and "/" not in name and path.is_file() else None
