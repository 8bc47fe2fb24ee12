"""The published CSL styles, adapted so that every edition reads in its own language.

ABNT's style writes "Disponível em" and "Acesso em" as literal text, so English, Spanish and
French editions printed Portuguese; it also drops a journal article's DOI and a web page's
year. The adapted style takes those words from CSL terms, with per-language overrides, and
prints what it dropped. Every style also gets the page-range dash it asks for in every
language (APA and Chicago an en dash, ABNT a hyphen), where some CSL locales give a hyphen.

An adapted style is derived from the installed file (never copied into slidegen); pandoc reads
it from its working folder in the build's cache.
"""

from __future__ import annotations

import re

__all__ = ["adapt", "ACCESS_TERMS", "PAGE_DASH"]

#: "Available at", "Accessed" and the short term after a book's editor or organizer, per
#: language, for the ABNT style (Portuguese: the style's own words).
ACCESS_TERMS: dict[str, tuple[str, str, str]] = {
    "pt": ("Disponível em", "Acesso em", "org"),
    "en": ("Available at", "Accessed", "ed"),
    "es": ("Disponible en", "Consultado", "ed"),
    "fr": ("Disponible sur", "Consulté le", "éd"),
    "de": ("Verfügbar unter", "Zugriff am", "Hrsg"),
    "it": ("Disponibile in", "Consultato il", "a cura di"),
}

#: The dash between the first and last page, per style name.
PAGE_DASH = {"abnt": "-", "apa": "\u2013", "chicago": "\u2013"}

_ACCESS = """<macro name="access">
    <group delimiter=". ">
      <text variable="DOI" prefix="DOI: "/>
      <group delimiter=": ">
        <text term="available at" text-case="capitalize-first"/>
        <text variable="URL" prefix="&lt;" suffix="&gt;"/>
      </group>
      <group delimiter=": ">
        <text term="accessed" text-case="capitalize-first"/>
        <date variable="accessed">
          <date-part name="day" suffix=" "/>
          <date-part name="month" form="short" suffix=". " text-case="lowercase"/>
          <date-part name="year"/>
        </date>
      </group>
    </group>
  </macro>"""

#: (pattern, replacement) applied to ABNT's style, each only where it matches.
_ABNT_EDITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'<macro name="access">.*?</macro>', re.S), _ACCESS),
    # a journal article: its DOI (and address) after the date
    (
        re.compile(
            r'(<else-if type="article-newspaper article-magazine article-journal" match="any">'
            r'\s*<group>.*?<text macro="issued" suffix="\. "/>)',
            re.S,
        ),
        r'\1<text macro="access" suffix=". "/>',
    ),
    # a web page: its year before the address
    (
        re.compile(
            r'(<else-if type="webpage">\s*<group>.*?<text macro="genre" suffix="\. "/>)', re.S
        ),
        r'\1<text macro="issued" suffix=". "/>',
    ),
)


def _abnt_locales() -> str:
    blocks = []
    for lang, (available, accessed, editor) in ACCESS_TERMS.items():
        blocks.append(
            f'<locale xml:lang="{lang}"><terms>'
            f'<term name="available at">{available}</term>'
            f'<term name="accessed">{accessed}</term>'
            f'<term name="container-author" form="short"><single>{editor}</single>'
            f"<multiple>{editor}</multiple></term>"
            f'<term name="editor" form="short"><single>{editor}</single>'
            f"<multiple>{editor}</multiple></term>"
            "</terms></locale>"
        )
    return "".join(blocks)


def adapt(name: str, text: str) -> str:
    """The text of style `name` ("abnt", "apa", "chicago") with slidegen's adaptations."""
    dash = PAGE_DASH.get(name, "\u2013")
    locales = f'<locale><terms><term name="page-range-delimiter">{dash}</term></terms></locale>'
    if name == "abnt":
        for pattern, replacement in _ABNT_EDITS:
            text = pattern.sub(replacement, text, count=1)
        locales += _abnt_locales()
    return text.replace("</info>", "</info>" + locales, 1)
