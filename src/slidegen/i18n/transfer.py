"""Export a language's units to XLIFF or PO, and import a CAT tool's file back into the YAML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slidegen.atomic import write_atomic
from slidegen.errors import Location, OutlineError, Problem, TranslationError, UsageError
from slidegen.i18n.catalog import Catalog, Unit, catalog
from slidegen.i18n.exchange import FORMATS, Incoming, codes_of
from slidegen.i18n.glossary import load_glossary, to_tbx
from slidegen.i18n.inline import from_braces, join, problems
from slidegen.i18n.length import length_hints
from slidegen.i18n.po import read_po, write_po
from slidegen.i18n.record import refresh_records, with_records
from slidegen.i18n.review import mark_reviewed
from slidegen.i18n.scaffold import scaffold_text
from slidegen.i18n.xliff import read_xliff, write_xliff
from slidegen.i18n.yaml_edit import Change, apply_changes
from slidegen.read.classes import find_classes
from slidegen.read.convert import suggest
from slidegen.read.outline import read_outline

__all__ = ["export_units", "import_units", "Exported", "Imported", "FORMATS"]


def _catalogs(paths: Sequence[Path], lang: str) -> list[Catalog]:
    out = []
    for source in find_classes(paths):
        outline = read_outline(source)
        if lang == outline.language:
            raise UsageError(f"'{lang}' is the language of {source} itself: nothing to translate")
        out.append(catalog(source, lang, outline))
    return out


@dataclass(frozen=True)
class Exported:
    """An export: the file's bytes and, for XLIFF 1.2 and PO, the glossary as TBX."""

    data: bytes
    tbx: bytes | None = None


def export_units(paths: Sequence[Path], lang: str, fmt: str) -> Exported:
    """Every unit of the classes found in `paths`, in `lang`, as an XLIFF 2.1 (`xliff`),
    XLIFF 1.2 (`xliff12`) or PO (`po`) file, with the glossary of their folder (in XLIFF 2.1
    itself; as TBX for the others)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    cats = _catalogs(paths, lang)
    glossary = load_glossary(cats[0].source.parent, cats[0].source_language) if cats else None
    hints = {k: v for cat in cats for k, v in length_hints(cat).items()}
    if fmt == "xliff":
        return Exported(write_xliff(cats, "2.1", glossary, hints))
    data = write_po(cats, hints) if fmt == "po" else write_xliff(cats, "1.2", hints=hints)
    tbx = None
    if glossary is not None and glossary.terms:
        tbx = to_tbx(glossary, cats[0].source_language, [lang])
    return Exported(data, tbx)


@dataclass(frozen=True)
class Imported:
    """What an import changed in one translation file."""

    translation: Path
    changed: tuple[str, ...]
    created: bool = False
    #: Entries the file confirmed entirely (every text done): marked reviewed.
    reviewed: tuple[str, ...] = ()
    #: Units confirmed (done in the file) whose source text is now recorded.
    recorded: int = 0


@dataclass
class _Plan:
    """What importing one class's units does to its translation file."""

    cat: Catalog
    changes: list[Change] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    #: Per entry, the fields the file marks done (their source text gets recorded).
    confirmed: dict[str, set[str]] = field(default_factory=dict)

    def complete(self) -> list[str]:
        """Stale entries whose every text the file marks done: they are reviewed."""
        units: dict[str, list[Unit]] = {}
        for unit in self.cat.units:
            units.setdefault(unit.entry, []).append(unit)
        return [
            entry
            for entry, fields in self.confirmed.items()
            if any(u.state == "stale" for u in units.get(entry, ()))
            and all(
                u.field in fields or u.state == "translated" for u in units.get(entry, ())
            )
        ]

    def records(self) -> dict[str, set[str]]:
        """The confirmed fields recorded now: in entries that keep records (a file without
        them gets its records when an entry is reviewed whole)."""
        return {e: f for e, f in self.confirmed.items() if e in self.cat.recorded}


def _read(path: Path) -> tuple[str, list[Incoming]]:
    data = path.read_bytes()
    if data.lstrip()[:1] == b"<":
        return read_xliff(data, str(path))
    return read_po(data, str(path))


def _change(unit: Unit, inc: Incoming) -> Change | Problem | None:
    """The change a unit read back makes (None: none), or what is wrong with it."""
    codes = codes_of(unit)
    if inc.braced is not None:
        segments = from_braces(inc.braced, codes)
    elif inc.segments is not None:
        segments = list(inc.segments)
    else:
        return None
    wrong = problems(segments, codes)
    if wrong:
        return Problem(
            f"'{unit.id}': the markup is broken: {'; '.join(wrong)}",
            inc.loc,
            "keep the codes of the source text (bold, italic, links, citations) as they are",
        )
    text = join(segments, codes.codes)
    if text == unit.target or not text.strip():
        return None
    return Change(unit.path, text, inc.loc)


def _by_class(
    incoming: list[Incoming], cats: dict[str, Catalog]
) -> tuple[dict[str, list[tuple[Unit, Incoming]]], list[Problem]]:
    found: dict[str, list[tuple[Unit, Incoming]]] = {}
    errors: list[Problem] = []
    for inc in incoming:
        class_id = inc.id.split("/", 1)[0]
        cat = cats.get(class_id)
        unit = cat.unit(inc.id) if cat is not None else None
        if unit is None:
            known = [u.id for c in cats.values() for u in c.units]
            errors.append(
                Problem(
                    f"'{inc.id}' is not a text of the source"
                    + ("" if cat is not None else f" (no class '{class_id}' here)"),
                    inc.loc,
                    suggest(inc.id, known)
                    or "export again: the source changed since this file was made",
                )
            )
            continue
        found.setdefault(class_id, []).append((unit, inc))
    return found, errors


def import_units(path: Path, paths: Sequence[Path]) -> list[Imported]:
    """Write the translations of an XLIFF or PO file into the YAML translation files of the
    classes found in `paths`: only the texts that changed, each file written atomically.
    Unknown ids and broken markup are refused at their place, and nothing is written."""
    if not path.is_file():
        raise UsageError([Problem("no such file", Location(str(path)))])
    lang, incoming = _read(path)
    if not lang:
        raise OutlineError(
            [Problem("the file names no target language", Location(str(path), 1, 1))]
        )
    cats = {c.class_id: c for c in _catalogs(paths, lang)}
    by_class, errors = _by_class(incoming, cats)
    plans: list[_Plan] = []
    for class_id, pairs in by_class.items():
        plan = _Plan(cats[class_id])
        for unit, inc in pairs:
            made = _change(unit, inc)
            if isinstance(made, Problem):
                errors.append(made)
                continue
            if made is not None:
                plan.changes.append(made)
                plan.ids.append(unit.id)
            if inc.done and (made is not None or (unit.state == "stale" and unit.target)):
                plan.confirmed.setdefault(unit.entry, set()).add(unit.field)
        plans.append(plan)
    if errors:
        raise OutlineError(errors)
    done = [imported for plan in plans if (imported := _write(plan, lang)) is not None]
    return done


def _write(plan: _Plan, lang: str) -> Imported | None:
    """Make one plan's changes and records in its translation file; review what it confirmed."""
    cat = plan.cat
    shown = str(cat.translation)
    outline = read_outline(cat.source)
    created = not cat.translation.exists()
    if created and not plan.changes:
        return None
    if created:
        text = with_records(scaffold_text(outline, lang, cat.source.name), shown, outline)
    else:
        text = cat.translation.read_bytes().decode("utf-8")
    new = apply_changes(text, shown, plan.changes) if plan.changes else text
    new = refresh_records(new, shown, outline, plan.records())
    if new == text:
        return None
    write_atomic(cat.translation, new.encode("utf-8"))
    reviewed: list[str] = []
    complete = plan.complete()
    if complete:
        try:
            reviewed = mark_reviewed(cat.source, lang, complete)
        except TranslationError:  # a list that no longer matches: left stale, with its warning
            reviewed = []
    recorded = sum(len(f) for f in plan.records().values())
    return Imported(cat.translation, tuple(plan.ids), created, tuple(reviewed), recorded)
