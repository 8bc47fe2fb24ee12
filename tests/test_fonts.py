"""Metric twins: each family a deck names is measured and drawn with its bundled twin — a
template's Calibri body and Cambria headings, a theme's Times New Roman — and a family with no
known twin is named, measured conservatively and said once."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from conftest import require
from slidegen.api import edition, make_plan
from slidegen.api import render as render_plan
from slidegen.fonts import FONT_DIR, text_width, twin_of
from slidegen.fonts.twins import TWINS
from slidegen.plan import Plan, TextBox
from test_deck import SEED, line_problems, needs_seed, needs_soffice, overflow_problems, render
from test_template import _template

THEME_PART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def test_every_family_a_deck_names_has_its_bundled_twin_with_its_license() -> None:
    expected = {
        "Arial": "Liberation Sans",
        "helvetica": "Liberation Sans",
        "Calibri": "Carlito",
        "Cambria": "Caladea",
        "Times New Roman": "Liberation Serif",
        " Tinos ": "Liberation Serif",
        "Courier New": "Liberation Mono",
        "Cousine": "Liberation Mono",
    }
    for name, family in expected.items():
        twin = twin_of(name)
        assert twin is not None and twin.family == family, name
    assert twin_of("Segoe UI") is None
    for twin in TWINS:
        for file in twin.files:
            assert (FONT_DIR / file).is_file(), file
        stem = twin.files[1].split("-")[0]
        license_text = (FONT_DIR / f"LICENSE-{stem}.txt").read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE" in license_text or "Bitstream Vera" in license_text
    # a twin has the metrics of its family: Carlito is narrower than Liberation Sans
    assert text_width("Organization", 20, twin="Carlito") < text_width("Organization", 20)


def _institution(path: Path, heading: str, body: str) -> Path:
    """The test template with `heading` as its theme's major font and `body` as its minor."""
    _template(path)
    prs = Presentation(str(path))
    theme = prs.slide_master.part.part_related_by(THEME_PART)
    blob = theme.blob
    major, minor = blob.index(b"<a:majorFont>"), blob.index(b"<a:minorFont>")
    old = b'<a:latin typeface="Calibri"/>'
    assert blob.index(old, major) < minor
    major_fonts = blob[major:minor].replace(old, f'<a:latin typeface="{heading}"/>'.encode(), 1)
    minor_fonts = blob[minor:].replace(old, f'<a:latin typeface="{body}"/>'.encode(), 1)
    blob = blob[:major] + major_fonts + minor_fonts
    theme._blob = blob
    prs.save(str(path))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the seed class in a project folder, the working directory."""
    if not SEED.exists():
        pytest.skip("the seed outline is not written yet")
    shutil.copytree(SEED.parent, tmp_path / "source")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def _with_theme(project: Path, theme: str) -> Path:
    """The seed outline in the project, on the theme file `theme` (its text)."""
    (project / "source" / "theme.yaml").write_text(theme, encoding="utf-8")
    outline = Path("source") / SEED.name
    text = outline.read_text(encoding="utf-8")
    if "theme: theme.yaml" not in text:
        outline.write_text(text.replace("style: abnt", "style: abnt\ntheme: theme.yaml"), "utf-8")
    return outline


def _typefaces(data: bytes, slide: int) -> set[str]:
    prs = Presentation(io.BytesIO(data))
    return {latin.get("typeface") for latin in prs.slides[slide]._element.iter(qn("a:latin"))}


def _pdffonts(pdf: Path) -> str:
    require("pdffonts")
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout


@pytest.mark.slow
@needs_soffice
@needs_seed
def test_a_template_in_calibri_and_cambria_measures_and_draws_with_their_twins(
    project: Path,
) -> None:
    from slidegen.cli import main

    _institution(project / "source" / "brand.pptx", heading="Cambria", body="Calibri")
    outline = _with_theme(project, "base: default\ntemplate: brand.pptx\n")
    assert main(["build", "source", "--lang", "en", "--format", "pptx,pdf", "-q"]) == 0
    plan = make_plan(edition(outline, "en"))
    assert (plan.fonts.body.deck_name, plan.fonts.body.twin) == ("Calibri", "Carlito")
    assert (plan.fonts.heading.deck_name, plan.fonts.heading.twin) == ("Cambria", "Caladea")
    assert not [w for w in plan.warnings if "twin" in w.message]
    built = project / "build" / "en"
    data = (built / f"{SEED.stem}.pptx").read_bytes()
    assert data == render_plan(plan, "pptx")
    # the deck names the template's families, as PowerPoint has them: titles in Cambria
    content = [s.id for s in plan.slides].index("organized-crime")
    assert _typefaces(data, content) == {"Cambria", "Calibri"}
    title = Presentation(io.BytesIO(data)).slides[content].shapes.title
    assert {r.font.name for p in title.text_frame.paragraphs for r in p.runs} == {"Cambria"}
    # LibreOffice draws them with the twins: nothing overflows, lines break where planned, in
    # English and in Portuguese (longer)
    plans = {"en": plan, "pt": make_plan(edition(outline, "pt"))}
    (project / "rendered").mkdir()
    decks = {lang: render_plan(p, "pptx") for lang, p in plans.items()}
    for lang, pdf in render(decks, project / "rendered").items():
        assert overflow_problems(pdf) == [], lang
        assert line_problems(plans[lang], pdf) == [], lang
        fonts = _pdffonts(pdf)
        assert "Carlito" in fonts and "Caladea" in fonts and "Liberation" not in fonts, lang
    # the handout embeds the twins the layout measured with
    handout = _pdffonts(built / f"{SEED.stem}-handout.pdf")
    assert "Carlito" in handout and "Caladea" in handout
    assert all(" yes " in line for line in handout.splitlines()[2:] if line.strip())


@needs_seed
def test_a_theme_in_times_new_roman_measures_with_liberation_serif(project: Path) -> None:
    outline = _with_theme(project, "base: default\nfont: Times New Roman\n")
    plan = make_plan(edition(outline, "en"))
    assert plan.fonts.body == plan.fonts.heading
    assert plan.fonts.body.twin == "Liberation Serif"
    assert Path(plan.fonts.body.regular).name == "LiberationSerif-Regular.ttf"
    assert not [w for w in plan.warnings if "twin" in w.message or "font" in w.message]
    # every line is as wide as Liberation Serif sets it, and the deck names Times New Roman
    box = next(
        sh
        for s in plan.slides
        if s.id == "organized-crime"
        for sh in s.shapes
        if isinstance(sh, TextBox) and sh.name == "Content"
    )
    for p in box.paragraphs:
        for line in p.lines:
            text = "".join(r.text for r in line.runs)
            if all(not r.bold and not r.italic for r in line.runs) and not p.bold:
                serif = text_width(text, p.size, twin="Liberation Serif")
                assert line.width == pytest.approx(serif, abs=0.01)
    data = render_plan(plan, "pptx")
    assert _typefaces(data, 3) == {"Times New Roman"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"Times New Roman" in z.read("ppt/theme/theme1.xml")
    # a heading family of its own: titles named and measured in it, the theme's major font
    _with_theme(project, "base: default\nfont: Times New Roman\nheading_font: Cambria\n")
    plan = make_plan(edition(outline, "en"))
    assert (plan.fonts.body.twin, plan.fonts.heading.twin) == ("Liberation Serif", "Caladea")
    data = render_plan(plan, "pptx")
    assert _typefaces(data, 3) == {"Times New Roman", "Cambria"}
    title = Presentation(io.BytesIO(data)).slides[3].shapes.title
    assert {r.font.name for p in title.text_frame.paragraphs for r in p.runs} == {"Cambria"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b'<a:majorFont><a:latin typeface="Cambria"/>' in z.read("ppt/theme/theme1.xml")


def _font_warnings(plan: Plan) -> list[str]:
    return [str(w) for w in plan.warnings if "twin" in w.message]


@needs_seed
def test_a_family_with_no_known_twin_is_named_measured_wider_and_said_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from slidegen.cli import main

    outline = _with_theme(project, "base: default\nfont: Segoe UI\n")
    plan = make_plan(edition(outline, "en"))
    [warning] = _font_warnings(plan)
    assert warning.startswith(str(Path("source") / "theme.yaml") + ": warning:")
    assert "'Segoe UI'" in warning and "Calibri" in warning  # what to use instead
    assert plan.fonts.body.twin == "DejaVu Sans" and not plan.fonts.body.exact
    # measured conservatively: wider than Arial's twin would measure it
    box = next(
        sh
        for s in plan.slides
        if s.id == "organized-crime"
        for sh in s.shapes
        if isinstance(sh, TextBox) and sh.name == "Content"
    )
    line = box.paragraphs[0].lines[0]
    text = "".join(r.text for r in line.runs)
    assert line.width > 1.05 * text_width(text, box.paragraphs[0].size)
    assert _typefaces(render_plan(plan, "pptx"), 3) == {"Segoe UI"}
    # a template's font with no twin: one warning, at the template; the deck keeps its name
    _institution(project / "source" / "brand.pptx", heading="Gill Sans MT", body="Gill Sans MT")
    outline = _with_theme(project, "base: default\ntemplate: brand.pptx\n")
    plan = make_plan(edition(outline, "en"))
    [warning] = _font_warnings(plan)
    assert warning.startswith(str(Path("source") / "brand.pptx") + ": warning:")
    assert "'Gill Sans MT'" in warning and "template's theme fonts" in warning
    assert _typefaces(render_plan(plan, "pptx"), 3) == {"Gill Sans MT"}
    assert main(["template", "check", "source/brand.pptx"]) == 0
    assert "Gill Sans MT (no metric twin: measured with DejaVu Sans" in capsys.readouterr().out
    # built in every language, the warning is printed once
    capsys.readouterr()
    assert main(["build", "source", "--format", "pptx"]) == 0
    printed = capsys.readouterr()
    assert (printed.out + printed.err).count("no metric twin is known") == 1
