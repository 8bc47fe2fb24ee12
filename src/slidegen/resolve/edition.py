"""Resolve an outline into one edition: translation merged, citations and references formatted."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from slidegen.errors import Problem
from slidegen.i18n.labels import Labels, format_date, load_labels
from slidegen.markup import Cite, CiteItem, Run, parse
from slidegen.read.model import Outline
from slidegen.read.walk import cited_in_order

__all__ = ["Edition", "resolve"]

CiteKey = tuple[CiteItem, ...]

NNBSP = "\u202f"  # narrow no-break space: French typography before ; ! ? and inside « »
NBSP = "\u00a0"
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?»])")
_FR_COLON = re.compile(r"[ \u00a0\u202f]*:(?!//)")
_FR_AFTER = re.compile(r"«[ \u00a0\u202f]*")


def french_spacing(text: str) -> str:
    """French typography: a no-break space before : and a narrow one before ; ! ? », after «,
    so that punctuation never starts a line (web addresses are left alone)."""
    text = _FR_BEFORE.sub(lambda m: NNBSP + m.group(1), text)
    text = _FR_COLON.sub(NBSP + ":", text)
    return _FR_AFTER.sub("«" + NNBSP, text)


@dataclass(frozen=True)
class Edition:
    """One class in one language, ready for layout: every string still holds its markup,
    and `runs()` turns a string into formatted runs with its citations rendered."""

    outline: Outline
    language: str
    source: Path
    labels: Labels
    bibliography: tuple[tuple[Run, ...], ...] = ()
    citations: Mapping[CiteKey, tuple[Run, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    @property
    def base_dir(self) -> Path:
        """The folder relative paths (images, theme, bibliography files) are resolved from,
        absolute: the plan's picture paths stay valid whatever folder a writer runs in."""
        return Path(os.path.abspath(self.source.parent))

    @property
    def date_text(self) -> str | None:
        """The edition's date written per locale."""
        date = self.outline.date
        return format_date(date, self.language) if date else None

    def runs(self, text: str, cite_href: str | None = None) -> tuple[Run, ...]:
        """Formatted runs of a markup string, citations replaced by their rendered text
        (linked to `cite_href`, where given, unless the citation holds a link of its own)."""
        out: list[Run] = []
        for span in parse(text):
            if isinstance(span, Run):
                out.append(span)
                continue
            cited = self.citations.get(span.items, (Run(_fallback_cite(span)),))
            if cite_href is not None:
                cited = tuple(r if r.href else replace(r, href=cite_href) for r in cited)
            out.extend(cited)
        if self.language.split("-")[0] == "fr":
            out = [
                r if r.href and r.text == r.href else replace(r, text=french_spacing(r.text))
                for r in out
            ]
        return tuple(out)

    def paragraphs(
        self, text: str | None, cite_href: str | None = None
    ) -> tuple[tuple[Run, ...], ...]:
        """A multi-paragraph string (blank lines separate paragraphs) as runs per paragraph."""
        if not text:
            return ()
        paras = [" ".join(p.split()) for p in text.strip().split("\n\n")]
        return tuple(self.runs(p, cite_href) for p in paras if p)


def _fallback_cite(cite: Cite) -> str:
    return (
        "(" + "; ".join(i.key + (f", {i.locator}" if i.locator else "") for i in cite.items) + ")"
    )


def resolve(
    outline: Outline, source: Path, language: str | None = None, cache_dir: Path | None = None
) -> Edition:
    """Make the edition of an (already translated) outline: format its references and citations.

    `cache_dir` keeps formatted bibliographies by content, so an unchanged one costs nothing.
    """
    from slidegen.bib.format import format_bibliography  # formatting is only needed when building

    lang = language or outline.language
    lab, label_problems = load_labels(lang, source.parent)
    formatted = format_bibliography(
        outline, cited_in_order(outline), lang, source.parent, cache_dir=cache_dir
    )
    return Edition(
        outline=outline,
        language=lang,
        source=source,
        labels=lab,
        bibliography=formatted.entries,
        citations=formatted.citations,
        warnings=(*label_problems, *formatted.warnings),
    )
