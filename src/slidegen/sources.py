"""Find the class outlines among files and folders given on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import Location, Problem, UsageError
from .read import is_translation_file

__all__ = ["find_classes"]


def find_classes(paths: Sequence[Path]) -> list[Path]:
    """Class outlines: files as given, and every non-translation ``*.yaml`` in folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.glob("*.yaml")) if not is_translation_file(p)
            )
        elif path.is_file() or path.suffix in (".yaml", ".yml"):
            found.append(path)
        else:
            raise UsageError([Problem("no such file or folder", Location(str(path)))])
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise UsageError([Problem(f"no class outline (*.yaml) found in {shown}")])
    return list(dict.fromkeys(found))
