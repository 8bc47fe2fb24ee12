"""The deck against the rules of PowerPoint's accessibility checker that can be read from the
file (docs/accessibility.md lists them with their source): titles, alternative text, table
headers, merged cells, reading order, text contrast, link text and language."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from slidegen.plan import Plan
from test_deck import SEED, TAGS, build, needs_seed, seed_edition, seed_languages

_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_EMU = 12700


@dataclass(frozen=True)
class Box:
    """A shape's frame in points and its fill (None: transparent)."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h

    def above(self, other: Box) -> bool:
        """Entirely above `other`."""
        return self.y + self.h <= other.y + 0.5

    def left_of(self, other: Box) -> bool:
        return self.x + self.w <= other.x + 0.5


def _box(shape: Any) -> Box:
    fill = None
    sppr = shape._element.find(qn("p:spPr"))
    if sppr is not None:
        solid = sppr.find(qn("a:solidFill"))
        if solid is not None and solid.find(qn("a:srgbClr")) is not None:
            fill = solid.find(qn("a:srgbClr")).get("val")
    return Box(shape.left / _EMU, shape.top / _EMU, shape.width / _EMU, shape.height / _EMU, fill)


def _decorative(shape: Any) -> bool:
    return any(el.get("val") == "1" for el in shape._element.iter(_DECORATIVE))


def _background(slide: Any) -> str:
    clr = slide._element.find(f".//{qn('p:bg')}//{qn('a:srgbClr')}")
    return clr.get("val") if clr is not None else "FFFFFF"


def _luminance(hex_rgb: str) -> float:
    """WCAG 2.1 relative luminance."""
    out = 0.0
    for weight, i in ((0.2126, 0), (0.7152, 2), (0.0722, 4)):
        c = int(hex_rgb[i : i + 2], 16) / 255
        out += weight * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _runs(shape: Any) -> Iterator[tuple[Any, str | None]]:
    """The shape's runs, each with its table cell's fill (None outside a filled cell)."""
    cells = list(shape._element.iter(qn("a:tc")))
    for tc in cells:
        clr = tc.find(f"{qn('a:tcPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
        for r in tc.iter(qn("a:r")):
            yield r, clr.get("val") if clr is not None else None
    if not cells:
        for r in shape._element.iter(qn("a:r")):
            yield r, None


def problems(prs: Any, tag: str) -> list[str]:
    """Every finding, as "slide N: rule: detail"."""
    out: list[str] = []
    titles: Counter[str] = Counter()
    for n, slide in enumerate(prs.slides, 1):
        where = f"slide {n}"
        shapes = list(slide.shapes)
        # Missing slide title: a title placeholder with text, and it comes first
        title = slide.shapes.title
        text = title.text_frame.text.strip() if title is not None else ""
        if not text:
            out.append(f"{where}: missing slide title")
        elif shapes[0].shape_id != title.shape_id:
            out.append(f"{where}: reading order: the title is not the first shape")
        titles[text] += 1
        meaningful: list[tuple[Any, Box]] = []
        filled: list[Box] = []
        for shape in shapes:
            el = shape._element
            box = _box(shape)
            # Missing alternative text: pictures, graphics and shapes without text
            cnvpr = el.find(f".//{qn('p:cNvPr')}")
            alt = (cnvpr.get("descr") or "").strip() if cnvpr is not None else ""
            has_text = shape.has_text_frame and shape.text_frame.text.strip()
            if not has_text and not shape.has_table and not alt and not _decorative(shape):
                out.append(f"{where}: missing alternative text: {shape.name}")
            if shape.has_table:
                tbl = shape.table
                # Missing table header
                if not tbl.first_row or not all(c.text.strip() for c in tbl.rows[0].cells):
                    out.append(f"{where}: missing table header: {shape.name}")
                # Merged cells confuse the order a screen reader reads a table in
                for tc in el.iter(qn("a:tc")):
                    if {"gridSpan", "rowSpan", "hMerge", "vMerge"} & set(tc.keys()):
                        out.append(f"{where}: merged table cells: {shape.name}")
                        break
            if _decorative(shape):
                if box.fill:
                    filled.append(box)
                continue
            meaningful.append((shape, box))
            # Hard-to-read text contrast: against the box's own fill, else what lies beneath
            under = box.fill
            if under is None:
                cx, cy = box.x + box.w / 2, box.y + min(box.h / 2, 12)
                below = [b for b in filled if b.contains(cx, cy)]
                under = below[-1].fill if below else _background(slide)
            if box.fill:
                filled.append(box)
            for r, fill in _runs(shape):
                rpr = r.find(qn("a:rPr"))
                # Every run in the edition's language
                if rpr is None or rpr.get("lang") != tag:
                    out.append(f"{where}: run not in {tag}: {r.findtext(qn('a:t'))!r}")
                    continue
                clr = rpr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
                if clr is None or not (r.findtext(qn("a:t")) or "").strip():
                    continue
                size = int(rpr.get("sz", "1800")) / 100
                large = size >= 18 or (size >= 14 and rpr.get("b") == "1")
                needed = 3.0 if large else 4.5
                ratio = contrast(clr.get("val"), fill or under or "FFFFFF")
                if ratio < needed:
                    text = r.findtext(qn("a:t"))
                    out.append(f"{where}: hard-to-read text contrast {ratio:.2f}: {text!r}")
                # Unclear hyperlink text: a link must have text of its own
                if rpr.find(qn("a:hlinkClick")) is not None and not r.findtext(qn("a:t")).strip():
                    out.append(f"{where}: empty hyperlink text")
        # Check reading order: after the title, each shape is below or right of the previous
        body = [(s, b) for s, b in meaningful if title is None or s.shape_id != title.shape_id]
        for (sa, a), (sb, b) in zip(body, body[1:], strict=False):
            if (b.above(a) and not a.left_of(b)) or (
                b.left_of(a) and not (b.above(a) or a.above(b))
            ):
                out.append(f"{where}: reading order: {sb.name!r} comes after {sa.name!r}")
    out += [f"duplicate slide title: {t!r}" for t, count in titles.items() if count > 1]
    # Document title and language (the checker's "Document title" and language rules)
    if not prs.core_properties.title:
        out.append("missing document title")
    if prs.core_properties.language != tag:
        out.append(f"document language {prs.core_properties.language!r}, not {tag}")
    return out


@pytest.fixture(scope="module")
def decks() -> dict[str, tuple[Plan, bytes]]:
    if not SEED.exists():
        pytest.skip("the seed outline is not written yet")
    return {lang: build(seed_edition(lang)) for lang in seed_languages()}


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_the_seed_deck_passes_the_checkers_rules(
    lang: str, decks: dict[str, tuple[Plan, bytes]]
) -> None:
    _, data = decks[lang]
    assert problems(Presentation(io.BytesIO(data)), TAGS[lang]) == []


def test_the_stress_deck_passes_the_checkers_rules(stress_edition: Callable[[str], Any]) -> None:
    _, data = build(stress_edition("en"))
    assert problems(Presentation(io.BytesIO(data)), "en-US") == []


def test_the_rules_catch_what_they_are_about(stress_edition: Callable[[str], Any]) -> None:
    """The rules find a missing title, a picture without alternative text, a table without
    its header flag, a low-contrast run, a shape moved up the reading order, a duplicate."""
    _, data = build(stress_edition("en"))
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    slides[1].shapes.title.text_frame.text = ""
    slides[3].shapes.title.text_frame.text = slides[4].shapes.title.text_frame.text
    table = next(sh for s in slides for sh in s.shapes if sh.has_table)
    table.table.first_row = False
    pic = next(sh for s in slides for sh in s.shapes if sh._element.tag == qn("p:pic"))
    pic._element.nvPicPr.cNvPr.set("descr", "")
    body = next(sh for sh in list(slides[5].shapes)[1:] if sh.has_text_frame and sh.text_frame.text)
    run = next(iter(body._element.iter(qn("a:r"))))
    run.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}").set("val", "EEEEEE")
    tree = slides[6].shapes._spTree
    last = [el for el in tree if etree.QName(el).localname == "sp"][-1]
    tree.remove(last)
    tree.insert(3, last)  # the footer's number right after the title
    found = "\n".join(problems(prs, "en-US"))
    for rule in (
        "slide 2: missing slide title",
        "duplicate slide title",
        "missing table header",
        "missing alternative text",
        "slide 6: hard-to-read text contrast",
        "slide 7: reading order",
        "slide 4: run not in en-US",
    ):
        assert rule in found, rule
