"""The pipeline as users run it: from a project folder, relative paths, classes side by side."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

import slidegen
from slidegen.cli import main

PROJECT = Path(__file__).parent / "data" / "project"
SEED = Path(__file__).parents[1] / "source" / "inter-american-cooperation.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project folder, as the working directory (paths given as users give them)."""
    root = tmp_path / "course"
    shutil.copytree(PROJECT, root)
    monkeypatch.chdir(root)
    return root


def _build(*extra: str) -> None:
    assert main(["build", "source", "--out", "build", "--quiet", *extra]) == 0


def _handout(layout: str) -> Path:
    """The handout of a layout: the class's own (notes) is -handout.pdf, another has its own."""
    name = {"notes": "handout", "three": "handout-three", "reading": "reading"}[layout]
    return Path(f"build/en/port-controls-{name}.pdf")


def _images(pdf: Path) -> int:
    """How many pictures the PDF's pages draw (the same picture on two pages counts twice)."""
    count = 0
    for page in PdfReader(pdf).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


@pytest.mark.parametrize(("layout", "pictures"), [("notes", 3), ("three", 3), ("reading", 2)])
def test_pictures_and_the_logo_reach_every_handout_built_from_a_relative_folder(
    project: Path, layout: str, pictures: int
) -> None:
    _build("--layout", layout, "--format", "pdf")
    # the wide chart, the tall chart and (on the cover slide's miniature) the theme's logo
    assert _images(_handout(layout)) == pictures


def _outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                out.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return out


@pytest.mark.parametrize("layout", ["notes", "three"])
def test_a_section_title_with_markup_is_shown_as_text(project: Path, layout: str) -> None:
    _build("--layout", layout, "--format", "pdf")
    reader = PdfReader(_handout(layout))
    titles = [title for _, title in _outline_titles(reader)]
    assert "The Port as a Border" in titles
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The Port as a Border" in text.replace("\n", " ")
    assert "*" not in text and "\\*" not in "".join(titles)


def test_adjacent_sections_with_one_title_keep_their_own_bookmarks_and_links(
    project: Path,
) -> None:
    _build("--format", "pdf")
    reader = PdfReader("build/en/port-controls-handout.pdf")
    sections = [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if isinstance(item, Destination)
        and item.title in ("The Port as a Border", "Case studies")
    ]
    assert len(sections) == 3  # the two "Case studies" sections are not merged
    links = [
        reader.get_page_number(a.get_object()["/Dest"][0].get_object())
        for a in reader.pages[0].get("/Annots", [])
    ]
    # the cover's agenda: each section's line leads to that section's own page
    assert links[:3] == sections


def _deck_part(deck: Path, name: str) -> str:
    with zipfile.ZipFile(deck) as z:
        return z.read(name).decode("utf-8")


def test_the_themes_font_and_background_reach_the_deck(project: Path) -> None:
    _build("--format", "pptx")
    deck = Path("build/en/port-controls.pptx")
    content = _deck_part(deck, "ppt/slides/slide4.xml")  # "Seizures keep rising"
    assert "Seizures keep rising" in content
    assert re.search(r'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="F7F4EC"/>', content)
    assert 'typeface="Liberation Sans"' in content and "Arial" not in content


def test_changing_the_themes_logo_rebuilds_the_deck(project: Path) -> None:
    from PIL import Image

    _build("--format", "pptx")
    deck = Path("build/en/port-controls.pptx")
    before = deck.read_bytes()
    Image.new("RGB", (120, 60), (200, 16, 46)).save("source/img/logo.png")
    _build("--format", "pptx")
    after = deck.read_bytes()
    assert after != before
    with zipfile.ZipFile(io.BytesIO(after)) as z:
        sizes = [
            Image.open(io.BytesIO(z.read(n))).size
            for n in z.namelist()
            if n.startswith("ppt/media/")
        ]
    assert (120, 60) in sizes


def test_classes_side_by_side_build_from_one_relative_source_folder(project: Path) -> None:
    _build()
    built = sorted(p.name for p in Path("build/en").iterdir())
    for class_id in ("port-controls", "customs-basics"):
        assert f"{class_id}.pptx" in built
        assert f"{class_id}-handout.pdf" in built


def test_the_public_api_reads_lays_out_and_renders_from_relative_paths(project: Path) -> None:
    edition = slidegen.edition("source/port-controls.yaml")
    plan = slidegen.make_plan(edition)
    assert [s.number for s in plan.sections] == [1, 2, 3]
    assert [s.id for s in plan.sections] == ["ports", "case-one", "case-two"]
    pictures = [
        shape.path for slide in plan.slides for shape in slide.shapes if hasattr(shape, "alt")
    ]
    assert pictures and all(Path(p).is_absolute() and Path(p).is_file() for p in pictures)
    deck = slidegen.render(plan, "pptx")
    again = slidegen.make_plan(slidegen.edition("source/port-controls.yaml"))
    assert deck == slidegen.render(again)
    assert slidegen.render(plan, "three")[:5] == b"%PDF-"


@pytest.mark.parametrize("lang", ["en", "pt", "es", "fr"])
def test_the_deck_and_the_handout_name_one_language_tag(lang: str) -> None:
    plan = slidegen.make_plan(slidegen.edition(SEED, lang))
    deck = slidegen.render(plan, "pptx")
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        core = z.read("docProps/core.xml").decode()
    deck_tag = re.search(r"<dc:language>([^<]+)</dc:language>", core)
    assert deck_tag is not None
    handout = PdfReader(io.BytesIO(slidegen.render(plan, "handout")))
    assert str(handout.trailer["/Root"]["/Lang"]) == deck_tag.group(1) == plan.info.tag
