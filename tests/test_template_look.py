"""An institution's template as users see it, deck and handout alike: its background picture,
a logo on a layout, footer and number placeholders moved and restyled, layouts named as
LibreOffice names them; text over the picture readable; columns on Comparison and Content
with Caption. Templates are made here with python-pptx; the deck is rendered by LibreOffice,
the PDFs by pdftoppm, and what they show is measured."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.util import Pt

from conftest import require
from slidegen.api import edition, make_plan
from slidegen.api import render as render_plan
from slidegen.layout.legible import luminance
from slidegen.plan import Plan, TextBox, line_tops
from test_deck import SEED, needs_seed, render

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = f'xmlns:p="{_P}" xmlns:a="{_A}" xmlns:r="{_R}"'
MAGENTA = (255, 0, 255)
#: The logo's frame on the "Title and Content" layout, in points.
LOGO = (840.0, 16.0, 96.0, 40.0)
#: Where the template moved its footer and slide number (master placeholders), in points.
FOOTER = (540.0, 500.0, 400.0, 30.0)
NUMBER = (20.0, 500.0, 100.0, 30.0)
GREEN = "1B5E20"


def _stripes(path: Path) -> Path:
    """A hostile background photo: dark and light bands no single text colour reads on."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), (230, 230, 230))
    draw = ImageDraw.Draw(image)
    for x in range(0, 960, 24):
        draw.rectangle((x, 0, x + 11, 540), (30, 30, 30))
    image.save(path)
    return path


def _place(sp: Any, frame: tuple[float, float, float, float]) -> None:
    x, y, w, h = (Pt(v) for v in frame)
    sp_pr = sp.find(f"{{{_P}}}spPr")
    for old in sp_pr.findall(f"{{{_A}}}xfrm"):
        sp_pr.remove(old)
    sp_pr.insert(
        0,
        parse_xml(
            f'<a:xfrm xmlns:a="{_A}"><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
        ),
    )


def _restyle(sp: Any, align: str, color: str) -> None:
    """The placeholder's first level set right or left, in the institution's colour."""
    body = sp.find(f"{{{_P}}}txBody")
    lst = body.find(f"{{{_A}}}lstStyle")
    for old in list(lst):
        lst.remove(old)
    lst.append(
        parse_xml(
            f'<a:lvl1pPr xmlns:a="{_A}" algn="{align}"><a:defRPr sz="1200"><a:solidFill>'
            f'<a:srgbClr val="{color}"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        )
    )


def brand_template(folder: Path) -> Path:
    """python-pptx's stock template as an institution dresses it: a striped photo as the
    master's background, a magenta logo on "Title and Content", the footer moved to the
    right and the number to the left (in green), layouts named as LibreOffice names them
    and no Comparison layout."""
    from PIL import Image

    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(960), Pt(540)
    master = prs.slide_master
    _, rid = master.part.get_or_add_image_part(str(_stripes(folder / "stripes.png")))
    bg = parse_xml(
        f'<p:bg {_NS}><p:bgPr><a:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        "</a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>"
    )
    c_sld = master._element.cSld
    for old in c_sld.findall(f"{{{_P}}}bg"):  # the stock master's own (a theme style)
        c_sld.remove(old)
    c_sld.insert(0, bg)
    for sp in master.placeholders:
        kind = sp.placeholder_format.type
        if int(kind) == 15:  # footer
            _place(sp._element, FOOTER)
            _restyle(sp._element, "r", GREEN)
        elif int(kind) == 13:  # slide number
            _place(sp._element, NUMBER)
            _restyle(sp._element, "l", GREEN)
    names = {"Title and Content": "Title, Content", "Two Content": "Title, 2 Content"}
    lst = master._element.find(f"{{{_P}}}sldLayoutIdLst")
    for layout, entry in zip(list(master.slide_layouts), list(lst), strict=True):
        if layout.name == "Comparison":
            lst.remove(entry)
        elif layout.name in names:
            layout._element.cSld.set("name", names[layout.name])
        for sp in layout.placeholders:  # the layouts take their footer frames from the master
            if int(sp.placeholder_format.type) in (13, 15):
                sp_pr = sp._element.find(f"{{{_P}}}spPr")
                for old in sp_pr.findall(f"{{{_A}}}xfrm"):
                    sp_pr.remove(old)
    content = next(lay for lay in master.slide_layouts if lay.name == "Title, Content")
    Image.new("RGB", (96, 40), MAGENTA).save(folder / "logo.png")
    _, rid = content.part.get_or_add_image_part(str(folder / "logo.png"))
    x, y, w, h = (Pt(v) for v in LOGO)
    content.shapes._spTree.append(
        parse_xml(
            f'<p:pic {_NS}><p:nvPicPr><p:cNvPr id="99" name="Logo"/><p:cNvPicPr/><p:nvPr/>'
            f'</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
            f'</a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/>'
            f'<a:ext cx="{w}" cy="{h}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            "</a:prstGeom></p:spPr></p:pic>"
        )
    )
    path = folder / "brand.pptx"
    prs.save(str(path))
    return path


def _png(pdf: Path, page: int, out: Path, dpi: int = 72) -> Any:
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(out),
        ],
        check=True,
    )
    return Image.open(out.with_suffix(".png")).convert("RGB")


def _share(image: Any, box: tuple[float, float, float, float], color: tuple[int, ...]) -> float:
    """The share of the pixels in `box` (points, at 72 dpi: pixels) near `color`."""
    x, y, w, h = (round(v) for v in box)
    region = image.crop((x, y, x + w, y + h))
    near = sum(
        n
        for n, c in region.getcolors(1 << 20)
        if max(abs(a - b) for a, b in zip(c, color, strict=True)) < 40
    )
    return near / max(1, w * h)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(html)]


def _inside(word: tuple[float, float, float, float, str], frame: tuple[float, ...]) -> bool:
    x0, y0, x1, y1, _ = word
    fx, fy, fw, fh = frame
    return fx - 1 <= x0 and x1 <= fx + fw + 1 and fy - 2 <= y0 and y1 <= fy + fh + 2


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seed class built on the brand template from a project folder, as a user runs it:
    `slidegen build source --template brand.pptx`, relative paths, English and French."""
    require("soffice", "pdftoppm", "pdftotext")
    if not SEED.exists():
        pytest.skip("the seed outline is not written yet")
    from slidegen.cli import main

    project = tmp_path_factory.mktemp("project")
    shutil.copytree(SEED.parent, project / "source")
    brand_template(project)
    cwd = Path.cwd()
    import os

    os.chdir(project)
    try:
        args = ["build", "source", "--template", "brand.pptx", "--lang", "en,fr", "-q"]
        assert main([*args, "--format", "pptx,pdf,slides"]) == 0
        first = {p: p.read_bytes() for p in sorted((project / "build").rglob("*.pdf"))}
        assert main([*args, "--format", "pptx,pdf,slides", "--force", "--out", "again"]) == 0
    finally:
        os.chdir(cwd)
    again = {p: (project / "again" / p.relative_to(project / "build")).read_bytes() for p in first}
    stem = SEED.stem
    decks = {
        lang: (project / "build" / lang / f"{stem}.pptx").read_bytes() for lang in ("en", "fr")
    }
    rendered = project / "rendered"
    rendered.mkdir()
    return {
        "project": project,
        "first": first,
        "again": again,
        "decks": decks,
        "deck_pdf": render(decks, rendered),
        "slides_pdf": {lang: project / "build" / lang / f"{stem}-slides.pdf" for lang in decks},
        "handout": {lang: project / "build" / lang / f"{stem}-handout.pdf" for lang in decks},
        "plans": {
            lang: make_plan(
                edition(project / "source" / SEED.name, lang), template=project / "brand.pptx"
            )
            for lang in decks
        },
    }


def _content_slide(plan: Plan) -> int:
    """The number of the first slide of points (on the layout with the logo)."""
    return next(s.number for s in plan.slides if s.kind == "bullets")


@needs_seed
def test_the_logo_and_background_photo_show_in_deck_slides_pdf_and_handout(
    built: dict[str, Any], tmp_path: Path
) -> None:
    for lang in ("en", "fr"):
        number = _content_slide(built["plans"][lang])
        deck = _png(built["deck_pdf"][lang], number, tmp_path / f"deck-{lang}")
        slides = _png(built["slides_pdf"][lang], number, tmp_path / f"slides-{lang}")
        for image in (deck, slides):  # the logo at the template's frame, nowhere else
            assert _share(image, LOGO, MAGENTA) > 0.9, lang
            assert _share(image, (0, 0, 960, 540), MAGENTA) < LOGO[2] * LOGO[3] / 960 / 540 + 0.01
            # the photo's dark and light bands, under the slide's own shapes
            assert _share(image, (0, 440, 960, 50), (30, 30, 30)) > 0.2, lang
            assert _share(image, (0, 440, 960, 50), (230, 230, 230)) > 0.2, lang
        # the handout's miniatures show them too: the page holding the slide's miniature
        page = _png(built["handout"][lang], 3, tmp_path / f"handout-{lang}", dpi=100)
        magenta = _share(page, (0, 0, page.width, page.height), MAGENTA)
        assert magenta > 0.0005, lang
    # the same sources give the same bytes: the pictures the plan carries are the template's
    assert built["first"] == built["again"]


@needs_seed
def test_footer_and_number_sit_in_the_templates_frames(built: dict[str, Any]) -> None:
    for lang in ("en", "fr"):
        plan = built["plans"][lang]
        number = _content_slide(plan)
        total = len(plan.slides)
        for pdf in (built["deck_pdf"][lang], built["slides_pdf"][lang]):
            words = _words(pdf, number)
            digits = [w for w in words if w[4] == str(number)]
            assert digits and all(_inside(w, NUMBER) for w in digits), (pdf.name, digits)
            assert _inside(next(w for w in words if w[4] == str(total)), NUMBER)
            course = [w for w in words if w[1] > 495 and not _inside(w, NUMBER)]
            assert course and all(_inside(w, FOOTER) for w in course), (pdf.name, course)
            # set right, as the template sets it: the last word ends at the frame's right
            right = FOOTER[0] + FOOTER[2]
            assert right - 12 < max(w[2] for w in course) <= right, pdf.name
        # in the deck: the layout's own placeholders, the number a real field
        slide = _members(built["decks"][lang])[f"ppt/slides/slide{number}.xml"]
        assert b'<p:ph type="ftr"' in slide and b'<p:ph type="sldNum"' in slide
        assert b'type="slidenum"' in slide
        # set in the template's colour, where it reads (else the theme's text colour)
        colors = {
            p.color
            for s in plan.slides[number - 1].shapes
            if isinstance(s, TextBox) and s.role in ("footer", "number")
            for p in s.paragraphs
        }
        assert colors and colors <= {GREEN, "000000"}


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _textless(plan: Plan) -> Plan:
    """The plan with its text left out: what lies under the text, as each writer draws it."""
    slides = tuple(
        replace(s, shapes=tuple(sh for sh in s.shapes if not isinstance(sh, TextBox)))
        for s in plan.slides
    )
    return replace(plan, slides=slides)


def _worst_contrast(image: Any, box: TextBox) -> float:
    """The lowest contrast (2nd percentile) of the box's text colours with the pixels under its
    lines."""
    from slidegen.write.miniature import line_origin

    inner_h = box.h - 2 * box.inset
    block = sum(p.size * p.line_spacing * len(p.lines) for p in box.paragraphs)
    top = box.y + box.inset + {"middle": (inner_h - block) / 2, "bottom": inner_h - block}.get(
        box.anchor, 0.0
    )
    tops = line_tops(box.paragraphs, top)
    worst = 21.0
    inner = box.w - 2 * box.inset
    for p, ys in zip(box.paragraphs, tops, strict=True):
        for n, (line, top) in enumerate(zip(p.lines, ys, strict=True)):
            x0 = round(line_origin(p, n, box.x + box.inset, inner))
            y0, y1 = round(top + p.size * 0.15), round(top + p.size * 1.05)
            x1 = min(image.width, x0 + max(4, round(line.width)))
            raw = image.crop((x0, y0, x1, y1)).tobytes()
            lums = sorted(
                luminance(f"{r:02X}{g:02X}{b:02X}")
                for r, g, b in zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
            )
            if not lums:
                continue
            cut = len(lums) // 50
            own = luminance(p.color)
            for lum in (lums[cut], lums[-1 - cut]):
                hi, lo = max(own, lum), min(own, lum)
                worst = min(worst, (hi + 0.05) / (lo + 0.05))
    return worst


@needs_seed
def test_text_over_the_photo_reads_in_deck_and_slides_pdf(
    built: dict[str, Any], tmp_path: Path
) -> None:
    """Every text line of a slide of points contrasts ≥ 4.5 with what LibreOffice and the
    slides PDF draw under it (the photo and any scrim), where the bare photo would not."""
    lang = "fr"
    plan = built["plans"][lang]
    number = _content_slide(plan)
    slide = plan.slides[number - 1]
    boxes = [s for s in slide.shapes if isinstance(s, TextBox) and s.paragraphs]
    assert any(s.name == "Scrim" for s in slide.shapes)  # the photo needed one
    bare = _textless(plan)
    folder = tmp_path / "textless"
    folder.mkdir()
    deck = render({"textless": render_plan(bare, "pptx")}, folder)["textless"]
    slides_pdf = folder / "slides.pdf"
    slides_pdf.write_bytes(render_plan(bare, "slides"))
    for pdf in (deck, slides_pdf):
        image = _png(pdf, number, folder / pdf.stem)
        for box in boxes:
            assert _worst_contrast(image, box) >= 4.5, (pdf.name, box.name)
    # without the scrims the same text would not read: the test measures something
    photo_only = replace(
        bare,
        slides=tuple(
            replace(s, shapes=tuple(sh for sh in s.shapes if getattr(sh, "name", "") != "Scrim"))
            for s in bare.slides
        ),
    )
    raw = folder / "raw.pdf"
    raw.write_bytes(render_plan(photo_only, "slides"))
    image = _png(raw, number, folder / "raw")
    assert min(_worst_contrast(image, box) for box in boxes) < 2.0


@needs_seed
def test_the_template_deck_passes_the_strict_validator(
    built: dict[str, Any], tmp_path: Path
) -> None:
    from test_deck_package import audit

    path = tmp_path / "brand-en.pptx"
    path.write_bytes(built["decks"]["en"])
    assert audit([path]) == {path.name: []}
    # the scrims are decoration: marked so in the deck
    members = _members(built["decks"]["en"])
    scrims = [
        m for n, m in members.items() if n.startswith("ppt/slides/slide") and b'name="Scrim"' in m
    ]
    assert scrims and all(b"adec:decorative" in m for m in scrims)


COLUMNS_CLASS = """id: columns
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - id: compare
        title: Two levels
        columns:
          - {heading: International level, bullets: [Treaties, Courts]}
          - {heading: Regional level, bullets: [Commissions, Summits]}
      - id: beside
        title: A picture beside its text
        columns:
          - image: {path: wide.png, alt: A wide band, caption: The band}
          - {heading: What it shows, bullets: [One band, Two colours]}
      - id: plain
        title: Two plain columns
        columns:
          - {bullets: [one, two]}
          - {bullets: [three, four]}
"""


def test_columns_go_on_comparison_and_content_with_caption(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (400, 200), (0, 90, 156)).save(tmp_path / "wide.png")
    source = tmp_path / "columns.yaml"
    source.write_text(COLUMNS_CLASS, encoding="utf-8")
    plan = make_plan(edition(source))
    on = {s.id: s.layout for s in plan.slides}
    assert on["compare"] == "Comparison" and on["beside"] == "Content with Caption"
    assert on["plain"] == "Two Content"
    prs = Presentation(io.BytesIO(render_plan(plan, "pptx")))
    slides = dict(zip([s.id for s in plan.slides], prs.slides, strict=True))
    compare = {
        sh.placeholder_format.idx: sh.text_frame.text for sh in slides["compare"].placeholders
    }
    assert compare[1] == "International level" and compare[3] == "Regional level"
    assert "Treaties" in compare[2] and "Summits" in compare[4]
    beside = slides["beside"]
    assert beside.slide_layout.name == "Content with Caption"
    placed = {sh.placeholder_format.idx: sh for sh in beside.placeholders}
    assert placed[1].shape_type is not None and placed[1]._element.tag.endswith("}pic")
    assert "What it shows" in placed[2].text_frame.text  # the text, not the picture's caption
    # on a template without them (LibreOffice's names): what stands in, said once each
    template = brand_template(tmp_path)
    plan = make_plan(edition(source), template=template)
    said = [w.message for w in plan.warnings if "template brand.pptx" in w.message]
    assert any(
        "'Comparison': its slides use 'Title, 2 Content' (found by standing in for it)" in m
        for m in said
    ), said
    deck = Presentation(io.BytesIO(render_plan(plan, "pptx")))
    used = dict(zip([s.id for s in plan.slides], deck.slides, strict=True))
    assert used["compare"].slide_layout.name == "Title, 2 Content"
    assert used["beside"].slide_layout.name == "Content with Caption"  # the template has it
    assert any(sh._element.tag.endswith("}pic") for sh in used["beside"].placeholders)


def _background_template(folder: Path, picture: Path, fill: str) -> Path:
    """python-pptx's stock template with `picture` as its master's background, `fill` the
    blipFill's way of filling (stretch or tile)."""
    prs = Presentation()
    master = prs.slide_master
    _, rid = master.part.get_or_add_image_part(str(picture))
    c_sld = master._element.cSld
    for old in c_sld.findall(f"{{{_P}}}bg"):
        c_sld.remove(old)
    c_sld.insert(
        0,
        parse_xml(
            f'<p:bg {_NS}><p:bgPr><a:blipFill><a:blip r:embed="{rid}"/>{fill}</a:blipFill>'
            "<a:effectLst/></p:bgPr></p:bg>"
        ),
    )
    path = folder / f"{picture.stem}.pptx"
    prs.save(str(path))
    return path


def test_tiled_and_16_bit_background_pictures_are_drawn_as_powerpoint_draws_them(
    tmp_path: Path,
) -> None:
    """A tiled texture covers the slide in tiles; a 16-bit grey photo (pandoc's reference
    docs have one) stays grey rather than turning white."""
    from PIL import Image

    from slidegen.read.template import read_template

    tile = Image.new("RGB", (16, 16), (200, 30, 30))
    tile.paste((30, 30, 200), (0, 0, 8, 16))
    tile.save(tmp_path / "tile.png")
    template = read_template(_background_template(tmp_path, tmp_path / "tile.png", "<a:tile/>"))
    picture = template.layouts[1].backdrop[0]
    assert (picture.x, picture.y, picture.w, picture.h) == (0, 0, 720, 540)
    with Image.open(io.BytesIO(picture.data)) as tiled:  # type: ignore[union-attr]
        # 720 pt at 96 pixels an inch: 960 pixels, 60 tiles of 16 across, red and blue
        assert tiled.size == (960, 720)
        row = [tiled.getpixel((x, 5))[:3] for x in range(0, 960, 8)]
        assert row[:4] == [(30, 30, 200), (200, 30, 30)] * 2 and len(set(row)) == 2
    grey = Image.new("I;16", (64, 36), 0x8080)
    grey.save(tmp_path / "grey16.png")
    stretch = "<a:stretch><a:fillRect/></a:stretch>"
    template = read_template(_background_template(tmp_path, tmp_path / "grey16.png", stretch))
    picture = template.layouts[1].backdrop[0]
    with Image.open(io.BytesIO(picture.data)) as image:  # type: ignore[union-attr]
        assert image.convert("L").getpixel((10, 10)) == 0x80


@needs_seed
def test_an_ink_saving_handout_leaves_the_templates_photo_out(tmp_path: Path) -> None:
    from slidegen.layout.ink import ink_saving
    from slidegen.plan import Picture

    plan = make_plan(edition(SEED), template=brand_template(tmp_path))
    slide = plan.slides[_content_slide(plan) - 1]
    names = [sh.path for sh in slide.backdrop if isinstance(sh, Picture)]
    assert len(names) == 2 and "background" in names[0] and "Logo" in names[1]
    printed = ink_saving(plan).slides[slide.number - 1]
    assert [sh.path for sh in printed.backdrop if isinstance(sh, Picture)] == names[1:]
