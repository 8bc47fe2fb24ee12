"""The corpus: three classes of one course as instructors write them, built from a relative
source folder in every language they have, and their decks rendered by LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest
from pypdf import PdfReader

import slidegen
from conftest import require
from slidegen.cli import main
from slidegen.markup import runs_text
from slidegen.plan import Picture, Plan, PlannedSlide, Rect, TableShape, TextBox
from test_deck import overflow_problems, render

CORPUS = Path(__file__).parent / "data" / "classes"
CLASSES = ("trafficking-routes", "money-laundering", "firearms-trafficking")
LANGUAGES = {
    "trafficking-routes": ("en", "es"),
    "money-laundering": ("en", "de"),
    "firearms-trafficking": ("en", "pt"),
}
EDITIONS = [(c, lang) for c in CLASSES for lang in LANGUAGES[c]]
#: Slide text is never smaller than this; the footer and the slide number are not slide text.
SLIDE_MIN = 14.0
HANDOUT_MIN = 7.0


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The corpus copied as a course's `source/` folder and built from inside the course
    folder, with relative paths, as an instructor runs it."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(CORPUS, root / "source")
    before = Path.cwd()
    os.chdir(root)
    try:
        assert main(["build", "source", "--out", "build", "--quiet"]) == 0
        three = ["--layout", "three", "--format", "pdf"]
        assert main(["build", "source", "--out", "build", "--quiet", *three]) == 0
        yield root
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def plans(course: Path) -> dict[tuple[str, str], Plan]:
    before = Path.cwd()
    os.chdir(course)
    try:
        return {
            (c, lang): slidegen.make_plan(slidegen.edition(f"source/{c}.yaml", lang))
            for c, lang in EDITIONS
        }
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def rendered(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every deck of the corpus as LibreOffice renders it (one call for all of them)."""
    if shutil.which("soffice") is None:
        pytest.skip("needs soffice (not installed)")
    decks = {
        f"{c}-{lang}": (course / "build" / lang / f"{c}.pptx").read_bytes() for c, lang in EDITIONS
    }
    return render(decks, tmp_path_factory.mktemp("corpus-pdf"))


def _slides(plans: dict[tuple[str, str], Plan]) -> Iterator[tuple[str, PlannedSlide]]:
    for (c, lang), plan in plans.items():
        for slide in plan.slides:
            yield f"{c}/{lang}/{slide.id}", slide


def test_every_class_has_twenty_slides_in_every_language(
    plans: dict[tuple[str, str], Plan],
) -> None:
    for (c, lang), plan in plans.items():
        assert len(plan.slides) >= 20, (c, lang)
    assert set(LANGUAGES["money-laundering"]) - {"en", "pt", "es", "fr"}  # German too


@pytest.mark.slow
def test_no_deck_overflows_when_rendered(
    rendered: dict[str, Path], plans: dict[tuple[str, str], Plan]
) -> None:
    require("pdfinfo")
    for c, lang in EDITIONS:
        pdf = rendered[f"{c}-{lang}"]
        assert overflow_problems(pdf) == [], (c, lang)
        assert len(PdfReader(pdf).pages) == len(plans[(c, lang)].slides)


def _box(shape: TextBox | TableShape | Picture) -> tuple[float, float, float, float]:
    return shape.x, shape.y, shape.x + shape.w, shape.y + shape.h


def test_no_text_box_overlaps_another(plans: dict[tuple[str, str], Plan]) -> None:
    """Text boxes, tables and pictures never share area (a background is no box)."""
    problems = []
    for where, slide in _slides(plans):
        boxes = [
            sh
            for sh in slide.shapes
            if isinstance(sh, TextBox | TableShape | Picture) and sh.name != "Background picture"
        ]
        for a, b in combinations(boxes, 2):
            ax0, ay0, ax1, ay1 = _box(a)
            bx0, by0, bx1, by1 = _box(b)
            if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5:
                problems.append(f"{where}: {a.name!r} overlaps {b.name!r}")
    assert problems == []


def test_no_slide_text_is_smaller_than_14_pt(plans: dict[tuple[str, str], Plan]) -> None:
    small = []
    for where, slide in _slides(plans):
        for sh in slide.shapes:
            if isinstance(sh, TextBox) and sh.role not in ("footer", "number"):
                paragraphs = list(sh.paragraphs)
            elif isinstance(sh, TableShape):
                paragraphs = [p for row in sh.cells for cell in row for p in cell.paragraphs]
            else:
                continue
            small += [
                f"{where} {sh.name}: {p.size:g} pt"
                for p in paragraphs
                if p.size < SLIDE_MIN and runs_text(p.runs).strip()
            ]
    assert small == []


def _free_area(slide: PlannedSlide, pic: Picture) -> float:
    """The largest area a picture of this shape could take on its slide: the body between
    the title's rule and the footer's, less the other text on it."""
    rule = next(sh for sh in slide.shapes if isinstance(sh, Rect) and sh.name == "Accent rule")
    footer = next(sh for sh in slide.shapes if isinstance(sh, Rect) and sh.name == "Footer rule")
    left = min(sh.x for sh in slide.shapes if isinstance(sh, TextBox) and sh.name == "Title")
    top, bottom = rule.y + rule.h, footer.y
    width = footer.w
    others = sum(
        sh.w * sh.h
        for sh in slide.shapes
        if isinstance(sh, TextBox) and sh.name not in ("Title", "Footer", "Slide number")
    )
    assert left >= 0
    area = width * (bottom - top) - others
    aspect = pic.w / pic.h
    fit_w = min(width, (bottom - top) * aspect)
    return min(area, fit_w * fit_w / aspect)


def test_pictures_use_at_least_40_percent_of_the_free_area(
    plans: dict[tuple[str, str], Plan],
) -> None:
    seen = 0
    for where, slide in _slides(plans):
        pictures = [
            sh for sh in slide.shapes if isinstance(sh, Picture) and sh.name == "Picture"
        ]  # a background picture fills the whole slide (below)
        for pic in pictures:
            seen += 1
            share = pic.w * pic.h / _free_area(slide, pic)
            assert share >= 0.4, f"{where}: {share:.0%}"
    assert seen >= 10  # five pictures in two languages


def test_the_tall_picture_is_drawn_large(plans: dict[tuple[str, str], Plan]) -> None:
    plan = plans[("trafficking-routes", "en")]
    [slide] = [s for s in plan.slides if s.id == "port-picture"]
    [pic] = [sh for sh in slide.shapes if isinstance(sh, Picture)]
    footer = next(sh for sh in slide.shapes if isinstance(sh, Rect) and sh.name == "Footer rule")
    rule = next(sh for sh in slide.shapes if isinstance(sh, Rect) and sh.name == "Accent rule")
    assert pic.h >= 0.85 * (footer.y - rule.y - rule.h - 20)


def _picture_slide(plans: dict[tuple[str, str], Plan], lang: str, slide_id: str) -> PlannedSlide:
    [slide] = [s for s in plans[("trafficking-routes", lang)].slides if s.id == slide_id]
    return slide


@pytest.mark.parametrize("lang", LANGUAGES["trafficking-routes"])
def test_picture_layouts(plans: dict[tuple[str, str], Plan], lang: str) -> None:
    """A tall picture with a caption sits beside it (Picture with Caption); `side: right`
    puts the picture right of its text; `layout: Blank` fills the slide with the picture,
    the title and caption over a see-through band."""
    for slide_id, picture_left in (("port-picture", True), ("network-diagram", False)):
        slide = _picture_slide(plans, lang, slide_id)
        [pic] = [sh for sh in slide.shapes if isinstance(sh, Picture)]
        [cap] = [sh for sh in slide.shapes if isinstance(sh, TextBox) and sh.name == "Caption"]
        if picture_left:
            assert pic.x + pic.w < cap.x
        else:
            assert cap.x + cap.w < pic.x
        assert cap.paragraphs[0].size >= 18  # the slide's text, not a footnote
    slide = _picture_slide(plans, lang, "coastline")
    [pic] = [sh for sh in slide.shapes if isinstance(sh, Picture)]
    assert pic.name == "Background picture"
    assert pic.x <= 0 and pic.y <= 0 and pic.x + pic.w >= 960 and pic.y + pic.h >= 540
    [scrim] = [sh for sh in slide.shapes if isinstance(sh, Rect) and sh.name == "Scrim"]
    assert 0.5 < scrim.opacity < 1
    texts = [sh for sh in slide.shapes if isinstance(sh, TextBox)]
    assert {t.name for t in texts} == {"Title", "Caption"}
    assert all(scrim.y <= t.y and t.y + t.h <= scrim.y + scrim.h for t in texts)


@pytest.mark.parametrize("lang", LANGUAGES["trafficking-routes"])
def test_pictures_in_columns(plans: dict[tuple[str, str], Plan], lang: str) -> None:
    """Two pictures side by side, each under its column's heading, as wide as its column or
    as tall as the room under the heading; a picture beside a column of points."""
    slide = _picture_slide(plans, lang, "two-views")
    pics = [sh for sh in slide.shapes if isinstance(sh, Picture)]
    heads = [sh for sh in slide.shapes if isinstance(sh, TextBox) and sh.name.startswith("Column")]
    assert len(pics) == 2 and len(heads) == 2
    left, right = sorted(pics, key=lambda p: p.x)
    assert left.x + left.w < right.x
    column_w = heads[0].w
    for pic, head in zip(sorted(pics, key=lambda p: p.x), heads, strict=True):
        assert pic.y > head.y + head.h  # under its heading
        assert pic.w >= 0.95 * column_w or pic.h >= 0.6 * (540 - pic.y - 60)
    slide = _picture_slide(plans, lang, "port-in-numbers")
    [pic] = [sh for sh in slide.shapes if isinstance(sh, Picture)]
    [text] = [sh for sh in slide.shapes if isinstance(sh, TextBox) and sh.name == "Column 1"]
    assert text.x + text.w < pic.x


def test_no_reference_is_split_across_slides(plans: dict[tuple[str, str], Plan]) -> None:
    for key, plan in plans.items():
        entries = [runs_text(e) for e in plan.references]
        assert entries, key
        listed = [
            runs_text(p.runs)
            for s in plan.slides
            if s.id.split("#")[0] == "references"
            for sh in s.shapes
            if isinstance(sh, TextBox) and sh.name == "Content"
            for p in sh.paragraphs
        ]
        assert listed == entries, key


def test_timelines_of_up_to_ten_events_take_one_slide(
    plans: dict[tuple[str, str], Plan],
) -> None:
    for lang in LANGUAGES["firearms-trafficking"]:
        plan = plans[("firearms-trafficking", lang)]
        ids = [s.id for s in plan.slides]
        for slide_id, events in (("instruments-timeline", 8), ("brazil-timeline", 10)):
            assert f"{slide_id}#2" not in ids, (lang, slide_id)
            [slide] = [s for s in plan.slides if s.id == slide_id]
            dots = [sh for sh in slide.shapes if sh.name.startswith("Dot ")]
            assert len(dots) == events


def test_table_columns_are_as_wide_as_their_content(plans: dict[tuple[str, str], Plan]) -> None:
    """The 10 × 4 table: the long "main source" column gets the most room, the short country
    names the least; it continues on a second slide rather than shrinking below 14 pt."""
    for lang in LANGUAGES["firearms-trafficking"]:
        plan = plans[("firearms-trafficking", lang)]
        tables = [
            sh
            for s in plan.slides
            if s.id.split("#")[0] == "homicide-table"
            for sh in s.shapes
            if isinstance(sh, TableShape)
        ]
        assert len(tables) == 2 and sum(len(t.cells) - 1 for t in tables) == 10
        widths = tables[0].col_widths
        assert max(widths) == widths[3] and widths[0] < widths[3] / 1.5, widths


@dataclass(frozen=True)
class _Word:
    page: int
    size: float  # as printed: the font size times the drawing's scale
    tag: str | None  # its marked content's tag: "Artifact" for decoration
    text: str


#: What a tagged PDF marks as decoration (PDF/UA artifacts, which screen readers skip too).
DECORATION = "Artifact"


def _printed_words(pdf: Path) -> list[_Word]:
    """Every word a PDF prints, with the size it prints at: the handout's own text and the
    slides' text in their miniatures alike."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [
            _Word(page.page_number, float(w["size"]), w["tag"], w["text"])
            for page in doc.pages
            for w in page.extract_words(keep_blank_chars=True, extra_attrs=["size", "tag"])
        ]


@pytest.mark.parametrize(("klass", "lang"), EDITIONS)
def test_handout_text_is_legible(course: Path, klass: str, lang: str) -> None:
    """Nothing a notes handout prints is under 7 pt — the slides' text in the miniatures
    included — except what is tagged as decoration."""
    words = _printed_words(course / "build" / lang / f"{klass}-handout.pdf")
    slide_text = [w for w in words if w.tag in ("P", "H1", "H2", "TD", "TH", "Lbl", "LBody")]
    assert len(slide_text) > 200
    small = [w for w in words if w.size < HANDOUT_MIN - 0.05 and w.tag != DECORATION]
    assert small == []


def _page_text_sizes(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, size, text) of the text a handout page prints itself, at its own scale; the
    slide miniatures (drawn scaled) left out."""
    out: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            page: int = number,
        ) -> None:
            if not text.strip() or abs(cm[0] - 1) > 1e-6:
                return
            out.append((page, size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5, text.strip()))

        page.extract_text(visitor_text=visit)
    return out


@pytest.mark.parametrize(("klass", "lang"), EDITIONS)
def test_three_up_pages_print_no_footnote_sized_text(course: Path, klass: str, lang: str) -> None:
    """Three per page: the slides are pictures to write beside, drawn at 28% of their size
    (their text is there to recognise the slide by; the notes pages print it at 7 pt or
    more). Their footers and numbers, which would print at 3 pt, are not drawn; what the
    page itself prints (labels, running header and footer, references) is 7 pt or more."""
    pdf = course / "build" / lang / f"{klass}-handout-three.pdf"
    assert not [w for w in _printed_words(pdf) if re.search(r"\b\d+ / \d+\b", w.text)]
    own = _page_text_sizes(pdf)
    assert len(own) > 50
    assert [s for s in own if s[1] < HANDOUT_MIN - 0.05] == []


def test_latex_accents_come_out_composed(course: Path) -> None:
    """`Garc{\\'\\i}a` from the BibTeX file is "García" (one composed í) wherever it shows."""
    require("pdftotext")
    for lang in LANGUAGES["money-laundering"]:
        build = course / "build" / lang
        pdf = subprocess.run(
            ["pdftotext", str(build / "money-laundering-handout.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "GARCÍA" in pdf and "\u0131" not in pdf
        for ext in ("html", "bib", "ris", "json"):
            text = (build / f"money-laundering-references.{ext}").read_text(encoding="utf-8")
            assert "\u0131" not in text and "\u0301" not in text, ext


def test_exported_bibtex_is_valid_for_biber(course: Path, tmp_path: Path) -> None:
    """biber checks every entry against biblatex's data model (a field an entry type does not
    have, an invalid ISBN): the .bib files import cleanly."""
    require("biber")
    for c, lang in EDITIONS:
        name = f"{c}-{lang}.bib"
        shutil.copy(course / "build" / lang / f"{c}-references.bib", tmp_path / name)
        out = subprocess.run(
            ["biber", "--tool", "--validate-datamodel", "--output-file", "checked.bib", name],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        ).stdout
        assert "WARN" not in out and "ERROR" not in out, (c, lang, out)


def test_a_background_picture_lies_under_its_title_in_the_deck(course: Path) -> None:
    """PowerPoint draws shapes in their order: the full-slide picture comes before the title
    placeholder, which stays a real title (navigation, accessibility)."""
    from pptx import Presentation

    prs = Presentation(str(course / "build" / "en" / "trafficking-routes.pptx"))
    [slide] = [
        s for s in prs.slides if s.shapes.title and s.shapes.title.text == "Coastlines are long"
    ]
    names = [sh.name for sh in slide.shapes]
    assert names.index("Background picture") < names.index("Scrim") < names.index("Title")
    assert slide.shapes.title.is_placeholder


def _drawn_sizes(pdf: Path, word: str) -> list[float]:
    """The sizes, as printed, at which a PDF draws text holding `word` (miniatures included)."""
    sizes: list[float] = []
    for page in PdfReader(pdf).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if word in text:
                scale = (
                    (cm[0] * tm[0] + cm[2] * tm[1]) ** 2 + (cm[1] * tm[0] + cm[3] * tm[1]) ** 2
                ) ** 0.5
                sizes.append(size * scale)

        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("lang", LANGUAGES["firearms-trafficking"])
def test_a_table_is_legible_on_the_notes_pages(course: Path, lang: str) -> None:
    """A slide with a table is drawn as wide as the page: its 14 pt cells print at 7 pt."""
    pdf = course / "build" / lang / "firearms-trafficking-handout.pdf"
    sizes = _drawn_sizes(pdf, "Honduras")
    assert sizes and min(sizes) >= HANDOUT_MIN - 0.05, sizes


@pytest.mark.parametrize("lang", LANGUAGES["firearms-trafficking"])
def test_reading_edition_tables_size_their_columns_by_content(
    plans: dict[tuple[str, str], Plan], lang: str
) -> None:
    from slidegen.plan import ReadingTable

    reading = plans[("firearms-trafficking", lang)].reading
    assert reading is not None
    [table] = [b for b in reading.blocks if isinstance(b, ReadingTable) and len(b.header) == 4]
    country, rate, share, source = table.shares
    assert sum(table.shares) == pytest.approx(1, abs=0.01)
    assert source == max(table.shares) and country < source / 2
