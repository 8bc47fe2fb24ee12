"""Read a translation file (``<class>.<lang>.yaml``) and merge it onto the source outline."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from yaml.nodes import MappingNode, Node

from slidegen.errors import Location, OutlineError, Problem, TranslationError, UsageError
from slidegen.i18n.changes import changes
from slidegen.i18n.fields import class_texts, entry_texts
from slidegen.i18n.fingerprint import meta_fingerprint, section_fingerprint, slide_fingerprint
from slidegen.i18n.model import TRANSLATION_MODEL, ImageText, Texts, Translation, twin
from slidegen.markup import cite_keys
from slidegen.read.convert import INVALID, Converter, suggest
from slidegen.read.keys import inline_of, keys
from slidegen.read.model import Image, Outline, Section, Slide
from slidegen.read.outline import read_outline, references_of
from slidegen.read.sources import translation_files, translation_path
from slidegen.read.walk import texts
from slidegen.read.yaml_nodes import load_nodes
from slidegen.reuse import reused

__all__ = [
    "META_ID",
    "SECTION_PREFIX",
    "SlideStatus",
    "State",
    "Translation",
    "Merged",
    "languages",
    "translation_path",
    "read_translation",
    "merge",
    "load_merged",
    "edition_outline",
    "needs_translation",
    "TRANSLATION_MODEL",
]

State = Literal["translated", "missing", "stale", "orphaned"]

#: Status id of the class's own texts (course, title, summary...).
META_ID = "(class)"
#: Status ids of sections are this prefix and the section id.
SECTION_PREFIX = "section:"


@dataclass(frozen=True)
class SlideStatus:
    """How far one slide (or section, or the class's metadata) is translated."""

    id: str
    state: State
    #: Keys whose source text is used: untranslated, or lists that no longer match the source.
    missing_keys: tuple[str, ...] = ()
    #: Of those, the lists whose entries no longer match the source's (a stale entry).
    mismatched_keys: tuple[str, ...] = ()


# --- reading ---------------------------------------------------------------------------------


@dataclass
class _TranslationConverter(Converter):
    """The outline's converter, plus mappings keyed by id and the location of every list."""

    list_locs: dict[int, Location] = field(default_factory=dict)
    id_locs: dict[str, Location] = field(default_factory=dict)

    def convert(self, node: Node, tp: Any, what: str) -> Any:
        if get_origin(tp) is dict:
            return self._id_mapping(node, get_args(tp)[1], what)
        value = super().convert(node, tp, what)
        if isinstance(value, tuple) and value:
            self.list_locs[id(value)] = self.loc(node)
        return value

    def _id_mapping(self, node: Node, value_tp: Any, what: str) -> Any:
        if not isinstance(node, MappingNode):
            self.error(f"{what} must be a mapping of ids to texts", node, "write 'some-id:' lines")
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        for key, key_node, value_node in self.mapping_items(node):
            self.id_locs[f"{what}/{key}"] = self.loc(key_node)
            value = self.convert(value_node, value_tp, f"'{key}'")
            if value is INVALID:
                ok = False
            else:
                out[key] = value
        return out if ok else INVALID


def languages(source: Path) -> list[str]:
    """The source language first, then each ``<class>.<lang>.yaml`` found beside it, sorted."""
    outline = read_outline(source)
    return [
        outline.language,
        *(lang for lang in translation_files(source) if lang != outline.language),
    ]


def read_translation(path: Path, lang: str) -> tuple[Translation, _TranslationConverter]:
    """Read a translation file; located problems raise `OutlineError`."""
    shown = str(path)
    root = load_nodes(path, shown)
    conv = _TranslationConverter(shown)
    value = conv.convert(root, Translation, "the translation")
    errors = [p for p in conv.problems if p.severity == "error"]
    if value is INVALID or errors:
        raise OutlineError(errors or conv.problems)
    assert isinstance(value, Translation)
    if value.language != lang:
        raise OutlineError(
            [
                Problem(
                    f"'language: {value.language}' does not match the file name ('{lang}')",
                    _key_loc(root, "language", shown),
                    f"write 'language: {lang}' or rename the file",
                )
            ]
        )
    return value, conv


def _key_loc(root: MappingNode, key: str, path: str) -> Location:
    for k, v in root.value:
        if k.value == key:
            return Location(path, v.start_mark.line + 1, v.start_mark.column + 1)
    return Location(path)


_CITATIONS = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")


def needs_translation(text: str | None) -> bool:
    """Whether a source text has words to translate; numbers, years and citations alone
    (``1948``, ``[@herz2011]``) are copied as they are."""
    return any(c.isalpha() for c in _CITATIONS.sub("", text or ""))


# --- merging ---------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Merged:
    """A source outline with a translation merged, how far each part is translated, and
    every problem found (missing and stale texts are warnings)."""

    outline: Outline
    entries: tuple[SlideStatus, ...]
    problems: tuple[Problem, ...]
    #: The problems that are missing or stale texts (a strict build makes them errors).
    pending: tuple[Problem, ...] = ()
    #: The same problems as errors, with the hints of a strict build.
    strict: tuple[Problem, ...] = ()
    #: The lists that no longer match a changed source: (status id, its warning).
    mismatched: tuple[tuple[str, Problem], ...] = ()


@dataclass
class _Merger:
    """Walks the source structure, taking each text from the translation or the source."""

    conv: _TranslationConverter
    path: str
    problems: list[Problem] = field(default_factory=list)
    #: Missing and stale texts (warnings; errors when the build is strict), each with the
    #: hint a strict build gives.
    pending: list[tuple[Problem, str]] = field(default_factory=list)
    entries: list[SlideStatus] = field(default_factory=list)
    mismatch_problems: list[tuple[str, Problem]] = field(default_factory=list)
    #: Keys of the current entry whose source text is used, and which of them are lists
    #: that no longer match the source's.
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    translated: int = 0
    where: Location | None = None
    what: str = ""
    ident: str = ""
    recorded: str | None = None
    current: str = ""
    #: The fields whose source changed since translated, with their word diffs (from the
    #: entry's `was:` record; empty without one).
    detail: str = ""

    # one entry (the class, a section or a slide) at a time
    def begin(
        self,
        ident: str,
        what: str,
        loc: Location | None,
        recorded: str | None,
        current: str,
        detail: str = "",
    ) -> None:
        """Start an entry: its status id, its name in messages, where its translation is,
        its source fingerprint as recorded in the translation and as it is now, and what
        changed in its fields."""
        self.missing, self.mismatched, self.translated = [], [], 0
        self.ident, self.what, self.where = ident, what, loc
        self.recorded, self.current, self.detail = recorded, current, detail

    @property
    def changed(self) -> bool:
        """Whether the current entry's source changed since it was translated: a list that
        no longer matches the source's is then stale, not the translator's mistake."""
        return self.recorded != self.current

    def _who(self) -> tuple[str, str | None]:
        """The message prefix and slide id of the current entry's problems: a slide's carry
        its id (shown as "slide 'id': "); others name themselves."""
        slide = self.ident if self.what.startswith("slide ") else None
        return ("" if slide else f"{self.what}: "), slide

    def end(self, present: bool) -> None:
        """Close the entry: its state, and warnings for its stale and missing texts."""
        where = self.where or Location(self.path)
        prefix, slide = self._who()
        recorded, current = self.recorded, self.current
        if present and (self.translated or self.mismatched) and self.changed:
            state: State = "stale"
            was = f"recorded source {recorded}" if recorded else "no 'source:' recorded"
            what = f": {self.detail}" if self.detail else f" ({was}, now {current})"
            hint = "check the translation against the source, then mark it reviewed"
            self.pending.append(
                (
                    Problem(
                        f"{prefix}changed in the source since it was translated{what}",
                        where,
                        hint,
                        severity="warning",
                        slide=slide,
                    ),
                    hint,
                )
            )
        elif self.missing:
            state = "missing"
        else:
            state = "translated"
        untranslated = [k for k in self.missing if k not in self.mismatched]
        if untranslated:
            self.pending.append(
                (
                    Problem(
                        f"{prefix}not translated: {', '.join(untranslated)}",
                        where,
                        "the source text is used until it is translated",
                        severity="warning",
                        slide=slide,
                    ),
                    "translate it, or build without strict to use the source",
                )
            )
        self.entries.append(
            SlideStatus(self.ident, state, tuple(self.missing), tuple(self.mismatched))
        )

    def error(self, message: str, loc: Location | None, hint: str | None = None) -> None:
        self.problems.append(Problem(message, loc or self.where or Location(self.path), hint))

    def extra(self, key: str, loc: Location | None) -> None:
        self.problems.append(
            Problem(
                f"{self.what} has no '{key}' in the source: this text is not used",
                loc or self.where or Location(self.path),
                "remove it, or check that the key matches the source slide",
                severity="warning",
            )
        )

    def list_loc(self, value: tuple[Any, ...]) -> Location | None:
        return self.conv.list_locs.get(id(value))

    # texts
    def text(self, src: str, tr: str | None, key: str) -> str:
        if tr is not None and tr.strip():
            self.translated += 1
            return tr
        if needs_translation(src):
            self.missing.append(key)
        return src

    def aligned(
        self,
        src: tuple[T, ...] | None,
        tr: tuple[Any, ...] | None,
        key: str,
        one: Callable[[T, Any, str], T],
    ) -> tuple[T, ...] | None:
        """A source list merged item by item with its translation, aligned by position."""
        if src is None:
            if tr:
                self.extra(key, self.list_loc(tr))
            return None
        if tr is not None and len(tr) != len(src):
            self._mismatch(key, len(tr), len(src), self.list_loc(tr))
            return src
        if tr is None:
            if any(needs_translation(text) for text in texts(src)):
                self.missing.append(key)
            return src
        pairs = enumerate(zip(src, tr, strict=True), 1)
        return tuple(one(s, t, f"{key}[{i}]") for i, (s, t) in pairs)

    def _mismatch(self, key: str, given: int, expected: int, loc: Location | None) -> None:
        """A translated list with another number of entries than the source's: stale when the
        source changed since it was translated (the source's list is used, with a warning),
        else the translator's mistake (an error at that list)."""
        if not self.changed:
            self.error(
                f"{self.what}: '{key}' has {given} entries; the source has {expected}",
                loc,
                "keep the same entries as the source, in the same order",
            )
            return
        self.missing.append(key)
        self.mismatched.append(key)
        prefix, slide = self._who()
        warning = Problem(
            f"{prefix}'{key}' has {given} entries; the source now has {expected}",
            loc or self.where or Location(self.path),
            "the source text is used for it until it is translated again to match; "
            "then mark the slide reviewed",
            severity="warning",
            slide=slide,
        )
        self.mismatch_problems.append((self.ident, warning))
        self.pending.append(
            (
                warning,
                "translate the source's entries again and mark the slide reviewed, "
                "or build without strict to use the source text",
            )
        )

    def value(self, src: Any, tr: Any, key: str) -> Any:
        """One source value merged with its translation: a text, a list aligned entry by
        entry, or a mapping key by key. A text the source does not have is reported unused."""
        if src is None:
            if isinstance(tr, str) and tr.strip():
                self.extra(key, None)
            elif isinstance(tr, tuple) and tr:
                self.extra(key, self.list_loc(tr))
            elif isinstance(tr, Texts):
                self.extra(key, tr.loc)
            return None
        if isinstance(src, str):
            return self.text(src, tr, key)
        if isinstance(src, tuple):
            merged = self.aligned(src, tr, key, self._entry)
            return merged if merged is not None else src
        return self.mapping(src, tr, key)

    def _entry(self, src: Any, tr: Any, key: str) -> Any:
        if dataclasses.is_dataclass(src):
            return self.mapping(src, tr, key, entry=True)
        return self.value(src, tr, key)

    def mapping(self, src: T, tr: Any, key: str = "", entry: bool = False) -> T:
        """A source mapping merged key by key with its translation (every key holding text;
        a slide's content keys too). Messages name a key by its path (``quote.text``); the
        ``text`` of a list entry by the entry's own (``bullets[2]``)."""
        cls: type = type(src)
        tr = tr if tr is not None else twin(cls)()
        inline = inline_of(cls)
        content = getattr(src, inline.field) if inline else None
        changes: dict[str, Any] = {}
        content_changes: dict[str, Any] = {}
        for k in keys(cls):
            if not k.translate:
                continue
            name = key if entry and k.name == "text" else f"{key}.{k.yaml}" if key else k.yaml
            given = getattr(tr, k.name)
            if k.kind is None:
                changes[k.name] = self.value(getattr(src, k.name), given, name)
            elif isinstance(content, k.kind):
                content_changes[k.name] = self.value(getattr(content, k.name), given, name)
            else:  # another kind's key
                self.value(None, given, name)
        if inline is not None and content_changes:
            changes[inline.field] = dataclasses.replace(content, **content_changes)  # type: ignore[type-var]
        if isinstance(src, Image) and isinstance(tr, ImageText) and tr.path:
            changes["path"] = self.picture(tr.path, tr.loc)  # the language's own picture
        return dataclasses.replace(src, **changes)  # type: ignore[type-var]

    def picture(self, path: str, loc: Location | None) -> str:
        """A translation's own picture, checked as the source's pictures are."""
        from slidegen.read.images import check_image  # opens the file: only when one is given

        for message, hint in check_image(path, Path(self.path).parent):
            self.error(message, loc, hint)
        return path


def merge(outline: Outline, tr: Translation, conv: _TranslationConverter) -> Merged:
    """Merge a translation onto its source outline; errors are in `problems` with the rest."""
    path = conv.path
    m = _Merger(conv, path)
    if tr.translation_of != outline.id:
        m.error(
            f"'translation-of: {tr.translation_of}' does not name this class ('{outline.id}')",
            tr.loc,
            suggest(tr.translation_of, [outline.id]),
        )

    # the class's own texts
    m.begin(
        META_ID,
        "the class's title and summary",
        tr.loc,
        tr.source,
        meta_fingerprint(outline),
        _detail(class_texts(outline), tr.was),
    )
    meta = dataclasses.replace(
        outline,
        language=tr.language,
        course=m.text(outline.course, tr.course, "course"),
        title=m.text(outline.title, tr.title, "title"),
        subtitle=m.value(outline.subtitle, tr.subtitle, "subtitle"),
        lecturer=tr.lecturer or outline.lecturer,
        institution=tr.institution or outline.institution,
        edition=tr.edition or outline.edition,
        summary_title=(
            m.text(outline.summary_title, tr.summary_title, "summary-title")
            if outline.summary_title is not None
            else tr.summary_title or None
        ),
        summary=m.value(outline.summary, tr.summary, "summary"),
    )
    m.end(present=True)

    sections_tr = tr.sections or {}
    slides_tr = tr.slides or {}
    sections: list[Section] = []
    for section in outline.sections:
        st = sections_tr.get(section.id)
        m.begin(
            SECTION_PREFIX + section.id,
            f"section '{section.id}'",
            st.loc if st else None,
            st.source if st else None,
            section_fingerprint(section),
            _detail(section, st.was if st else None),
        )
        texts_of_section = m.mapping(section, st)
        m.end(present=st is not None)
        slides: list[Slide] = []
        for slide in section.slides:
            t = slides_tr.get(slide.id)
            m.begin(
                slide.id,
                f"slide '{slide.id}'",
                t.loc if t else None,
                t.source if t else None,
                slide_fingerprint(slide),
                _detail(slide, t.was if t else None),
            )
            slides.append(
                dataclasses.replace(m.mapping(slide, t), loc=(t.loc if t else None) or slide.loc)
            )
            m.end(present=t is not None)
        sections.append(dataclasses.replace(texts_of_section, slides=tuple(slides)))

    _orphans(m, "section", sections_tr, [s.id for s in outline.sections], SECTION_PREFIX)
    _orphans(m, "slide", slides_tr, [s.id for s in outline.slides()], "")
    _check_citations(m, outline, Path(path))
    merged = dataclasses.replace(meta, sections=tuple(sections))
    pending = sorted(m.pending, key=lambda pair: _place(pair[0]))
    warnings = [p for p, _hint in pending]
    return Merged(
        merged,
        tuple(m.entries),
        tuple(sorted([*m.problems, *warnings], key=_place)),
        tuple(warnings),
        tuple(dataclasses.replace(p, severity="error", hint=hint) for p, hint in pending),
        tuple(m.mismatch_problems),
    )


def _detail(source: Any, was: dict[str, str] | None) -> str:
    """The fields of an entry whose source is not the text recorded as translated from, each
    with its word diff ('' when nothing is recorded or nothing changed)."""
    return "; ".join(c.describe() for c in changes(was or {}, entry_texts(source)))


def _place(p: Problem) -> tuple[int, int]:
    return (p.loc.line, p.loc.col) if p.loc else (0, 0)


def _orphans(m: _Merger, what: str, given: dict[str, Any], known: list[str], prefix: str) -> None:
    """Translated ids the source no longer has; the hint names the source's untranslated ids
    (a renamed slide shows up as one orphan and one untranslated id)."""
    untranslated = [i for i in known if i not in given]
    for ident, value in given.items():
        if ident in known:
            continue
        hint = suggest(ident, untranslated)
        if hint is None and untranslated:
            hint = "if its id was changed, the source's untranslated ids are: " + ", ".join(
                untranslated
            )
        m.entries.append(SlideStatus(prefix + ident, "orphaned"))
        m.problems.append(
            Problem(
                f"{what} '{ident}' is not in the source: its translation is not used",
                m.conv.id_locs.get(f"key '{what}s'/{ident}") or value.loc,
                hint or "its id may have changed in the source",
                severity="warning",
            )
        )


def _check_citations(m: _Merger, outline: Outline, path: Path) -> None:
    try:
        keys = {r.id for r in references_of(outline, path.parent)}
    except OutlineError:
        keys = {r.id for r in outline.references}
    for value, node in m.conv.strings:
        for key, _offset in cite_keys(value):
            if key not in keys:
                m.error(
                    f"citation of unknown reference '@{key}'",
                    m.conv.loc(node),
                    suggest(key, keys) or "copy citation keys unchanged from the source",
                )


def load_merged(source: Path, lang: str, outline: Outline | None = None) -> Merged:
    """Read the source (unless given) and the `lang` translation, and merge them.

    Problems in the translation file (bad YAML, wrong types, a list of another length than
    the source's in an up-to-date entry, a wrong `language`) raise `OutlineError`; missing
    and stale texts are warnings (so is a list that no longer matches a changed source)."""
    outline = outline or read_outline(source)
    path = translation_path(source, lang)
    if not path.exists():
        raise UsageError(
            [
                Problem(
                    f"there is no '{lang}' translation of this class",
                    Location(str(path)),
                    "create it with the translation scaffold (translate --lang " + lang + ")",
                )
            ]
        )
    source_outline = outline

    def made() -> tuple[Outline, Merged]:  # the outline is kept too: no other takes its id
        tr, conv = read_translation(path, lang)
        return source_outline, merge(source_outline, tr, conv)

    _, merged = reused(path, ("merged", lang, id(outline)), made)
    errors = [p for p in merged.problems if p.severity == "error"]
    if errors:
        raise OutlineError(errors)
    return merged


def edition_outline(
    source: Path, lang: str, strict: bool = False, outline: Outline | None = None
) -> tuple[Outline, list[Problem]]:
    """The source outline with the `lang` translation merged (the outline itself for the
    source language); missing texts fall back to the source with a warning, stale texts
    are warnings; `strict` makes both an error (`TranslationError`). Pass `outline` when
    the source is already read (the build does) to skip reading it again."""
    outline = outline or read_outline(source)
    if lang == outline.language:
        return outline, []
    merged = load_merged(source, lang, outline)
    if strict and merged.strict:
        raise TranslationError(merged.strict)
    return merged.outline, list(merged.problems)
