"""Start a course folder (``slidegen new course``) or a class in one (``slidegen new class``)."""

from __future__ import annotations

import re
from pathlib import Path

from slidegen.atomic import write_atomic
from slidegen.errors import Location, Problem, UsageError

__all__ = ["new_course", "new_class"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_CLASS = """\
# yaml-language-server: $schema=outline.schema.json
#
# A class outline: `slidegen build` makes its deck, handout, references and site page.
# Format: see slidegen's docs/outline-format.md.

id: {id}
language: {lang}
course: {course}
title: {title}
sections:
  - id: introduction
    title: Introduction
    slides:
      - id: welcome
        title: What this class is about
        bullets:
          - The first point
          - The second point
        notes: >-
          What you say while this slide is shown, in full sentences.
"""

_COURSE = """\
# The course: its title and languages, and its classes in order (docs: slidegen's docs/site.md).
title: {course}
languages: [{lang}]
classes:
  - {id}.yaml
"""

_TASKS = '''\
"""Tasks of this course: `invoke build`, `invoke site`, `invoke serve`."""

from invoke import Context, task


@task
def build(c: Context) -> None:
    """Build every class in every language, and the site."""
    c.run("slidegen build source")


@task
def site(c: Context) -> None:
    """Make only the site (build/site/)."""
    c.run("slidegen site source")


@task
def serve(c: Context, watch: bool = False) -> None:
    """Serve the site on 127.0.0.1 (and rebuild on every save with --watch)."""
    c.run("slidegen serve source" + (" --watch" if watch else ""), pty=False)
'''


def _create(path: Path, text: str) -> Path:
    if path.exists():
        raise UsageError([Problem("already exists; not overwriting it", Location(str(path)))])
    write_atomic(path, text.encode("utf-8"))
    return path


def _check_id(class_id: str) -> None:
    if not _ID.match(class_id):
        raise UsageError(
            [
                Problem(
                    f"'{class_id}' is not a class id", hint="use lower-case letters, digits and '-'"
                )
            ]
        )


def new_course(folder: Path, title: str = "A new course", lang: str = "en") -> list[Path]:
    """A course folder: source/course.yaml, a starter class and a tasks.py calling slidegen."""
    class_id = "first-class"
    source = folder / "source"
    from slidegen.read.schema import schema_json

    made = [
        _create(source / "course.yaml", _COURSE.format(course=title, lang=lang, id=class_id)),
        _create(source / "outline.schema.json", schema_json("outline")),
        _create(
            source / f"{class_id}.yaml",
            _CLASS.format(id=class_id, lang=lang, course=title, title="The first class"),
        ),
        _create(folder / "tasks.py", _TASKS),
    ]
    return made


def new_class(class_id: str, source: Path = Path("source"), lang: str = "en") -> list[Path]:
    """A starter class in a source folder, listed at the end of its course.yaml's classes
    when that list ends the file (else the list is left for the author to edit)."""
    _check_id(class_id)
    course = source / "course.yaml"
    title = "A new course"
    if course.is_file():
        from slidegen.read.course import read_course

        title = read_course(course).title
    made = [
        _create(
            source / f"{class_id}.yaml",
            _CLASS.format(
                id=class_id, lang=lang, course=title, title=class_id.replace("-", " ").capitalize()
            ),
        )
    ]
    if course.is_file():
        text = course.read_text(encoding="utf-8")
        keys = re.findall(r"^([A-Za-z][\w-]*)[ \t]*:", text, re.MULTILINE)
        if keys and keys[-1] == "classes":  # the list ends the file: the class joins its end
            text = text.rstrip("\n") + f"\n  - {class_id}.yaml\n"
            write_atomic(course, text.encode("utf-8"))
            made.append(course)
    return made
