"""Translation status: per language, how many slides are translated, missing, stale or orphaned."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slidegen.i18n.merge import SlideStatus, State, languages, load_merged
from slidegen.read.outline import read_outline

__all__ = ["SlideStatus", "LanguageStatus", "status", "format_status", "status_json"]


@dataclass(frozen=True)
class LanguageStatus:
    """The status of one translation; `slides` lists the class, its sections and its slides."""

    language: str
    translated: int
    missing: int
    stale: int
    orphaned: int
    slides: tuple[SlideStatus, ...]

    @property
    def total(self) -> int:
        """Entries of the source to translate (orphans are not part of the source)."""
        return self.translated + self.missing + self.stale

    @property
    def percent(self) -> float:
        """Share of the source's entries that are translated and up to date, 0 to 100."""
        return 100.0 if self.total == 0 else round(100.0 * self.translated / self.total, 1)


def _count(entries: tuple[SlideStatus, ...], state: State) -> int:
    return sum(1 for e in entries if e.state == state)


def status(source: Path) -> list[LanguageStatus]:
    """The status of every translation of a source outline, in language order."""
    outline = read_outline(source)
    result = []
    for lang in languages(source)[1:]:
        entries = load_merged(source, lang, outline).entries
        result.append(
            LanguageStatus(
                language=lang,
                translated=_count(entries, "translated"),
                missing=_count(entries, "missing"),
                stale=_count(entries, "stale"),
                orphaned=_count(entries, "orphaned"),
                slides=entries,
            )
        )
    return result


_MARK: dict[State, str] = {
    "translated": "ok",
    "missing": "missing",
    "stale": "stale",
    "orphaned": "orphaned",
}


def format_status(statuses: list[LanguageStatus], verbose: bool = True) -> str:
    """A table of counts per language and, when verbose, the state of each slide per language
    followed by the keys still missing."""
    if not statuses:
        return "no translations found\n"
    head = ("language", "translated", "missing", "stale", "orphaned", "complete")
    rows = [head] + [
        (
            s.language,
            str(s.translated),
            str(s.missing),
            str(s.stale),
            str(s.orphaned),
            f"{s.percent:.1f}%",
        )
        for s in statuses
    ]
    lines = [_row(r, [len(max(col, key=len)) for col in zip(*rows, strict=True)]) for r in rows]
    if not verbose:
        return "\n".join(lines) + "\n"
    ids: list[str] = []
    for s in statuses:
        ids.extend(e.id for e in s.slides if e.id not in ids)
    states = {(s.language, e.id): e for s in statuses for e in s.slides}
    grid = [("id", *(s.language for s in statuses))] + [
        (
            ident,
            *(
                _MARK[states[(s.language, ident)].state] if (s.language, ident) in states else "-"
                for s in statuses
            ),
        )
        for ident in ids
    ]
    widths = [len(max(col, key=len)) for col in zip(*grid, strict=True)]
    lines += ["", *(_row(r, widths) for r in grid)]
    details = [
        f"{s.language}  {e.id}: {', '.join(_key(k, e) for k in e.missing_keys)}"
        for s in statuses
        for e in s.slides
        if e.missing_keys
    ]
    if details:
        lines += ["", "not translated yet:", *details]
    return "\n".join(lines) + "\n"


def _key(key: str, entry: SlideStatus) -> str:
    """A key still in the source language; a list whose entries changed in the source says so."""
    return f"{key} (changed in the source)" if key in entry.mismatched_keys else key


def _row(cells: tuple[str, ...], widths: list[int]) -> str:
    first, *rest = cells
    out = first.ljust(widths[0])
    for cell, width in zip(rest, widths[1:], strict=True):
        out += "  " + (cell.rjust(width) if cell[:1].isdigit() else cell.ljust(width))
    return out.rstrip()


def status_json(statuses: list[LanguageStatus]) -> str:
    """The status as JSON (for CI): counts, percent and the state of every entry."""
    data = {
        "languages": [
            {
                "language": s.language,
                "translated": s.translated,
                "missing": s.missing,
                "stale": s.stale,
                "orphaned": s.orphaned,
                "total": s.total,
                "percent": s.percent,
                "slides": [
                    {
                        "id": e.id,
                        "state": e.state,
                        "missing_keys": list(e.missing_keys),
                        "mismatched_keys": list(e.mismatched_keys),
                    }
                    for e in s.slides
                ],
            }
            for s in statuses
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
