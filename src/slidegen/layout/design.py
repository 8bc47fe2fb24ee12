"""slidegen's own design as a template: the theme's colours and fonts, a master's text styles
and the named layouts (with their placeholders' frames) that each slide kind is put on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from slidegen.layout.legible import contrast
from slidegen.layout.shapes import Geometry, mix
from slidegen.layout.text import HANG, V_SAFETY
from slidegen.plan import (
    LAYOUT_TYPES,
    Design,
    Fill,
    Line,
    Picture,
    Placeholder,
    PlaceholderType,
    Rect,
    Shape,
    SlideLayout,
    TextStyle,
)
from slidegen.read.template import (
    Art,
    Choice,
    Template,
    TemplateLayout,
    TemplateLine,
    TemplatePicture,
    TemplateShape,
    choose_layouts,
)
from slidegen.read.theme import Theme

__all__ = [
    "design",
    "layout_of",
    "LAYOUT_NAMES",
    "template_theme",
    "template_design",
    "USED",
    "contrast",
    "with_named",
]

#: The layouts of slidegen's master, in PowerPoint's order of its Office theme.
LAYOUT_NAMES = tuple(LAYOUT_TYPES)
#: The layout each kind of slide is put on (any other kind: "Title Only").
_KIND_LAYOUT = {
    "title": "Title Slide",
    "section": "Section Header",
    "bullets": "Title and Content",
    "numbered": "Title and Content",
    "prose": "Title and Content",
    "definitions": "Title and Content",
    "references": "Title and Content",
    "agenda": "Title and Content",
    "summary": "Title and Content",
    "columns": "Two Content",
    "image": "Picture with Caption",
}
#: The layouts slides are put on (what a template must provide, or stand in for).
USED = (
    "Title Slide",
    "Title and Content",
    "Section Header",
    "Two Content",
    "Title Only",
    "Picture with Caption",
    "Comparison",
    "Content with Caption",
)
_BULLETS = ("•", "–", "◦", "▪")
_FOOTER, _NUMBER, _DATE = 11, 12, 10


def layout_of(kind: str) -> str:
    """The name of the layout a slide of `kind` is put on."""
    return _KIND_LAYOUT.get(kind, "Title Only")


def _ph(
    kind: PlaceholderType,
    idx: int,
    frame: tuple[float, float, float, float],
    fills: Fill,
    name: str,
) -> Placeholder:
    x, y, w, h = frame
    return Placeholder(kind, idx, x, y, w, h, fills, name)


def design(theme: Theme, footer: str = "") -> Design:
    """The design of `theme`: its colours in the theme's slots, its font for headings and body,
    text styles per level, the layouts with the frames the layout stage fits into, and the
    `footer` text its footer placeholders hold."""
    s, t, c = Geometry(theme), theme, theme.colors
    largest = t.sizes.title[0]
    title_h = largest * 1.1 / V_SAFETY + 2
    title = (s.left, s.top, s.content_w, title_h)
    rule_y = s.top + title_h + 6
    body_top = rule_y + 4 + 20
    body = (s.left, body_top, s.content_w, s.body_bottom - body_top)
    gap = 36.0
    half = (s.content_w - gap) / 2
    left = (s.left, body_top, half, s.body_bottom - body_top)
    right = (s.left + half + gap, body_top, half, s.body_bottom - body_top)
    size = t.sizes.footer
    foot_y = t.height - s.bottom - size * 1.2
    foot_h = size * 1.2 / V_SAFETY
    footers = (
        _ph("dt", _DATE, (s.left + s.content_w - 300, foot_y, 200, foot_h), "", "Date Placeholder"),
        _ph(
            "ftr",
            _FOOTER,
            (s.left, foot_y, s.content_w - 110, foot_h),
            "footer",
            "Footer Placeholder",
        ),
        _ph(
            "sldNum",
            _NUMBER,
            (s.left + s.content_w - 90, foot_y, 90, foot_h),
            "number",
            "Slide Number Placeholder",
        ),
    )
    content_decor = (
        Rect(s.left, rule_y, 64, 4, fill=c.accent, name="Accent rule"),
        Rect(s.left, foot_y - 8, s.content_w, 0.75, fill=c.grid, name="Footer rule"),
    )
    dark = c.primary  # the title slide's and dividers' background

    def content(name: str, *extra: Placeholder, decor: bool = True) -> SlideLayout:
        title_ph = _ph("title", 0, title, "title", "Title")
        return SlideLayout(name, (title_ph, *extra, *footers), None, content_decor if decor else ())

    cover_x = s.left + 28
    cover_w = s.content_w - 28
    cover_title_h = t.sizes.cover_title[0] * 1.05 * 2 / V_SAFETY + 2
    cover_y = t.height * 0.42 - cover_title_h / 2
    caption_h = t.sizes.caption * 1.2 * 3 / V_SAFETY
    section_y = t.height / 2 - 40
    layouts = (
        SlideLayout(
            "Title Slide",
            (
                _ph("ctrTitle", 0, (cover_x, cover_y, cover_w, cover_title_h), "title", "Title"),
                _ph(
                    "subTitle",
                    1,
                    (cover_x, t.height - s.bottom - 24 - 80, cover_w, 80),
                    "subtitle",
                    "Subtitle",
                ),
            ),
            dark,
            (
                Rect(s.left, cover_y + 4, 6, cover_title_h - 8, fill=c.accent, name="Accent bar"),
                Rect(0, t.height - 10, t.width, 10, fill=c.accent, name="Accent band"),
            ),
        ),
        content("Title and Content", _ph("obj", 1, body, "body", "Content Placeholder")),
        SlideLayout(
            "Section Header",
            (
                _ph("title", 0, (s.left, section_y, s.content_w * 0.78, 100), "title", "Title"),
                _ph(
                    "body",
                    1,
                    (s.left, section_y + 112, s.content_w * 0.78, 60),
                    "subtitle",
                    "Text Placeholder",
                ),
            ),
            dark,
            (Rect(s.left, section_y - 12, 64, 4, fill=c.accent, name="Accent rule"),),
        ),
        content(
            "Two Content",
            _ph("obj", 1, left, "body", "Content Placeholder"),
            _ph("obj", 2, right, "body", "Content Placeholder"),
        ),
        content(
            "Comparison",
            _ph("body", 1, (left[0], left[1], half, 40), "label", "Text Placeholder"),
            _ph(
                "obj", 2, (left[0], left[1] + 48, half, left[3] - 48), "body", "Content Placeholder"
            ),
            _ph("body", 3, (right[0], right[1], half, 40), "label", "Text Placeholder"),
            _ph(
                "obj",
                4,
                (right[0], right[1] + 48, half, right[3] - 48),
                "body",
                "Content Placeholder",
            ),
        ),
        content("Title Only"),
        SlideLayout("Blank", footers),
        content(
            "Content with Caption",
            _ph("obj", 1, right, "picture", "Content Placeholder"),
            _ph("body", 2, left, "caption", "Text Placeholder"),
        ),
        content(
            "Picture with Caption",
            _ph(
                "pic",
                1,
                (body[0], body[1], body[2], body[3] - caption_h - 8),
                "picture",
                "Picture Placeholder",
            ),
            _ph(
                "body",
                2,
                (body[0], body[1] + body[3] - caption_h, body[2], caption_h),
                "caption",
                "Text Placeholder",
            ),
        ),
    )
    top, small = t.sizes.body
    ratio = t.level_ratio
    levels = []
    indent = 0.0
    for level in range(5):
        sz = max(small, top * ratio**level)
        indent += sz * 1.0
        levels.append(
            TextStyle(
                sz,
                c.text,
                bullet=_BULLETS[min(level, 3)],
                bullet_color=c.accent,
                indent=indent,
                hang=sz * HANG,
                space_before=sz * 0.4,
            )
        )
    return Design(
        name=t.name,
        colors=(
            c.text,
            c.background,
            c.primary,
            c.soft,
            c.accent,
            c.primary,
            c.muted,
            c.grid,
            mix(c.accent, c.primary, 0.5),
            c.on_primary,
            c.primary,
            c.muted,
        ),
        heading_font=t.heading_font or t.font,
        body_font=t.font,
        background=c.background,
        title=TextStyle(largest, c.primary, bold=True, line_spacing=1.1),
        body=tuple(levels),
        footer=TextStyle(size, c.muted),
        layouts=layouts,
        footer_text=footer,
    )


# ---------------------------------------------------------------- an institution's template

_FILLS: dict[str, dict[str, Fill]] = {
    "Title Slide": {"ctrTitle": "title", "title": "title", "subTitle": "subtitle"},
    "Section Header": {
        "title": "title",
        "ctrTitle": "title",
        "body": "subtitle",
        "subTitle": "subtitle",
    },
    "Picture with Caption": {"title": "title", "pic": "picture", "body": "caption"},
    "Comparison": {"title": "title", "ctrTitle": "title", "body": "label", "obj": "body"},
    "Content with Caption": {
        "title": "title",
        "ctrTitle": "title",
        "obj": "picture",
        "pic": "picture",
        "body": "caption",
    },
}


def template_theme(theme: Theme, template: Template, choices: dict[str, Choice]) -> Theme:
    """`theme` on the template: its slide size, margins from the title and content frames of
    its "Title and Content" layout, its theme colours and its theme fonts (heading and body)."""
    content = choices["Title and Content"].layout
    title = content.first("title", "ctrTitle")
    body = content.first("obj", "body")
    margins = theme.margins
    footer = theme.sizes.footer * 1.2 + 24
    sensible = (
        title is not None
        and body is not None
        and title.y < template.height * 0.25
        and title.y + title.h <= body.y + 1
        and body.h > template.height * 0.4
    )
    if not sensible:  # no real content layout (only a title slide left): the theme's margins
        title = body = None
    if title is not None:
        margins = replace(
            margins,
            left=max(12.0, title.x),
            right=max(12.0, template.width - title.x - title.w),
            top=max(12.0, title.y),
        )
    if body is not None:
        margins = replace(margins, bottom=max(12.0, template.height - body.y - body.h - footer))
    c = theme.colors
    background = template.background or template.color("lt1", c.background)
    frame = body or title
    if frame is not None:  # what lies under the text: the topmost filled shape there, if any
        cx, cy = frame.x + frame.w / 2, frame.y + frame.h / 3
        under = [
            b
            for b in content.backdrop
            if isinstance(b, TemplateShape) and b.x <= cx <= b.x + b.w and b.y <= cy <= b.y + b.h
        ]
        if under:
            background = under[-1].fill
    # text in whichever of the theme's dark and light colours reads on the background (a dark
    # template draws its text light); titles in dk2 unless it does not read there either
    dark, light = template.color("dk1", c.text), template.color("lt1", c.background)
    text = max((dark, light), key=lambda color: contrast(color, background))
    primary = template.color("dk2", c.primary)
    if contrast(primary, background) < 3.0:
        primary = max((template.color("lt2", light), text), key=lambda k: contrast(k, background))
    accent = template.color("accent1", c.accent)
    if contrast(accent, background) < 2.0:
        accent = primary
    soft = template.color("lt2", c.soft)  # callout and table tints: the text must read on them
    if contrast(text, soft) < 4.5:
        soft = mix(text, background, 0.12)
    colors = replace(
        c,
        primary=primary,
        accent=accent,
        text=text,
        muted=mix(text, background, 0.7),
        background=background,
        on_primary=text,  # cover and dividers sit on the template's own background
        soft=soft,
        grid=mix(text, background, 0.3),
    )
    return replace(
        theme,
        page=(template.width, template.height),
        margins=margins,
        colors=colors,
        font=template.body_font or theme.font,
        heading_font=template.heading_font or theme.heading_font,
    )


def _from_template(name: str, layout: TemplateLayout) -> SlideLayout:
    """One of the template's layouts under slidegen's name for it: its placeholders (with
    which slide shape fills each), its background and shapes, where it sits in the template."""
    fills = _FILLS.get(name, {"title": "title", "ctrTitle": "title", "obj": "body", "body": "body"})
    placeholders = tuple(
        Placeholder(
            ph.type if ph.type in _TYPES else "obj",  # type: ignore[arg-type]
            ph.idx,
            ph.x,
            ph.y,
            ph.w,
            ph.h,
            _SPECIAL.get(ph.type) or fills.get(ph.type, ""),
            f"{ph.type} {ph.idx}",
        )
        for ph in layout.placeholders
    )
    backdrop = tuple(_shape(b) for b in layout.backdrop)
    return SlideLayout(
        name, placeholders, layout.background, backdrop, ref=(layout.master, layout.index)
    )


def _shape(art: Art) -> Shape:
    """A template's picture, line or filled shape as the plan draws it."""
    if isinstance(art, TemplatePicture):
        return Picture(art.x, art.y, art.w, art.h, art.name, "", "Template picture", art.data)
    if isinstance(art, TemplateLine):
        return Line(art.x1, art.y1, art.x2, art.y2, art.color, art.width, "Template line")
    return Rect(
        art.x,
        art.y,
        art.w,
        art.h,
        fill=art.fill,
        ellipse=art.ellipse,
        radius=art.radius,
        name="Template shape",
        opacity=art.opacity,
    )


def template_design(
    template: Template, choices: dict[str, Choice], theme: Theme, footer: str = ""
) -> Design:
    """The design of a deck on `template`: the chosen layouts, named as slidegen names them,
    with the template's placeholders (and which slide shape fills each) and where to find
    them in the template's masters."""
    own = design(theme, footer)
    layouts = tuple(_from_template(name, c.layout) for name, c in choices.items())
    return replace(own, name=Path(template.path).stem, layouts=layouts, template=template.path)


def with_named(
    look: Design, template: Template | None, names: set[str]
) -> tuple[Design, dict[str, str]]:
    """`look` with the layouts slides name with their `layout:` key: one of slidegen's, or on
    a template one of the template's own (by its name) or one it stands in for. Returns the
    design and, for each name it cannot give, why."""
    added: list[SlideLayout] = []
    missing: dict[str, str] = {}
    for name in sorted(names):
        if look.layout(name) is not None:
            continue
        if template is None:
            missing[name] = "slidegen's layouts are " + ", ".join(LAYOUT_NAMES)
            continue
        own = {lay.name.casefold(): lay for lay in template.first_master or template.layouts}
        if name.casefold() in own:
            added.append(_from_template(name, own[name.casefold()]))
        elif name in LAYOUT_TYPES:
            choices, _ = choose_layouts(template, (name,))
            added.append(_from_template(name, choices[name].layout))
        else:
            missing[name] = "the template's layouts are " + ", ".join(
                lay.name for lay in template.first_master
            )
    return replace(look, layouts=(*look.layouts, *added)), missing


_SPECIAL: dict[str, Fill] = {"ftr": "footer", "sldNum": "number", "dt": "date"}
_TYPES = {"title", "ctrTitle", "subTitle", "body", "obj", "pic", "dt", "ftr", "sldNum"}
