"""Layout stage: measured fitting, continuation slides, warnings, generated slides, themes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slidegen.errors import OutlineError
from slidegen.fonts import font_files, font_name, missing_glyphs, text_width
from slidegen.layout.slides import layout
from slidegen.layout.text import SAFETY, Block, break_lines, fit_blocks, sentences
from slidegen.markup import Run
from slidegen.plan import Paragraph, Plan, TableShape, TextBox
from slidegen.read.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"


def text_of(paragraph: Paragraph) -> str:
    return "".join(r.text for r in paragraph.runs)


def boxes(plan: Plan) -> list[tuple[str, TextBox]]:
    return [(s.id, sh) for s in plan.slides for sh in s.shapes if isinstance(sh, TextBox)]


def slide_text(plan: Plan, slide_id: str) -> str:
    slide = next(s for s in plan.slides if s.id == slide_id)
    return " ".join(
        text_of(p) for sh in slide.shapes if isinstance(sh, TextBox) for p in sh.paragraphs
    )


@pytest.fixture(scope="module")
def stress_plan(stress_edition: Callable[[str], Any]) -> Plan:
    edition = stress_edition("en")
    return layout(edition, load_theme(None, edition.base_dir))


# ---------------------------------------------------------------- fonts and measuring


def test_bundled_font_is_liberation_sans_named_arial() -> None:
    files = font_files().body
    assert files.deck_name == "Arial" and font_files().heading == files
    for path in (files.regular, files.bold, files.italic, files.bold_italic):
        assert Path(path).is_file() and "LiberationSans" in Path(path).name
    assert (
        (Path(files.regular).parent / "LICENSE-LiberationSans.txt")
        .read_text()
        .count("SIL OPEN FONT LICENSE")
    )
    assert font_name(True, True) == "SlidegenSans-BoldItalic"


def test_bold_text_measures_wider_than_regular() -> None:
    assert text_width("Organization", 20, bold=True) > text_width("Organization", 20)
    assert text_width("Organization", 40) == pytest.approx(2 * text_width("Organization", 20))


def test_missing_glyphs_are_named() -> None:
    assert missing_glyphs("Olá, ação! 😀 中") == "😀中"


def test_symbols_the_font_lacks_fall_back_to_dejavu_sans_and_scripts_do_not() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from slidegen.fonts import FALLBACK_FONT, fallback_name, segments

    assert FALLBACK_FONT == "DejaVu Sans"
    license_text = (Path(font_files().body.regular).parent / "LICENSE-DejaVuSans.txt").read_text()
    assert (
        "Bitstream Vera Fonts Copyright" in license_text and "Arev Fonts Copyright" in license_text
    )
    assert segments("A ⇒ B ∀x") == (
        ("A ", False),
        ("⇒", True),
        (" B ", False),
        ("∀", True),
        ("x", False),
    )
    assert segments("plain → text") == (("plain → text", False),)  # Liberation Sans has →
    assert missing_glyphs("⇒ ∀ ✓ ★ ① ⟶ ℕ") == ""
    assert missing_glyphs("⇒ 😀 中 منظمة") == "😀中منظة"  # emoji, CJK and Arabic keep the warning
    # measured with the font that draws them: a fallback symbol is as wide as in DejaVu Sans
    assert text_width("⇒", 20) == pytest.approx(stringWidth("⇒", fallback_name(), 20))
    assert text_width("a⇒", 20, bold=True) == pytest.approx(
        text_width("a", 20, bold=True) + stringWidth("⇒", fallback_name(True), 20)
    )


def test_lines_never_exceed_the_width() -> None:
    runs = (Run("Crime is "), Run("organized", bold=True), Run(" and transnational, " * 8))
    lines, whole = break_lines(runs, 24, 300)
    assert whole and len(lines) > 3
    assert all(line.width <= 300 for line in lines)
    assert (
        " ".join("".join(r.text for r in line.runs) for line in lines).split()
        == "".join(r.text for r in runs).split()
    )


def test_an_unbreakable_word_is_broken_only_when_shrinking_is_not_enough() -> None:
    # a word that fits whole once shrunk is shrunk for, not broken
    word = "https://example.org/" + "x" * 12
    fit = fit_blocks([Block((Run(word),))], 400, 200, 28, 16)
    assert fit.fits and not fit.broken and 16 < fit.size < 28
    # an address too long even at the smallest size does not drive the text to it: it is
    # broken at the largest size that fits
    url = "https://example.org/" + "x" * 80
    fit = fit_blocks([Block((Run(url),)), Block((Run("And a short point."),))], 400, 200, 28, 16)
    assert fit.fits and fit.broken and fit.size == 28
    assert all(line.width <= 400 for p in fit.paragraphs for line in p.lines)


def test_sentences_split_only_between_sentences() -> None:
    parts = sentences(
        (Run("First one, p. 3 here. Second "), Run("bold", bold=True), Run(". Third"))
    )
    assert ["".join(r.text for r in s) for s in parts] == [
        "First one, p. 3 here.",
        "Second bold.",
        "Third",
    ]


def _texts(lines: Any) -> list[str]:
    return ["".join(r.text for r in line.runs) for line in lines]


NNBSP, NBSP = "\u202f", "\u00a0"
FRENCH = (
    f"La question{NNBSP}: la coopération entre les États membres{NNBSP}; "
    f"le «{NNBSP}système interaméricain{NNBSP}» et ses 10{NBSP}000{NBSP}agents{NNBSP}! "
) * 3


@pytest.mark.parametrize("width", range(90, 420, 7))
def test_no_break_spaces_never_break_a_line(width: int) -> None:
    lines, whole = break_lines((Run(FRENCH),), 20, width)
    texts = _texts(lines)
    for text in texts:
        # no line begins or ends at a no-break space, nor starts with punctuation that
        # belongs to the word before it
        assert text[:1] not in (NNBSP, NBSP, ":", ";", "!", "»"), texts
        assert text[-1:] not in (NNBSP, NBSP, "«"), texts
    # the words joined by no-break spaces stay together on one line (unless even they are
    # too long for it, and had to be broken between characters)
    assert not whole or any(f"10{NBSP}000{NBSP}agents" in t for t in texts)
    assert not whole or " ".join(texts).split(" ") == FRENCH.strip().split(" ")


@pytest.mark.parametrize("width", range(60, 300, 11))
def test_a_plain_space_before_a_colon_does_not_break_either(width: int) -> None:
    block = Block((Run("Objectif : réduire la violence ; renforcer « la » coopération ! "),))
    fit = fit_blocks([block], width / 0.95, 1000, 20, 20)
    texts = _texts(fit.paragraphs[0].lines)
    assert all(t[:1] not in ":;!»" for t in texts), texts
    assert all(t[-1:] != "«" for t in texts), texts
    # the space the layout kept is written as a no-break space, so renderers keep it too
    assert "Objectif\u00a0:" in "".join(r.text for r in fit.paragraphs[0].runs)


def test_lines_break_after_hyphens_as_renderers_do_but_never_inside_links() -> None:
    lines, _ = break_lines((Run("aaa Inter-American system"),), 20, 100)
    assert _texts(lines)[:2] == ["aaa Inter-", "American"]
    url = "https://oas.org/very-long-path"
    width = text_width(url, 20) + 4
    lines, _ = break_lines((Run("See "), Run(url, href=url)), 20, width)
    assert _texts(lines) == ["See", url]


# ---------------------------------------------------------------- the stress outline


def test_every_line_fits_its_frame(stress_plan: Plan) -> None:
    for slide_id, box in boxes(stress_plan):
        inner = box.w - 2 * box.inset
        height = 0.0
        for i, p in enumerate(box.paragraphs):
            for n, line in enumerate(p.lines):
                extra = p.hang if p.hang and not p.bullet and n == 0 else 0.0
                limit = (inner - p.indent) * SAFETY + extra + 0.01
                assert line.width <= limit, (slide_id, box.name)
            height += (p.space_before if i else 0) + p.size * p.line_spacing * len(p.lines)
        assert height <= box.h - 2 * box.inset + 0.01, (slide_id, box.name, height, box.h)


def test_every_shape_lies_inside_the_slide(stress_plan: Plan) -> None:
    for slide in stress_plan.slides:
        for sh in slide.shapes:
            if isinstance(sh, TextBox | TableShape):
                assert sh.x >= 0 and sh.y >= 0, (slide.id, sh.name)
                assert sh.x + sh.w <= stress_plan.width + 0.01, (slide.id, sh.name)
                assert sh.y + sh.h <= stress_plan.height + 0.01, (slide.id, sh.name)


def test_too_many_points_continue_on_titled_slides(stress_plan: Plan) -> None:
    parts = [s for s in stress_plan.slides if s.id.split("#")[0] == "many-bullets"]
    assert len(parts) > 1
    assert parts[0].title == "A slide with far too many points"
    assert parts[1].title.endswith("(continued)")
    # a third part and later ones say which part they are: no two slides share a title
    assert [s.title for s in parts[2:]] == [
        f"A slide with far too many points (continued, part {n})" for n in range(3, len(parts) + 1)
    ]
    assert [s.part for s in parts] == list(range(1, len(parts) + 1))
    assert {s.parts for s in parts} == {len(parts)}
    # every point appears exactly once, whole, and sub-points stay with their point
    text = " ".join(slide_text(stress_plan, s.id) for s in parts)
    for i in range(1, 19):
        assert text.count(f"Point {i}:") == 1
    for s in parts:
        first = next(sh for sh in s.shapes if isinstance(sh, TextBox) and sh.role == "body")
        assert first.paragraphs[0].level == 0
    # the speaker notes stay with the first part
    assert parts[0].notes and not parts[1].notes
    warned = [w for w in stress_plan.warnings if w.slide == "many-bullets"]
    assert warned and all(w.severity == "warning" for w in warned)
    assert any("continues" in w.message for w in warned)


def test_numbering_continues_on_the_next_slide(stress_plan: Plan) -> None:
    parts = [s for s in stress_plan.slides if s.id.split("#")[0] == "many-numbers"]
    numbers = [
        p.bullet
        for s in parts
        for sh in s.shapes
        if isinstance(sh, TextBox) and sh.role == "body"
        for p in sh.paragraphs
        if p.level == 0
    ]
    assert numbers == [f"{i}." for i in range(1, 15)]


def test_prose_continues_between_sentences(stress_plan: Plan) -> None:
    parts = [s for s in stress_plan.slides if s.id.split("#")[0] == "long-prose"]
    assert len(parts) > 1
    for s in parts:
        body = " ".join(
            text_of(p)
            for sh in s.shapes
            if isinstance(sh, TextBox) and sh.role == "body"
            for p in sh.paragraphs
        )
        assert re.match(r"^Sentence \d\.\d ", body), body[:40]
        assert body.endswith(".")


def test_lower_levels_are_smaller(stress_plan: Plan) -> None:
    slide = next(s for s in stress_plan.slides if s.id == "many-bullets")
    body = next(sh for sh in slide.shapes if isinstance(sh, TextBox) and sh.role == "body")
    top = {p.size for p in body.paragraphs if p.level == 0}
    sub = {p.size for p in body.paragraphs if p.level == 1}
    assert len(top) == 1 and len(sub) == 1 and sub.pop() < top.pop()


def test_tables_repeat_their_header_when_continued(stress_plan: Plan) -> None:
    tables = [
        sh
        for s in stress_plan.slides
        if s.id.startswith("big-table")
        for sh in s.shapes
        if isinstance(sh, TableShape)
    ]
    assert len(tables) > 1
    rows = 0
    for t in tables:
        assert text_of(t.cells[0][0].paragraphs[0]) == "Country"
        assert sum(t.row_heights) == pytest.approx(t.h, abs=0.01)
        rows += len(t.cells) - 1
    assert rows == 30


def test_shrinking_and_missing_glyphs_are_warnings_naming_the_slide(stress_plan: Plan) -> None:
    by_slide = {w.slide: w for w in stress_plan.warnings}
    shrunk = [w for w in stress_plan.warnings if "shrunk" in w.message]
    assert shrunk and all(w.slide for w in shrunk)
    # a shrink of 2 pt or less is a note (counted), a larger one a warning saying what to do
    assert all((w.severity == "note") == (w.hint is None) for w in shrunk)
    assert all(w.hint for w in shrunk if w.severity == "warning")
    assert "😀" in by_slide["emoji"].message
    # an address too long for any size is broken, and does not shrink its slide
    assert "url" not in {w.slide for w in shrunk}
    [url] = [s for s in stress_plan.slides if s.id == "url"]
    body = [sh for sh in url.shapes if isinstance(sh, TextBox) and sh.name == "Content"]
    assert body[0].paragraphs[0].size == 26


def test_generated_slides(stress_plan: Plan) -> None:
    ids = [s.id for s in stress_plan.slides]
    assert ids[0] == "cover" and ids[1] == "agenda" and ids[-1] == "summary"
    assert "s1" in ids and "s2" in ids
    agenda = slide_text(stress_plan, "agenda")
    assert "Everything at once" in agenda and "A second section" in agenda
    cover = slide_text(stress_plan, "cover")
    assert "May 6, 2024" in cover and "Someone" in cover and "Some institution" in cover
    assert [s.number for s in stress_plan.slides] == list(range(1, len(ids) + 1))
    total = len(ids)
    assert f"3 / {total}" not in slide_text(stress_plan, "s1")  # dividers carry no number
    assert f"2 / {total}" in slide_text(stress_plan, "agenda")


def test_references_hang_and_never_split_an_entry_that_fits_a_slide(
    stress_edition: Callable[[str], Any],
) -> None:
    from dataclasses import replace

    entries = tuple(
        (
            Run(f"AUTHOR {i}, Given. "),
            Run(f"A title of work number {i} about cooperation in the Americas", italic=True),
            Run(". " + "Washington, DC: Organization of American States, 2011. " * (1 + i % 3)),
        )
        for i in range(14)
    )
    edition = replace(stress_edition("en"), bibliography=entries)
    plan = layout(edition, load_theme(None, edition.base_dir))
    slides = [s for s in plan.slides if s.id.split("#")[0] == "references"]
    assert len(slides) > 1
    paragraphs = [
        p
        for s in slides
        for sh in s.shapes
        if isinstance(sh, TextBox) and sh.name == "Content"
        for p in sh.paragraphs
    ]
    # one paragraph per entry, each whole on its slide, in order
    assert [text_of(p) for p in paragraphs] == ["".join(r.text for r in e) for e in entries]
    for p in paragraphs:
        # a hanging indent: no bullet, the first line starts `hang` left of the others
        assert p.bullet is None and p.hang and p.indent >= p.hang > 0
        assert len(p.lines) > 1
    # each slide is filled: the next entry would not have fitted on it
    for s, nxt in zip(slides, slides[1:], strict=False):
        box = next(sh for sh in s.shapes if isinstance(sh, TextBox) and sh.name == "Content")
        first = next(sh for sh in nxt.shapes if isinstance(sh, TextBox) and sh.name == "Content")
        used = sum(p.size * p.line_spacing * len(p.lines) + p.space_before for p in box.paragraphs)
        p0 = first.paragraphs[0]
        extra = p0.size * p0.line_spacing * len(p0.lines) + p0.size * 0.7
        assert used + extra > box.h * 0.97 - 1


def test_continued_label_is_localized(stress_edition: Callable[[str], Any]) -> None:
    edition = stress_edition("pt")
    plan = layout(edition, load_theme(None, edition.base_dir))
    assert plan.language == "pt-BR"
    assert any(s.title.endswith("(continuação)") for s in plan.slides)
    assert any(s.title == "Agenda" for s in plan.slides)


def test_layout_is_a_pure_function(stress_edition: Callable[[str], Any]) -> None:
    edition = stress_edition("en")
    theme = load_theme(None, edition.base_dir)
    assert layout(edition, theme) == layout(edition, theme)


def test_four_by_three_theme(stress_edition: Callable[[str], Any]) -> None:
    edition = stress_edition("en")
    plan = layout(edition, load_theme("default-4x3", edition.base_dir))
    assert (plan.width, plan.height) == (720, 540)
    for slide_id, box in boxes(plan):
        assert box.x + box.w <= 720.01, slide_id


# ---------------------------------------------------------------- the seed class


@pytest.mark.skipif(not SEED.exists(), reason="the seed outline is not written yet")
def test_seed_fits_without_continuation() -> None:
    from slidegen.read.outline import read_outline
    from slidegen.resolve.edition import resolve

    outline = read_outline(SEED)
    edition = resolve(outline, SEED)
    plan = layout(edition, load_theme(outline.theme, SEED.parent))
    assert all(s.parts == 1 for s in plan.slides if s.kind != "references")
    assert all(s.title for s in plan.slides)
    assert not [w for w in plan.warnings if "below" in w.message or "continues" in w.message]


# ---------------------------------------------------------------- themes


def test_theme_errors_point_at_the_line(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "colors:\n  primary: navy\nsizes:\n  body: [12, 20]\nfonts: Arial\n", encoding="utf-8"
    )
    with pytest.raises(OutlineError) as err:
        load_theme("mine.yaml", tmp_path)
    text = str(err.value)
    assert "mine.yaml:2:12" in text and "RRGGBB" in text
    assert "mine.yaml:4:9" in text
    assert "mine.yaml:5:1" in text and "unknown theme key 'fonts'" in text


def test_theme_file_overrides_its_base(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "base: default-4x3\ncolors:\n  primary: '003366'\ninstitution: OAS\n", encoding="utf-8"
    )
    theme = load_theme("mine.yaml", tmp_path)
    assert theme.colors.primary == "003366" and theme.aspect == "4:3"
    assert (
        theme.institution == "OAS"
        and theme.colors.accent == load_theme(None, tmp_path).colors.accent
    )


def test_unknown_theme_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(OutlineError, match="unknown theme 'nope'"):
        load_theme("nope", tmp_path)
    (tmp_path / "bad.yaml").write_text("colors: [\n", encoding="utf-8")
    with pytest.raises(OutlineError, match=r"bad\.yaml:2:1"):
        load_theme("bad.yaml", tmp_path)


# ---------------------------------------------------------------- tables with hard text


def one_slide_plan(tmp_path: Path, slide: Any) -> Plan:
    """The plan of a class with one authored slide."""
    from slidegen.i18n.labels import labels
    from slidegen.read.model import Outline, Section
    from slidegen.resolve.edition import Edition

    outline = Outline(
        id="t",
        language="en",
        course="C",
        title="T",
        agenda=False,
        sections=(Section(id="s", title="S", slides=(slide,)),),
    )
    edition = Edition(
        outline=outline, language="en", source=tmp_path / "t.yaml", labels=labels("en")
    )
    return layout(edition, load_theme(None, tmp_path))


def table_cells(plan: Plan, slide_id: str) -> list[tuple[TableShape, int, list[Paragraph]]]:
    """(table, column, paragraphs) of every cell on the slide."""
    slide = next(s for s in plan.slides if s.id == slide_id)
    return [
        (sh, c, list(cell.paragraphs))
        for sh in slide.shapes
        if isinstance(sh, TableShape)
        for row in sh.cells
        for c, cell in enumerate(row)
    ]


@pytest.mark.parametrize(
    "word",
    [
        "Pneumono" + "ultramicroscopicsilicovolcanoconiosis" * 8,
        "https://www.oas.org/" + "/seg" * 90,
    ],
)
def test_a_word_wider_than_its_table_column_is_broken_and_reported(
    tmp_path: Path, word: str
) -> None:
    from slidegen.errors import Location
    from slidegen.read.model import Slide, Table, TableContent

    where = Location("t.yaml", 9, 9)
    table = Table(header=(word, "B"), rows=((word, "x"),))
    slide = Slide(id="wide", title="Wide", content=TableContent(table=table), loc=where)
    plan = one_slide_plan(tmp_path, slide)
    cells = table_cells(plan, "wide")
    assert cells, "the table is drawn"
    for table, c, paragraphs in cells:  # every line of every cell within its column
        for p in paragraphs:
            assert all(line.width <= table.col_widths[c] - 2 * table.cell_inset for line in p.lines)
    drawn = [
        "".join(r.text for line in p.lines for r in line.runs)
        for _, c, ps in cells
        if c == 0
        for p in ps
    ]
    assert drawn == [word, word], "no character is lost"
    [warning] = [w for w in plan.warnings if "broken" in w.message]
    assert warning.slide == "wide" and warning.loc == where


def test_a_table_row_taller_than_any_slide_is_an_error_naming_the_slide(tmp_path: Path) -> None:
    from slidegen.errors import LayoutError, Location
    from slidegen.read.model import Slide, Table, TableContent

    where = Location("t.yaml", 4, 7)
    long_cell = "Cooperation between the member States requires patience. " * 60
    slide = Slide(
        id="tall",
        title="Tall",
        content=TableContent(table=Table(header=("A", "B"), rows=((long_cell, long_cell),))),
        loc=where,
    )
    with pytest.raises(LayoutError) as caught:
        one_slide_plan(tmp_path, slide)
    [problem] = caught.value.problems
    assert problem.slide == "tall" and problem.loc == where
    assert "t.yaml:4:7: error: slide 'tall': a table row is too tall" in str(caught.value)


def test_missing_glyphs_in_tables_and_notes_are_reported_once_per_slide(tmp_path: Path) -> None:
    from slidegen.read.model import Slide, Table, TableContent

    rows = tuple((f"row {i} 🤝", "x") for i in range(40))  # continues on several slides
    slide = Slide(
        id="glyphs",
        title="Plain title",
        content=TableContent(table=Table(header=("米州機構", "B"), rows=rows)),
        notes="Notes in Arabic: منظمة",
    )
    plan = one_slide_plan(tmp_path, slide)
    assert len([s for s in plan.slides if s.id.startswith("glyphs")]) > 1
    [warning] = [w for w in plan.warnings if "glyph" in w.message]
    assert warning.slide == "glyphs"
    for ch in "米州機構🤝منظمة":
        assert ch in warning.message


def test_ink_saving_draws_dark_slides_light_and_everything_grey(stress_plan: Plan) -> None:
    from dataclasses import fields

    from slidegen.layout.ink import ink_saving, luminance
    from slidegen.plan import Line, Rect

    light = ink_saving(stress_plan)
    assert [s.id for s in light.slides] == [s.id for s in stress_plan.slides]
    colors: list[str] = [light.primary, light.accent]
    for before, after in zip(stress_plan.slides, light.slides, strict=True):
        if luminance(before.background) < 0.5:  # the cover and the dividers
            assert after.background == "FFFFFF"
            [title] = [sh for sh in after.shapes if isinstance(sh, TextBox) and sh.role == "title"]
            assert all(luminance(p.color) < 0.5 for p in title.paragraphs)  # readable on white
            grounds = [
                sh for sh in after.shapes if isinstance(sh, Rect) and sh.name == "Background"
            ]
            assert all(luminance(g.fill or "FFFFFF") > 0.85 for g in grounds)  # faint, not dark
        for sh in after.shapes:
            if isinstance(sh, TextBox):
                colors += [p.color for p in sh.paragraphs]
            elif isinstance(sh, Rect | Line):
                colors += [
                    getattr(sh, f.name)
                    for f in fields(sh)
                    if f.name in ("fill", "stroke", "color") and getattr(sh, f.name)
                ]
    assert colors and all(c[0:2] == c[2:4] == c[4:6] for c in colors)  # greys only
    assert stress_plan.slides[0].background != "FFFFFF"  # the deck's plan keeps its colours


def test_a_timeline_in_narrow_columns_shrinks_before_it_breaks_a_word() -> None:
    """Five events in a template's narrower frame: "Organisation" must not come out as
    "Organisatio" / "n"; the texts are set smaller until every word fits whole."""
    from slidegen.layout.draft import FLOOR
    from slidegen.layout.shapes import Frame, Geometry, timeline_shapes

    texts = [
        "Organisation panaméricaine de la Santé",
        "Comité juridique interaméricain",
        "Commission interaméricaine des femmes",
        "Organisation interaméricaine de défense",
        "Charte de l’Organisation des États Américains",
    ]
    events = [((Run(str(1900 + i)),), (Run(t),)) for i, t in enumerate(texts)]
    geometry = Geometry(load_theme("default", Path(".")))
    timeline = timeline_shapes(geometry, Frame(150, 120, 560, 300), events, FLOOR)
    words = {w for t in texts for w in t.split()}
    lines = [
        "".join(run.text for run in line.runs)
        for sh in timeline.shapes
        if isinstance(sh, TextBox) and sh.name.startswith("Event")
        for p in sh.paragraphs
        for line in p.lines
    ]
    assert lines, "the events' texts are laid out"
    for line in lines:
        for word in line.split():
            assert word in words, (word, line)


def test_table_text_reads_on_its_cells_under_a_dark_templates_light_text() -> None:
    """A dark template (Piano: black slides, white text, white as its primary colour) must
    not put white text on the table's white cells: every cell's text reads (WCAG AA) on its
    own fill."""
    from dataclasses import replace

    from slidegen.layout.legible import AA, contrast
    from slidegen.layout.shapes import Frame, Geometry, table_shape

    theme = load_theme("default", Path("."))
    dark = replace(
        theme.colors, text="FFFFFF", background="000000", primary="FFFFFF", on_primary="FFFFFF"
    )
    geometry = Geometry(replace(theme, colors=dark))
    header = [(Run("Operations"),), (Run("Results"),)]
    rows = [[(Run("Officials trained"),), (Run("More than 1000"),)]] * 4
    pages = table_shape(geometry, Frame(40, 100, 700, 300), header, rows, None, (24.0, 14.0))
    tables = [sh for part in pages.parts for sh in part if isinstance(sh, TableShape)]
    assert tables
    for table in tables:
        for row in table.cells:
            for cell in row:
                for paragraph in cell.paragraphs:
                    assert cell.fill is not None
                    assert contrast(paragraph.color, cell.fill) >= AA, (paragraph.color, cell.fill)
