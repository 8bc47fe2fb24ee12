"""The bundled fonts: each family a deck names is measured and drawn with its metric twin
(Arial → Liberation Sans, Calibri → Carlito, …: `twins.py`), a family with no known twin
conservatively with DejaVu Sans; DejaVu Sans also draws the symbols a twin lacks, per run."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from slidegen.fonts.twins import CONSERVATIVE, DEFAULT, TWINS, bundled, twin_of
from slidegen.plan import FontFamily, FontFiles

__all__ = [
    "DECK_FONT",
    "FAMILY",
    "font_files",
    "font_family",
    "font_name",
    "register_fonts",
    "text_width",
    "missing_glyphs",
    "vertical_metrics",
    "FALLBACK_FONT",
    "fallback_name",
    "segments",
    "kerning",
    "twin_file",
    "twin_of",
]

#: The family named in the deck by default: every viewer has it, and Liberation Sans has its
#: metrics.
DECK_FONT = "Arial"
#: The reportlab family name the default twin's files are registered under.
FAMILY = DEFAULT.registered

FONT_DIR = Path(__file__).parent
#: The family named in the deck for symbols the main font lacks, bundled for measuring and the PDF.
FALLBACK_FONT = "DejaVu Sans"
_FALLBACK = next(t for t in TWINS if t.family == FALLBACK_FONT)
#: Only symbols fall back (punctuation, arrows, math, technical, shapes, dingbats: U+2000 to
#: U+2BFF): a script the main font lacks needs shaping the layout does not do, and is reported.
_FALLBACK_RANGE = range(0x2000, 0x2C00)
_SUFFIX = {
    (False, False): "",
    (True, False): "-Bold",
    (False, True): "-Italic",
    (True, True): "-BoldItalic",
}


def font_family(deck_name: str = DECK_FONT) -> FontFamily:
    """A family the deck names and the bundled files that measure and draw it: its metric
    twin, or the conservative stand-in (DejaVu Sans, wider than most) when none is known."""
    twin = twin_of(deck_name) or CONSERVATIVE
    return FontFamily(
        deck_name=deck_name,
        twin=twin.family,
        regular=str(FONT_DIR / twin.files[0]),
        bold=str(FONT_DIR / twin.files[1]),
        italic=str(FONT_DIR / twin.files[2]),
        bold_italic=str(FONT_DIR / twin.files[3]),
        ascent=_ascent(twin.family),
        exact=twin.exact,
    )


def _ascent(twin: str) -> float:
    """Where the baseline sits below the top of a line one size tall, in ems: the face's
    ascent, lowered when ascent and descent together exceed the size (Caladea's do), so that
    the text's descent stays within its line."""
    ascent, descent = vertical_metrics(twin)
    return min(ascent, 1.0 - descent)


def font_files(body: str = DECK_FONT, heading: str | None = None) -> FontFiles:
    """The families the deck names for its body text and its titles (the body's when no
    heading family is given), with the files that measure and draw each."""
    family = font_family(body)
    return FontFiles(body=family, heading=font_family(heading) if heading else family)


def font_name(bold: bool = False, italic: bool = False, twin: str = DEFAULT.family) -> str:
    """The reportlab font name (registered) of a bundled family's face, e.g. 'SlidegenSans-Bold'."""
    return _registered(twin, bold, italic)


@cache
def _registered(twin: str, bold: bool, italic: bool) -> str:
    """Register one face of a bundled family with reportlab (once per process)."""
    if twin == DEFAULT.family:
        register_fonts()
        return FAMILY + _SUFFIX[bold, italic]
    found = bundled(twin)
    name = found.registered + _SUFFIX[bold, italic]
    pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / found.file(bold, italic))))
    addMapping(found.registered, int(bold), int(italic), name)
    return name


@cache
def register_fonts() -> None:
    """Register the four faces of the default family with reportlab (once per process)."""
    for (bold, italic), suffix in _SUFFIX.items():
        name = FAMILY + suffix
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / DEFAULT.file(bold, italic))))
        addMapping(FAMILY, int(bold), int(italic), name)


def twin_file(twin: str, bold: bool = False, italic: bool = False) -> str:
    """The file name, inside the package's font folder, of a bundled family's face."""
    return bundled(twin).file(bold, italic)


def kerning(twin: str) -> float:
    """How much narrower a renderer that kerns may set a line of a bundled family (a share),
    beyond the clearance wrap widths keep anyway."""
    return bundled(twin).kerning


def fallback_name(bold: bool = False) -> str:
    """The reportlab font name (registered) of the fallback for a weight (drawn upright)."""
    return _registered(_FALLBACK.family, bold, False)


def text_width(
    text: str, size: float, bold: bool = False, italic: bool = False, twin: str = DEFAULT.family
) -> float:
    """The advance width of `text` in points at `size` in a bundled family, as the writers
    draw it (symbols the family lacks in the fallback font)."""
    pieces = segments(text, twin)
    if len(pieces) == 1 and not pieces[0][1]:
        return float(pdfmetrics.stringWidth(text, font_name(bold, italic, twin), size))
    return sum(
        float(
            pdfmetrics.stringWidth(
                piece, fallback_name(bold) if fb else font_name(bold, italic, twin), size
            )
        )
        for piece, fb in pieces
    )


@lru_cache(maxsize=1 << 14)
def segments(text: str, twin: str = DEFAULT.family) -> tuple[tuple[str, bool], ...]:
    """`text` cut into pieces drawn with the bundled family `twin` (False) or the fallback
    font (True).

    A character falls back when the family lacks it and it is a symbol the fallback has.
    """
    covered = _covered(twin)
    if covered.issuperset(map(ord, text)):
        return ((text, False),)
    fallback = _covered(_FALLBACK.family)
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
def vertical_metrics(twin: str = DEFAULT.family) -> tuple[float, float]:
    """A bundled family's regular ascent and descent as shares of the font size (both positive)."""
    face: Any = pdfmetrics.getFont(font_name(twin=twin)).face
    return float(face.ascent) / 1000.0, -float(face.descent) / 1000.0


@cache
def _covered(twin: str) -> frozenset[int]:
    font: Any = pdfmetrics.getFont(font_name(twin=twin))
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str, twin: str = DEFAULT.family) -> str:
    """The distinct characters of `text` neither the bundled family `twin` nor the fallback
    draws, in order of appearance."""
    seen: dict[str, None] = {}
    covered = _covered(twin)
    for piece, fb in segments(text, twin):
        if fb:
            continue
        for ch in piece:
            if ord(ch) not in covered and not ch.isspace() and ch not in seen:
                seen[ch] = None
    return "".join(seen)
