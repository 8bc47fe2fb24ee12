"""Localized fixed labels (Agenda, Summary, page x of y, ...) and locale-aware dates and numbers.

Labels come from a file per language: ``labels/<lang>.yaml`` shipped in the package, overridden
key by key by ``labels.<lang>.yaml`` in the folder of the class outlines (a translator's own).
Language names, dates and numbers come from CLDR (Babel).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, get_group_symbol
from yaml.nodes import MappingNode, ScalarNode

from slidegen.errors import Location, OutlineError, Problem
from slidegen.i18n.locales import locale
from slidegen.plan import Labels
from slidegen.read.convert import key_of, suggest
from slidegen.read.yaml_nodes import load_document, loc_of, scalar_tag

__all__ = [
    "Labels",
    "LABEL_KEYS",
    "LABEL_DOCS",
    "labels",
    "load_labels",
    "label_files",
    "site_labels",
    "shipped_labels",
    "language_name",
    "locale_of",
    "format_date",
    "format_number",
    "page_of",
    "SUPPORTED",
]


#: What each label of decks and handouts is (the plan's `Labels`), as a labels file's
#: comments say it (keys as the file writes them).
_PLAN_DOCS: dict[str, str] = {
    "agenda": "title of the agenda slide and of the handout cover's agenda",
    "summary": "title of the summary slide (unless the class names its own)",
    "references": "title of the references slide and page",
    "further-reading": "heading of further reading",
    "notes": "heading of a handout slide's notes",
    "contents": "title of the handout's table of contents",
    "continued": "added to the title of a slide continued on the next one: Title (continued)",
    "continued-part": "added to the title of a third or later part instead; keep {part}",
    "page-of": "handout page numbers; keep {page} and {pages}",
    "slide": "a slide's label in the handout; keep {number}",
    "slide-of": "a slide's number in the deck; keep {number} and {total}",
    "course": "the handout cover: the course",
    "lecturer": "the handout cover: who gives the class",
    "institution": "the handout cover: the institution",
    "language": "the handout cover: the edition's language",
    "edition": "the handout cover: the edition and its date",
    "handout": "what the handout is called on its cover and in its footer",
    "reading-edition": "what the reading edition is called on its cover and in its footer",
    "speaker-notes": "heading of the speaker notes",
    "section": "the number label of a section divider: Section 2",
    "language-name": "the language's own name (default: CLDR's)",
}

#: The learners' site's own labels (it also shows contents, handout, references, ...).
_SITE_DOCS: dict[str, str] = {
    "site-skip": "the site: the link that skips to a page's content",
    "site-languages": "the site: the heading of the language switcher",
    "site-search": "the site: the search box's label",
    "site-no-results": "the site: what a search that finds nothing says",
    "site-classes": "the site: the heading of the course's list of classes",
    "site-class-number": "the site: a class's number; keep {number}",
    "site-downloads": "the site: the heading of a class's files",
    "site-deck": "the site: the deck's download",
    "site-slides-pdf": "the site: the slides as PDF's download",
    "site-references-page": "the site: the references' web page",
    "site-references-file": "the site: a references file's download; keep {format}",
    "site-kb": "the site: kilobytes, after a file's size",
    "site-mb": "the site: megabytes, after a file's size",
    "site-only-in": "the site: a class not translated into this language; keep {language}",
}

#: What each label is, as a labels file's comments say it (keys as the file writes them).
LABEL_DOCS: dict[str, str] = {**_PLAN_DOCS, **_SITE_DOCS}
#: The keys of a labels file, in the order the files write them.
LABEL_KEYS: tuple[str, ...] = tuple(LABEL_DOCS)

_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "continued-part": ("{part}",),
    "page-of": ("{page}", "{pages}"),
    "slide": ("{number}",),
    "slide-of": ("{number}", "{total}"),
    "site-class-number": ("{number}",),
    "site-references-file": ("{format}",),
    "site-only-in": ("{language}",),
}

_FIELD = {key_of(f.name): f.name for f in dataclasses.fields(Labels) if f.name != "group"}
assert set(_FIELD) == set(_PLAN_DOCS), "every label is documented"


@cache
def shipped_labels(lang: str) -> dict[str, str]:
    """The labels slidegen ships for a language (``labels/<lang>.yaml``), by key; {} if none."""
    try:
        text = resources.files("slidegen").joinpath(f"labels/{lang}.yaml").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = yaml.load(text, Loader=_LOADER) or {}
    return {str(k): str(v) for k, v in data.items()}


#: libyaml's loader where PyYAML has it (plain strings: the same result, a tenth of the time).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The languages slidegen ships labels for.
SUPPORTED: tuple[str, ...] = tuple(
    sorted(
        p.name.removesuffix(".yaml")
        for p in resources.files("slidegen").joinpath("labels").iterdir()
        if p.name.endswith(".yaml")
    )
)


def label_files(lang: str, folder: Path) -> tuple[Path, ...]:
    """The translator's labels files that may hold labels of `lang`, in the folder of the
    outlines: ``labels.<language>.yaml`` then ``labels.<lang>.yaml`` (pt, then pt-BR)."""
    base = locale(lang).labels
    names = dict.fromkeys([f"labels.{base}.yaml", f"labels.{lang}.yaml"])
    return tuple(folder / name for name in names)


def _read_file(path: Path) -> tuple[dict[str, str], dict[str, Location], list[Problem]]:
    """A translator's labels file: its non-empty labels, where each is, and its warnings;
    errors (not text, a lost placeholder) raise `OutlineError` at their place."""
    shown = str(path)
    text, root = load_document(path, shown)
    del text
    found: dict[str, str] = {}
    where: dict[str, Location] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    if not isinstance(root, MappingNode):  # pragma: no cover - parse_nodes refuses it
        raise OutlineError([Problem("a labels file is a mapping of labels", Location(shown))])
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in LABEL_DOCS:
            warnings.append(
                Problem(
                    f"'{key}' is not a label: it is not used",
                    loc_of(shown, key_node),
                    suggest(key, LABEL_KEYS) or "the labels are: " + ", ".join(LABEL_KEYS),
                    severity="warning",
                )
            )
            continue
        if scalar_tag(value_node) == "null":
            continue
        if not isinstance(value_node, ScalarNode) or scalar_tag(value_node) != "str":
            errors.append(
                Problem(f"label '{key}' must be text", loc_of(shown, value_node), "quote it")
            )
            continue
        value = str(value_node.value)
        lost = [p for p in _PLACEHOLDERS.get(key, ()) if p not in value]
        if lost and value.strip():
            errors.append(
                Problem(
                    f"label '{key}' lost {' and '.join(lost)}",
                    loc_of(shown, value_node),
                    "keep the placeholders in braces as they are; they are replaced by numbers",
                )
            )
            continue
        if value.strip():
            found[key] = value
            where[key] = loc_of(shown, value_node)
    if errors:
        raise OutlineError(errors)
    return found, where, warnings


def language_name(lang: str) -> str:
    """A language's name in that language, from CLDR, capitalized for a label (Português)."""
    from babel import Locale as BabelLocale

    loc = locale(lang)
    try:
        name = BabelLocale.parse(loc.babel).get_language_name(loc.babel) or ""
    except (ValueError, LookupError):
        name = ""
    if not name or (loc.babel == "en_US" and loc.labels != "en"):  # a language CLDR lacks
        return lang
    return name[:1].upper() + name[1:]


def load_labels(lang: str, folder: Path | None = None) -> tuple[Labels, list[Problem]]:
    """The labels of a language, with the problems found: warnings about the translator's
    files, and ONE warning naming every label that fell back to English (the site's too)."""
    values, problems = _values(lang, folder)
    group = str(get_group_symbol(locale(lang).babel))
    return Labels(**{_FIELD[k]: values[k] for k in _PLAN_DOCS}, group=group), problems


def site_labels(lang: str, folder: Path | None = None) -> dict[str, str]:
    """Every label the learners' site shows in a language, by field name (`class_number`,
    and the handout's own `contents`, `handout`, ...); `folder` holds the translator's
    labels files. Their fallback to English is warned about by the editions' builds."""
    values, _ = _values(lang, folder)
    plan = {_FIELD[k]: values[k] for k in _PLAN_DOCS}
    return {**plan, **{k.removeprefix("site-").replace("-", "_"): values[k] for k in _SITE_DOCS}}


def _values(lang: str, folder: Path | None) -> tuple[dict[str, str], list[Problem]]:
    """Every label of a language by key (English where it has none), and the problems."""
    loc = locale(lang)
    chain = [shipped_labels(loc.labels)]
    if lang != loc.labels:
        chain.append(shipped_labels(lang))
    problems: list[Problem] = []
    for path in label_files(lang, folder) if folder is not None else ():
        if path.is_file():
            found, _where, warnings = _read_file(path)
            chain.append(found)
            problems += warnings
    own: dict[str, str] = {"language-name": language_name(lang)}
    for values in chain:
        own.update(values)
    english = shipped_labels("en")
    fallback = [k for k in LABEL_KEYS if k not in own]
    values = {**english, **own}
    if fallback and loc.labels != "en":
        target = label_files(lang, folder or Path("."))[-1]
        problems.append(
            Problem(
                f"no '{lang}' text for the labels {', '.join(fallback)}: English is used",
                Location(str(target)),
                f"write them in {target.name} beside the outlines "
                f"(slidegen i18n labels --lang {lang} creates it)",
                severity="warning",
            )
        )
    return values, problems


@cache
def labels(lang: str) -> Labels:
    """The shipped labels of a language (English where it has none); a project's own labels
    files are read by `load_labels`."""
    return load_labels(lang)[0]


def locale_of(lang: str) -> str:
    """The Babel locale identifier of an edition language (from the one locale table)."""
    return locale(lang).babel


def format_date(value: str, lang: str) -> str:
    """A date written per locale: YYYY-MM-DD in full, YYYY-MM as month and year, else as is."""
    babel = locale(lang).babel
    try:
        if len(value) == 10:
            return str(_babel_date(dt.date.fromisoformat(value), "long", locale=babel))
        if len(value) == 7:
            day = dt.date.fromisoformat(value + "-01")
            return str(_babel_date(day, "LLLL y", locale=babel))
    except ValueError:
        pass
    return value


def format_number(value: float, lang: str) -> str:
    """A number written per locale (e.g. 1,000 in English, 1.000 in Portuguese)."""
    return str(format_decimal(value, locale=locale(lang).babel))


def page_of(page: int, pages: int, lang: str) -> str:
    """"Page x of y" in a language, its numbers written per locale."""
    return labels(lang).page_of.format(
        page=format_number(page, lang), pages=format_number(pages, lang)
    )
