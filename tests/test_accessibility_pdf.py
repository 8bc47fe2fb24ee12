"""Tagged PDF/UA: the slides PDF and every handout layout, read back as a screen reader would.

Checks with real clients: `pdfua` (a PDF/UA-1 checker) must find nothing; the structure
tree, read with pikepdf, must hold the plan's text in reading order with every figure
described and every table headed; no text or painting may be left outside marked content
(the page streams parsed with pikepdf); qpdf finds no error.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import Severity, validate
from pypdf import PdfReader

from conftest import digests_in_processes, require
from slidegen.layout.slides import layout as lay_out
from slidegen.markup import Run, runs_text
from slidegen.plan import Paragraph, Plan, PlannedSlide, TableShape, TextBox
from slidegen.read.outline import read_outline
from slidegen.read.theme import load_theme
from slidegen.resolve.edition import Edition, resolve
from slidegen.write.handout import handout_bytes
from slidegen.write.slides_pdf import slides_pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
LANGUAGES = ("en", "pt", "es", "fr")
LINK = "https://www.oas.org/en/"

#: operators that show text or paint: each must sit inside marked content or an artifact
_TEXT = {"Tj", "TJ", "'", '"'}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


@cache
def _edition(language: str) -> tuple[Plan, Edition]:
    from slidegen.i18n.merge import edition_outline

    outline = read_outline(SEED) if language == "en" else edition_outline(SEED, language)[0]
    edition = resolve(outline, SEED, language)
    # one clickable link in the references, so that links are tagged too
    link = (Run("Organization of American States. "), Run(LINK, href=LINK))
    edition = replace(edition, bibliography=(*edition.bibliography, link))
    return lay_out(edition, load_theme(None, SEED.parent)), edition


@cache
def _slides(language: str) -> bytes:
    plan, _ = _edition(language)
    return slides_pdf_bytes(plan)


@cache
def _handout(layout: str, paper: str, language: str) -> bytes:
    plan, _ = _edition(language)
    return handout_bytes(plan, layout, paper)


# --- reading a tagged PDF back ---------------------------------------------------------------


class _Visitor:
    """Follows one page's marked content while pypdf extracts its text."""

    def __init__(self, page: int, out: dict[tuple[int, int], list[str]]) -> None:
        self.page = page
        self.out = out
        self.stack: list[int | None] = []

    def before(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op in (b"BDC", b"BMC"):
            props = args[1] if op == b"BDC" and len(args) > 1 else None
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            self.stack.append(None if mcid is None else int(mcid))
        elif op == b"EMC":
            self.stack.pop()

    def text(self, t: str, *_: Any) -> None:
        if self.stack and self.stack[-1] is not None:
            self.out.setdefault((self.page, self.stack[-1]), []).append(t)


def _mcid_texts(data: bytes) -> dict[tuple[int, int], str]:
    """The text each marked-content sequence shows, by (page, MCID), decoded by pypdf."""
    out: dict[tuple[int, int], list[str]] = {}
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        visitor = _Visitor(n, out)
        page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
    return {k: "".join(v) for k, v in out.items()}


@cache
def _open(data: bytes) -> pikepdf.Pdf:
    """The PDF opened with pikepdf (kept open: the elements read from it live in it)."""
    return pikepdf.open(io.BytesIO(data))


def _elements(data: bytes) -> Iterator[tuple[str, pikepdf.Dictionary, list[str]]]:
    """Every structure element in tree order: its type, itself, and its own texts."""
    texts = _mcid_texts(data)
    pdf = _open(data)
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

    def kids(node: Any) -> list[Any]:
        k = node.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def walk(node: Any, page: int) -> Iterator[tuple[str, pikepdf.Dictionary, list[str]]]:
        if "/Pg" in node:
            page = pages[node.Pg.objgen]
        own: list[str] = []
        below: list[Any] = []
        for kid in kids(node):
            if isinstance(kid, int):
                own.append(texts.get((page, kid), ""))
            elif kid.get("/Type") == "/MCR":
                own.append(texts.get((pages[kid.Pg.objgen], int(kid.MCID)), ""))
            elif kid.get("/Type") != "/OBJR":
                below.append(kid)
        yield str(node.S), node, own
        for kid in below:
            yield from walk(kid, page)

    yield from walk(pdf.Root.StructTreeRoot.K, 0)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tagged_text(data: bytes) -> str:
    """All the tagged text in structure-tree order, without white space."""
    return _squash("".join(t for _, _, own in _elements(data) for t in own))


def untagged(data: bytes) -> list[str]:
    """Operators that show text or paint outside marked content, and marked content nested
    where it must not be (tagged content inside an artifact or inside other content)."""
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(data))
    for n, page in enumerate(pdf.pages, start=1):
        stack: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                kind = "artifact" if str(operands[0]) == "/Artifact" else "content"
                if stack:
                    problems.append(f"page {n}: {kind} inside {stack[-1]}")
                stack.append(kind)
            elif op == "EMC":
                stack.pop()
            elif (op in _TEXT or op in _PAINT) and not stack:
                problems.append(f"page {n}: {op} outside marked content")
        if stack:
            problems.append(f"page {n}: marked content left open")
    return problems + _orphans(pdf)


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    """The parent tree: a page's MCIDs' elements, an annotation's element, by their key."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return dict(zip((int(k) for k in nums[::2]), nums[1::2], strict=True))


def described_links(pdf: pikepdf.Pdf) -> int:
    """How many link annotations there are, each checked to be described and in a Link
    element, on pages that tab in structure order."""
    owners = _parent_tree(pdf)
    links = 0
    for page in pdf.pages:
        assert page.obj.Tabs == "/S"
        for annot in page.obj.get("/Annots", []):
            links += 1
            assert str(annot.Contents).strip()
            assert owners[int(annot.StructParent)].S == "/Link"
    return links


def _orphans(pdf: pikepdf.Pdf) -> list[str]:
    """Marked content with an MCID that no structure element claims (via the parent tree)."""
    owners = _parent_tree(pdf)
    problems: list[str] = []
    for n, page in enumerate(pdf.pages, start=1):
        claimed = owners.get(int(page.obj.StructParents))
        count = len(claimed) if isinstance(claimed, pikepdf.Array) else 0
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            if mcid is not None and int(mcid) >= count:
                problems.append(f"page {n}: MCID {int(mcid)} belongs to no element")
    return problems


def pdfua_problems(data: bytes, tmp_path: Path) -> list[str]:
    """What `pdfua check` reports at warning or error, and the rules it could not run."""
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    report = validate(str(path))
    found = [
        f"{f.rule_id} {f.message}" for f in report.findings if f.severity >= Severity.WARNING
    ]
    return found + [f"{o.rule_id} not run: {o.skipped_reason}" for o in report.skipped]


# --- what the plan says is read, in order ----------------------------------------------------


def _paragraph_text(p: Paragraph) -> str:
    return (p.bullet or "") + "".join(r.text for line in p.lines for r in line.runs)


def slide_reading_text(slide: PlannedSlide) -> str:
    """A slide's text as it is to be read: its title first, then every other text shape in
    the plan's order, footer and slide number left out (they are page furniture)."""
    shapes = [s for s in slide.shapes if isinstance(s, TextBox | TableShape)]
    titles = [s for s in shapes if isinstance(s, TextBox) and s.role == "title"]
    parts: list[str] = []
    for shape in [*titles, *(s for s in shapes if s not in titles)]:
        if isinstance(shape, TextBox):
            if shape.role not in ("footer", "number"):
                parts += [_paragraph_text(p) for p in shape.paragraphs]
        else:
            parts += [_paragraph_text(p) for row in shape.cells for c in row for p in c.paragraphs]
    return _squash("".join(parts))


# --- the slides PDF --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfua_finds_nothing_in_the_slides_pdf(language: str, tmp_path: Path) -> None:
    assert pdfua_problems(_slides(language), tmp_path) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_slides_pdf_tagged_text_is_the_plans_reading_order(language: str) -> None:
    plan, _ = _edition(language)
    expected = "".join(slide_reading_text(s) for s in plan.slides)
    assert tagged_text(_slides(language)) == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_slides_pdf_leaves_nothing_untagged(language: str) -> None:
    assert untagged(_slides(language)) == []


def test_slides_pdf_structure_sections_slides_headings_lists_and_tables() -> None:
    plan, _ = _edition("en")
    elements = list(_elements(_slides("en")))
    roles = [role for role, _, _ in elements]
    assert roles[0] == "/Document"
    sections = len({s.section for s in plan.slides if s.section})
    assert roles.count("/Sect") == sections + len(plan.slides)  # a Sect per section and slide
    assert roles.count("/H1") + roles.count("/H2") == len(plan.slides)  # every slide titled
    assert "/L" in roles and "/LI" in roles and "/Lbl" in roles and "/LBody" in roles
    tables = [node for role, node, _ in elements if role == "/Table"]
    assert tables
    for role, node, own in elements:
        if role == "/TH":
            assert str(node.A.Scope) == "/Column" and "".join(own).strip()


def test_slides_pdf_links_are_tagged_and_described() -> None:
    assert described_links(_open(_slides("en"))) >= 1


def test_slides_pdf_declares_title_language_and_pdfua_in_xmp() -> None:
    plan, _ = _edition("pt")
    pdf = pikepdf.open(io.BytesIO(_slides("pt")))
    assert bool(pdf.Root.MarkInfo.Marked)
    assert str(pdf.Root.Lang) == "pt-BR"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == runs_text(plan.info.title) == str(pdf.docinfo.Title)
        assert meta["pdfuaid:part"] == "1"
        assert "pt-BR" in str(meta["dc:language"])


def test_slides_pdf_figures_have_alt_text(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    from slidegen.i18n.labels import labels
    from slidegen.read.model import Image, ImageContent, Outline, Section, Slide

    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(tmp_path / "square.png")
    picture = ImageContent(image=Image(path="square.png", alt="A red square"))
    slide = Slide(id="pic", title="A picture", content=picture)
    outline = Outline(id="fig", language="en", course="C", title="Figures",
                      sections=(Section(id="s", title="S", slides=(slide,)),))
    edition = Edition(outline=outline, language="en", source=tmp_path / "fig.yaml",
                      labels=labels("en"))
    data = slides_pdf_bytes(lay_out(edition, load_theme(None, tmp_path)))
    figures = [node for role, node, _ in _elements(data) if role == "/Figure"]
    assert [str(f.Alt) for f in figures] == ["A red square"]
    assert untagged(data) == []
    assert pdfua_problems(data, tmp_path) == []


def test_slides_pdf_is_the_same_in_separate_processes() -> None:
    assert len(digests_in_processes("test_accessibility_pdf", "_slides('es')")) == 1


def test_qpdf_finds_no_errors_in_the_tagged_slides(tmp_path: Path) -> None:
    require("qpdf")
    path = tmp_path / "s.pdf"
    path.write_bytes(_slides("fr"))
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout


# --- the handouts ----------------------------------------------------------------------------

HANDOUTS = [
    (layout, paper) for layout in ("notes", "three", "reading") for paper in ("a4", "letter")
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("layout", "paper"), HANDOUTS)
def test_pdfua_finds_nothing_in_the_handout(
    layout: str, paper: str, language: str, tmp_path: Path
) -> None:
    assert pdfua_problems(_handout(layout, paper, language), tmp_path) == []


def _runs_text(runs: Any) -> str:
    return "".join(r.text for r in runs)


def handout_slides(plan: Plan) -> list[PlannedSlide]:
    """The slides a handout draws: all but the references slides (its references section
    prints their entries)."""
    return [s for s in plan.slides if s.kind != "references"]


def handout_body_text(plan: Plan, layout: str) -> str:
    """The handout's text after its contents, as it is to be read: each slide's label, the
    slide's own text in reading order, its notes (notes pages); then the references."""
    sections = {s.id: s for s in plan.sections}
    parts: list[str] = []
    for slide in handout_slides(plan):
        label = plan.labels.slide.format(number=slide.number)
        if layout == "three" and slide.section is not None:
            label += "·" + _runs_text(sections[slide.section].title)
        parts += [label, slide_reading_text(slide)]
        if layout == "notes":
            parts += [_runs_text(p) for p in slide.handout or slide.notes]
    if plan.references:
        parts += [plan.labels.references, *(_runs_text(r) for r in plan.references)]
    return _squash("".join(parts))


@pytest.mark.parametrize(("layout", "language"), [("notes", "en"), ("notes", "pt"),
                                                    ("three", "es"), ("three", "fr")])
def test_handout_tagged_text_is_the_plans_reading_order(layout: str, language: str) -> None:
    plan, _ = _edition(language)
    text = tagged_text(_handout(layout, "a4", language))
    body = handout_body_text(plan, layout)
    assert body in text
    # before it: the cover (the class's title first among its headings), then the contents
    assert text.index(_squash(_runs_text(plan.info.title))) < text.index(
        _squash(plan.labels.contents)) < text.index(body)


@pytest.mark.parametrize(("layout", "paper"), HANDOUTS)
def test_handout_leaves_nothing_untagged(layout: str, paper: str) -> None:
    assert untagged(_handout(layout, paper, "en")) == []


def test_handout_structure_cover_contents_sections_slides() -> None:
    plan, _ = _edition("en")
    elements = list(_elements(_handout("notes", "a4", "en")))
    roles = [role for role, _, _ in elements]
    top = [str(k.S) for k in _open(_handout("notes", "a4", "en")).Root.StructTreeRoot.K.K]
    # cover: texts, the title a heading, the details a table, the agenda a list; contents
    assert top[:3] == ["/P", "/P", "/H1"] and "/Table" in top and "/L" in top
    assert top[top.index("/TOC") - 1] == "/H1"
    # a Sect per section (and the references), each slide a Sect with its own heading
    loose = sum(1 for s in handout_slides(plan) if s.section is None)  # cover, agenda, …
    assert top.count("/Sect") == len(plan.sections) + loose + 1  # and the references
    assert roles.count("/Sect") >= len(handout_slides(plan)) + len(plan.sections)
    tables = [(node, own) for role, node, own in elements if role == "/TH"]
    assert tables and all(str(node.A.Scope) in ("/Row", "/Column") for node, _ in tables)
    tocis = [role for role in roles if role == "/TOCI"]
    assert len(tocis) >= len(plan.sections)


@pytest.mark.parametrize("layout", ["notes", "three", "reading"])
def test_every_handout_link_is_in_a_link_element_and_described(layout: str) -> None:
    sections = _edition("fr")[0].sections
    assert sections and described_links(_open(_handout(layout, "letter", "fr"))) > len(sections)


def test_handout_declares_title_language_and_pdfua_in_xmp() -> None:
    pdf = _open(_handout("three", "a4", "es"))
    assert bool(pdf.Root.MarkInfo.Marked)
    assert str(pdf.Root.Lang) == _edition("es")[0].info.tag
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["pdfuaid:part"] == "1"


def test_stress_handout_tables_pictures_and_long_text_are_tagged(
    stress_edition: Any, tmp_path: Path
) -> None:
    edition = stress_edition("en")
    plan = lay_out(edition, load_theme(None, tmp_path))
    # (its symbols slide has glyphs no bundled font has: they are no text to read back)
    plan = replace(plan, slides=tuple(s for s in plan.slides if s.id != "emoji"))
    data = handout_bytes(plan, "notes", "a4")
    assert pdfua_problems(data, tmp_path) == []
    assert untagged(data) == []
    elements = list(_elements(data))
    assert [str(n.Alt) for role, n, _ in elements if role == "/Figure"] == ["A red square"]
    assert any(role == "/TH" for role, _, _ in elements)
    assert handout_body_text(plan, "notes") in tagged_text(data)


def test_handouts_are_the_same_bytes_when_built_again() -> None:
    plan, _ = _edition("pt")
    for layout in ("notes", "three"):
        again = handout_bytes(plan, layout, "a4")
        assert again == _handout(layout, "a4", "pt")


def test_qpdf_finds_no_errors_in_the_tagged_handouts(tmp_path: Path) -> None:
    require("qpdf")
    for layout, paper in HANDOUTS:
        path = tmp_path / f"{layout}-{paper}.pdf"
        path.write_bytes(_handout(layout, paper, "en"))
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def _is_subsequence(wanted: list[str], seen: list[str]) -> bool:
    it = iter(seen)
    return all(any(w == s for s in it) for w in wanted)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_reading_edition_headings_follow_the_slides_and_its_lists_and_tables_are_tagged(
    language: str,
) -> None:
    plan, _ = _edition(language)
    elements = list(_elements(_handout("reading", "a4", language)))
    headings = [_squash("".join(own)) for role, _, own in elements if role in ("/H1", "/H2")]
    authored = [s for s in plan.slides if s.section and s.kind != "section" and s.part == 1]
    titles = [_squash(s.title) for s in authored]
    assert _is_subsequence(titles, headings)
    roles = [role for role, _, _ in elements]
    assert {"/L", "/LI", "/LBody", "/Table", "/TH", "/TD", "/BlockQuote"} <= set(roles)
    assert roles.count("/Sect") == len(plan.sections) + 2  # and the summary, the references


def test_stress_reading_edition_figures_and_split_tables(
    stress_edition: Any, tmp_path: Path
) -> None:
    edition = stress_edition("en")
    plan = lay_out(edition, load_theme(None, tmp_path))
    data = handout_bytes(plan, "reading", "a4")
    assert pdfua_problems(data, tmp_path) == []
    assert untagged(data) == []
    elements = list(_elements(data))
    assert [str(n.Alt) for role, n, _ in elements if role == "/Figure"] == ["A red square"]
    # the 30-row table runs over pages: its header row repeats there, as an artifact
    column_headers = [own for role, n, own in elements if role == "/TH" and n.A.Scope == "/Column"]
    assert len(column_headers) == 3
    rows = [n for role, n, _ in elements if role == "/TR"]
    assert len(rows) >= 31


@pytest.mark.parametrize("layout", ["slides", "notes", "three", "reading"])
def test_heading_levels_are_never_skipped(layout: str) -> None:
    data = _slides("pt") if layout == "slides" else _handout(layout, "a4", "pt")
    levels = [int(role[2]) for role, _, _ in _elements(data) if re.fullmatch(r"/H\d", role)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def _reading_items(items: Any, numbered: bool, level: int = 0) -> list[str]:
    out: list[str] = []
    for n, item in enumerate(items, start=1):
        bullet = f"{n}." if numbered and level == 0 else ("•" if level == 0 else "–")
        out += [bullet, _runs_text(item.runs), *_reading_items(item.items, numbered, level + 1)]
    return out


def _reading_block(block: Any) -> list[str]:
    """A block of the plan's reading text as it is to be read (lists with their bullets or
    numbers, as the reading layout sets them)."""
    from slidegen.plan import (
        Definitions,
        Figure,
        Points,
        ReadingList,
        ReadingQuote,
        ReadingTable,
        Timeline,
    )

    if isinstance(block, ReadingList):
        return _reading_items(block.items, block.numbered)
    if isinstance(block, Points):
        return [t for b in block.blocks for t in _reading_block(b)]
    if isinstance(block, Definitions | Timeline):
        return [_runs_text(t) for pair in block.pairs for t in (pair.term, pair.text)]
    if isinstance(block, ReadingQuote):
        return [_runs_text(block.runs), *(["—", _runs_text(block.source)] if block.source else [])]
    if isinstance(block, Figure):
        return [_runs_text(block.caption) or block.alt]
    if isinstance(block, ReadingTable):
        cells = [*block.header, *(c for row in block.rows for c in row)]
        return [*(_runs_text(c) for c in cells), _runs_text(block.caption)]
    return [_runs_text(block.runs)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_reading_edition_tagged_text_is_the_plans_reading_text(language: str) -> None:
    plan, _ = _edition(language)
    assert plan.reading is not None
    parts = [t for block in plan.reading.blocks for t in _reading_block(block)]
    parts += [plan.labels.references, *(_runs_text(r) for r in plan.references)]
    text = tagged_text(_handout("reading", "letter", language))
    assert _squash("".join(parts)) in text
