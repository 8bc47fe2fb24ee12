"""Handout flowables: bookmarked headings, slide miniatures with notes, three-up slide rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from slidegen.plan import Plan, PlannedSlide
from slidegen.write.miniature import FontSet, draw_slide
from slidegen.write.pdf_styles import palette
from slidegen.write.pdf_tag_flow import TaggedParagraph, counting_pass
from slidegen.write.pdf_tags import tags_of

__all__ = ["Mark", "Heading", "MarkedSlide", "SlideRow", "place_marks"]


@dataclass(frozen=True)
class Mark:
    """A destination: a PDF bookmark (outline entry) and, if `toc`, a table-of-contents line."""

    key: str
    title: str
    level: int
    toc: bool = True


def place_marks(flowable: Flowable, marks: tuple[Mark, ...], top: float) -> None:
    """Create the destinations of `marks` at height `top` of the flowable being drawn."""
    canv: Any = flowable.canv
    doc = getattr(canv, "_doctemplate", None)
    pages: dict[str, int] | None = getattr(doc, "mark_pages", None)
    for mark in marks:
        if pages is not None:
            pages.setdefault(mark.key, canv.getPageNumber())
        canv.bookmarkHorizontal(mark.key, 0, top)
        canv.addOutlineEntry(mark.title, mark.key, mark.level, closed=mark.level > 0)
        if mark.toc and doc is not None:
            doc.notify("TOCEntry", (mark.level, _toc_text(mark.title), doc.page, mark.key))


def _toc_text(title: str) -> str:
    from slidegen.write.pdf_styles import esc

    return esc(title)


#: the heading level (structure type) of each heading style
_LEVELS = {"h1": "H1", "toc_title": "H1", "h2": "H2", "h3": "H3"}


class Heading(TaggedParagraph):
    """A heading paragraph that is also a bookmark and a table-of-contents entry, tagged
    H1, H2 or H3 as its style is."""

    def __init__(self, text: str, style: Any, marks: tuple[Mark, ...]) -> None:
        super().__init__(text, style, tag=_LEVELS.get(style.name, "H1"))
        self.marks = marks
        self.keepWithNext = 1

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []  # a heading moves to the next page whole

    def draw(self) -> None:
        place_marks(self, self.marks, self.height)
        super().draw()


def _draw_label(canv: Any, fonts: FontSet, top: float, label: str) -> None:
    """A slide miniature's label (small, bold, muted), its line just below `top`."""
    tags = tags_of(canv)
    with tags.tagged("P"), tags.content():
        canv.setFont(fonts.bold, 8.5)
        canv.setFillColor(HexColor("#" + palette().muted))
        canv.drawString(0, top - 9, label)


class _Miniature(Flowable):  # type: ignore[misc]
    """A flowable that draws one slide of the plan as a miniature, carrying its bookmarks."""

    def __init__(
        self,
        plan: Plan,
        slide: PlannedSlide,
        fonts: FontSet,
        marks: tuple[Mark, ...],
        label: str,
    ) -> None:
        super().__init__()
        self.plan = plan
        self.slide = slide
        self.fonts = fonts
        self.marks = marks
        self.label = label

    def draw_miniature(self, top: float, width: float) -> None:
        """The slide, `width` wide, its top edge at `top` (skipped in the counting pass),
        without its footer and number: the page's running footer and the miniature's label
        say them at a size that prints."""
        if not counting_pass(self.canv):
            draw_slide(
                self.canv, self.plan, self.slide, self.fonts, 0, top, width, furniture=False
            )


class MarkedSlide(_Miniature):
    """A slide miniature at the frame's width (or `width`), carrying its bookmarks."""

    def __init__(
        self,
        plan: Plan,
        slide: PlannedSlide,
        fonts: FontSet,
        width: float,
        marks: tuple[Mark, ...] = (),
        label: str = "",
    ) -> None:
        super().__init__(plan, slide, fonts, marks, label)
        self.mini_width = width
        self.keepWithNext = 1
        self.label_height = 13.0 if label else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.mini_width = min(self.mini_width, avail_width)
        height = self.plan.height * self.mini_width / self.plan.width
        self.width, self.height = self.mini_width, height + self.label_height + 8
        return self.width, self.height

    def draw(self) -> None:
        place_marks(self, self.marks, self.height)
        top = self.height
        with tags_of(self.canv).tagged("Sect"):  # the slide: its label, then its text
            if self.label:
                _draw_label(self.canv, self.fonts, top, self.label)
                top -= self.label_height
            self.draw_miniature(top, self.mini_width)


class SlideRow(_Miniature):
    """One third of a page: a slide miniature on the left, ruled lines for notes on the right."""

    def __init__(
        self,
        plan: Plan,
        slide: PlannedSlide,
        fonts: FontSet,
        height: float,
        marks: tuple[Mark, ...],
        label: str,
    ) -> None:
        super().__init__(plan, slide, fonts, marks, label)
        self.row_height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.row_height
        return self.width, self.height

    def draw(self) -> None:
        place_marks(self, self.marks, self.height)
        c = self.canv
        gap = 18.0
        label_h = 13.0
        usable = self.height - label_h - 14.0
        mini_w = min(self.width * 0.56, usable * self.plan.width / self.plan.height)
        mini_h = self.plan.height * mini_w / self.plan.width
        top = self.height - label_h
        tags = tags_of(c)
        with tags.tagged("Sect"):  # the slide: its label, then its text
            _draw_label(c, self.fonts, self.height, self.label)
            self.draw_miniature(top, mini_w)
        left = mini_w + gap
        with tags.artifact():  # the lines to write notes on
            c.setStrokeColor(HexColor("#" + palette().rule))
            c.setLineWidth(0.5)
            spacing = 20.0
            # lines beside the slide, then across the page down to the row's end
            y = top - spacing
            while y >= 10.0:
                c.line(left if y >= top - mini_h - 4.0 else 0.0, y, self.width, y)
                y -= spacing
