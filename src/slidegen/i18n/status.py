"""Translation status: per class and language, how many slides are translated, missing, stale
or orphaned, and exactly which fields changed in the source since they were translated."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from slidegen.i18n.catalog import catalog
from slidegen.i18n.changes import FieldChange
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
    #: The class's id and its outline.
    class_id: str = ""
    source: Path = Path()
    #: Per status id, the fields changed in the source since translated (recorded in `was:`).
    changes: Mapping[str, tuple[FieldChange, ...]] = field(default_factory=dict)

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
        merged = load_merged(source, lang, outline)
        entries = merged.entries
        result.append(
            LanguageStatus(
                language=lang,
                translated=_count(entries, "translated"),
                missing=_count(entries, "missing"),
                stale=_count(entries, "stale"),
                orphaned=_count(entries, "orphaned"),
                slides=entries,
                class_id=outline.id,
                source=source,
                changes=catalog(source, lang, outline, merged).changes,
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
    """A table of counts per class and language and, when verbose, per class the state of each
    slide per language, the keys still missing and the fields changed in the source."""
    if not statuses:
        return "no translations found\n"
    classes = list(dict.fromkeys(s.class_id for s in statuses))
    many = len(classes) > 1
    counts = ("language", "translated", "missing", "stale", "orphaned", "complete")
    head = ("class",) * many + counts
    rows = [head] + [
        (
            *((s.class_id,) if many else ()),
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
    for class_id in classes:
        mine = [s for s in statuses if s.class_id == class_id]
        if many:
            lines += ["", f"{mine[0].source} ({class_id})"]
        lines += _class_details(mine)
    return "\n".join(lines) + "\n"


def _class_details(statuses: list[LanguageStatus]) -> list[str]:
    """One class's grid of states, its untranslated keys and its changed fields."""
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
    lines = ["", *(_row(r, widths) for r in grid)]
    details = [
        f"{s.language}  {e.id}: {', '.join(_key(k, e) for k in e.missing_keys)}"
        for s in statuses
        for e in s.slides
        if e.missing_keys
    ]
    if details:
        lines += ["", "not translated yet:", *details]
    changed = [
        f"{s.language}  {ident}  {change.describe()}"
        for s in statuses
        for ident, found in s.changes.items()
        for change in found
    ]
    if changed:
        lines += ["", "changed in the source since translated:", *changed]
    return lines


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
                "class": s.class_id,
                "source": str(s.source),
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
                        "changed": [
                            {"field": c.field, "old": c.old, "new": c.new, "diff": c.diff}
                            for c in s.changes.get(e.id, ())
                        ],
                    }
                    for e in s.slides
                ],
            }
            for s in statuses
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
