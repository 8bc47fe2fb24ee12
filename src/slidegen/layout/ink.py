"""An ink-saving variant of a plan, for printed handouts: dark slides drawn light, greyscale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from slidegen.layout.shapes import mix
from slidegen.plan import (
    Cell,
    Line,
    Paragraph,
    Picture,
    Plan,
    PlannedSlide,
    Rect,
    Shape,
    TableShape,
    TextBox,
)

__all__ = ["ink_saving", "luminance"]

WHITE = "FFFFFF"
_Ink = Callable[[str], str]


def luminance(color: str) -> float:
    """The relative lightness of an RRGGBB colour, 0 (black) to 1 (white)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _grey(color: str) -> str:
    level = f"{round(luminance(color) * 255):02X}"
    return level * 3


def ink_saving(plan: Plan, greyscale: bool = True) -> Plan:
    """`plan` as a printer should draw it: slides on a dark background (the title slide,
    section dividers) turned light — white ground, their light text in the theme's primary
    colour, their dark decoration faint — and, with `greyscale`, every colour a grey of the
    same lightness. The slides' pictures are left as they are; a template's background
    picture is not printed. The deck keeps its colours: only the
    handout is drawn from this plan."""

    def recolor(slide: PlannedSlide) -> PlannedSlide:
        dark = luminance(slide.background) < 0.5

        def ink(color: str) -> str:
            if dark:
                if luminance(color) >= 0.5:
                    color = plan.primary  # text meant to be read on the dark ground
                elif luminance(color) < 0.5:
                    color = mix(color, WHITE, 0.12)  # the ground and its dark decoration
            return _grey(color) if greyscale else color

        shapes = tuple(_shape(sh, ink) for sh in slide.shapes)
        backdrop = tuple(  # a template's background photo is not printed; its shapes faded
            _shape(sh, ink) for sh in slide.backdrop if not _covers(sh, plan)
        )
        return replace(
            slide,
            shapes=shapes,
            backdrop=backdrop,
            background=WHITE if dark else ink(slide.background),
        )

    slides = tuple(recolor(s) for s in plan.slides)
    if not greyscale:
        return replace(plan, slides=slides)
    # the handout's own headings, rules and cover follow the brand colours: grey them too
    return replace(plan, slides=slides, primary=_grey(plan.primary), accent=_grey(plan.accent))


def _covers(shape: Shape, plan: Plan) -> bool:
    """Whether `shape` is a picture over the whole slide (a template's background)."""
    return isinstance(shape, Picture) and shape.w >= plan.width and shape.h >= plan.height


def _opt(color: str | None, ink: _Ink) -> str | None:
    return None if color is None else ink(color)


def _paragraph(p: Paragraph, ink: _Ink) -> Paragraph:
    return replace(p, color=ink(p.color), bullet_color=_opt(p.bullet_color, ink))


def _shape(shape: Shape, ink: _Ink) -> Shape:
    if isinstance(shape, TextBox):
        paragraphs = tuple(_paragraph(p, ink) for p in shape.paragraphs)
        return replace(shape, paragraphs=paragraphs, fill=_opt(shape.fill, ink))
    if isinstance(shape, Rect):
        return replace(shape, fill=_opt(shape.fill, ink), stroke=_opt(shape.stroke, ink))
    if isinstance(shape, Line):
        return replace(shape, color=ink(shape.color))
    if isinstance(shape, TableShape):
        cells = tuple(
            tuple(
                Cell(tuple(_paragraph(p, ink) for p in c.paragraphs), _opt(c.fill, ink))
                for c in row
            )
            for row in shape.cells
        )
        return replace(shape, cells=cells, grid=ink(shape.grid))
    return shape
