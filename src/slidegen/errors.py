"""The one exceptions module: every user-facing problem is a located `Problem`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: A note is a routine event worth counting, not reading (e.g. text shrunk by a point or two):
#: builds count notes in their summary line instead of printing them.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column count from 1."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One error or warning, with where it is and how to fix it."""

    message: str
    loc: Location | None = None
    hint: str | None = None
    severity: Severity = "error"
    slide: str | None = None
    #: the edition (language) the problem was found building, when it is one edition's
    language: str | None = None

    def format(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        what = f"{self.severity}: "
        lang = f"[{self.language}] " if self.language else ""
        slide = f"slide '{self.slide}': " if self.slide else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{what}{lang}{slide}{self.message}{hint}"

    def __str__(self) -> str:
        return self.format()


class SlidegenError(Exception):
    """Base of every error slidegen raises for a user's input or environment."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class OutlineError(SlidegenError):
    """An outline, translation or theme file is invalid."""


class TranslationError(SlidegenError):
    """A translation is missing or stale and the build is strict."""


class BibliographyError(SlidegenError):
    """References could not be imported or formatted."""


class LayoutError(SlidegenError):
    """A slide cannot be laid out (e.g. a single word wider than any frame at any size)."""


class OutputError(SlidegenError):
    """An output file could not be written or replaced."""


class BuildError(SlidegenError):
    """A build could not finish for a reason outside the inputs (a worker process died)."""


class UsageError(SlidegenError):
    """The command line was used wrongly (exit status 2)."""
