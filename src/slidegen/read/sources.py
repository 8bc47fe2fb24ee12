"""Find the translation files of class outlines (``<class>.<lang>.yaml``) on disk
(which files are classes: `read.classes`).

Kept light (no YAML, no model): an up-to-date build decides everything from file names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from slidegen.errors import Location, OutlineError, Problem

__all__ = [
    "COURSE_FILE",
    "course_file",
    "LANG_PATTERN",
    "check_confined",
    "own_language_problem",
    "is_translation_file",
    "translation_files",
    "translation_path",
]

#: The course file's name, in the source folder.
COURSE_FILE = "course.yaml"


def course_file(folder: Path) -> Path | None:
    """The course file of a source folder, if it has one."""
    path = folder / COURSE_FILE
    return path if path.is_file() else None


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


def own_language_problem(source: Path, language: str) -> Problem | None:
    """The error for a translation file in the outline's own language, if there is one."""
    path = translation_files(source).get(language)
    if path is None:
        return None
    return Problem(
        f"a translation into '{language}', the language the outline is written in",
        Location(str(path)),
        f"remove {path.name}, or rename it for the language it is in",
    )


def _outside(path: Path, folder: Path) -> Problem | None:
    """Why a symbolic link in `folder` may not be read: it leads outside `folder` (or nowhere)."""
    if not path.is_symlink():
        return None
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return Problem("is a symbolic link that cannot be followed", Location(str(path)))
    if inside:
        return None
    return Problem(
        f"is a symbolic link to {real}, outside the source folder",
        Location(str(path)),
        "outlines and translations must be inside their folder: copy the file there",
    )


def check_confined(classes: Sequence[Path], folders: Sequence[Path]) -> None:
    """Refuse outlines found in `folders` (the source folders searched), and the translations
    of every class, that are symbolic links leading outside the source folder (like images,
    bibliographies and themes); a class named as a file is the user's choice."""
    problems = []
    for path in classes:
        root = next((f for f in folders if f in path.parents), None)
        found = [path] if root is not None else []
        for candidate in [*found, *translation_files(path).values()]:
            problem = _outside(candidate, root or path.parent)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise OutlineError(problems)

