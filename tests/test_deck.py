"""The PowerPoint deck: native structure, language tags, reproducibility, and no overflow
when LibreOffice renders it."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from conftest import require
from slidegen.build.preview import office_pdf_args
from slidegen.fonts import FALLBACK_FONT
from slidegen.layout.slides import layout
from slidegen.layout.text import BREAKABLE, blocks_height, line_tops
from slidegen.plan import FontFiles, Paragraph, Plan, TextBox, first_baseline
from slidegen.read.model import Timeline
from slidegen.read.theme import load_theme
from slidegen.write.deck import deck_bytes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
TAGS = {"en": "en-US", "pt": "pt-BR", "es": "es-ES", "fr": "fr-FR"}

needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the seed outline is not written yet")


def seed_languages() -> list[str]:
    if not SEED.exists():
        return ["en"]
    from slidegen.i18n.merge import languages

    return languages(SEED)


def seed_edition(lang: str) -> Any:
    from slidegen.i18n.merge import edition_outline
    from slidegen.resolve.edition import resolve

    outline, _ = edition_outline(SEED, lang)
    return resolve(outline, SEED, lang)


def build(edition: Any) -> tuple[Plan, bytes]:
    plan = layout(edition, load_theme(edition.outline.theme, edition.base_dir))
    return plan, deck_bytes(plan)


@pytest.fixture(scope="module")
def seed_decks() -> dict[str, tuple[Any, Plan, bytes]]:
    if not SEED.exists():
        pytest.skip("the seed outline is not written yet")
    out = {}
    for lang in seed_languages():
        edition = seed_edition(lang)
        plan, data = build(edition)
        out[lang] = (edition, plan, data)
    return out


@pytest.fixture(scope="module")
def stress_deck(stress_edition: Callable[[str], Any]) -> tuple[Plan, bytes]:
    return build(stress_edition("en"))


# ---------------------------------------------------------------- structure


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_every_slide_has_a_title_placeholder(
    lang: str, seed_decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    _, plan, data = seed_decks[lang]
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == len(plan.slides)
    for slide, planned in zip(prs.slides, plan.slides, strict=True):
        title = slide.shapes.title
        assert title is not None, planned.id
        # a title of several paragraphs (a divider's "Section 1", "Introduction") reads as one
        assert title.text_frame.text.replace("\n", " ").strip() == planned.title.strip(), planned.id


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_every_run_carries_the_language_and_an_explicit_size(
    lang: str, seed_decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    _, _, data = seed_decks[lang]
    prs = Presentation(io.BytesIO(data))
    tag = TAGS[lang]
    count = 0
    for slide in prs.slides:
        parts = [slide._element]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide._element)
        for part in parts:
            for r in part.iter(qn("a:r")):
                rpr = r.find(qn("a:rPr"))
                assert rpr is not None and rpr.get("lang") == tag
                assert rpr.get("sz") is not None
                count += 1
        # sizes are fitted at build time: nothing is left to autofit
        xml = slide._element.xml
        assert "normAutofit" not in xml and "spAutoFit" not in xml
    assert count > 100


@needs_seed
def test_seed_deck_content_is_native(seed_decks: dict[str, tuple[Any, Plan, bytes]]) -> None:
    edition, plan, data = seed_decks["en"]
    prs = Presentation(io.BytesIO(data))
    by_id = {p.id: s for p, s in zip(plan.slides, prs.slides, strict=True)}
    # bullets are paragraphs with levels
    levels = {
        p.level
        for sh in by_id["organized-crime"].shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        if p.text.strip()
    }
    assert {0, 1} <= levels
    # numbered points are automatic numbers
    assert "buAutoNum" in by_id["four-changes"]._element.xml
    # the table is a real table with its header row
    tables = [sh for sh in by_id["pacam-operations"].shapes if sh.has_table]
    assert len(tables) == 1 and tables[0].table.first_row
    assert tables[0].table.cell(0, 0).text == "Operations"
    # the timeline is drawn with shapes: one dot per event
    dots = [sh for sh in by_id["early-institutions"].shapes if sh.name.startswith("Dot ")]
    timeline = next(s for s in edition.outline.slides() if s.id == "early-institutions").content
    assert isinstance(timeline, Timeline) and len(dots) == len(timeline.timeline)
    # speaker notes
    for slide in edition.outline.slides():
        if slide.notes:
            notes = by_id[slide.id].notes_slide.notes_text_frame.text
            assert notes.split()[:3] == slide.notes.split()[:3]
    # references hang: no bullet, the first line starts left of the others
    refs = [sh for sh in by_id["references"].shapes if sh.name == "Content"][0]
    for para in refs.text_frame.paragraphs:
        pPr = para._p.find(qn("a:pPr"))
        assert pPr.find(qn("a:buNone")) is not None
        assert int(pPr.get("indent")) < 0 < int(pPr.get("marL"))
    # the deck names Arial, never the template's Calibri
    assert 'typeface="Calibri"' not in by_id["organized-crime"]._element.xml
    props = prs.core_properties
    assert props.title == edition.outline.title
    assert props.author == edition.outline.lecturer
    assert props.language == "en-US"
    assert prs.slide_width == 12192000 and prs.slide_height == 6858000  # 16:9


def test_pictures_have_alt_text_and_tables_continue(stress_deck: tuple[Plan, bytes]) -> None:
    plan, data = stress_deck
    prs = Presentation(io.BytesIO(data))
    pics = [sh for s in prs.slides for sh in s.shapes if sh._element.tag == qn("p:pic")]
    assert len(pics) == 1
    assert pics[0]._element.nvPicPr.cNvPr.get("descr") == "A red square"
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "A table with many rows (continued)" in titles
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.has_table) > 1


def test_two_builds_are_byte_identical(stress_edition: Callable[[str], Any]) -> None:
    edition = stress_edition("en")
    assert build(edition)[1] == build(edition)[1]


def test_source_date_epoch_is_honored(
    stress_edition: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    edition = stress_edition("en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = build(edition)[1]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert "2023-11-14T22:13:20Z" in core
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with zipfile.ZipFile(io.BytesIO(build(edition)[1])) as z:
        assert "2024-05-06T00:00:00Z" in z.read("docProps/core.xml").decode()  # the class date


HARD_WORD = "Pneumono" + "ultramicroscopicsilicovolcanoconiosis" * 8
HARD_URL = "https://www.oas.org/" + "/".join(f"segment{i}" for i in range(40)) + "?q=1"
HARD = f"""id: hard
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - id: links
        title: Links
        bullets:
          - "See [the OAS](https://www.oas.org/en/) and <https://www.oas.org/es/>"
        notes: "Say where to read more: <https://www.oas.org/notes/> and [this](https://x.org/a?b=1&c=2)."
      - id: symbols
        title: Symbols ⇒ fallback
        bullets:
          - "Demand ⇒ supply ⇒ profit: ∀ member State ∃ a focal point, each ⊂ of it ∪ others"
          - "✓ ratified · ✗ pending · ★ priority · ① first step · ② second step ⟶ a result ∘ more"
      - id: wide-cells
        title: Words wider than a column
        table:
          header: ["{HARD_WORD}", "B"]
          rows: [["{HARD_URL}", "x"], ["short", "{HARD_WORD}"]]
"""


@pytest.fixture(scope="module")
def hard_deck(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, bytes]:
    """A class with links (in a slide and its notes) and words wider than a table's columns."""
    from slidegen.read.outline import read_outline
    from slidegen.resolve.edition import resolve

    source = tmp_path_factory.mktemp("hard") / "hard.yaml"
    source.write_text(HARD, encoding="utf-8")
    outline = read_outline(source)
    return build(resolve(outline, source))


def test_links_work_in_slides_and_in_their_notes(hard_deck: tuple[Plan, bytes]) -> None:
    plan, data = hard_deck
    prs = Presentation(io.BytesIO(data))
    slide = prs.slides[[s.id for s in plan.slides].index("links")]
    on_slide = [
        r.hyperlink.address
        for sh in slide.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert on_slide == ["https://www.oas.org/en/", "https://www.oas.org/es/"]
    notes = [
        r.hyperlink.address
        for p in slide.notes_slide.notes_text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert notes == ["https://www.oas.org/notes/", "https://x.org/a?b=1&c=2"]


def test_symbols_the_font_lacks_are_runs_in_the_fallback_font(
    hard_deck: tuple[Plan, bytes],
) -> None:
    plan, data = hard_deck
    prs = Presentation(io.BytesIO(data))
    slide = prs.slides[[s.id for s in plan.slides].index("symbols")]
    runs = [
        r
        for sh in slide.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    fallback = "".join(r.text for r in runs if r.font.name == FALLBACK_FONT)
    assert set("⇒∀∃⊂∪✓✗★①②⟶∘") <= set(fallback)
    assert not set(fallback) & set("Demand supply profit")
    assert all(r._r.rPr.get("lang") == "en-US" for r in runs)
    assert not [w for w in plan.warnings if "glyph" in w.message]


def test_words_wider_than_a_column_keep_every_character(hard_deck: tuple[Plan, bytes]) -> None:
    plan, data = hard_deck
    prs = Presentation(io.BytesIO(data))
    slide = prs.slides[[s.id for s in plan.slides].index("wide-cells")]
    [table] = [sh.table for sh in slide.shapes if sh.has_table]
    assert table.cell(0, 0).text == HARD_WORD
    assert table.cell(1, 0).text == HARD_URL
    assert table.cell(2, 1).text == HARD_WORD
    assert [w.slide for w in plan.warnings if "broken" in w.message] == ["wide-cells"]


# ---------------------------------------------------------------- rendered by LibreOffice

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def render(decks: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Convert decks to PDF with LibreOffice (one call, a private profile)."""
    paths = []
    for name, data in decks.items():
        path = folder / f"{name}.pptx"
        path.write_bytes(data)
        paths.append(path)
    subprocess.run(
        office_pdf_args("soffice", paths, folder, folder / "profile"),
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {name: folder / f"{name}.pdf" for name in decks}


def overflow_problems(pdf: Path) -> list[str]:
    """Words outside their page, or overlapping another word (text run into other text)."""
    require("pdftotext", "pdffonts")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    problems = []
    for number, (pw, ph, body) in enumerate(_PAGE.findall(html), 1):
        width, height = float(pw), float(ph)
        words = [
            (float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(body)
        ]
        for x0, y0, x1, y1, text in words:
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                problems.append(f"page {number}: {text!r} lies outside the page")
        for i, (ax0, ay0, ax1, ay1, at) in enumerate(words):
            for bx0, by0, bx1, by1, bt in words[i + 1 :]:
                w = min(ax1, bx1) - max(ax0, bx0)
                h = min(ay1, by1) - max(ay0, by0)
                if w > 1 and h > 0.3 * min(ay1 - ay0, by1 - by0):
                    problems.append(f"page {number}: {at!r} overlaps {bt!r}")
    return problems


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)


@pytest.fixture(scope="module")
def rendered(
    seed_decks: dict[str, tuple[Any, Plan, bytes]],
    stress_deck: tuple[Plan, bytes],
    hard_deck: tuple[Plan, bytes],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Plan, Path]]:
    """Every seed language's deck, the stress deck and the hard-text deck, rendered by
    LibreOffice in one call."""
    decks = {f"seed-{lang}": (plan, data) for lang, (_, plan, data) in seed_decks.items()}
    decks["stress"] = stress_deck
    decks["hard"] = hard_deck
    pdfs = render({name: data for name, (_, data) in decks.items()}, tmp_path_factory.mktemp("r"))
    return {name: (decks[name][0], pdfs[name]) for name in decks}


@pytest.mark.slow
@needs_soffice
def test_no_character_outside_its_slide_when_rendered(
    rendered: dict[str, tuple[Plan, Path]],
) -> None:
    for name, (plan, pdf) in rendered.items():
        assert overflow_problems(pdf) == [], name
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "LiberationSans" in fonts, name
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert f"Pages:           {len(plan.slides)}" in pages, name


@pytest.mark.slow
@needs_soffice
def test_rendered_lines_break_and_sit_where_the_plan_says(
    rendered: dict[str, tuple[Plan, Path]],
) -> None:
    """The handout draws the plan; the deck, as LibreOffice renders it, must look the same:
    every paragraph has the plan's lines, with the plan's words, within 2 pt of their tops."""
    for name, (plan, pdf) in rendered.items():
        problems = line_problems(plan, pdf)
        assert problems == [], (name, len(problems), problems[:12])


_SPACES = re.compile(f"[{BREAKABLE}\u00a0\u202f]+")


def _words(text: str) -> list[str]:
    return [w for w in _SPACES.split(text) if w]


def _rendered_words(pdf: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page: (word, left, right, baseline); pdftotext sets a word's box 0.95 of the size
    above its baseline and 0.35 below."""
    require("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for _, _, body in _PAGE.findall(out):
        words = []
        for x0, y0, x1, y1, text in _WORD.findall(body):
            size = (float(y1) - float(y0)) / 1.3
            words.append((html.unescape(text), float(x0), float(x1), float(y0) + 0.95 * size))
        pages.append(words)
    return pages


def _planned_lines(
    box: TextBox, fonts: FontFiles
) -> list[tuple[Paragraph, list[tuple[str, float]]]]:
    """Each paragraph of a text box with its lines' texts and baselines, as the plan places
    them (anchored in the box like the handout draws them), in the paragraph's family."""
    inner_h = box.h - 2 * box.inset
    height = blocks_height(box.paragraphs)
    top = box.y + box.inset
    if box.anchor == "middle":
        top += (inner_h - height) / 2
    elif box.anchor == "bottom":
        top += inner_h - height
    out = []
    for p, tops in zip(box.paragraphs, line_tops(box.paragraphs, top), strict=True):
        base = first_baseline(p, fonts.of(p.heading_font).ascent)
        lines = ["".join(r.text for r in line.runs) for line in p.lines]
        out.append((p, [(text, t + base) for text, t in zip(lines, tops, strict=True)]))
    return out


def line_problems(plan: Plan, pdf: Path, tolerance: float = 2.0) -> list[str]:
    """Every paragraph of every text box whose rendered lines differ from the plan's."""
    problems = []
    for slide, words in zip(plan.slides, _rendered_words(pdf), strict=True):
        for box in (sh for sh in slide.shapes if isinstance(sh, TextBox)):
            left = box.x + min((p.indent - (p.hang or 0.0) for p in box.paragraphs), default=0)
            inside = [
                w
                for w in words
                if w[1] >= left - 1
                and w[2] <= box.x + box.w + 1
                and box.y - 2 <= w[3] <= box.y + box.h + 60
            ]
            rows: list[tuple[float, list[str]]] = []  # rendered lines: baseline, words
            for text, _, _, base in sorted(inside, key=lambda w: (round(w[3]), w[1])):
                if rows and abs(rows[-1][0] - base) < 1.0:
                    rows[-1][1].extend(_words(text))
                else:
                    rows.append((base, _words(text)))
            for p, lines in _planned_lines(box, plan.fonts):
                # the rendered lines holding this paragraph's words, in order
                wanted = sum((_words(t) for t, _ in lines), [])
                got: list[tuple[float, list[str]]] = []
                while rows and len(sum((g for _, g in got), [])) < len(wanted):
                    base, ws = rows.pop(0)
                    if not got and p.bullet and ws and ws[0] == p.bullet:
                        ws = ws[1:]
                    if not got and (not ws or ws[0] != wanted[0]):
                        continue  # text of another box that crosses this one's area
                    got.append((base, ws))
                where = f"{slide.id} {box.name!r} {_words(lines[0][0])[:3]}"
                if [g for _, g in got] != [_words(t) for t, _ in lines]:
                    problems.append(
                        f"{where}: plan {[t for t, _ in lines]}, rendered {[g for _, g in got]}"
                    )
                    continue
                for n, ((_, planned), (base, _)) in enumerate(zip(lines, got, strict=True)):
                    if n and all(r.href for r in p.lines[n].runs):
                        continue  # LibreOffice sets a link's wrapped lines at single spacing
                    if abs(base - planned) > tolerance:
                        problems.append(f"{where}: baseline {base:.1f}, plan {planned:.1f}")
    return problems



def test_decorative_shapes_are_marked_for_screen_readers(
    seed_decks: dict[str, tuple[Any, Plan, bytes]],
) -> None:
    """Rules, bars, dots and panels are marked decorative (PowerPoint's accessibility checker
    asks alternative text only of meaningful objects); text boxes are not."""
    from lxml import etree

    _, _, data = seed_decks["en"]
    decorative = meaningful = 0
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            marked = b"decorative" in etree.tostring(shape._element)
            if shape.name == "Section number":  # a divider's large "01": ornament
                assert marked
            elif shape.has_text_frame and shape.text_frame.text.strip():
                assert not marked, shape.name
                meaningful += 1
            elif shape.shape_type in (MSO_SHAPE_TYPE.AUTO_SHAPE, MSO_SHAPE_TYPE.LINE):
                assert marked, shape.name
                decorative += 1
    assert decorative > 20 and meaningful > 50


def test_a_theme_logo_and_footer_reach_the_deck(tmp_path: Path) -> None:
    """A theme's logo is drawn on the cover with the institution as its alternative text,
    and its footer text replaces the course name at the foot of content slides."""
    from PIL import Image

    from slidegen.read.outline import read_outline
    from slidegen.resolve.edition import resolve

    Image.new("RGB", (400, 160), "white").save(tmp_path / "logo.png")
    (tmp_path / "theme.yaml").write_text(
        "base: default\nlogo: logo.png\ninstitution: Organization of American States\n"
        "footer: OAS course\n",
        encoding="utf-8",
    )
    source = tmp_path / "class.yaml"
    text = SEED.read_text(encoding="utf-8").replace("style: abnt", "style: abnt\ntheme: theme.yaml")
    source.write_text(text, encoding="utf-8")
    edition = resolve(read_outline(source), source)
    _, data = build(edition)
    slides = list(Presentation(io.BytesIO(data)).slides)
    pictures = [s for s in slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0]._element.xpath("./*[1]/p:cNvPr/@descr") == [
        "Organization of American States"
    ]
    footers = [s.text_frame.text for s in slides[3].shapes if s.has_text_frame]
    assert "OAS course" in footers
