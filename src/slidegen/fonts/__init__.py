"""The bundled fonts: Liberation Sans measures and draws what the deck names as Arial; DejaVu
Sans draws the symbols it lacks (arrows, math), per run."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from slidegen.plan import FontFiles

__all__ = [
    "DECK_FONT",
    "SAME_METRICS",
    "FAMILY",
    "font_files",
    "font_name",
    "register_fonts",
    "text_width",
    "missing_glyphs",
    "vertical_metrics",
    "FALLBACK_FONT",
    "fallback_name",
    "segments",
]

#: The family named in the deck: every viewer has it, and Liberation Sans has its metrics.
DECK_FONT = "Arial"
#: The reportlab family name the bundled files are registered under.
FAMILY = "SlidegenSans"

FONT_DIR = Path(__file__).parent
_FILES = {
    (False, False): "LiberationSans-Regular.ttf",
    (True, False): "LiberationSans-Bold.ttf",
    (False, True): "LiberationSans-Italic.ttf",
    (True, True): "LiberationSans-BoldItalic.ttf",
}
#: The family named in the deck for symbols the main font lacks, bundled for measuring and the PDF.
FALLBACK_FONT = "DejaVu Sans"
#: The reportlab name the fallback files are registered under.
FALLBACK_FAMILY = "SlidegenSymbols"
_FALLBACK_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
#: Only symbols fall back (punctuation, arrows, math, technical, shapes, dingbats: U+2000 to
#: U+2BFF): a script the main font lacks needs shaping the layout does not do, and is reported.
_FALLBACK_RANGE = range(0x2000, 0x2C00)
_SUFFIX = {
    (False, False): "",
    (True, False): "-Bold",
    (False, True): "-Italic",
    (True, True): "-BoldItalic",
}


#: Families whose metrics the bundled Liberation Sans matches: text named in one of them breaks
#: where slidegen measured it.
SAME_METRICS = frozenset({"Arial", "Liberation Sans", "Arimo", "Helvetica"})


def font_files(deck_name: str = DECK_FONT) -> FontFiles:
    """The font the deck names (the theme's `font`) and the metric-compatible files, inside the
    package, that measure and embed it."""
    return FontFiles(
        deck_name=deck_name,
        regular=str(FONT_DIR / _FILES[False, False]),
        bold=str(FONT_DIR / _FILES[True, False]),
        italic=str(FONT_DIR / _FILES[False, True]),
        bold_italic=str(FONT_DIR / _FILES[True, True]),
        ascent=vertical_metrics()[0],
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


@cache
def fallback_name(bold: bool = False) -> str:
    """The reportlab font name (registered) of the fallback for a weight (no italic face)."""
    name = FALLBACK_FAMILY + ("-Bold" if bold else "")
    pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / _FALLBACK_FILES[bold])))
    return name


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The advance width of `text` in points at `size`, as the writers draw it (symbols the
    main font lacks in the fallback font)."""
    pieces = segments(text)
    if len(pieces) == 1 and not pieces[0][1]:
        return float(pdfmetrics.stringWidth(text, font_name(bold, italic), size))
    return sum(
        float(
            pdfmetrics.stringWidth(
                piece, fallback_name(bold) if fb else font_name(bold, italic), size
            )
        )
        for piece, fb in pieces
    )


@lru_cache(maxsize=1 << 14)
def segments(text: str) -> tuple[tuple[str, bool], ...]:
    """`text` cut into pieces drawn with the main font (False) or the fallback font (True).

    A character falls back when the main font lacks it and it is a symbol the fallback has.
    """
    covered = _covered()
    if covered.issuperset(map(ord, text)):
        return ((text, False),)
    fallback = _fallback_covered()
    out: list[tuple[str, bool]] = []
    for ch in text:
        code = ord(ch)
        fb = code not in covered and code in _FALLBACK_RANGE and code in fallback
        if out and out[-1][1] == fb:
            out[-1] = (out[-1][0] + ch, fb)
        else:
            out.append((ch, fb))
    return tuple(out)


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


@cache
def _fallback_covered() -> frozenset[int]:
    font: Any = pdfmetrics.getFont(fallback_name())
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str) -> str:
    """The distinct characters of `text` no bundled font draws, in order of appearance."""
    seen: dict[str, None] = {}
    for piece, fb in segments(text):
        if fb:
            continue
        for ch in piece:
            if ord(ch) not in _covered() and not ch.isspace() and ch not in seen:
                seen[ch] = None
    return "".join(seen)
