"""Find the translation files of class outlines (``<class>.<lang>.yaml``) on disk
(which files are classes: `read.classes`).

Kept light (no YAML, no model): an up-to-date build decides everything from file names.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "LANG_PATTERN",
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
