"""The course file (``course.yaml`` in the source folder): the course's title, languages and
defaults, and its classes in order with their numbers; read with located errors like outlines."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from slidegen.errors import Location, OutlineError, Problem
from slidegen.read.convert import INVALID, Converter
from slidegen.read.model import CitationStyle, HandoutLayout, Outline, doc, required
from slidegen.read.sources import COURSE_FILE, course_file
from slidegen.read.yaml_nodes import load_document

__all__ = [
    "COURSE_FILE",
    "Course",
    "CourseClass",
    "course_file",
    "course_of",
    "read_course",
    "with_course",
]

@dataclass(frozen=True, kw_only=True)
class CourseClass:
    """A class of the course; a plain string is the outline's file."""

    file: str = required("The class outline, relative to course.yaml, e.g. week-1/intro.yaml.")
    number: str | None = doc("The class's number as shown (default: its place in the list).")
    lecturer: str | None = doc("Who gives this class, if not the course's lecturer.")
    date: str | None = doc("When this class is given (YYYY-MM-DD), if the outline has no date.")
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "file"


@dataclass(frozen=True, kw_only=True)
class Course:
    """A course: its classes, in order, and what they share."""

    title: str = required("Title of the course, as the site's pages show it.")
    institution: str | None = doc("Institution the course is given for.")
    languages: tuple[str, ...] = doc(
        "Languages the site publishes, in order (default: every language of the classes).", ()
    )
    theme: str | None = doc("Theme for classes that name none (built-in name or file).")
    style: CitationStyle | None = doc("Citation style for classes that name none.")
    lecturer: str | None = doc("Who gives the classes that name no lecturer.")
    handout: HandoutLayout | None = doc(
        "Handout layout of the classes whose outline names none (built as <id>-handout.pdf): "
        "notes (the default), three or reading; a class's own `handout:` overrides it."
    )
    classes: tuple[CourseClass, ...] = doc(
        "The classes in order (default: every class outline in the folder, by file name).", ()
    )
    loc: Location | None = field(default=None, compare=False, repr=False)


def read_course(path: Path) -> Course:
    """Read a course file; every problem, located, raises `OutlineError`."""
    shown = str(path)
    text, root = load_document(path, shown)
    conv = Converter(shown, text=text)
    course = conv.convert(root, Course, "the course")
    seen: dict[str, CourseClass] = {}
    if course is not INVALID:
        for c in course.classes:
            if not (path.parent / c.file).is_file():
                conv.problems.append(
                    Problem(
                        f"no class outline '{c.file}' beside {path.name}",
                        c.loc,
                        "give the outline's path relative to course.yaml",
                    )
                )
            elif c.file in seen:
                conv.problems.append(Problem(f"class '{c.file}' is listed twice", c.loc))
            seen[c.file] = c
    errors = [p for p in conv.problems if p.severity == "error"]
    if course is INVALID or errors:
        raise OutlineError(errors or conv.problems)
    assert isinstance(course, Course)
    return course


def course_of(source: Path) -> Path | None:
    """The course file a class outline belongs to: the nearest ``course.yaml`` in its folder or
    above, if it lists the class (or lists none: then every class below it is the course's)."""
    for folder in source.resolve().parents:
        path = folder / COURSE_FILE
        if not path.is_file():
            continue
        listed = read_course(path).classes
        here = source.resolve()
        if not listed or any((folder / c.file).resolve() == here for c in listed):
            return path
        return None
    return None


_TOP_KEY = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:", re.MULTILINE)


def _theme_from(course_dir: Path, outline_dir: Path, theme: str) -> str:
    """A course theme as the outline would name it: a built-in name as is, a file relative to
    the outline's folder."""
    if "/" not in theme and "\\" not in theme and not theme.endswith((".yaml", ".yml")):
        return theme
    return Path(os.path.relpath(course_dir / theme, outline_dir)).as_posix()


def with_course(outline: Outline, source: Path) -> tuple[Outline, Path | None]:
    """The outline with its course's defaults for what it leaves out (lecturer, institution,
    theme, citation style, handout layout), and the course file they came from (None: no
    course file)."""
    path = course_of(source)
    if path is None:
        return outline, None
    course = read_course(path)
    written = set(_TOP_KEY.findall(source.read_text(encoding="utf-8", errors="replace")))
    changes: dict[str, object] = {}
    if course.lecturer and not outline.lecturer:
        changes["lecturer"] = course.lecturer
    if course.institution and not outline.institution:
        changes["institution"] = course.institution
    if course.theme and not outline.theme:
        changes["theme"] = _theme_from(path.parent, source.parent, course.theme)
    if course.style and "style" not in written:
        changes["style"] = course.style
    if course.handout and "handout" not in written:
        changes["handout"] = course.handout
    return (replace(outline, **changes) if changes else outline), path  # type: ignore[arg-type]
