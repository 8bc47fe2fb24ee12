"""The slides as PDF: one page per slide at the slide's size, vector, linked, bookmarked."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import require
from slidegen.build.run import build
from slidegen.layout.slides import layout as lay_out
from slidegen.markup import Run, runs_text
from slidegen.plan import Plan, TableShape, TextBox
from slidegen.read.outline import read_outline
from slidegen.read.theme import load_theme
from slidegen.resolve.edition import resolve
from slidegen.write.slides_pdf import slides_pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
LINK = "https://www.oas.org/en/"


@cache
def _plan(language: str = "en") -> Plan:
    from slidegen.i18n.merge import edition_outline

    outline = read_outline(SEED) if language == "en" else edition_outline(SEED, language)[0]
    edition = resolve(outline, SEED, language)
    # one clickable link in the references, so that links are tested
    link = (Run("Organization of American States. "), Run(LINK, href=LINK))
    edition = replace(edition, bibliography=(*edition.bibliography, link))
    return lay_out(edition, load_theme(None, SEED.parent))


@cache
def _pdf(language: str = "en") -> bytes:
    return slides_pdf_bytes(_plan(language))


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _links(plan: Plan) -> list[str]:
    """Every link of the plan's text, in slide order."""
    out: list[str] = []
    for slide in plan.slides:
        for shape in slide.shapes:
            boxes = (
                [shape]
                if isinstance(shape, TextBox)
                else [c for row in shape.cells for c in row] if isinstance(shape, TableShape)
                else []
            )
            out += [
                run.href
                for box in boxes
                for p in box.paragraphs
                for line in p.lines
                for run in line.runs
                if run.href and run.text
            ]
    return out


@pytest.mark.parametrize("language", ["en", "pt", "es", "fr"])
def test_one_page_per_slide_at_the_slides_size(language: str) -> None:
    plan = _plan(language)
    pages = _reader(_pdf(language)).pages
    assert len(pages) == len(plan.slides)
    for page in pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == (plan.width, plan.height)


def test_every_slide_title_is_text_on_its_page(tmp_path: Path) -> None:
    require("pdftotext")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(_pdf())
    for n, slide in enumerate(_plan().slides, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
        first_word = slide.title.split()[0]
        assert first_word in text, (slide.id, text[:200])


def test_fonts_are_embedded_and_there_are_no_images_of_text() -> None:
    reader = _reader(_pdf())
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert "/FontFile2" in desc
        xobjects = page["/Resources"].get("/XObject", {})
        assert not xobjects  # the seed has no pictures: every slide is vector


def test_bookmarks_hold_each_section_with_its_slides() -> None:
    plan = _plan()
    outline = _reader(_pdf()).outline
    top = [item for item in outline if not isinstance(item, list)]
    titles = [str(item.title) for item in top]
    sections = [runs_text(s.title) for s in plan.sections]
    for section in sections:
        assert section in titles
    nested = [item for item in outline if isinstance(item, list)]
    assert len(nested) == len(sections)
    count = len(top) - len(sections) + sum(len(n) for n in nested)
    assert count == len(plan.slides)
    assert titles[0] == f"1. {plan.slides[0].title}"


def test_links_are_live() -> None:
    plan = _plan()
    uris: list[str] = []
    for page in _reader(_pdf()).pages:
        for annot in page.get("/Annots", []):
            a: Any = annot.get_object()
            assert a["/Subtype"] == "/Link"
            uris.append(str(a["/A"]["/URI"]))
    expected = _links(plan)
    assert LINK in expected
    assert uris == expected


def test_metadata_names_the_class_and_its_language() -> None:
    reader = _reader(_pdf("pt"))
    assert reader.metadata is not None
    assert reader.metadata.title == runs_text(_plan("pt").info.title)
    assert str(reader.trailer["/Root"]["/Lang"]) == "pt-BR"


def test_rebuilds_are_byte_identical() -> None:
    plan = _plan("fr")
    assert slides_pdf_bytes(plan) == slides_pdf_bytes(plan)


def test_qpdf_finds_no_errors(tmp_path: Path) -> None:
    require("qpdf")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(_pdf("es"))
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_makes_the_slides_pdf_beside_the_handout(tmp_path: Path) -> None:
    src = tmp_path / "source"
    src.mkdir()
    (src / SEED.name).write_bytes(SEED.read_bytes())
    report = build([src], out=tmp_path / "build", formats=("slides",), jobs=1)
    expected = tmp_path / "build" / "en" / "inter-american-cooperation-slides.pdf"
    assert report.built == (expected,)
    assert expected.read_bytes()[:5] == b"%PDF-"
    assert len(_reader(expected.read_bytes()).pages) == len(_plan().slides)
