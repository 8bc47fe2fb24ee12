"""The one locale table: each edition language's BCP 47 tag, CSL locale, Babel locale and labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["Locale", "locale", "TABLE"]


@dataclass(frozen=True)
class Locale:
    """How one edition language is written everywhere slidegen names it."""

    #: The language as the outline or the translation file's name writes it: pt, pt-BR, de.
    language: str
    #: BCP 47 tag written into the deck, the handout's /Lang and the references page: pt-BR.
    tag: str
    #: The CSL locale the references are formatted with (citeproc's locale files: pt-BR).
    csl: str
    #: The Babel (CLDR) locale of dates, numbers and language names: pt_BR.
    babel: str
    #: The language of the labels file used: pt (``labels/<labels>.yaml``).
    labels: str


#: The languages slidegen ships labels for, and the region each stands for when the outline
#: names only the language (the region CLDR deems likely for it). Other languages take CLDR's
#: likely region the same way, so every language gets the same tag in every output.
TABLE: dict[str, str] = {
    "en": "en-US",
    "pt": "pt-BR",
    "es": "es-ES",
    "fr": "fr-FR",
    "de": "de-DE",
    "it": "it-IT",
}


def _likely_tag(base: str) -> str:
    """The language with CLDR's likely region (nl → nl-NL), or the language alone if none."""
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(base, ""))
    parts = likely.split("_")
    region = next((p for p in parts[1:] if (p.isupper() and len(p) == 2) or p.isdigit()), "")
    return f"{base}-{region}" if region else base


def _canonical(lang: str) -> str:
    """A tag in its usual case: language lower, script title, region upper (pt-br → pt-BR)."""
    parts = lang.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p)
    return "-".join(out)


@cache
def locale(lang: str) -> Locale:
    """The locale of an edition language; a language given with its region keeps that region."""
    given = _canonical(lang)
    base = given.split("-")[0]
    tag = given if "-" in given else TABLE.get(base) or _likely_tag(base)
    return Locale(language=lang, tag=tag, csl=tag, babel=_babel(tag), labels=base)


def _babel(tag: str) -> str:
    """The Babel locale of a tag: the tag itself, else its language, else English (a language
    CLDR does not know still gets dates and numbers, written the English way)."""
    from babel import Locale as BabelLocale
    from babel.core import UnknownLocaleError

    for candidate in (tag.replace("-", "_"), tag.split("-")[0]):
        try:
            BabelLocale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
        return candidate
    return "en_US"
