"""Fixed labels, dates and numbers come out in the edition's language (Babel's CLDR data)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from slidegen.i18n.labels import SUPPORTED, format_date, labels, page_of


@pytest.mark.parametrize(
    ("lang", "date", "page"),
    [
        ("en", "November 29, 2026", "Page 3 of 1,200"),
        ("pt", "29 de novembro de 2026", "Página 3 de 1.200"),
        ("es", "29 de noviembre de 2026", "Página 3 de 1.200"),
        ("fr", "29 novembre 2026", "Page 3 sur 1\u202f200"),
    ],
)
def test_dates_and_page_numbers_per_locale(lang: str, date: str, page: str) -> None:
    assert format_date("2026-11-29", lang) == date
    assert page_of(3, 1200, lang) == page


def test_every_supported_language_has_its_own_labels() -> None:
    english = labels("en")
    for lang in SUPPORTED:
        if lang != "en":
            assert labels(lang).summary != english.summary
            assert labels(lang).continued != english.continued


def test_regional_codes_and_unknown_languages() -> None:
    assert labels("pt-BR") == labels("pt")
    assert replace(labels("de"), group=",") == labels("en")  # no labels of its own yet
    assert format_date("2026", "pt") == "2026"
