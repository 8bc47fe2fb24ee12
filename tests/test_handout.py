"""The PDF handout: a real, printable, reproducible PDF in every layout, paper and language."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import digests_in_processes, require
from slidegen.errors import UsageError
from slidegen.i18n.labels import labels
from slidegen.layout.slides import layout as lay_out
from slidegen.markup import Run, plain
from slidegen.plan import Plan, TextBox
from slidegen.read.outline import read_outline
from slidegen.read.theme import load_theme
from slidegen.resolve.edition import Edition, resolve
from slidegen.write.handout import LAYOUTS, PAPERS, handout_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
LINK = "https://www.oas.org/en/"


@cache
def _seed(language: str = "en") -> tuple[Plan, Edition]:
    """The seed class laid out in `language` (its translation merged when there is one;
    else the English text with that language's labels and catalog tag)."""
    from slidegen.i18n.merge import edition_outline, languages

    if language in languages(SEED):
        outline, _ = edition_outline(SEED, language)
        edition = resolve(outline, SEED, language)
    else:
        outline = read_outline(SEED)
        english = resolve(outline, SEED)
        edition = Edition(
            outline=outline, language=language, source=SEED, labels=labels(language),
            bibliography=english.bibliography, citations=english.citations,
        )
    # one clickable link in the references, so that links are tested
    link = (Run("Organization of American States. "), Run(LINK, href=LINK))
    edition = Edition(
        outline=edition.outline, language=edition.language, source=edition.source,
        labels=edition.labels, bibliography=(*edition.bibliography, link),
        citations=edition.citations,
    )
    return lay_out(edition, load_theme(None, SEED.parent)), edition


@cache
def _pdf(layout: str = "notes", paper: str = "a4", language: str = "en") -> bytes:
    plan, edition = _seed(language)
    return handout_bytes(plan, layout, paper)


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _root(reader: PdfReader) -> Any:
    return reader.trailer["/Root"]


def _resources(page: Any) -> Any:
    return page["/Resources"]


def _text(data: bytes, tmp_path: Path, first: int | None = None) -> str:
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(data)
    require("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _outline_titles(items: list[Any], depth: int = 0) -> Iterator[tuple[int, str]]:
    for item in items:
        if isinstance(item, list):
            yield from _outline_titles(item, depth + 1)
        else:
            yield depth, str(item.title)


COMBOS = [(lay, paper) for lay in LAYOUTS for paper in PAPERS]


@pytest.mark.parametrize("layout", ["slides", "", "Notes"])
def test_unknown_layout_is_a_usage_error(layout: str) -> None:
    plan, edition = _seed()
    with pytest.raises(UsageError, match="layout"):
        handout_bytes(plan, layout)


def test_unknown_paper_is_a_usage_error() -> None:
    plan, edition = _seed()
    with pytest.raises(UsageError, match="paper"):
        handout_bytes(plan, "notes", "a3")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
@pytest.mark.parametrize(("layout", "paper"), COMBOS)
def test_qpdf_finds_no_errors(layout: str, paper: str, tmp_path: Path) -> None:
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(_pdf(layout, paper))
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize(("layout", "paper"), COMBOS)
def test_pages_have_the_chosen_paper_size(layout: str, paper: str) -> None:
    reader = _reader(_pdf(layout, paper))
    want = PAPERS[paper]
    assert len(reader.pages) >= 4  # cover, contents, class, references
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == tuple(map(round, want))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_metadata_names_title_lecturer_course_and_language(layout: str) -> None:
    reader = _reader(_pdf(layout))
    meta = reader.metadata
    assert meta is not None
    assert meta.title is not None and meta.title.startswith("The Inter-American Cooperation System")
    assert meta.author == "Paulina Duarte"
    assert meta.subject == "Illicit Markets and Organized Crime in the Americas"
    assert _root(reader)["/Lang"] == "en-US"
    assert _root(_reader(_pdf(layout, language="pt")))["/Lang"] == "pt-BR"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_font_is_embedded_and_subset(layout: str) -> None:
    reader = _reader(_pdf(layout))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for ref in _resources(page).get("/Font", {}).values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"
    assert any("LiberationSans" in name for name in fonts)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bookmarks_hold_sections_with_their_slides(layout: str) -> None:
    reader = _reader(_pdf(layout))
    entries = list(_outline_titles(reader.outline))
    top = [title for depth, title in entries if depth == 0]
    outline = read_outline(SEED)
    sections = [plain(s.title) for s in outline.sections]
    assert [t for t in top if t in sections] == sections
    assert "References" in top
    nested = [title for depth, title in entries if depth == 1]
    for slide in outline.slides():
        assert any(plain(slide.title) in title for title in nested), slide.title
    assert _root(reader)["/PageMode"] == "/UseOutlines"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_contents_and_references_links_are_clickable(layout: str) -> None:
    reader = _reader(_pdf(layout))
    contents = reader.pages[1]
    internal = [
        a.get_object() for a in contents.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()
    ]
    assert len(internal) >= len(read_outline(SEED).sections)
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    assert LINK in uris


@pytest.mark.parametrize("layout", ["notes", "reading"])
def test_notes_sentences_come_out_in_reading_order(layout: str, tmp_path: Path) -> None:
    outline = read_outline(SEED)
    # a paragraph may go on over a page break: the running header and footer come between
    furniture = {plain(outline.course), plain(outline.title)}
    text = _squash("\n".join(
        line for line in _text(_pdf(layout), tmp_path, first=3).splitlines()
        if line not in furniture and " · " not in line and not re.match(r"Page \d+ of", line)
    ))
    sentences = [
        _squash(plain(p))
        for slide in outline.slides()
        for p in (slide.handout or slide.notes or "").split("\n\n")
        if p.strip()
    ]
    assert len(sentences) > 10
    position = 0
    for sentence in sentences:
        found = text.find(sentence, position)
        assert found >= 0, f"not found in order: {sentence[:60]}"
        position = found + len(sentence)


def test_slide_miniatures_are_vector_text(tmp_path: Path) -> None:
    plan, _ = _seed()
    text = _squash(_text(_pdf("three"), tmp_path, first=3))
    for slide in plan.slides:
        assert _squash(slide.title) in text
    reader = _reader(_pdf("three"))
    for page in reader.pages:
        assert "/XObject" not in _resources(page) or not any(
            x.get_object().get("/Subtype") == "/Image"
            for x in _resources(page)["/XObject"].values()
        )


@pytest.mark.parametrize("layout", ["notes", "three"])
def test_references_print_once_as_text_and_slides_keep_their_numbers(
    layout: str, tmp_path: Path
) -> None:
    """The references slides are not drawn as miniatures (the references section prints
    their entries, legibly); every other slide keeps its deck number."""
    plan, _ = _seed()
    assert any(s.kind == "references" for s in plan.slides)
    text = _squash(_text(_pdf(layout), tmp_path, first=3))
    numbers = [int(n) for n in re.findall(r"Slide (\d+)", text)]
    assert numbers == [s.number for s in plan.slides if s.kind != "references"]
    for entry in plan.references:
        start = _squash("".join(r.text for r in entry))[:40]
        assert text.count(start) == 1, start


@pytest.mark.parametrize("layout", ["notes", "three"])
def test_miniatures_leave_out_the_slides_footer_and_number(layout: str, tmp_path: Path) -> None:
    """A slide's footer and "n / N" would print at about 4 pt: the page's running footer and
    the miniature's label say them instead."""
    text = _text(_pdf(layout), tmp_path, first=3)
    plan, _ = _seed()
    assert not re.search(rf"\b\d+ / {len(plan.slides)}\b", text)
    assert "Slide 3" in text


def test_three_layout_puts_three_slides_on_a_page() -> None:
    plan, _ = _seed()
    reader = _reader(_pdf("three"))
    slide_pages = -(-len(plan.slides) // 3)
    # cover, contents (one page or more), slides, references (one page or more)
    assert len(reader.pages) >= 2 + slide_pages + 1
    assert len(reader.pages) <= 4 + slide_pages + 2


@pytest.mark.parametrize(("language", "word"), [("en", "Page"), ("pt", "Página"),
                                                ("es", "Página"), ("fr", "Page")])
def test_page_x_of_y_in_the_editions_language(language: str, word: str, tmp_path: Path) -> None:
    data = _pdf("notes", language=language)
    pages = len(_reader(data).pages)
    text = _text(data, tmp_path)
    of = {"en": "of", "pt": "de", "es": "de", "fr": "sur"}[language]
    assert f"{word} {pages} {of} {pages}" in text
    assert f"{word} 2 {of} {pages}" in text
    assert f"{word} 1 {of}" not in text  # the cover has no running footer


def test_cover_names_course_class_lecturer_institution_language(tmp_path: Path) -> None:
    _, edition = _seed("fr")
    o = edition.outline
    cover = _squash(_text(_pdf("notes", language="fr"), tmp_path).split("\f")[0]).upper()
    for expected in (o.course, o.title, o.lecturer, o.institution, "Français", "Support de cours"):
        assert expected is not None
        assert _squash(plain(expected)).upper() in cover


def test_the_same_inputs_give_the_same_bytes() -> None:
    plan, edition = _seed()
    for layout in LAYOUTS:
        first = handout_bytes(plan, layout)
        assert first == handout_bytes(plan, layout)


def test_source_date_epoch_sets_the_documents_date(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, edition = _seed()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    meta = _reader(handout_bytes(plan, "reading")).metadata
    assert meta is not None
    assert str(meta["/CreationDate"]).startswith("D:20231114221320")


def test_separate_processes_write_the_same_bytes() -> None:
    assert len(digests_in_processes("test_handout", "_pdf('notes', 'letter', 'es')")) == 1


def test_miniatures_keep_the_layouts_line_breaks(tmp_path: Path) -> None:
    plan, _ = _seed()
    pdf = tmp_path / "lines.pdf"
    pdf.write_bytes(_pdf("notes"))
    # -raw: pdftotext would otherwise join a line ending in a hyphen to the next one
    require("pdftotext")
    raw = subprocess.run(
        ["pdftotext", "-raw", "-f", "3", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = {_squash(line) for line in raw.splitlines()}
    measured = [
        _squash("".join(run.text for run in line.runs))
        for slide in plan.slides
        if slide.kind != "references"  # printed as the references section, not as slides
        for shape in slide.shapes
        if isinstance(shape, TextBox)
        for para in shape.paragraphs
        for line in para.lines
        if len(para.lines) > 1
    ]
    assert len(measured) > 10
    # a line's text is a whole line of the PDF (after its bullet, if any): never re-wrapped
    missing = [m for m in measured if m and not any(line.endswith(m) for line in lines)]
    assert missing == []


def _drawn_pieces(plan: Plan, slide: Any, x: float, top: float, width: float) -> list[Any]:
    """(text, x, baseline) of every string the miniature of `slide` draws, in page points."""
    from reportlab.pdfgen.canvas import Canvas

    from slidegen.write.miniature import draw_slide, register_plan_fonts

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(plan.width, plan.height), invariant=1)
    draw_slide(canvas, plan, slide, register_plan_fonts(plan.fonts), x, top, width,
               frame=None)
    canvas.showPage()
    canvas.save()
    pieces: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            tx, ty = tm[4], tm[5]
            pieces.append((text.strip(), cm[0] * tx + cm[2] * ty + cm[4],
                           cm[1] * tx + cm[3] * ty + cm[5]))

    _reader(buffer.getvalue()).pages[0].extract_text(visitor_text=visit)
    return pieces


def _planned_starts(box: TextBox) -> Iterator[tuple[Any, int, str, float, float]]:
    """(paragraph, line number, text, left, baseline) of every line of a text box, in slide
    points, by the layout's own rule (first_baseline, line_tops) and the box's anchor."""
    from slidegen.layout.text import blocks_height, first_baseline, line_tops

    inner_h = box.h - 2 * box.inset
    top = box.y + box.inset
    if box.anchor == "middle":
        top += (inner_h - blocks_height(box.paragraphs)) / 2
    elif box.anchor == "bottom":
        top += inner_h - blocks_height(box.paragraphs)
    for p, tops in zip(box.paragraphs, line_tops(box.paragraphs, top), strict=True):
        for n, (line, line_top) in enumerate(zip(p.lines, tops, strict=True)):
            # text extraction gives a no-break space as a space
            text = "".join(r.text for r in line.runs).replace("\u00a0", " ").strip()
            left = box.x + box.inset + p.indent
            if n == 0 and p.hang is not None and not p.bullet:
                left -= p.hang
            if text and p.align == "left":
                yield p, n, text, left, line_top + first_baseline(p)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_miniature_baselines_follow_the_layouts_rule(language: str) -> None:
    """Every line of every miniature sits where the layout (and so the rendered deck) puts it:
    its baseline at line_tops() + first_baseline(), scaled to the miniature."""
    plan, _ = _seed(language)
    x, top, width = 40.0, plan.height - 30.0, plan.width * 0.4
    scale = width / plan.width
    checked = 0
    for slide in plan.slides:
        pieces = _drawn_pieces(plan, slide, x, top, width)
        for box in (s for s in slide.shapes if isinstance(s, TextBox)):
            for _, n, text, left, base in _planned_starts(box):
                want = (x + left * scale, top - base * scale)
                near = [p for p in pieces if abs(p[1] - want[0]) < 0.01
                        and abs(p[2] - want[1]) < 0.01 and text.startswith(p[0][:10])]
                assert near, f"{slide.id} line {n} {text[:40]!r} not drawn at {want}"
                checked += 1
    assert checked > 100


def test_references_have_a_hanging_indent_and_bullets_stay_outdented() -> None:
    """A reference's first line starts `hang` left of its other lines; a bullet sits `hang`
    left of its text, which starts at the indent."""
    plan, _ = _seed()
    refs = next(s for s in plan.slides if s.kind == "references")
    pieces = _drawn_pieces(plan, refs, 0.0, plan.height, plan.width)
    hanging = [
        (p, box) for box in refs.shapes if isinstance(box, TextBox)
        for p in box.paragraphs if p.hang and not p.bullet and len(p.lines) > 1
    ]
    assert hanging
    for p, box in hanging:
        first = "".join(r.text for r in p.lines[0].runs)
        second = "".join(r.text for r in p.lines[1].runs)
        x_first = next(x for t, x, _ in pieces if first.startswith(t[:10]))
        x_second = next(x for t, x, _ in pieces if second.startswith(t[:10]))
        assert x_first == pytest.approx(box.x + box.inset + p.indent - p.hang, abs=0.01)
        assert x_second - x_first == pytest.approx(p.hang, abs=0.01)
    bulleted = next(
        s for s in plan.slides
        if any(isinstance(b, TextBox) and any(p.bullet for p in b.paragraphs) for b in s.shapes)
    )
    pieces = _drawn_pieces(plan, bulleted, 0.0, plan.height, plan.width)
    for box in (b for b in bulleted.shapes if isinstance(b, TextBox)):
        for p in (p for p in box.paragraphs if p.bullet):
            hang = p.hang if p.hang is not None else p.size * 0.9
            left = box.x + box.inset + p.indent
            assert any(t == p.bullet and abs(x - (left - hang)) < 0.01 for t, x, _ in pieces)
            text = "".join(r.text for r in p.lines[0].runs).strip()
            assert any(text.startswith(t[:10]) and abs(x - left) < 0.01 for t, x, _ in pieces)


@pytest.mark.parametrize(("layout", "paper", "language"),
                         [("notes", "a4", "en"), ("three", "letter", "fr"),
                          ("reading", "letter", "en")])
def test_cover_agenda_gives_each_sections_page_and_links_to_it(
    layout: str, paper: str, language: str, tmp_path: Path
) -> None:
    """The cover lists the sections (numbered as their dividers), the summary and the
    references, each with the page it starts on; clicking a line goes to that page."""
    data = _pdf(layout, paper, language)
    reader = _reader(data)
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(data)
    require("pdftotext")
    cover = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                           check=True, capture_output=True, text=True).stdout
    starts = {
        str(item.title): reader.get_destination_page_number(item) + 1
        for item in reader.outline if not isinstance(item, list)
    }
    _, edition = _seed(language)
    titles = [plain(s.title) for s in edition.outline.sections]
    expected = [*titles, edition.labels.references]
    assert len(expected) >= 5
    for n, title in enumerate(expected, start=1):
        number = f"{n:02d}\\s+" if n <= len(titles) else ""
        assert re.search(f"{number}{re.escape(title)}\\s+{starts[title]}\\n", cover), title
    targets = [
        reader.get_page_number(a.get_object()["/Dest"][0].get_object())
        for a in reader.pages[0].get("/Annots", [])
        if "/Dest" in a.get_object()
    ]
    # one link a line (the summary's too), in the agenda's order
    assert len(targets) == len(expected) + bool(edition.outline.summary)
    remaining = iter(targets)
    assert all(any(t == starts[title] - 1 for t in remaining) for title in expected)


def test_the_handout_takes_the_themes_colours(tmp_path: Path) -> None:
    """A re-coloured theme re-colours the handout's cover, headings and rules, not only the
    slide miniatures; the default theme keeps the default palette."""
    from slidegen.layout.slides import layout
    from slidegen.read.theme import load_theme
    from slidegen.write.pdf_styles import PALETTE, palette_for

    assert palette_for("1B3A5C", "E07A1F") == PALETTE
    theme_file = tmp_path / "green.yaml"
    theme_file.write_text(
        "base: default\ncolors:\n  primary: 2E6B30\n  accent: B8860B\n", encoding="utf-8"
    )
    plan, edition = _seed()
    green = layout(edition, load_theme(str(theme_file), tmp_path))
    assert (green.primary, green.accent) == ("2E6B30", "B8860B")

    def cover_ops(data: bytes) -> str:
        return _reader(data).pages[0].get_contents().get_data().decode("latin-1")

    default_cover = cover_ops(handout_bytes(plan))
    green_cover = cover_ops(handout_bytes(green))
    blue_fill = ".105882 .227451 .360784 rg"  # 1B3A5C, the default primary
    green_fill = ".180392 .419608 .188235 rg"  # 2E6B30
    assert blue_fill in default_cover and green_fill not in default_cover
    assert green_fill in green_cover and blue_fill not in green_cover
