"""Find class outlines and their translation files (``<class>.<lang>.yaml``) on disk.

Kept light (no YAML, no model): an up-to-date build decides everything from file names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from slidegen.errors import Location, Problem, UsageError

__all__ = [
    "LANG_PATTERN",
    "find_classes",
    "is_translation_file",
    "translation_files",
    "translation_path",
]

#: A language code as outlines and translation file names write it: en, pt, pt-BR, ...
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def is_translation_file(path: Path) -> bool:
    """Whether a file name has the form ``<class>.<lang>.yaml`` (a translation)."""
    parts = path.name.split(".")
    return len(parts) == 3 and parts[2] == "yaml" and bool(LANG_PATTERN.match(parts[1]))


def translation_path(source: Path, lang: str) -> Path:
    """Where the translation of a source outline into `lang` lives."""
    return source.with_name(f"{source.stem}.{lang}.yaml")


def translation_files(source: Path) -> dict[str, Path]:
    """The translations next to a class outline, by language, sorted by language."""
    found: dict[str, Path] = {}
    for path in sorted(source.parent.glob(f"{source.stem}.*.yaml")):
        if is_translation_file(path) and path.name.split(".")[0] == source.stem:
            found[path.name.split(".")[1]] = path
    return found


def find_classes(paths: Sequence[Path]) -> list[Path]:
    """Class outlines: files as given, and every non-translation ``*.yaml`` in folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.glob("*.yaml")) if not is_translation_file(p))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise UsageError([Problem("is not a regular file or folder", Location(str(path)))])
        else:
            raise UsageError([Problem("no such file or folder", Location(str(path)))])
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise UsageError([Problem(f"no class outline (*.yaml) found in {shown}")])
    return list(dict.fromkeys(found))
