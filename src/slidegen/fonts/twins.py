"""The one table of metric twins: each family a deck can name → the bundled files that measure
and draw it (open fonts with the same advance widths, SIL OFL 1.1, licenses beside them)."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Twin", "TWINS", "CONSERVATIVE", "DEFAULT", "twin_of", "bundled", "known_names"]


@dataclass(frozen=True)
class Twin:
    """A bundled family and the families it has the metrics of."""

    #: the bundled family's own name, e.g. "Carlito"
    family: str
    #: its four files: regular, bold, italic, bold italic
    files: tuple[str, str, str, str]
    #: the families a deck can name that it measures exactly (its own name among them)
    names: tuple[str, ...]
    #: the reportlab names its faces are registered under start with this
    registered: str
    #: how much narrower than its measured width, as a share, a renderer that kerns letter
    #: pairs (LibreOffice does, whatever the deck says) may set a line, beyond the clearance
    #: wrap widths keep anyway (measured on the seed class rendered by LibreOffice 7.4)
    kerning: float = 0.0
    #: False for the stand-in of a family with no known twin: measured conservatively
    exact: bool = True

    def file(self, bold: bool, italic: bool) -> str:
        """The file of a weight and style."""
        return self.files[int(bold) + 2 * int(italic)]


def _four(stem: str) -> tuple[str, str, str, str]:
    regular, bold, italic, both = (f"{stem}-{face}.ttf" for face in _FACES)
    return regular, bold, italic, both


_FACES = ("Regular", "Bold", "Italic", "BoldItalic")


#: Every bundled metric twin; Liberation Sans first (the default theme's Arial).
TWINS: tuple[Twin, ...] = (
    Twin(
        "Liberation Sans",
        _four("LiberationSans"),
        ("Arial", "Helvetica", "Arimo", "Liberation Sans"),
        "SlidegenSans",
    ),
    Twin("Carlito", _four("Carlito"), ("Calibri", "Carlito"), "SlidegenCarlito", 0.01),
    Twin("Caladea", _four("Caladea"), ("Cambria", "Caladea"), "SlidegenCaladea", 0.007),
    Twin(
        "Liberation Serif",
        _four("LiberationSerif"),
        ("Times New Roman", "Times", "Tinos", "Liberation Serif"),
        "SlidegenSerif",
        0.01,
    ),
    Twin(
        "Liberation Mono",
        _four("LiberationMono"),
        ("Courier New", "Courier", "Cousine", "Liberation Mono"),
        "SlidegenMono",
    ),
    Twin(
        "DejaVu Sans",
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
         "DejaVuSans-BoldOblique.ttf"),
        ("DejaVu Sans",),
        "SlidegenSymbols",  # also the fallback for symbols: its faces are registered once
        0.015,
    ),
)
#: What measures and draws a family with no known twin: DejaVu Sans, wider than nearly every
#: text face (and what LibreOffice draws an unknown family with on most Linux systems), so text
#: measured with it fits when the real font draws it; lines may end a little early.
CONSERVATIVE = replace(TWINS[-1], exact=False)
DEFAULT = TWINS[0]
_BY_FAMILY = {twin.family: twin for twin in TWINS}
_BY_NAME = {name.casefold(): twin for twin in TWINS for name in twin.names}


def twin_of(family: str) -> Twin | None:
    """The bundled twin of a family a deck names (case and surrounding spaces ignored), or
    None when slidegen knows none."""
    return _BY_NAME.get(" ".join(family.split()).casefold())


def bundled(family: str) -> Twin:
    """The bundled twin of that family name (e.g. "Carlito")."""
    return _BY_FAMILY[family]


def known_names() -> tuple[str, ...]:
    """The families slidegen measures exactly, as a warning lists them (the twins' own
    names last)."""
    return tuple(twin.names[0] for twin in TWINS)
