"""The HTML edition and the learners' site pages, drawn from the plan's reading text with Jinja2."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, assert_never

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache

from slidegen.atomic import write_atomic
from slidegen.errors import OutputError
from slidegen.markup import runs_text
from slidegen.plan import (
    Definitions,
    Figure,
    Points,
    Reading,
    ReadingBlock,
    ReadingHeading,
    ReadingList,
    ReadingParagraph,
    ReadingQuote,
    ReadingTable,
    Text,
    Timeline,
)

__all__ = [
    "ASSETS",
    "ClassLink",
    "Download",
    "LanguageLink",
    "Page",
    "asset_bytes",
    "class_page",
    "index_page",
    "languages_page",
    "search_records",
    "search_script",
]

#: The stylesheet and the search script, shipped with the package (no network needed).
ASSETS: tuple[str, ...] = ("site.css", "search.js")


@dataclass(frozen=True)
class Download:
    """A file a learner can download: what it is, its format and size, and where it is."""

    label: str
    format: str
    size: str
    href: str
    #: whether the browser should save rather than open it (web pages are opened)
    save: bool = True


@dataclass(frozen=True)
class LanguageLink:
    """The same page in another language, for the language switcher."""

    tag: str
    name: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class ClassLink:
    """A class as the course index lists it."""

    number: str
    title: Text
    href: str
    lecturer: str = ""
    date: str = ""
    handout: Download | None = None
    #: for a class not in the page's language: its language tag and a note saying which
    tag: str = ""
    note: str = ""


@dataclass(frozen=True)
class Page:
    """What every page of the site shares: its language, labels, where the site's root and
    its course index are (relative links), the other languages and the search index."""

    tag: str
    labels: Mapping[str, str]
    root: str
    home: str
    course: Text
    languages: tuple[LanguageLink, ...] = ()
    search_index: str = ""
    institution: Text = ()


def _kind(block: ReadingBlock) -> str:
    """The name of the template macro that draws a block."""
    match block:
        case ReadingHeading():
            return "heading"
        case ReadingParagraph():
            return "paragraph"
        case ReadingList():
            return "list"
        case Points():
            return "points"
        case Definitions():
            return "definitions"
        case Timeline():
            return "timeline"
        case ReadingQuote():
            return "quote"
        case Figure():
            return "figure"
        case ReadingTable():
            return "table"
        case _:
            assert_never(block)


class _CompiledTemplates(BytecodeCache):
    """The templates compiled once, kept beside them as Python keeps its own bytecode: every
    process would otherwise compile all five again (about a tenth of a second). Jinja keys
    each file on the template's source and the Python version; a folder that cannot be
    written (an installed package) leaves templates compiled in memory only."""

    def __init__(self) -> None:
        self.folder = Path(__file__).parent / "__pycache__" / "templates"

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # damaged (any unpickling error): compiled again and rewritten
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OutputError):
            write_atomic(self._path(bucket), bucket.bytecode_to_string())


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("slidegen.write", "templates"),
        bytecode_cache=_CompiledTemplates(),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kind"] = _kind
    env.filters["plain"] = runs_text
    return env


def load_templates() -> None:
    """Load every page template now (from their compiled copies), before any page is made."""
    env = _env()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        env.get_template(name)


def _render(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)


def class_page(
    reading: Reading,
    page: Page,
    *,
    number: str,
    downloads: Sequence[Download],
    images: Mapping[str, str],
) -> str:
    """The HTML edition of one class, with its downloads: `images` maps each figure's file
    to its address relative to the page."""
    sections = [b for b in reading.blocks if isinstance(b, ReadingHeading) and b.level == 1]
    return _render(
        "class.html.j2",
        r=reading,
        page=page,
        number=number,
        downloads=downloads,
        images=images,
        sections=sections,
    )


def index_page(page: Page, classes: Sequence[ClassLink]) -> str:
    """The course's index in one language: its classes in order."""
    return _render("index.html.j2", page=page, classes=classes)


def languages_page(page: Page) -> str:
    """The site's entry page: the course in each of its languages."""
    return _render("languages.html.j2", page=page)


def search_records(reading: Reading, href: str, class_title: str) -> list[dict[str, str]]:
    """Search entries of a class: one per section (and for the summary), each with its
    address, headings and text."""
    records: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for block in reading.blocks:
        if isinstance(block, ReadingHeading) and block.level == 1:
            current = {
                "title": runs_text(block.runs),
                "class": class_title,
                "href": f"{href}#{block.id}",
                "text": "",
            }
            records.append(current)
            continue
        if current is not None:
            current["text"] = " ".join(x for x in (current["text"], _block_text(block)) if x)
    return records


def _block_text(block: ReadingBlock) -> str:
    match block:
        case ReadingHeading() | ReadingParagraph() | ReadingQuote():
            return runs_text(block.runs)
        case ReadingList():
            return " ".join(_items_text(block.items))
        case Points():
            return " ".join(_block_text(b) for b in block.blocks)
        case Definitions() | Timeline():
            return " ".join(f"{runs_text(p.term)} {runs_text(p.text)}" for p in block.pairs)
        case Figure():
            return " ".join(x for x in (block.alt, runs_text(block.caption)) if x)
        case ReadingTable():
            cells = [*block.header, *(c for row in block.rows for c in row)]
            return " ".join(runs_text(c) for c in cells)
        case _:
            assert_never(block)


def _items_text(items: Sequence[Any]) -> list[str]:
    return [t for i in items for t in (runs_text(i.runs), *_items_text(i.items))]


def search_script(records: Sequence[Mapping[str, str]]) -> str:
    """The search index as a script (a JSON array), so that it loads from file:// too."""
    data = json.dumps(list(records), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.slidegenSearch = {data};\n"


def asset_bytes(name: str) -> bytes:
    """One of the site's static files, as shipped in the package."""
    return resources.files("slidegen.write").joinpath("templates", name).read_bytes()
