"""Which files are classes: those a folder's ``course.yaml`` lists, or else every outline in
the folder and its subfolders — a YAML file whose first line names the outline schema, or
that has an outline's ``id`` or ``sections`` key — so that themes, glossaries and other YAML
files beside the classes are not taken for classes.

Kept light (no YAML parser unless there is a course file): an up-to-date build decides
everything from file names and a glance at each file's top-level keys.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from slidegen.errors import Location, Problem, UsageError
from slidegen.read.sources import COURSE_FILE, check_confined, is_translation_file

__all__ = ["find_classes", "is_outline_file"]

_SCHEMA_LINE = re.compile(r"\$schema=\S*outline\.schema\.json")
#: Top-level keys only an outline has (``read.model.Outline``): a file with either is a
#: class, so that a typo in the other still gets its located error instead of a silent skip.
_OUTLINE_KEYS = ("id", "sections")
_TOP_KEY = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:", re.MULTILINE)
_GLANCE = 1 << 20  # the first megabyte is enough to see the top-level keys


def is_outline_file(path: Path) -> bool:
    """Whether a YAML file in a folder is a class outline: its first line names the outline
    schema, or it has an ``id`` or ``sections`` key at the top level (a theme, a glossary
    or a label file has neither). What cannot be read is left to the reader to report."""
    if is_translation_file(path) or path.name == COURSE_FILE:
        return False
    if not path.is_file():
        return True  # a folder or a pipe (never opened: it could block): the reader says so
    try:
        with path.open("rb") as f:
            text = f.read(_GLANCE).decode("utf-8", errors="replace")
    except OSError:
        return True  # unreadable: reading it says what is wrong
    if _SCHEMA_LINE.search(text.split("\n", 1)[0]):
        return True
    return any(k in _OUTLINE_KEYS for k in _TOP_KEY.findall(text))


def _course_classes(folder: Path) -> list[Path] | None:
    """The classes a folder's course.yaml lists, in order (None: no list)."""
    course = folder / COURSE_FILE
    if not course.is_file():
        return None
    from slidegen.read.course import read_course  # reads YAML: only when there is a course

    listed = read_course(course).classes
    return [folder / c.file for c in listed] if listed else None


def _folder_classes(folder: Path) -> list[Path]:
    listed = _course_classes(folder)
    if listed is not None:
        return listed
    found = sorted(
        p
        for p in folder.rglob("*.yaml")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    return [p for p in found if is_outline_file(p)]


def find_classes(paths: Sequence[Path]) -> list[Path]:
    """Class outlines: files as given, and in folders those their course.yaml lists or else
    every outline in them and their subfolders (see the module's doc)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_folder_classes(path))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise UsageError([Problem("is not a regular file or folder", Location(str(path)))])
        else:
            raise UsageError([Problem("no such file or folder", Location(str(path)))])
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise UsageError([Problem(f"no class outline (*.yaml) found in {shown}")])
    classes = list(dict.fromkeys(found))
    check_confined(classes, [p for p in paths if p.is_dir()])  # no link leads outside
    return classes
