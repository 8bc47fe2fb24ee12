"""What the XLIFF and PO files exchange with CAT tools: units out, translated units in."""

from __future__ import annotations

from dataclasses import dataclass

from slidegen.errors import Location
from slidegen.i18n.catalog import Catalog, Unit
from slidegen.i18n.inline import Inline, Segment, align, split

__all__ = [
    "Outgoing",
    "Incoming",
    "outgoing",
    "codes_of",
    "context_note",
    "length_note",
    "FORMATS",
]

#: Export formats: XLIFF 2.1, XLIFF 1.2, gettext PO.
FORMATS: tuple[str, ...] = ("xliff", "xliff12", "po")


@dataclass(frozen=True)
class Outgoing:
    """A unit as an export writes it: its source and translation as protected segments."""

    unit: Unit
    source: Inline
    #: The translation, its codes numbered as the source's (None: not translated).
    target: Inline | None
    #: The source text it was translated from, when it changed since (stale), as segments.
    previous: Inline | None

    @property
    def codes(self) -> Inline:
        """Every code the unit's texts use: the source's, then the translation's own."""
        return self.target if self.target is not None else self.source


@dataclass(frozen=True)
class Incoming:
    """A unit read back from a CAT tool's file."""

    id: str
    #: The translation as segments (None: the unit has no translation, or an empty one).
    segments: tuple[Segment, ...] | None
    #: Whether the file marks it done (XLIFF translated/reviewed/final, PO not fuzzy).
    done: bool
    #: Where the unit's translation is in the file.
    loc: Location
    #: The translation with its codes as numbered braces (PO), read against the unit's codes.
    braced: str | None = None


def _outgoing(unit: Unit) -> Outgoing:
    source = split(unit.source)
    target = align(split(unit.target), source) if unit.target is not None else None
    previous = split(unit.previous) if unit.previous is not None else None
    return Outgoing(unit, source, target, previous)


def outgoing(cat: Catalog) -> list[Outgoing]:
    """The units of a catalog as an export writes them."""
    return [_outgoing(unit) for unit in cat.units]


def codes_of(unit: Unit) -> Inline:
    """Every code a unit's texts may use, numbered as its export numbers them."""
    return _outgoing(unit).codes


def length_note(hint: int | None) -> str | None:
    """The note of a unit's length hint (None: no hint for this text)."""
    if hint is None:
        return None
    return f"about {hint} characters keep the slide at its size (the source's layout)"


def context_note(unit: Unit) -> str:
    """The note that tells a translator where a text is shown."""
    if unit.kind == "class":
        where = "the class's own texts (cover, handout, summary)"
    elif unit.kind == "section":
        where = f"section '{unit.entry.split(':', 1)[1]}'"
    else:
        where = f"slide '{unit.entry}' ({unit.kind})"
    return f"{where}: {unit.title} — field {unit.field}"
