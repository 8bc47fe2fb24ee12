"""Tagged PDF as it is drawn: structure elements, marked content with MCIDs, and artifacts.

The open-source reportlab has no tagging API, so the drawing code says what it draws: it
opens a structure element (``tagged``/``inside``), wraps what it paints in ``content`` (a
``BDC … EMC`` sequence with the page's next MCID, recorded as a kid of the element) or in
``artifact`` (decoration: running headers and footers, rules, panels, backgrounds). The
recorder keeps the tree; ``pdf_structure`` writes it into the finished file with pikepdf.

Marked content never nests: opening an element or an artifact closes the marked content
that is open and reopens it afterwards (with a new MCID), so a paragraph with a link in it
becomes P [text, Link [link text, annotation], text].
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Literal

from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "Element",
    "Marked",
    "Annotation",
    "Tags",
    "TaggedCanvas",
    "tags_of",
    "ArtifactKind",
]

ArtifactKind = Literal["Layout", "Pagination", "Background"]

#: a line of page code that shows text or paints (reportlab ends each with its operator)
_PAINTS = re.compile(r"(?:^|\s)(?:Tj|TJ|Do|sh|f\*?|F|S|s|B\*?|b\*?)(?:\s|$)")


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: MCID `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """The `index`-th annotation of page `page` (0-based), with its description."""

    page: int
    index: int
    contents: str


@dataclass(eq=False)
class Element:
    """A structure element: its type (P, H1, Figure, …), its kids in reading order, and the
    entries the tree writes for it (alternate text, table header scope, language)."""

    tag: str
    kids: list[Element | Marked | Annotation] = field(default_factory=list)
    alt: str | None = None
    scope: Literal["Row", "Column", "Both"] | None = None
    lang: str | None = None
    #: the element's plain text, where the drawing code knows it: describes its links
    text: str = ""
    #: pieces drawn apart (a paragraph split over two pages) that are one element
    key: str | None = None
    #: a grouping only: the tree holds its kids in its place
    transparent: bool = False

    def add(self, tag: str, **entries: Any) -> Element:
        """A new element of type `tag`, appended to this one's kids."""
        kid = Element(tag, **entries)
        self.kids.append(kid)
        return kid

    def elements(self) -> Iterator[Element]:
        """This element and every element below it, in tree order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()


class Tags:
    """The structure being recorded while one PDF is drawn on `canvas`."""

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self.document = Element("Document")
        self._stack: list[Element] = [self.document]
        self._open: Element | None = None  # the element whose marked content is open
        self._begun_at = 0  # the length of the page's code when it was opened
        self._marked = Marked(0, 0)  # the sequence open
        self._artifact = False
        self.page = 0
        self._mcid = 0
        self._annotations = 0

    @property
    def current(self) -> Element:
        """The element that content drawn now belongs to."""
        return self._stack[-1]

    def _emit(self, operator: str) -> None:
        self._canvas._code.append(operator)

    def _begin(self, element: Element) -> None:
        self._emit(f"/{element.tag} <</MCID {self._mcid}>> BDC")
        self._marked = Marked(self.page, self._mcid)
        element.kids.append(self._marked)
        self._mcid += 1
        self._open = element
        self._begun_at = len(self._canvas._code)

    def _suspend(self) -> Element | None:
        """Close the open marked content (if any); returns whose it was. A sequence in which
        nothing was shown or painted is taken back rather than closed."""
        element = self._open
        if element is None:
            return None
        code = self._canvas._code
        # one search of the lines joined (a newline is a space to the pattern), not one a line
        if not _PAINTS.search("\n".join(code[self._begun_at :])):
            del code[self._begun_at - 1]  # the BDC; what came after it paints nothing
            element.kids.remove(self._marked)  # (an annotation may have come after it)
            self._mcid -= 1
        else:
            self._emit("EMC")
        self._open = None
        return element

    def element(self, tag: str, **entries: Any) -> Element:
        """A new element below the current one (open it with `inside`); an element with the
        same `key` as the current one's last kid is that kid (a piece drawn later)."""
        key = entries.get("key")
        kids = self.current.kids
        last = kids[-1] if kids else None
        if key is not None and isinstance(last, Element) and last.key == key:
            return last
        return self.current.add(tag, **entries)

    def inside(self, element: Element) -> AbstractContextManager[Element]:
        """Draw into `element` (content drawn meanwhile is its own): ``with tags.inside(e):``."""
        return _Inside(self, element)

    def push(self, element: Element) -> None:
        """Draw into `element` until `pop` (for elements opened and closed by flowables
        drawn apart, e.g. a section's Sect)."""
        self._suspend()
        self._stack.append(element)

    def pop(self) -> None:
        """Close the element the last `push` opened."""
        self._suspend()
        if len(self._stack) > 1:
            self._stack.pop()

    def tagged(self, tag: str, **entries: Any) -> AbstractContextManager[Element]:
        """A new element below the current one, drawn into."""
        return self.inside(self.element(tag, **entries))

    def content(self) -> AbstractContextManager[None]:
        """Mark what is drawn meanwhile as the current element's content."""
        return _Content(self)

    def artifact(self, kind: ArtifactKind = "Layout") -> AbstractContextManager[None]:
        """Mark what is drawn meanwhile as decoration, outside the structure."""
        return _Artifact(self, kind)

    def annotation(self, default: str) -> None:
        """Record the annotation just added to the page: a Link below the current element
        (the current element when it is a Link), described by the link's text."""
        link = self.current
        if link.tag != "Link":
            link = self.current.add("Link")
        description = link.alt or link.text or self._described() or default
        link.kids.append(Annotation(self.page, self._annotations, description))
        self._annotations += 1

    def _described(self) -> str:
        return next((e.text for e in reversed(self._stack) if e.text), "")

    def next_page(self) -> None:
        """The page is finished: nothing stays open across pages; MCIDs start again at 0."""
        self._suspend()
        self.page += 1
        self._mcid = 0
        self._annotations = 0


# The context managers of `Tags`, as classes rather than generators: a PDF enters a thousand
# or more of them, and contextlib's generator-based ones cost several times as much.


class _Inside:
    """``with tags.inside(element)``: draw into `element`, then resume the outer content."""

    __slots__ = ("tags", "element", "outer", "own")

    def __init__(self, tags: Tags, element: Element) -> None:
        self.tags = tags
        self.element = element

    def __enter__(self) -> Element:
        tags = self.tags
        self.own = self.element is not tags.current
        if self.own:
            self.outer = tags._suspend()
            tags._stack.append(self.element)
        return self.element

    def __exit__(self, *exc: object) -> None:
        if not self.own:
            return
        tags = self.tags
        tags._suspend()
        tags._stack.pop()
        if self.outer is not None and not tags._artifact:
            tags._begin(self.outer)


class _Content:
    """``with tags.content()``: what is drawn meanwhile is the current element's content."""

    __slots__ = ("tags", "own")

    def __init__(self, tags: Tags) -> None:
        self.tags = tags

    def __enter__(self) -> None:
        tags = self.tags
        self.own = not (tags._artifact or tags._open is tags.current)
        if self.own:
            tags._suspend()
            tags._begin(tags.current)

    def __exit__(self, *exc: object) -> None:
        tags = self.tags
        if self.own and tags._open is tags.current:
            tags._suspend()


class _Artifact:
    """``with tags.artifact(kind)``: what is drawn meanwhile is decoration."""

    __slots__ = ("tags", "kind", "outer", "own")

    def __init__(self, tags: Tags, kind: ArtifactKind) -> None:
        self.tags = tags
        self.kind = kind

    def __enter__(self) -> None:
        tags = self.tags
        self.own = not tags._artifact
        if self.own:
            self.outer = tags._suspend()
            tags._emit(f"/Artifact <</Type /{self.kind}>> BDC")
            tags._artifact = True

    def __exit__(self, *exc: object) -> None:
        if not self.own:
            return
        tags = self.tags
        tags._artifact = False
        tags._emit("EMC")
        if self.outer is not None:
            tags._begin(self.outer)


class TaggedCanvas(Canvas):  # type: ignore[misc]
    """A reportlab canvas that records the structure of what is drawn on it (`tags`)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.tags = Tags(self)

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.tags.next_page()
        super().showPage()

    def linkURL(self, url: str, rect: Any, *args: Any, **kw: Any) -> Any:  # noqa: N802
        out = super().linkURL(url, rect, *args, **kw)
        self.tags.annotation(url)
        return out

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kw: Any) -> Any:  # noqa: N802
        out = super().linkRect(contents, destinationname, *args, **kw)
        self.tags.annotation(contents or destinationname)
        return out


class _Untagged(Tags):
    """What `tags_of` gives for a canvas that records nothing: every call does nothing."""

    def __init__(self) -> None:
        pass

    @property
    def current(self) -> Element:
        return Element("Div")

    def element(self, tag: str, **entries: Any) -> Element:
        return Element(tag, **entries)

    def inside(self, element: Element) -> AbstractContextManager[Element]:
        return nullcontext(element)

    def content(self) -> AbstractContextManager[None]:
        return nullcontext()

    def artifact(self, kind: ArtifactKind = "Layout") -> AbstractContextManager[None]:
        return nullcontext()

    def annotation(self, default: str) -> None:
        pass

    def push(self, element: Element) -> None:
        pass

    def pop(self) -> None:
        pass


def tags_of(canvas: Any) -> Tags:
    """The recorder of a `TaggedCanvas`; for any other canvas one that records nothing."""
    tags = getattr(canvas, "tags", None)
    return tags if isinstance(tags, Tags) else _Untagged()
