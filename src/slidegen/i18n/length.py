"""Length feedback for translators: when a translated slide shrank by more than 2 pt or ran onto
another slide, which of its texts grew, and by how much against the source."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from yaml.nodes import Node

from slidegen.errors import Location, Problem
from slidegen.i18n.catalog import Catalog, Unit, find_node
from slidegen.markup import plain
from slidegen.plan import Plan
from slidegen.read.yaml_nodes import load_document, loc_of

__all__ = ["length_feedback", "length_hints", "ROUTINE_SHRINK"]

#: A slide shrunk by at most this many points is routine: no warning for a translation.
ROUTINE_SHRINK = 2.0
_SHRUNK = re.compile(r"(?:text|table) shrunk from ([\d.]+) to ([\d.]+) pt to fit")
_CONTINUES = re.compile(r"continues on \d+ slides")
#: Fields at most this much longer than their source are not named.
_GROWTH = 1.1


#: Texts that are not on the slide (the notes page and the handout have room of their own).
_OFF_SLIDE = ("notes", "handout")


def _length(text: str) -> int:
    """A text's length as shown: its characters without markup, spaces collapsed."""
    return len(" ".join(plain(text).split()))


def _grown(units: list[Unit]) -> list[tuple[Unit, int, int]]:
    """The slide's translated texts notably longer than their source, most grown first."""
    out = []
    for u in units:
        if u.target is None or u.field.split("/")[0] in _OFF_SLIDE:
            continue
        tl, sl = _length(u.target), _length(u.source)
        if tl >= 12 and tl > sl * _GROWTH:
            out.append((u, tl, sl))
    return sorted(out, key=lambda g: g[1] - g[2], reverse=True)


def _describe(u: Unit, tl: int, sl: int) -> str:
    pct = round(100 * (tl - sl) / max(sl, 1))
    return f"{u.field} is {pct}% longer than the source ({tl} characters against {sl})"


def _feedback(
    base: Problem, what: str, units: list[Unit], cat: Catalog, root: Node | None
) -> Problem:
    grown = _grown(units)
    if not grown:
        return replace(base, message=f"{what}; no text is much longer than the source's")
    first = grown[0][0]
    node = find_node(root, first.path)
    loc = loc_of(str(cat.translation), node) if node is not None else base.loc
    named = "; ".join(_describe(*g) for g in grown[:3])
    return replace(
        base,
        message=f"{what}: {named}",
        loc=loc,
        hint=f"shorten {first.field}: every language has the same room on the slide",
    )


def length_feedback(warnings: Sequence[Problem], plan: Plan, cat: Catalog) -> list[Problem]:
    """A translated edition's layout warnings, with each slide that shrank by more than
    `ROUTINE_SHRINK` or continued onto another slide told per field how much longer than the
    source it is; routine shrinks are left out."""
    continued = {s.id: s.parts for s in plan.slides if s.part == 1 and s.parts > 1}
    by_slide: dict[str, list[Unit]] = {}
    for unit in cat.units:
        by_slide.setdefault(unit.entry, []).append(unit)
    shown = str(cat.translation)
    root = load_document(cat.translation, shown)[1] if cat.translation.exists() else None
    out: list[Problem] = []
    told: set[str] = set()
    for w in warnings:
        if w.slide in by_slide and w.slide not in told and _CONTINUES.search(w.message):
            out.append(_feedback(w, w.message, by_slide[w.slide], cat, root))
            told.add(w.slide)
            continue
        m = _SHRUNK.search(w.message) if w.slide in by_slide else None
        if m is None:
            out.append(w)
            continue
        assert w.slide is not None
        drop = float(m.group(1)) - float(m.group(2))
        parts = continued.get(w.slide)
        if drop <= ROUTINE_SHRINK and parts is None:
            continue
        what = w.message + (f", and continued onto {parts} slides" if parts else "")
        out.append(_feedback(w, what, by_slide[w.slide], cat, root))
        told.add(w.slide)
    for slide, parts in continued.items():
        if slide in by_slide and slide not in told:
            node = find_node(root, ("slides", slide))
            loc = loc_of(shown, node) if node is not None else Location(shown)
            base = Problem("", loc, severity="warning", slide=slide)
            what = f"continued onto {parts} slides"
            out.append(_feedback(base, what, by_slide[slide], cat, root))
    return out


def length_hints(cat: Catalog) -> dict[str, int]:
    """For each unit on a slide's body, about how many characters its translation may take
    before the slide shrinks by more than `ROUTINE_SHRINK`: the source's length, grown by the
    room the source's layout left (text area goes with the square of the size it is set at)."""
    from slidegen.api import edition, make_plan
    from slidegen.plan import TextBox
    from slidegen.read.theme import load_theme

    source = edition(cat.source)
    largest = load_theme(source.outline.theme, source.base_dir).sizes.body[0]
    set_at: dict[str, float] = {}
    for slide in make_plan(source).slides:
        sizes = [
            p.size
            for shape in slide.shapes
            if isinstance(shape, TextBox) and shape.role == "body"
            for p in shape.paragraphs
        ]
        if slide.part == 1 and sizes:
            set_at[slide.id] = max(sizes)
    hints = {}
    for unit in cat.units:
        size = set_at.get(unit.entry)
        if size is None or unit.field.split("/")[0] in (*_OFF_SLIDE, "title", "subtitle"):
            continue
        room = max(1.0, (size / (largest - ROUTINE_SHRINK)) ** 2)
        hints[unit.id] = int(_length(unit.source) * room)
    return hints
