"""The bundled fonts: Liberation Sans measures and draws what the deck names as Arial."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .plan import FontFiles

__all__ = [
    "DECK_FONT",
    "FAMILY",
    "font_files",
    "font_name",
    "register_fonts",
    "text_width",
    "missing_glyphs",
    "vertical_metrics",
]

#: The family named in the deck: every viewer has it, and Liberation Sans has its metrics.
DECK_FONT = "Arial"
#: The reportlab family name the bundled files are registered under.
FAMILY = "SlidegenSans"

FONT_DIR = Path(__file__).parent / "fonts"
_FILES = {
    (False, False): "LiberationSans-Regular.ttf",
    (True, False): "LiberationSans-Bold.ttf",
    (False, True): "LiberationSans-Italic.ttf",
    (True, True): "LiberationSans-BoldItalic.ttf",
}
_SUFFIX = {
    (False, False): "",
    (True, False): "-Bold",
    (False, True): "-Italic",
    (True, True): "-BoldItalic",
}


def font_files() -> FontFiles:
    """The deck's font name and the paths of the metric-compatible files inside the package."""
    return FontFiles(
        deck_name=DECK_FONT,
        regular=str(FONT_DIR / _FILES[False, False]),
        bold=str(FONT_DIR / _FILES[True, False]),
        italic=str(FONT_DIR / _FILES[False, True]),
        bold_italic=str(FONT_DIR / _FILES[True, True]),
    )


def font_name(bold: bool = False, italic: bool = False) -> str:
    """The reportlab font name (registered) for a weight and style, e.g. 'SlidegenSans-Bold'."""
    register_fonts()
    return FAMILY + _SUFFIX[bold, italic]


@cache
def register_fonts() -> None:
    """Register the four bundled faces with reportlab (once per process)."""
    for (bold, italic), filename in _FILES.items():
        name = FAMILY + _SUFFIX[bold, italic]
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        addMapping(FAMILY, int(bold), int(italic), name)


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The advance width of `text` in points at `size`, as reportlab will draw it."""
    return float(pdfmetrics.stringWidth(text, font_name(bold, italic), size))


@cache
def vertical_metrics() -> tuple[float, float]:
    """The regular face's ascent and descent as shares of the font size (both positive)."""
    register_fonts()
    face: Any = pdfmetrics.getFont(font_name()).face
    return float(face.ascent) / 1000.0, -float(face.descent) / 1000.0


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(FAMILY)
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str) -> str:
    """The distinct characters of `text` the bundled font cannot draw, in order of appearance."""
    covered = _covered()
    seen: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in covered and not ch.isspace() and ch not in seen:
            seen[ch] = None
    return "".join(seen)
