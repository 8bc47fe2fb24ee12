"""An institution's PowerPoint template (.pptx, .potx): its size, theme colours and fonts, and
its masters' layouts with their placeholders' frames; which layout each slide kind goes on."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from slidegen.errors import OutlineError, Problem
from slidegen.fonts.twins import CONSERVATIVE, twin_of
from slidegen.plan import LAYOUT_TYPES, THEME_COLOR_SLOTS
from slidegen.pptx_open import open_presentation
from slidegen.read.backdrop import (
    Art,
    TemplateLine,
    TemplatePicture,
    TemplateShape,
    TextLook,
    frame_of,
    read_backdrop,
    read_background,
    text_look,
)

__all__ = [
    "Template",
    "TemplateLayout",
    "TemplatePlaceholder",
    "TemplateShape",
    "TemplateLine",
    "TemplatePicture",
    "TextLook",
    "Art",
    "Choice",
    "read_template",
    "choose_layouts",
    "ALIASES",
]

_EMU = 12700.0
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
#: Other names slidegen's layouts go by: LibreOffice's, and PowerPoint's in Portuguese,
#: Spanish and French.
ALIASES: dict[str, tuple[str, ...]] = {
    "Title Slide": ("Slide de Título", "Diapositiva de título", "Diapositive de titre"),
    "Title and Content": (
        "Title, Content",
        "Título e Conteúdo",
        "Título y objetos",
        "Titre et contenu",
    ),
    "Section Header": ("Cabeçalho da Seção", "Encabezado de sección", "Titre de section"),
    "Two Content": (
        "Title, 2 Content",
        "Duas Partes de Conteúdo",
        "Dos objetos",
        "Deux contenus",
    ),
    "Comparison": ("Comparação", "Comparación", "Comparaison"),
    "Title Only": ("Somente Título", "Solo el título", "Titre seul"),
    "Blank": ("Blank Slide", "Em branco", "En blanco", "Vide"),
    "Content with Caption": (
        "Conteúdo com Legenda",
        "Contenido con título",
        "Contenu avec légende",
    ),
    "Picture with Caption": ("Imagem com Legenda", "Imagen con título", "Image avec légende"),
}
_SLOTS = THEME_COLOR_SLOTS
#: A master placeholder a layout's placeholder takes its frame from when it has none.
_INHERITS = {"ctrTitle": "title", "subTitle": "body", "obj": "body", "pic": "body"}


@dataclass(frozen=True)
class TemplatePlaceholder:
    """A placeholder of a layout: type, idx and frame in points."""

    type: str
    idx: int
    x: float
    y: float
    w: float
    h: float
    #: how a footer, date or slide-number placeholder sets its text (its own, else its
    #: master's placeholder's)
    look: TextLook = TextLook()


@dataclass(frozen=True)
class TemplateLayout:
    """A layout of one of the template's masters."""

    master: int
    index: int
    name: str
    type: str
    placeholders: tuple[TemplatePlaceholder, ...]
    #: the background colour its slides show (its own, else its master's), if a plain colour
    background: str | None = None
    #: its footer, date and slide-number placeholders, else its master's (where a slide's
    #: footer and number go)
    footers: tuple[TemplatePlaceholder, ...] = ()
    #: its background picture (its own, else its master's) and its master's shapes (unless it
    #: hides them) and its own, in drawing order
    backdrop: tuple[Art, ...] = ()

    def count(self, *types: str) -> int:
        return sum(1 for ph in self.placeholders if ph.type in types)

    def first(self, *types: str) -> TemplatePlaceholder | None:
        return next((ph for ph in self.placeholders if ph.type in types), None)


@dataclass(frozen=True)
class Template:
    """What slidegen reads of a template."""

    path: str
    width: float
    height: float
    #: the theme's colour slots (dk1 lt1 dk2 lt2 accent1-6 hlink folHlink), RRGGBB
    colors: tuple[tuple[str, str], ...]
    heading_font: str
    body_font: str
    #: the first master's background colour when it is a plain fill
    background: str | None
    layouts: tuple[TemplateLayout, ...]
    slides: int

    def color(self, slot: str, default: str) -> str:
        return dict(self.colors).get(slot, default)

    def layout_at(self, ref: tuple[int, int]) -> TemplateLayout | None:
        """The layout at (master, position among the master's layouts)."""
        return next((lay for lay in self.layouts if (lay.master, lay.index) == ref), None)

    @property
    def first_master(self) -> tuple[TemplateLayout, ...]:
        return tuple(lay for lay in self.layouts if lay.master == 0)


@dataclass(frozen=True)
class Choice:
    """The template layout chosen for one of slidegen's layouts, and how it was found."""

    wanted: str
    layout: TemplateLayout
    #: "name", "mapping", "alias", "type", "placeholders", "stand-in", "position", "fallback"
    how: str

    @property
    def exact(self) -> bool:
        return self.how in ("name", "mapping")


_Found = tuple[str, int, tuple[float, float, float, float] | None, TextLook]


def _placeholders(tree: Any, colors: dict[str, str]) -> list[_Found]:
    out = []
    for sp in tree.iter(f"{_P}sp", f"{_P}pic"):
        ph = sp.find(f".//{_P}nvPr/{_P}ph")
        if ph is None:
            continue
        kind = ph.get("type", "obj")
        look = text_look(sp, colors) if kind in _FOOTERS else TextLook()
        out.append((kind, int(ph.get("idx", "0")), frame_of(sp), look))
    return out


def _merged(own: TextLook, master: TextLook | None) -> TextLook:
    """A layout placeholder's text look, what it leaves unsaid taken from its master's."""
    if master is None:
        return own
    return TextLook(
        own.size or master.size,
        own.color or master.color,
        own.align or master.align,
        own.anchor or master.anchor,
    )


_FOOTERS = ("dt", "ftr", "sldNum")


def _bad(path: Path, why: str) -> OutlineError:
    return OutlineError(
        [
            Problem(
                f"template {path.name}: {why}",
                hint="give a .pptx or .potx saved by PowerPoint or LibreOffice Impress",
            )
        ]
    )


def read_template(path: Path) -> Template:
    """Read `path`; a file that is not a presentation is an error naming it. A file already
    read (same path, size and time) is not parsed again: every edition of a build uses it."""
    try:
        stat = path.stat()
    except OSError:
        raise _bad(path, "no such file") from None
    return _read_once(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read_once(name: str, size: int, mtime: int) -> Template:
    del size, mtime  # part of the cache key only
    return _read(Path(name))


def _read(path: Path) -> Template:
    try:
        prs = open_presentation(path)
    except FileNotFoundError:
        raise _bad(path, "no such file") from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _bad(path, f"not a PowerPoint file ({exc})") from None
    masters = list(prs.slide_masters)
    if not masters:
        raise _bad(path, "it has no slide master")
    theme = masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    root = etree.fromstring(theme.blob)
    colors = []
    for slot in _SLOTS:
        el = root.find(f".//{_A}clrScheme/{_A}{slot}")
        if el is not None and len(el):
            val = el[0].get("val") if el[0].tag == f"{_A}srgbClr" else el[0].get("lastClr")
            if val:
                colors.append((slot, val.upper()))
    fonts = []
    for kind in ("major", "minor"):
        latin = root.find(f".//{_A}{kind}Font/{_A}latin")
        fonts.append(latin.get("typeface", "") if latin is not None else "")
    palette = dict(colors)
    layouts = []
    size = (prs.slide_width / _EMU, prs.slide_height / _EMU)
    for m, master in enumerate(masters):
        found = _placeholders(master._element, palette)
        inherited = {t: f for t, _, f, _ in found if f}
        looks = {t: look for t, _, _, look in found}
        where = str(master.part.partname).rsplit("/", 1)[-1]
        master_bg, master_pic, _ = read_background(
            master.part, master._element, palette, size, where
        )
        master_art = read_backdrop(master.part, master._element, palette, where)
        master_footers = tuple(
            TemplatePlaceholder(t, idx, *frame, look)
            for t, idx, frame, look in found
            if t in _FOOTERS and frame
        )
        for n, lay in enumerate(master.slide_layouts):
            phs = []
            for kind, idx, frame, look in _placeholders(lay._element, palette):
                frame = frame or inherited.get(kind) or inherited.get(_INHERITS.get(kind, ""))
                if frame:
                    phs.append(
                        TemplatePlaceholder(kind, idx, *frame, _merged(look, looks.get(kind)))
                    )
            name = str(lay.part.partname).rsplit("/", 1)[-1]
            color, picture, own = read_background(lay.part, lay._element, palette, size, name)
            if not own:
                color, picture = master_bg, master_pic
            shown = lay._element.get("showMasterSp", "1") not in ("0", "false")
            backdrop: list[Art] = [picture] if picture else []
            backdrop += (master_art if shown else []) + read_backdrop(
                lay.part, lay._element, palette, name
            )
            footers = tuple(ph for ph in phs if ph.type in _FOOTERS) or master_footers
            layouts.append(
                TemplateLayout(
                    m,
                    n,
                    lay.name,
                    lay._element.get("type", "cust"),
                    tuple(phs),
                    background=color,
                    footers=footers,
                    backdrop=tuple(backdrop),
                )
            )
    fill = masters[0]._element.find(f"{_P}cSld/{_P}bg/{_P}bgPr/{_A}solidFill/{_A}srgbClr")
    return Template(
        path=str(path),
        width=prs.slide_width / _EMU,
        height=prs.slide_height / _EMU,
        colors=tuple(colors),
        heading_font=fonts[0],
        body_font=fonts[1],
        background=fill.get("val").upper() if fill is not None else None,
        layouts=tuple(layouts),
        slides=len(prs.slides),
    )


def _by_placeholders(name: str, lay: TemplateLayout) -> bool:
    content = lay.count("obj", "body")
    titled = lay.count("title", "ctrTitle") == 1
    if name == "Title Slide":
        return lay.count("ctrTitle") == 1 or (titled and lay.count("subTitle") == 1)
    if name == "Title and Content":
        return titled and lay.count("obj") + lay.count("body") == 1 and not lay.count("subTitle")
    if name == "Two Content":
        return titled and content == 2
    if name == "Picture with Caption":
        return titled and lay.count("pic") == 1
    if name == "Section Header":
        return titled and content <= 1 and not lay.count("obj")
    if name == "Title Only":
        return titled and content == 0 and not lay.count("subTitle", "pic")
    if name == "Blank":
        return not titled and content == 0
    return False


def choose_layouts(
    template: Template, wanted: tuple[str, ...], mapping: dict[str, str] | None = None
) -> tuple[dict[str, Choice], list[str]]:
    """For each of slidegen's layouts in `wanted`, the template layout it uses: named in
    `mapping` (the theme's `layouts:`), by its name, another name it goes by, its layout type,
    its placeholders, its position, else the first layout with a title. Returns the choices
    and one warning per layout not found by its name."""
    pool = template.first_master or template.layouts
    by_name = {lay.name.casefold(): lay for lay in pool}
    out: dict[str, Choice] = {}
    warnings: list[str] = []
    order = list(LAYOUT_TYPES)
    for name in wanted:
        kind, aliases = LAYOUT_TYPES[name], ALIASES[name]
        mapped = (mapping or {}).get(name)
        found: tuple[TemplateLayout, str] | None = None
        if mapped and mapped.casefold() in by_name:
            found = (by_name[mapped.casefold()], "mapping")
        elif mapped:
            warnings.append(f"the theme maps {name!r} to {mapped!r}, which the template lacks")
        if found is None and name.casefold() in by_name:
            found = (by_name[name.casefold()], "name")
        for alias in aliases if found is None else ():
            if alias.casefold() in by_name:
                found = (by_name[alias.casefold()], "alias")
                break
        if found is None:
            typed = [lay for lay in pool if lay.type == kind]
            if typed:
                found = (typed[0], "type")
        if found is None:
            fitting = [lay for lay in pool if _by_placeholders(name, lay)]
            if fitting:
                found = (fitting[0], "placeholders")
        stand_in = _STAND_INS.get(name)
        if found is None and stand_in in out:
            found = (out[stand_in].layout, "stand-in")
        if found is None and order.index(name) < len(pool):
            found = (pool[order.index(name)], "position")
        if found is None:
            titled = [lay for lay in pool if lay.count("title", "ctrTitle")] or list(pool)
            found = (titled[0], "fallback")
        choice = Choice(name, *found)
        out[name] = choice
        if not choice.exact:
            warnings.append(
                f"no layout named {name!r}: its slides use {choice.layout.name!r} "
                f"(found by {_HOW[choice.how]}); name one with `layouts:` in the theme"
            )
    return out, warnings


#: What a layout the template lacks falls back on, when one of slidegen's earlier layouts was
#: found (the order of `wanted` decides which were).
_STAND_INS = {
    "Section Header": "Title Slide",
    "Two Content": "Title and Content",
    "Title Only": "Title and Content",
    "Picture with Caption": "Title and Content",
    "Comparison": "Two Content",
    "Content with Caption": "Picture with Caption",
}
_HOW = {
    "stand-in": "standing in for it",
    "alias": "another name it goes by",
    "type": "its layout type",
    "placeholders": "its placeholders",
    "position": "its position in the master",
    "fallback": "having a title",
}


#: The slide kinds on each of slidegen's layouts, and the placeholders they fill.
KINDS: dict[str, tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "Title Slide": (
        "cover, title slides",
        (("title", ("ctrTitle", "title")), ("subtitle", ("subTitle", "body"))),
    ),
    "Title and Content": (
        "points, numbered, prose, definitions, agenda, summary, references",
        (("title", ("title", "ctrTitle")), ("body", ("obj", "body"))),
    ),
    "Section Header": ("section dividers", (("title", ("title", "ctrTitle")),)),
    "Two Content": (
        "two columns",
        (
            ("title", ("title", "ctrTitle")),
            ("column 1", ("obj", "body")),
            ("column 2", ("obj", "body")),
        ),
    ),
    "Title Only": ("quotes, timelines, tables", (("title", ("title", "ctrTitle")),)),
    "Comparison": (
        "two columns with headings",
        (
            ("title", ("title", "ctrTitle")),
            ("heading 1", ("body",)),
            ("column 1", ("obj", "body")),
            ("heading 2", ("body",)),
            ("column 2", ("obj", "body")),
        ),
    ),
    "Content with Caption": (
        "a picture beside text in columns",
        (("title", ("title", "ctrTitle")), ("picture", ("obj", "pic")), ("text", ("body",))),
    ),
    "Picture with Caption": (
        "pictures",
        (("title", ("title", "ctrTitle")), ("picture", ("pic", "obj")), ("caption", ("body",))),
    ),
}


def _measured(family: str) -> str:
    """A theme font and what measures it, e.g. "Calibri (Carlito)"."""
    if not family:
        return "-"
    twin = twin_of(family)
    if twin is None:
        return f"{family} (no metric twin: measured with {CONSERVATIVE.family}, wider)"
    return family if twin.family == family else f"{family} ({twin.family})"


def _described(art: tuple[Art, ...]) -> str:
    """The backdrop of a layout in a few words: its pictures by name, how many shapes."""
    pictures = [a.name.split(": ", 1)[-1] for a in art if isinstance(a, TemplatePicture)]
    shapes = sum(1 for a in art if isinstance(a, TemplateShape))
    lines = sum(1 for a in art if isinstance(a, TemplateLine))
    parts = [f"picture {name}" for name in pictures]
    parts += [f"{shapes} filled shape(s)"] if shapes else []
    parts += [f"{lines} line(s)"] if lines else []
    return ", ".join(parts)


def check_report(path: Path, mapping: dict[str, str] | None = None) -> str:
    """What slidegen uses of the template at `path`, as `slidegen template check` prints it."""
    template = read_template(path)
    choices, notes = choose_layouts(template, tuple(KINDS), mapping)
    masters = len({lay.master for lay in template.layouts})
    lines = [
        f"{path.name}: {template.width:g} × {template.height:g} pt, {masters} master(s), "
        f"{len(template.layouts)} layouts, {template.slides} example slide(s) (removed)",
        f"theme: fonts {_measured(template.heading_font)} / {_measured(template.body_font)}, "
        "colours "
        + " ".join(f"{slot}={value}" for slot, value in template.colors[:5]),
    ]
    for name, (kinds, fills) in KINDS.items():
        choice = choices[name]
        lay = choice.layout
        lines.append(
            f"{kinds}: layout {lay.name!r} ({'as ' + name if choice.exact else _HOW[choice.how]})"
        )
        used: set[int] = set()
        for role, types in fills:
            ph = next(
                (i for i, p in enumerate(lay.placeholders) if p.type in types and i not in used),
                None,
            )
            if ph is None:
                lines.append(f"  {role}: missing — drawn as a free shape")
                continue
            used.add(ph)
            p = lay.placeholders[ph]
            lines.append(
                f"  {role}: placeholder {p.type} idx {p.idx} at {p.x:.0f},{p.y:.0f} "
                f"{p.w:.0f}×{p.h:.0f} pt"
            )
        for kind in ("ftr", "sldNum"):
            what = "footer" if kind == "ftr" else "slide number"
            master = next((p for p in lay.footers if p.type == kind), None)
            if lay.first(kind) is None and master is None:
                lines.append(f"  {what}: missing — drawn as a free shape at slidegen's place")
            elif lay.first(kind) is None and master is not None:
                lines.append(
                    f"  {what}: missing — drawn as a free shape in the master's frame at "
                    f"{master.x:.0f},{master.y:.0f} {master.w:.0f}×{master.h:.0f} pt"
                )
        if lay.backdrop:
            lines.append(f"  design under the slides: {_described(lay.backdrop)}")
    lines += [f"warning: {note}" for note in notes]
    return "\n".join(lines)
