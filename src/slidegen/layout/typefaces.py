"""The plan's fonts: the families a deck names for titles and body text (the template's theme
fonts, or the theme's), each measured with its bundled metric twin; one warning for a family
with no known twin, which is measured conservatively."""

from __future__ import annotations

from slidegen.errors import Location, Problem
from slidegen.fonts import font_files
from slidegen.fonts.twins import CONSERVATIVE, known_names
from slidegen.plan import FontFiles
from slidegen.read.template import Template
from slidegen.read.theme import Theme

__all__ = ["plan_fonts"]


def plan_fonts(
    theme: Theme, template: Template | None, where: Location | None
) -> tuple[FontFiles, list[Problem]]:
    """The fonts of a deck in `theme` (on `template`, whose theme fonts win), and a warning at
    `where` (the template or theme file) when a family has no metric twin."""
    body = (template.body_font if template else "") or theme.font
    heading = (template.heading_font if template else "") or theme.heading_font or body
    fonts = font_files(body, heading)
    unknown = [f.deck_name for f in fonts.families if not f.exact]
    if not unknown:
        return fonts, []
    names = " and ".join(repr(name) for name in dict.fromkeys(unknown))
    whose = "the template's theme fonts" if template else "the theme's font"
    message = (
        f"no metric twin is known for {names}: the deck names it, but slidegen measures it "
        f"with {CONSERVATIVE.family}, which is wider than most fonts, so text fits where it "
        "draws narrower and lines may end early; the PDFs draw it in "
        f"{CONSERVATIVE.family}"
    )
    hint = f"to measure exactly, use in {whose} a family with a twin: " + ", ".join(known_names())
    return fonts, [Problem(message, where, hint, severity="warning")]
