"""Localized fixed labels (Agenda, Summary, page x of y, ...) and locale-aware dates and numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, get_group_symbol

from slidegen.plan import Labels

from slidegen.i18n.locales import locale

__all__ = ["Labels", "labels", "format_date", "format_number", "page_of", "SUPPORTED"]


_LABELS: dict[str, Labels] = {
    "en": Labels(
        agenda="Agenda",
        summary="Summary",
        references="References",
        further_reading="Further reading",
        notes="Notes",
        contents="Contents",
        continued="continued",
        page_of="Page {page} of {pages}",
        slide="Slide {number}",
        slide_of="{number} / {total}",
        course="Course",
        lecturer="Lecturer",
        institution="Institution",
        language="Language",
        edition="Edition",
        handout="Handout",
        reading_edition="Reading edition",
        speaker_notes="Speaker notes",
        section="Section",
        language_name="English",
    ),
    "pt": Labels(
        agenda="Agenda",
        summary="Resumo",
        references="Referências",
        further_reading="Leituras complementares",
        notes="Anotações",
        contents="Sumário",
        continued="continuação",
        page_of="Página {page} de {pages}",
        slide="Slide {number}",
        slide_of="{number} / {total}",
        course="Curso",
        lecturer="Docente",
        institution="Instituição",
        language="Idioma",
        edition="Edição",
        handout="Material de apoio",
        reading_edition="Edição para leitura",
        speaker_notes="Notas do apresentador",
        section="Seção",
        language_name="Português",
    ),
    "es": Labels(
        agenda="Agenda",
        summary="Resumen",
        references="Referencias",
        further_reading="Lecturas complementarias",
        notes="Notas",
        contents="Índice",
        continued="continuación",
        page_of="Página {page} de {pages}",
        slide="Diapositiva {number}",
        slide_of="{number} / {total}",
        course="Curso",
        lecturer="Docente",
        institution="Institución",
        language="Idioma",
        edition="Edición",
        handout="Material para participantes",
        reading_edition="Edición de lectura",
        speaker_notes="Notas del orador",
        section="Sección",
        language_name="Español",
    ),
    "fr": Labels(
        agenda="Programme",
        summary="Synthèse",
        references="Références",
        further_reading="Pour aller plus loin",
        notes="Notes",
        contents="Sommaire",
        continued="suite",
        page_of="Page {page} sur {pages}",
        slide="Diapositive {number}",
        slide_of="{number} / {total}",
        course="Cours",
        lecturer="Intervenante",
        institution="Institution",
        language="Langue",
        edition="Édition",
        handout="Support de cours",
        reading_edition="Version de lecture",
        speaker_notes="Notes de l’orateur",
        section="Partie",
        language_name="Français",
    ),
}

SUPPORTED: tuple[str, ...] = tuple(_LABELS)

def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@cache
def labels(lang: str) -> Labels:
    """The labels for a language; languages without their own labels use English."""
    found = _LABELS.get(_base(lang), _LABELS["en"])
    return replace(found, group=str(get_group_symbol(locale_of(lang))))


def locale_of(lang: str) -> str:
    """The Babel locale identifier for an edition language (from the one locale table)."""
    return locale(lang).babel


def format_date(value: str, lang: str) -> str:
    """A date written per locale: YYYY-MM-DD in full, YYYY-MM as month and year, else as is."""
    try:
        if len(value) == 10:
            return str(_babel_date(dt.date.fromisoformat(value), "long", locale=locale_of(lang)))
        if len(value) == 7:
            day = dt.date.fromisoformat(value + "-01")
            return str(_babel_date(day, "LLLL y", locale=locale_of(lang)))
    except ValueError:
        pass
    return value


def format_number(value: float, lang: str) -> str:
    """A number written per locale (e.g. 1,000 in English, 1.000 in Portuguese)."""
    return str(format_decimal(value, locale=locale_of(lang)))


def page_of(page: int, pages: int, lang: str) -> str:
    """"Page x of y" in a language, its numbers written per locale."""
    return labels(lang).page_of.format(
        page=format_number(page, lang), pages=format_number(pages, lang)
    )
