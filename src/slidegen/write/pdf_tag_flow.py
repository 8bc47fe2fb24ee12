"""Tagged platypus flowables: paragraphs, tables, the contents and structure markers.

Each flowable tags itself as it draws, on a `pdf_tags.TaggedCanvas` (on another canvas it
draws as before): a `TaggedParagraph` is a P (or a heading, a list item, …) and stays one
element when it splits over two pages; a table tagged with `tag_table` is a Table with its
header cells (or a list, or a layout grid whose cells tag themselves), its backgrounds and
rules artifacts; `Open`/`Close` are zero-size flowables that open and close an element
around the flowables between them (a Sect around a section).
"""

from __future__ import annotations

import itertools
from contextlib import ExitStack
from typing import Any, Literal

from reportlab.platypus import Flowable, Image, Table
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.tableofcontents import TableOfContents

from slidegen.write.pdf_tags import ArtifactKind, Element, tags_of

__all__ = [
    "TaggedParagraph",
    "TaggedContents",
    "counting_pass",
    "TaggedImage",
    "Open",
    "Close",
    "Sections",
    "tag_table",
    "list_item",
    "new_key",
    "Path",
]

#: elements to open (or find again, by key) from the current one down to a flowable's own
Path = tuple[tuple[str, str | None], ...]

_keys = itertools.count()


def new_key() -> str:
    """A key no other element has (pieces of one flowable share theirs)."""
    return f"k{next(_keys)}"


def counting_pass(canvas: Any) -> bool:
    """Whether this is a handout's first layout pass, whose pages are thrown away: it only
    counts pages and bookmarks for the contents, the cover agenda and "page x of y". Drawing
    text and slide miniatures there is wasted work (the first pass is never the last: see
    `write.handout._HandoutDoc._allSatisfied`)."""
    doc = getattr(canvas, "_doctemplate", None)
    return getattr(doc, "passes", None) == 0


def _enter(stack: ExitStack, canvas: Any, path: Path) -> Element:
    """Open the elements of `path` below the current one; returns the innermost."""
    tags = tags_of(canvas)
    element = tags.current
    for tag, key in path:
        element = stack.enter_context(tags.inside(tags.element(tag, key=key)))
    return element


class TaggedParagraph(RLParagraph):  # type: ignore[misc]
    """A paragraph tagged `tag` (P by default) inside the elements of `path`; its pieces
    after a split are the same element. A bulleted list item is tagged with
    ``path=(("L", list_key), ("LI", None))`` and ``tag="LBody"``."""

    def __init__(
        self,
        text: Any,
        style: Any = None,
        bulletText: Any = None,  # noqa: N803 - reportlab's name
        frags: Any = None,
        caseSensitive: int = 1,  # noqa: N803
        encoding: str = "utf8",
        *,
        tag: str = "P",
        path: Path = (),
    ) -> None:
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.pdf_tag = tag
        self.pdf_path = path
        self.pdf_key = new_key()

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Reportlab's wrap, remembered per width: platypus wraps a paragraph again for each
        keep-together group it is in, each frame it is tried in and each layout pass, and
        its lines at one width are always the same."""
        memo = self.__dict__.get("_slidegen_wrapped")
        if memo is not None and memo[0] == avail_width:
            _, self.width, self._wrapWidths, self.blPara, self.height = memo
            return self.width, self.height
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        if hasattr(self, "blPara"):
            wrapped = (avail_width, self.width, self._wrapWidths, self.blPara, self.height)
            self.__dict__["_slidegen_wrapped"] = wrapped
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        for part in parts:
            part.pdf_tag, part.pdf_path, part.pdf_key = self.pdf_tag, self.pdf_path, self.pdf_key
        return parts

    def draw(self) -> None:
        if counting_pass(self.canv):
            return
        tags = tags_of(self.canv)
        with ExitStack() as stack:
            _enter(stack, self.canv, self.pdf_path)
            own = tags.element(self.pdf_tag, key=self.pdf_key, text=self.getPlainText())
            stack.enter_context(tags.inside(own))
            stack.enter_context(tags.content())
            super().draw()


class Open(Flowable):  # type: ignore[misc]
    """Takes no room; from here on, what is drawn is inside a new `tag` element."""

    _ZEROSIZE = 1  # drawn even where the frame is full
    _SPACETRANSFER = 1  # the space after the flowable before it still collapses

    def __init__(self, tag: str, **entries: Any) -> None:
        super().__init__()
        self.tag = tag
        self.entries = entries

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        tags = tags_of(self.canv)
        tags.push(tags.element(self.tag, **self.entries))


class Close(Flowable):  # type: ignore[misc]
    """Takes no room; closes the element the matching `Open` opened."""

    _ZEROSIZE = 1
    _SPACETRANSFER = 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        tags_of(self.canv).pop()


TableKind = Literal["Table", "L", "TOC", "layout"]


class _TableTags:
    """A reportlab table's render callback (`Table._renderCB`) that tags it as it draws.

    "Table": Table, TR, TH (the first `header_rows` rows, scope Column, or the first
    `header_cols` cells of a row, scope Row) and TD; header rows repeated on a following
    page are artifacts. "L": each row a list item, its first cell the label. "TOC": each row
    an entry (TOCI). "layout": the grid only arranges flowables that tag themselves.
    """

    def __init__(self, kind: TableKind, header_rows: int, header_cols: int) -> None:
        self.kind = kind
        self.header_rows = header_rows
        self.header_cols = header_cols
        self.key = new_key()
        self.stack = ExitStack()
        self.row_stack = ExitStack()
        self.cell_stack = ExitStack()
        self.continued = False

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        handler = getattr(self, "_" + event, None)
        if handler is not None:
            handler(table.canv, *args)

    def _artifact(self, canvas: Any, kind: ArtifactKind = "Layout") -> None:
        self.stack.enter_context(tags_of(canvas).artifact(kind))

    def _startTable(self, canvas: Any) -> None:  # noqa: N802 - reportlab's event names
        self.stack = ExitStack()
        if self.kind == "layout":
            return
        tags = tags_of(canvas)
        element = tags.element(self.kind, key=self.key)
        self.continued = bool(element.kids)
        self.stack.enter_context(tags.inside(element))

    def _endTable(self, canvas: Any) -> None:  # noqa: N802
        self.stack.close()

    def _startBG(self, canvas: Any) -> None:  # noqa: N802
        self.bg = ExitStack()
        self.bg.enter_context(tags_of(canvas).artifact())

    def _endBG(self, canvas: Any) -> None:  # noqa: N802
        self.bg.close()

    def _startLines(self, canvas: Any) -> None:  # noqa: N802
        self._startBG(canvas)

    def _endLines(self, canvas: Any) -> None:  # noqa: N802
        self._endBG(canvas)

    def _startRow(self, canvas: Any, row: int) -> None:  # noqa: N802
        self.row = row
        self.row_stack = ExitStack()
        tags = tags_of(canvas)
        if self.kind == "Table" and self.continued and row < self.header_rows:
            self.row_stack.enter_context(tags.artifact("Pagination"))
        elif self.kind in ("Table", "L"):
            tag = "TR" if self.kind == "Table" else "LI"
            self.row_stack.enter_context(tags.inside(tags.element(tag)))

    def _endRow(self, canvas: Any) -> None:  # noqa: N802
        self.row_stack.close()

    def _startCell(self, canvas: Any, row: int, col: int, value: Any, *_: Any) -> None:  # noqa: N802
        self.cell_stack = ExitStack()
        if self.kind == "layout":
            return
        tags = tags_of(canvas)
        if self.kind == "Table":
            if row < self.header_rows:
                cell = tags.element("TH", scope="Column")
            elif col < self.header_cols:
                cell = tags.element("TH", scope="Row")
            else:
                cell = tags.element("TD")
        elif self.kind == "L":
            cell = tags.element("Lbl" if col == 0 else "LBody")
        elif _plain(value).strip():  # an entry: all of it a link to its page
            cell = tags.element("TOCI").add("Link")
        else:  # the space above an entry
            self.cell_stack.enter_context(tags.artifact())
            return
        cell.text = _plain(value)
        self.cell_stack.enter_context(tags.inside(cell))
        if not _tags_itself(value):
            self.cell_stack.enter_context(tags.content())

    def _endCell(self, canvas: Any) -> None:  # noqa: N802
        self.cell_stack.close()


def _tags_itself(value: Any) -> bool:
    """Whether a cell's content is flowables that tag themselves (no marked content of the
    cell's own around them)."""
    if isinstance(value, list | tuple):
        return bool(value) and all(_tags_itself(v) for v in value)
    return isinstance(value, TaggedParagraph | TaggedImage)


def _plain(value: Any) -> str:
    """The plain text of a cell's content (a string, a paragraph or a list of them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, RLParagraph):
        return str(value.getPlainText())
    if isinstance(value, list | tuple):
        return " ".join(_plain(v) for v in value)
    return ""


def tag_table(
    table: Table, kind: TableKind = "Table", header_rows: int = 1, header_cols: int = 0
) -> Table:
    """`table`, tagged as it draws (see `_TableTags`); its pieces after a split too."""
    table._renderCB = _TableTags(kind, header_rows, header_cols)
    return table


class TaggedContents(TableOfContents):  # type: ignore[misc]
    """The table of contents, tagged TOC with a TOCI per entry, each entry's links in it;
    the dot leaders and page numbers are artifacts (the entry's link leads to its page)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Reportlab's wrap, whose table is made again only when what it shows changes:
        platypus wraps the contents twice a pass (measuring its heading's keep-with-next
        group, then placing it), and the table's entries, styles and width are the same.
        Its size does not depend on the height offered (its rows do not span)."""
        key = (self.canv, avail_width, [*self._lastEntries], [*self.levelStyles])
        memo = self.__dict__.get("_slidegen_wrapped")
        if memo is not None and memo[0] == key and not self._table._spanCmds:
            kept: tuple[float, float] = memo[1]
            self.width, self.height = kept
            return kept
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self.__dict__["_slidegen_wrapped"] = (key, size)
        if getattr(self, "_pdf_tags", None) is None:
            self._pdf_tags = _TableTags("TOC", 0, 0)
        self._table._renderCB = self._pdf_tags
        leaders = self.canv.getNamedCB("drawTOCEntryEnd")

        def draw_leaders(canvas: Any, kind: str, label: str) -> None:
            with tags_of(canvas).artifact():
                leaders(canvas, kind, label)

        self.canv.setNamedCB("drawTOCEntryEnd", draw_leaders)
        return size


class Sections:
    """The `Open`/`Close` markers that put each section's flowables in a Sect."""

    def __init__(self) -> None:
        self.current: str | None = None

    def at(self, section: str | None) -> list[Flowable]:
        """The markers to put before the flowables of a slide of `section` (None: none)."""
        if section == self.current:
            return []
        out: list[Flowable] = self.end()
        if section is not None:
            out.append(Open("Sect"))
        self.current = section
        return out

    def end(self) -> list[Flowable]:
        """The marker that closes the open section (if any)."""
        out: list[Flowable] = [Close()] if self.current is not None else []
        self.current = None
        return out


class TaggedImage(Image):  # type: ignore[misc]
    """A picture tagged as a Figure with its alternative text."""

    def __init__(self, filename: str, alt: str) -> None:
        super().__init__(filename)
        self.alt = alt

    def draw(self) -> None:
        tags = tags_of(self.canv)
        with tags.tagged("Figure", alt=self.alt), tags.content():
            super().draw()


def list_item(path: Path, key: str, parent: TaggedParagraph | None = None) -> Path:
    """The path of a list item's body (tag it LBody) in the list `key`: below `path`, or
    inside the body of the item `parent` (a nested list)."""
    if parent is not None:
        path = (*parent.pdf_path, (parent.pdf_tag, parent.pdf_key))
    return (*path, ("L", key), ("LI", new_key()))
