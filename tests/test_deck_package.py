"""The deck as PowerPoint reads its package: document properties, thumbnail, presentation
settings, languages of the master and layouts, unique titles, and a strict validator's verdict."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image, ImageChops, ImageStat
from pptx import Presentation

from slidegen.plan import Plan
from test_deck import SEED, TAGS, build, needs_seed, render, seed_edition, seed_languages

_NS = {
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


@pytest.fixture(scope="module")
def decks() -> dict[str, tuple[Any, Plan, bytes]]:
    if not SEED.exists():
        pytest.skip("the seed outline is not written yet")
    out = {}
    for lang in seed_languages():
        edition = seed_edition(lang)
        plan, data = build(edition)
        out[lang] = (edition, plan, data)
    return out


def _xml(data: bytes, member: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(member))


def _members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_app_properties_count_what_the_deck_holds(
    lang: str, decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    _, plan, data = decks[lang]
    app = _xml(data, "docProps/app.xml")

    def text(tag: str) -> str:
        return str(app.findtext(f"ep:{tag}", namespaces=_NS))

    notes = sum(1 for s in plan.slides if s.notes)
    assert int(text("Slides")) == len(plan.slides) == 21
    pages = [m for m in _members(data) if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", m)]
    assert int(text("Notes")) == notes == len(pages) > 0
    assert text("Application") == "slidegen"
    assert re.fullmatch(r"\d\d\.\d{4}", text("AppVersion"))
    assert text("PresentationFormat") == "Widescreen"
    assert int(text("Words")) > 500
    # the heading pairs count what the titles of parts list: fonts, the theme, each slide
    pairs = app.findall("ep:HeadingPairs/vt:vector/vt:variant", _NS)
    counts = [int(v.findtext("vt:i4", namespaces=_NS)) for v in pairs[1::2]]
    names = [v.findtext("vt:lpstr", namespaces=_NS) for v in pairs[0::2]]
    parts = [e.text for e in app.findall("ep:TitlesOfParts/vt:vector/vt:lpstr", _NS)]
    assert names[-1] == "Slide Titles" and counts[-1] == len(plan.slides)
    assert len(parts) == sum(counts)
    assert parts[-len(plan.slides) :] == [s.title for s in plan.slides]


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_core_properties_name_the_class_in_its_language(
    lang: str, decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    edition, plan, data = decks[lang]
    props = Presentation(io.BytesIO(data)).core_properties
    assert props.title == plan.title != ""
    assert props.subject == edition.outline.course
    assert props.author == edition.outline.lecturer
    assert props.language == TAGS[lang]
    core = _xml(data, "docProps/core.xml")
    # the seed class has no date: the deck claims none rather than a made-up one
    assert core.find("dcterms:created", _NS) is None
    assert b"2000-01-01" not in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")


def test_dates_come_from_source_date_epoch_or_the_class_date(
    stress_edition: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    edition = stress_edition("en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    props = Presentation(io.BytesIO(build(edition)[1])).core_properties
    assert str(props.created) == str(props.modified) == "2023-11-14 22:13:20"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    props = Presentation(io.BytesIO(build(edition)[1])).core_properties
    assert str(props.created) == "2024-05-06 00:00:00"  # the class's date


@needs_seed
def test_thumbnail_is_the_title_slide(decks: dict[str, tuple[Any, Plan, bytes]]) -> None:
    _, plan, data = decks["en"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        image = Image.open(io.BytesIO(z.read("docProps/thumbnail.jpeg")))
        image.load()
    assert image.format == "JPEG" and image.size == (256, 144)
    rgb = image.convert("RGB")
    # the title slide's background colour fills most of it ...
    primary = tuple(int(plan.slides[0].background[i : i + 2], 16) for i in (0, 2, 4))
    difference = ImageChops.difference(rgb, Image.new("RGB", rgb.size, primary)).convert("L")
    near = sum(difference.histogram()[:12])
    assert near > 0.6 * 256 * 144
    # ... and the title is drawn on it in white: light pixels where its box is
    title = next(s for s in plan.slides[0].shapes if getattr(s, "role", "") == "title")
    k = 256 / plan.width
    box = rgb.crop(
        (
            int(title.x * k),
            int(title.y * k),
            int((title.x + title.w) * k),
            int((title.y + title.h) * k),
        )
    )
    assert ImageStat.Stat(box.convert("L")).extrema[0][1] > 200
    # the other languages draw their own title
    others = {
        zipfile.ZipFile(io.BytesIO(d)).read("docProps/thumbnail.jpeg") for _, _, d in decks.values()
    }
    assert len(others) == len(decks)


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_presentation_lists_its_notes_master_and_names_its_size(
    lang: str, decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    _, _, data = decks[lang]
    pres = _xml(data, "ppt/presentation.xml")
    rels = _xml(data, "ppt/_rels/presentation.xml.rels")
    [listed] = pres.findall("p:notesMasterIdLst/p:notesMasterId", _NS)
    rid = listed.get(f"{{{_NS['r']}}}id")
    target = {r.get("Id"): r.get("Target") for r in rels}[rid]
    assert target.endswith("notesMasters/notesMaster1.xml")
    # schema order: right after the slide masters
    assert etree.QName(pres[1]).localname == "notesMasterIdLst"
    size = pres.find("p:sldSz", _NS)
    assert (size.get("cx"), size.get("cy"), size.get("type")) == ("12192000", "6858000", None)


def test_a_four_by_three_deck_says_so(stress_edition: Callable[[str], Any]) -> None:
    from slidegen.layout.slides import layout
    from slidegen.read.theme import load_theme
    from slidegen.write.deck import deck_bytes

    edition = stress_edition("en")
    plan = layout(edition, load_theme("default-4x3", edition.base_dir))
    data = deck_bytes(plan)
    size = _xml(data, "ppt/presentation.xml").find("p:sldSz", _NS)
    assert (size.get("cx"), size.get("type")) == ("9144000", "screen4x3")
    app = _xml(data, "docProps/app.xml")
    assert app.findtext("ep:PresentationFormat", namespaces=_NS) == "On-screen Show (4:3)"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert Image.open(io.BytesIO(z.read("docProps/thumbnail.jpeg"))).size == (256, 192)


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_master_layouts_and_notes_master_speak_the_editions_language(
    lang: str, decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    """Text typed in PowerPoint on any layout, or in the notes, is spell-checked in the
    edition's language, not in English."""
    _, _, data = decks[lang]
    checked = 0
    for member in _members(data):
        if re.match(
            r"ppt/(presentation|slideMasters/|slideLayouts/|notesMasters/|slides/|notesSlides/)",
            member,
        ) and member.endswith(".xml"):
            tags = {e.get("lang") for e in _xml(data, member).iter() if e.get("lang") is not None}
            assert tags <= {TAGS[lang]}, member
            checked += bool(tags)
    assert checked > 20


@needs_seed
@pytest.mark.parametrize("lang", seed_languages())
def test_no_two_slides_have_the_same_title(
    lang: str, decks: dict[str, tuple[Any, Plan, bytes]]
) -> None:
    _, plan, data = decks[lang]
    titles = [s.shapes.title.text_frame.text for s in Presentation(io.BytesIO(data)).slides]
    assert all(t.strip() for t in titles)
    assert [t for t, n in Counter(titles).items() if n > 1] == []
    # a section's divider names the section's number before the title its first slide repeats
    divider = next(s for s in plan.slides if s.kind == "section")
    assert titles[divider.number - 1].splitlines()[0].endswith(" 1")
    assert not [w for w in plan.warnings if "title" in w.message and "also" in w.message]


def test_continuations_are_told_apart(stress_edition: Callable[[str], Any]) -> None:
    for lang, third in (("en", "continued, part 3"), ("fr", "suite, partie 3")):
        plan, data = build(stress_edition(lang))
        titles = [s.shapes.title.text_frame.text for s in Presentation(io.BytesIO(data)).slides]
        assert [t for t, n in Counter(titles).items() if n > 1] == [], lang
        assert any(t.endswith(f"({third})") for t in titles), lang


def test_an_authored_duplicate_title_is_reported(tmp_path: Path) -> None:
    from slidegen.layout.slides import layout
    from slidegen.read.outline import read_outline
    from slidegen.read.theme import load_theme
    from slidegen.resolve.edition import resolve

    source = tmp_path / "dup.yaml"
    source.write_text(
        "id: dup\nlanguage: en\ncourse: C\ntitle: T\nsections:\n  - id: s\n    title: S\n"
        "    slides:\n      - {id: a, title: Examples, bullets: [one]}\n"
        "      - {id: b, title: Examples, bullets: [two]}\n",
        encoding="utf-8",
    )
    edition = resolve(read_outline(source), source)
    plan = layout(edition, load_theme(None, edition.base_dir))
    [warning] = [w for w in plan.warnings if "also the title" in w.message]
    assert warning.slide == "b" and "'a'" in warning.message


# ---------------------------------------------------------------- a strict validator


def audit(paths: list[Path]) -> dict[str, list[Any]]:
    """openxml-audit's strict findings (errors and warnings) per file."""
    tool = Path(sys.executable).with_name("openxml-audit")
    if not tool.exists():
        pytest.skip("openxml-audit is not installed (pip install -e '.[test]')")
    out: dict[str, list[Any]] = {}
    for path in paths:
        run = subprocess.run(
            [str(tool), "--policy", "strict", "-o", "json", "-m", "0", str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        [report] = json.loads(run.stdout)
        out[path.name] = report["errors"] + report.get("warnings", [])
    return out


@needs_seed
def test_openxml_audit_strict_finds_nothing(
    decks: dict[str, tuple[Any, Plan, bytes]],
    stress_edition: Callable[[str], Any],
    tmp_path: Path,
) -> None:
    paths = []
    for lang, (_, _, data) in decks.items():
        paths.append(tmp_path / f"seed-{lang}.pptx")
        paths[-1].write_bytes(data)
    paths.append(tmp_path / "stress.pptx")
    paths[-1].write_bytes(build(stress_edition("en"))[1])
    assert audit(paths) == {p.name: [] for p in paths}


# ---------------------------------------------------------------- the design as a template

LAYOUTS = [
    "Title Slide",
    "Title and Content",
    "Section Header",
    "Two Content",
    "Comparison",
    "Title Only",
    "Blank",
    "Content with Caption",
    "Picture with Caption",
]


@needs_seed
def test_the_theme_part_carries_the_themes_colours_and_fonts(
    decks: dict[str, tuple[Any, Plan, bytes]],
) -> None:
    edition, plan, data = decks["en"]
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    theme = _xml(data, "ppt/theme/theme1.xml")
    slots = {el.tag[len(a) :]: el[0].get("val") for el in theme.find(f".//{a}clrScheme")}
    assert slots["dk2"] == plan.primary and slots["accent1"] == plan.accent
    assert slots["lt1"] == "FFFFFF" and slots["dk1"] == "262626"
    assert theme.find(f".//{a}majorFont/{a}latin").get("typeface") == "Arial"
    assert theme.find(f".//{a}minorFont/{a}latin").get("typeface") == "Arial"
    assert b"4F81BD" not in zipfile.ZipFile(io.BytesIO(data)).read("ppt/theme/theme1.xml")


@needs_seed
def test_slides_are_on_named_layouts_with_their_text_in_placeholders(
    decks: dict[str, tuple[Any, Plan, bytes]],
) -> None:
    _, plan, data = decks["en"]
    prs = Presentation(io.BytesIO(data))
    assert [lay.name for lay in prs.slide_layouts] == LAYOUTS
    used = {}
    for planned, slide in zip(plan.slides, prs.slides, strict=True):
        used[planned.kind] = slide.slide_layout.name
        kinds = {sh.placeholder_format.type for sh in slide.placeholders}
        if slide.slide_layout.name == "Title and Content":
            [body] = [sh for sh in slide.placeholders if sh.placeholder_format.idx == 1]
            assert body.name == "Content" and body.text_frame.text.strip(), planned.id
        if slide.slide_layout.name == "Comparison":  # each heading in its own placeholder
            by_idx = {sh.placeholder_format.idx: sh.text_frame.text for sh in slide.placeholders}
            assert by_idx[1] and by_idx[3] and by_idx[2] and by_idx[4], planned.id
            assert len(by_idx[1]) < len(by_idx[2]) and len(by_idx[3]) < len(by_idx[4])
        if planned.kind not in ("title", "section"):  # footer and a slide-number field
            assert {15, 13} <= {int(k) for k in kinds}, planned.id
            number = next(sh for sh in slide.placeholders if sh.placeholder_format.type == 13)
            fields = number._element.findall(
                f".//{{{_NS['p'].replace('presentationml', 'drawingml')}}}fld"
            )
            assert [f.get("type") for f in fields] == ["slidenum"], planned.id
            assert fields[0].findtext(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
            ) == str(planned.number)
    assert used == {
        "title": "Title Slide",
        "section": "Section Header",
        "bullets": "Title and Content",
        "definitions": "Title and Content",
        "numbered": "Title and Content",
        "references": "Title and Content",
        "columns": "Comparison",  # two columns with headings
        "quote": "Title Only",
        "timeline": "Title Only",
        "table": "Title Only",
    }


def _add_slide_as_powerpoint_does(prs: Any, layout_name: str) -> Any:
    """A slide on the layout, with its title and points, and the layout's footer and
    slide-number placeholders copied as PowerPoint copies them onto a new slide (python-pptx
    leaves them out)."""
    import copy

    layout = next(lay for lay in prs.slide_layouts if lay.name == layout_name)
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "A slide the instructor added"
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1).text_frame
    body.text = "A point typed in PowerPoint"
    sub = body.add_paragraph()
    sub.text = "A sub-point"
    sub.level = 1
    for ph in layout.placeholders:
        if ph.placeholder_format.type in (13, 15):  # slide number, footer
            slide.shapes._spTree.append(copy.deepcopy(ph._element))
    return slide


@pytest.mark.slow
@needs_seed
def test_a_slide_added_on_title_and_content_shows_the_design_and_its_number(
    decks: dict[str, tuple[Any, Plan, bytes]], tmp_path: Path
) -> None:

    from test_deck import needs_soffice  # noqa: F401

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    _, plan, data = decks["en"]
    prs = Presentation(io.BytesIO(data))
    moved = prs.slides._sldIdLst[4]  # slides reordered in PowerPoint: numbers follow
    prs.slides._sldIdLst.remove(moved)
    prs.slides._sldIdLst.insert(1, moved)
    _add_slide_as_powerpoint_does(prs, "Title and Content")
    out = io.BytesIO()
    prs.save(out)
    pdf = render({"added": out.getvalue()}, tmp_path)["added"]
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    added = pages[len(plan.slides)]
    assert "A slide the instructor added" in added
    assert "• A point typed in PowerPoint" in added and "– A sub-point" in added
    assert re.search(rf"\b{len(plan.slides) + 1}\b", added.split("A sub-point")[1])
    assert "Illicit Markets and Organized Crime in the Americas" in added  # the footer
    # the moved slide's number field now says 2
    assert re.search(r"\b2 / 21\b", pages[1])
    # the design's colours: the title in the theme's primary, the accent rule below it
    png = tmp_path / "added"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            str(len(plan.slides) + 1),
            "-l",
            str(len(plan.slides) + 1),
            "-singlefile",
            str(pdf),
            str(png),
        ],
        check=True,
    )
    image = Image.open(f"{png}.png").convert("RGB")
    colours = {c for _, c in image.getcolors(1 << 16)}

    def near(hex_rgb: str) -> bool:
        want = tuple(int(hex_rgb[i : i + 2], 16) for i in (0, 2, 4))
        return any(max(abs(a - b) for a, b in zip(c, want, strict=True)) < 10 for c in colours)

    assert near(plan.primary) and near(plan.accent)
