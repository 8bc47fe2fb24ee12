"""The handout's table of contents, paginated so that its last lines never stand alone."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import FrameBreak, Paragraph

from slidegen.write.pdf_tag_flow import TaggedContents

__all__ = ["Contents", "LAST_LINES", "TIGHTEST"]

#: The fewest entries the contents' last page holds.
LAST_LINES = 4
#: How far the contents' line spacing may tighten (a share of the styles' own) so that a
#: contents a few lines longer than its page fits on it.
TIGHTEST = 0.86


def _tightened(style: ParagraphStyle, share: float) -> ParagraphStyle:
    return style.clone(
        f"{style.name}-tight",
        leading=style.leading * share,
        spaceBefore=style.spaceBefore * share,
        spaceAfter=style.spaceAfter * share,
    )


class Contents(TaggedContents):
    """The contents: a few lines over its page, it is set with tighter line spacing (down
    to `TIGHTEST`) to stay on it; longer, it splits leaving `LAST_LINES` entries or more for
    the next page, never a section's title alone at the foot of a page."""

    levelStyles: list[ParagraphStyle]  # noqa: N815 - reportlab's name

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.own_styles = list(self.levelStyles)
        self.share = 1.0

    def _set(self, share: float, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.share = share
        self.levelStyles = (
            self.own_styles if share == 1 else [_tightened(s, share) for s in self.own_styles]
        )
        return super().wrap(avail_width, avail_height)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self._set(self.share, avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        _, height = self._set(1.0, avail_width, avail_height)
        share = 1.0
        while share >= TIGHTEST and height > avail_height:
            # a row's height is its leading and the padding around it: tighten, measure again
            share *= avail_height / height - 0.002
            _, height = self._set(max(share, TIGHTEST), avail_width, avail_height)
        if height <= avail_height:
            return [self]
        self._set(1.0, avail_width, avail_height)
        parts: list[Any] = self._table.splitOn(self.canv, avail_width, avail_height)
        if len(parts) != 2:
            return parts
        keep = self._rows_kept(len(parts[0]._cellvalues))
        if keep <= 0:
            return []  # nothing worth leaving here: the whole contents on the next page
        heights = self._table._rowHeights
        first, rest = self._table.splitOn(self.canv, avail_width, sum(heights[:keep]) + 0.01)
        return [first, FrameBreak(), rest]  # the rest begins the next page, not this one's foot

    def _rows_kept(self, fit: int) -> int:
        """How many of the table's rows stay on this page, of the `fit` that would: enough go
        on that the next page holds `LAST_LINES` entries, and the page ends on an entry
        that is not a section's title."""
        rows = [_entry(row[0]) for row in self._table._cellvalues]
        entries = [i for i, entry in enumerate(rows) if entry is not None]
        after = [i for i in entries if i >= fit]
        keep = fit
        if len(after) < LAST_LINES:
            before = [i for i in entries if i < fit]
            moved = LAST_LINES - len(after)
            keep = before[-moved] if len(before) > moved else 0
        top = self.own_styles[0].name
        while keep > 0:
            last = rows[keep - 1]
            if last is not None and not last.style.name.startswith(top):
                break
            keep -= 1  # a spacer or a section's title goes on with what follows it
        return keep


def _entry(cell: Any) -> Paragraph | None:
    """The entry a row of the contents' table holds (None: a spacer); a cell holds its
    flowables as a sequence."""
    found = cell[0] if isinstance(cell, list | tuple) and cell else cell
    return found if isinstance(found, Paragraph) else None

