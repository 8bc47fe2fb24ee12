"""Decks on an institution's PowerPoint template: templates made here with python-pptx (renamed,
moved and missing layouts, a .potx), LibreOffice's own Impress templates converted at test
time, and pandoc's reference-doc corpus when a copy is at hand (SLIDEGEN_PANDOC_PPTX)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.util import Pt

from slidegen.api import edition, make_plan
from slidegen.api import render as render_plan
from slidegen.errors import OutlineError
from slidegen.plan import TextBox
from slidegen.pptx_open import PRESENTATION_MAIN, TEMPLATE_MAIN
from slidegen.read.template import choose_layouts, read_template
from test_deck import SEED, TAGS, needs_seed, overflow_problems, render, seed_languages

LIBREOFFICE_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
IMPRESS = ("Blue_Curve", "Candy", "DNA", "Inspiration", "Pencil", "Piano")


def _template(
    path: Path,
    *,
    rename: dict[str, str] | None = None,
    keep: tuple[int, ...] | None = None,
    reverse: bool = False,
    potx: bool = False,
    dark: bool = False,
) -> Path:
    """A template made with python-pptx's stock one: an institution's colour, an example slide
    with a picture and notes, layouts renamed, kept or reordered as asked."""
    from PIL import Image

    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(960), Pt(540)
    master = prs.slide_master
    lst = master._element.find(
        "{http://schemas.openxmlformats.org/presentationml/2006/main}sldLayoutIdLst"
    )
    ids = list(lst)
    if keep is not None:
        for n, el in enumerate(ids):
            if n not in keep:
                lst.remove(el)
    if reverse:
        for el in list(lst):
            lst.remove(el)
            lst.insert(0, el)
    for layout in master.slide_layouts:
        if rename and layout.name in rename:
            layout._element.cSld.set("name", rename[layout.name])
    theme = master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    theme._blob = theme.blob.replace(b'val="1F497D"', b'val="005A9C"')  # dk2: the institution's
    band = parse_xml(  # the institution's band along the foot of every slide
        '<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvSpPr>'
        '<p:cNvPr id="90" name="Band"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="0" y="{Pt(500)}"/><a:ext cx="{Pt(960)}" cy="{Pt(40)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="7FB800"/>'
        "</a:solidFill></p:spPr></p:sp>"
    )
    master.shapes._spTree.append(band)
    if dark:  # a black master: the template writes its text light
        master.background.fill.solid()
        master.background.fill.fore_color.rgb = RGBColor(0, 0, 0)
    example = prs.slides.add_slide(master.slide_layouts[0])
    example.shapes.title.text = "Example slide of the template"
    picture = path.parent / "example.png"
    Image.new("RGB", (64, 64), (0, 90, 156)).save(picture)
    example.shapes.add_picture(str(picture), Pt(10), Pt(10))
    example.notes_slide.notes_text_frame.text = "Example notes"
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    if potx:
        data = _retype(data, PRESENTATION_MAIN, TEMPLATE_MAIN)
    path.write_bytes(data)
    return path


def _retype(data: bytes, old: bytes, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            dst.writestr(info, blob.replace(old, new) if info.filename.startswith("[") else blob)
    return out.getvalue()


def _deck(template: Path, lang: str = "en") -> tuple[Any, bytes]:
    plan = make_plan(edition(SEED, lang), template=template)
    return plan, render_plan(plan, "pptx")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _layout_names(data: bytes) -> tuple[list[str], list[str]]:
    """The names of the deck's layouts, and of the layout each slide is on."""
    prs = Presentation(io.BytesIO(data))
    layouts = [lay.name for m in prs.slide_masters for lay in m.slide_layouts]
    return layouts, [s.slide_layout.name for s in prs.slides]


def check_built_on(template: Path, data: bytes, slides: int) -> None:
    """The deck keeps the template's masters and layouts, drops its example slides cleanly and
    puts every slide on one of the template's layouts."""
    theirs = Presentation(
        io.BytesIO(_retype(template.read_bytes(), TEMPLATE_MAIN, PRESENTATION_MAIN))
    )
    ours = Presentation(io.BytesIO(data))
    assert len(ours.slide_masters) == len(theirs.slide_masters)
    layouts, used = _layout_names(data)
    assert layouts == [lay.name for m in theirs.slide_masters for lay in m.slide_layouts]
    assert set(used) <= set(layouts) and len(used) == slides
    members = _members(data)
    assert len([m for m in members if re.fullmatch(r"ppt/slides/slide\d+\.xml", m)]) == slides
    text = b"".join(members.values())
    assert b"Example slide of the template" not in text and b"Example notes" not in text
    # no relationship points at a part the package lacks
    for name, blob in members.items():
        if name.endswith(".rels"):
            base = name.replace("_rels/", "").removesuffix(".rels")
            folder = base.rsplit("/", 1)[0] if "/" in base else ""
            for target, mode in re.findall(rb'Target="([^"]+)"(?: TargetMode="(\w+)")?', blob):
                if mode == b"External":
                    continue
                path = os.path.normpath(os.path.join(folder, target.decode())).lstrip("/")
                assert path in members, (name, target)
    assert TEMPLATE_MAIN not in members["[Content_Types].xml"]


@needs_seed
def test_a_template_is_the_decks_base(tmp_path: Path) -> None:
    template = _template(tmp_path / "institution.pptx")
    plan, data = _deck(template)
    check_built_on(template, data, len(plan.slides))
    assert _deck(template)[1] == data  # same template and class, same bytes
    _, used = _layout_names(data)
    assert used[0] == "Title Slide" and used[3] == "Title and Content"
    assert used[2] == "Section Header"
    # the template's own colour is the slides' title colour; its theme part is unchanged
    assert plan.primary == "005A9C"
    assert b'val="005A9C"' in _members(data)["ppt/theme/theme1.xml"]
    assert not [w for w in plan.warnings if "template" in w.message]
    # slides show the template's background and shapes: no background or hiding of their own
    slide = _members(data)["ppt/slides/slide4.xml"]
    assert b"<p:bg>" not in slide and b"showMasterSp" not in slide
    # text a translator types on any layout is in the edition's language
    pt = _deck(template, "pt")[1]
    for name, blob in _members(pt).items():
        if "slideLayout" in name or "slideMaster" in name:
            assert b'lang="en-US"' not in blob, name


@needs_seed
def test_the_handout_draws_the_templates_shapes(tmp_path: Path) -> None:
    """The master's band is in the deck once (on the master, not copied onto slides) and in
    every miniature of the handout, under the slide's own shapes."""
    from PIL import Image

    template = _template(tmp_path / "institution.pptx")
    plan, data = _deck(template)
    for slide in plan.slides:
        assert [(r.fill, r.y) for r in slide.backdrop] == [("7FB800", 500.0)], slide.id
    members = _members(data)
    assert sum(m.count(b'val="7FB800"') for n, m in members.items() if "slides/" in n) == 0
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(render_plan(plan, "handout"))
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "3",
            "-l",
            "3",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("RGB")
    blue = sum(
        n
        for n, c in image.getcolors(1 << 16)
        if max(abs(a - b) for a, b in zip(c, (0x7F, 0xB8, 0), strict=True)) < 8
    )
    assert blue > 200  # the band under each miniature on the page


@needs_seed
def test_text_reads_on_a_dark_template(tmp_path: Path) -> None:
    from slidegen.layout.design import contrast

    plan, data = _deck(_template(tmp_path / "dark.pptx", dark=True))
    slide = next(s for s in plan.slides if s.kind == "bullets")
    assert slide.background == "000000"
    texts = [sh for sh in slide.shapes if hasattr(sh, "paragraphs") and sh.paragraphs]
    for box in texts:  # on the black ground, or on the band along the foot
        under = "7FB800" if box.y >= 500 else "000000"
        colors = {p.color for p in box.paragraphs}
        assert all(contrast(c, under) >= 4.5 for c in colors), (box.name, colors)


@needs_seed
def test_a_potx_template_is_opened_and_written_as_a_presentation(tmp_path: Path) -> None:
    template = _template(tmp_path / "institution.potx", potx=True)
    plan, data = _deck(template)
    check_built_on(template, data, len(plan.slides))
    assert PRESENTATION_MAIN in _members(data)["[Content_Types].xml"]


@needs_seed
def test_renamed_moved_and_missing_layouts_are_found_and_said(tmp_path: Path) -> None:
    renamed = _template(
        tmp_path / "renamed.pptx",
        rename={"Title and Content": "Title, Content", "Two Content": "Texto en dos columnas"},
        reverse=True,
    )
    template = read_template(renamed)
    choices, notes = choose_layouts(
        template, ("Title Slide", "Title and Content", "Two Content", "Section Header")
    )
    assert choices["Title and Content"].layout.name == "Title, Content"  # LibreOffice's name
    assert choices["Title and Content"].how == "alias"
    assert choices["Two Content"].how == "type"  # renamed, but PowerPoint's type still says
    assert choices["Section Header"].how == "name"
    assert len(notes) == 2 and all("name one with `layouts:`" in n for n in notes)
    plan, data = _deck(renamed)
    check_built_on(renamed, data, len(plan.slides))
    # said only of layouts slides use: the seed's two headed columns go on Comparison, so
    # the renamed Two Content goes unsaid
    said = [w.message for w in plan.warnings if "template renamed.pptx" in w.message]
    assert len(said) == 1 and "'Title, Content'" in said[0]
    assert "Comparison" in {s.layout for s in plan.slides if s.kind == "columns"}
    # only a title slide left: every slide still goes on it, and the deck still builds
    bare = _template(tmp_path / "bare.pptx", keep=(0,))
    plan, data = _deck(bare)
    check_built_on(bare, data, len(plan.slides))
    assert set(_layout_names(data)[1]) == {"Title Slide"}
    # one warning per layout the slides use that the template lacks (Title and Content,
    # Section Header, Title Only, Comparison)
    assert len([w for w in plan.warnings if "template bare.pptx" in w.message]) == 4


@needs_seed
def test_the_theme_names_the_template_and_maps_its_layouts(tmp_path: Path) -> None:
    _template(tmp_path / "brand.pptx", rename={"Title and Content": "Texte"})
    source = tmp_path / "class.yaml"
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("style: abnt", "style: abnt\ntheme: theme.yaml")
    source.write_text(text, encoding="utf-8")
    (tmp_path / "theme.yaml").write_text(
        "template: brand.pptx\nlayouts:\n  Title and Content: Texte\n", encoding="utf-8"
    )
    plan = make_plan(edition(source))
    data = render_plan(plan, "pptx")
    assert "Texte" in _layout_names(data)[1]
    assert not [w for w in plan.warnings if "template" in w.message]
    (tmp_path / "theme.yaml").write_text("template: nowhere.pptx\n", encoding="utf-8")
    with pytest.raises(OutlineError, match="template nowhere.pptx: no such file"):
        make_plan(edition(source))
    (tmp_path / "theme.yaml").write_text("layouts: [Texte]\n", encoding="utf-8")
    with pytest.raises(OutlineError, match="'layouts' maps slidegen's layout names"):
        make_plan(edition(source))


@needs_seed
def test_template_check_and_build_from_the_command_line(tmp_path: Path) -> None:
    from slidegen.cli import main

    template = _template(tmp_path / "institution.pptx", rename={"Two Content": "Duas colunas"})
    project = tmp_path / "project"
    shutil.copytree(SEED.parent, project / "source")
    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert (
            main(
                [
                    "build",
                    "source",
                    "--format",
                    "pptx",
                    "--lang",
                    "en",
                    "--template",
                    str(template),
                    "-q",
                ]
            )
            == 0
        )
        data = (project / "build" / "en" / f"{SEED.stem}.pptx").read_bytes()
        assert "Duas colunas" in _layout_names(data)[0]
        assert main(["template", "check", str(template)]) == 0
    finally:
        os.chdir(cwd)


def test_template_check_says_what_each_kind_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from slidegen.cli import main

    template = _template(tmp_path / "institution.pptx", keep=(0, 1, 5))
    assert main(["template", "check", str(template)]) == 0
    out = capsys.readouterr().out
    assert "1 example slide(s) (removed)" in out
    assert "theme: fonts Calibri (Carlito) / Calibri (Carlito)" in out
    assert (
        "points, numbered, prose, definitions, agenda, summary, references: layout "
        "'Title and Content' (as Title and Content)" in out
    )
    assert "two columns: layout 'Title and Content' (standing in for it)" in out
    assert "column 2: missing" in out
    assert "body: placeholder obj idx 1" in out
    bad = tmp_path / "notes.txt"
    bad.write_text("not a deck", encoding="utf-8")
    assert main(["template", "check", str(bad)]) == 1
    assert "template notes.txt: not a PowerPoint file" in capsys.readouterr().err


# ---------------------------------------------------------------- real templates


def _audit(paths: list[Path]) -> dict[str, list[Any]]:
    from test_deck_package import audit

    return audit(paths)


def _impress(tmp_path: Path, names: tuple[str, ...] = IMPRESS) -> list[Path]:
    """LibreOffice's own Impress templates, converted to .pptx by LibreOffice."""
    sources = [LIBREOFFICE_TEMPLATES / f"{name}.otp" for name in names]
    sources = [s for s in sources if s.is_file()]
    if shutil.which("soffice") is None or not sources:
        pytest.skip("LibreOffice and its Impress templates are not installed")
    from slidegen.build.preview import office_pdf_args

    args = office_pdf_args("soffice", sources, tmp_path, tmp_path / "profile")
    args[args.index("pdf")] = "pptx"
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    return [tmp_path / f"{s.stem}.pptx" for s in sources]


def _corpus(tmp_path: Path) -> list[Path]:
    found = _impress(tmp_path)
    pandoc = os.environ.get("SLIDEGEN_PANDOC_PPTX")  # a checkout of jgm/pandoc's test/pptx
    if pandoc:
        root = Path(pandoc)
        found += sorted(root.glob("footer/*/reference.pptx"))
        found += [
            root / n
            for n in (
                "reference-deleted-layouts.pptx",
                "reference-moved-layouts.pptx",
                "reference-depth.pptx",
            )
        ]
    return found


@pytest.mark.slow
def test_a_long_title_stays_clear_of_the_byline_on_every_template(tmp_path: Path) -> None:
    """A three-line title with a subtitle (the corpus's trafficking class) sits above the
    cover's lecturer, institution and date on every Impress template: on DNA its subtitle
    was drawn over the lecturer's name."""
    outline = Path(__file__).parent / "data" / "classes" / "trafficking-routes.yaml"
    ed = edition(outline)
    for template in _impress(tmp_path):
        cover = make_plan(ed, template=template).slides[0]
        boxes = {shape.name: shape for shape in cover.shapes if isinstance(shape, TextBox)}
        above = boxes.get("Subtitle", boxes["Title"])
        assert above.y + above.h <= boxes["Byline"].y, template.name


@pytest.mark.slow
@needs_seed
def test_real_templates_in_every_language(tmp_path: Path) -> None:
    """Every corpus template, every language: the build succeeds on the template's layouts,
    its example slides gone, nothing overflows when LibreOffice renders it, and the strict
    validator finds nothing."""
    require_tools = ("pdftotext", "pdffonts")
    for tool in require_tools:
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool}")
    decks: dict[str, bytes] = {}
    for template in _corpus(tmp_path / "templates"):
        for lang in seed_languages():
            plan, data = _deck(template, lang)
            check_built_on(template, data, len(plan.slides))
            assert plan.language == TAGS[lang]
            decks[f"{template.stem}-{template.parent.name}-{lang}"] = data
    (tmp_path / "rendered").mkdir()
    pdfs = render(decks, tmp_path / "rendered")
    problems = {name: overflow_problems(pdf) for name, pdf in pdfs.items()}
    assert {name: p for name, p in problems.items() if p} == {}
    paths = []
    for name, data in decks.items():
        if name.endswith("-en"):
            paths.append(tmp_path / f"{name}.pptx")
            paths[-1].write_bytes(data)
    assert _audit(paths) == {p.name: [] for p in paths}
    json.dumps(sorted(decks))  # the names are plain


LAYOUT_CLASS = """id: layouts
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - {id: plain, title: Plain points, bullets: [one, two]}
      - {id: named, title: Named layout, bullets: [three], layout: Title Only}
      - {id: theirs, title: The template's own, bullets: [four], layout: "Title, Content"}
      - {id: nowhere, title: No such layout, bullets: [five], layout: Fancy}
"""


def test_a_slide_names_its_layout(tmp_path: Path) -> None:
    """`layout:` on a slide: one of slidegen's layouts, or on a template the template's own
    by its name; a layout the deck lacks is a warning naming the slide."""
    source = tmp_path / "layouts.yaml"
    source.write_text(LAYOUT_CLASS, encoding="utf-8")
    plan = make_plan(edition(source))
    on = {s.id: s.layout for s in plan.slides}
    assert on["plain"] == "Title and Content" and on["named"] == "Title Only"
    assert on["nowhere"] == "Title and Content"
    [warning] = [w for w in plan.warnings if "Fancy" in w.message]
    assert warning.slide == "nowhere" and "Title Only" in warning.message
    slides = {
        s.id: d
        for s, d in zip(
            plan.slides, Presentation(io.BytesIO(render_plan(plan, "pptx"))).slides, strict=True
        )
    }
    assert slides["named"].slide_layout.name == "Title Only"
    # on a template whose content layout is LibreOffice's "Title, Content"
    template = _template(tmp_path / "lo.pptx", rename={"Title and Content": "Title, Content"})
    plan = make_plan(edition(source), template=template)
    data = render_plan(plan, "pptx")
    used = dict(zip([s.id for s in plan.slides], _layout_names(data)[1], strict=True))
    assert used["theirs"] == "Title, Content" and used["named"] == "Title Only"
    check_built_on(template, data, len(plan.slides))
