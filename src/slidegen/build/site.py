"""The learners' site (``build/site/``): an index per language, a page per class and language
with its HTML edition and downloads, a static search; one build target, incremental and atomic.

The site is up to date when its key is: slidegen's code, the course file, every class's
recorded inputs per language and the recorded keys of the downloads it lists. Otherwise it is
made again from the editions (bibliographies come from the build's cache) and the files the
build made, every page staged first and committed together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slidegen.atomic import Pending, commit, stage_all
from slidegen.build.targets import CACHE_NAME, Digests, State
from slidegen.read.sources import course_file, translation_files

if TYPE_CHECKING:
    from slidegen.plan import Reading
    from slidegen.read.course import Course
    from slidegen.resolve.edition import Edition
    from slidegen.write.html import Download, Page

__all__ = [
    "SITE_DIR",
    "DOWNLOADS",
    "Made",
    "SiteUpdate",
    "edition_key",
    "prepare",
    "remember",
    "site_key",
    "stage_site",
    "update_site",
]

SITE_DIR = "site"

#: The files of an edition a class page offers, in the order it lists them: (file name
#: pattern, site label, format shown, whether the browser saves it rather than opens it).
DOWNLOADS: tuple[tuple[str, str, str, bool], ...] = (
    ("{id}-handout.pdf", "handout", "PDF", True),
    ("{id}-slides.pdf", "slides_pdf", "PDF", True),
    ("{id}.pptx", "deck", "PPTX", True),
    ("{id}-references.html", "references_page", "HTML", False),
    ("{id}-references.bib", "references_file", "BibTeX", True),
    ("{id}-references.ris", "references_file", "RIS", True),
    ("{id}-references.json", "references_file", "CSL-JSON", True),
)


def _download_names(class_id: str) -> list[str]:
    return [pattern.format(id=class_id) for pattern, *_ in DOWNLOADS]


def site_key(
    code: str, classes: Sequence[Path], course: Path | None, state: State, digests: Digests
) -> str:
    """The fingerprint of everything the site shows (see the module's doc)."""
    payload: list[Any] = [code, str(course), digests(course) if course else ""]
    for source in classes:
        rec = state.classes.get(str(source.resolve()), {})
        deps = rec.get("deps", {})
        languages = sorted({*deps, *translation_files(source)})
        entry: list[Any] = [str(source), digests(source), languages]
        for lang in sorted(deps):
            entry.append([[p, digests(Path(p))] for p in deps[lang]])
            for name in _download_names(str(rec.get("id", ""))):
                out = state.outputs.get(f"{lang}/{name}", {})
                entry.append([lang, name, out.get("key"), out.get("size")])
        payload.append(entry)
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Made:
    """An edition as the build made it: what was read and resolved, and its reading text."""

    edition: Edition
    reading: Reading


#: Editions already made in this process, by `edition_key`: those a build's workers made (sent
#: back with their files), and, in watch mode, those of earlier rebuilds. The site reads only
#: the others. Each `stage_site` keeps just the ones it used.
_MADE: dict[str, Made] = {}


def prepare(langs: Iterable[str]) -> None:
    """Load ahead what the site needs (its page templates, each language's shipped labels):
    the build does it while its workers render, so that less is left for after them."""
    from slidegen.i18n.labels import SUPPORTED, labels
    from slidegen.write.html import load_templates

    load_templates()
    for lang in dict.fromkeys(langs):
        if lang.split("-")[0] in SUPPORTED:
            labels(lang)


def forget_made() -> None:
    """Drop the editions kept for the site (a warm process that starts afresh)."""
    _MADE.clear()


def edition_key(code: str, source: Path, lang: str, deps: Sequence[str], digests: Digests) -> str:
    """The fingerprint of one edition's inputs: slidegen's code and the content of every file
    it was built from."""
    payload = [code, str(source.resolve()), lang, [[p, digests(Path(p))] for p in deps]]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:24]


def remember(key: str, made: Made) -> None:
    """Keep an edition a worker made, for the site of this build (and the next, in watch)."""
    _MADE[key] = made


def _is_current(out: Path, state: State, key: str) -> bool:
    files = [p for p in state.outputs if p.startswith(SITE_DIR + "/")]
    return bool(files) and all(state.is_current(out, out / p, key) for p in files)


@dataclass(frozen=True)
class SiteUpdate:
    """The site's files staged (not yet in place) under `key`, or those up to date."""

    pending: tuple[Pending, ...]
    up_to_date: tuple[Path, ...]
    key: str
    #: files of a remade site that already held their new content: recorded under `key`
    kept: tuple[Path, ...] = ()


def stage_site(
    classes: Sequence[Path],
    out: Path,
    state: State,
    code: str,
    digests: Digests,
    langs: Sequence[str] | None = None,
) -> SiteUpdate:
    """Make the site's files, if it is out of date, as temporary files beside their places:
    the caller commits them (with the state that records them)."""
    folders = {p.parent for p in classes}
    course_path = next((c for f in sorted(folders) if (c := course_file(f))), None)
    key = site_key(code, classes, course_path, state, digests)
    if _is_current(out, state, key):
        current = [out / p for p in state.outputs if p.startswith(SITE_DIR + "/")]
        return SiteUpdate((), tuple(sorted(current)), key)
    files = _Site(out, state, course_path, langs, code, digests).render(classes)
    changed: list[tuple[Path, bytes]] = []
    kept: list[Path] = []
    for rel, data in sorted(files.items()):
        dest = out / SITE_DIR / rel
        if _holds(out, state, dest, data):
            kept.append(dest)
        else:
            changed.append((dest, data))
    return SiteUpdate(tuple(stage_all(changed)), (), key, tuple(kept))


def _holds(out: Path, state: State, dest: Path, data: bytes) -> bool:
    """Whether `dest` is a site file a build wrote, untouched since, and already `data`: it
    is then left as it is (an edit to one class rewrites that class's pages, not the copies
    of every other edition's files)."""
    if not state.untouched(out, dest):
        return False
    try:
        return dest.stat().st_size == len(data) and dest.read_bytes() == data
    except OSError:
        return False


def update_site(
    classes: Sequence[Path],
    out: Path,
    state: State,
    code: str,
    digests: Digests,
    langs: Sequence[str] | None = None,
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Make the site if it is out of date; returns (files written, files up to date). The
    state records the files written (the caller saves it)."""
    update = stage_site(classes, out, state, code, digests, langs)
    commit(list(update.pending))
    for path in (*(p.dest for p in update.pending), *update.kept):
        state.record(out, path, update.key)
    return tuple(p.dest for p in update.pending), (*update.up_to_date, *update.kept)


@dataclass(frozen=True)
class _Edition:
    """One class in one language, as the site shows it."""

    class_id: str
    lang: str
    tag: str
    number: str
    lecturer: str
    date: str
    reading: Reading
    source: Path
    #: the date as written in the course file or outline (YYYY-MM-DD), for other languages
    iso_date: str = ""


def _human_size(size: int, lang: str, labels: Mapping[str, str]) -> str:
    from slidegen.i18n.labels import format_number

    if size < 1024 * 1024:
        return f"{format_number(max(1, round(size / 1024)), lang)} {labels['kb']}"
    return f"{format_number(round(size / 1024 / 1024, 1), lang)} {labels['mb']}"


def _language_name(lang: str, written_in: str | None = None) -> str:
    """A language's name written in `written_in` (default: in itself, as a switcher shows it)."""
    from slidegen.i18n.labels import SUPPORTED, labels, locale_of

    if written_in is None and lang.split("-")[0] in SUPPORTED:
        return labels(lang).language_name
    from babel import Locale, UnknownLocaleError

    try:
        named = Locale.parse(lang.replace("-", "_") if written_in is None else lang.split("-")[0])
        name = named.get_display_name(locale_of(written_in or lang))
    except (ValueError, UnknownLocaleError):
        return lang
    if written_in is None:
        return str(name or lang)[:1].upper() + str(name or lang)[1:]
    return str(name or lang)


class _Site:
    """Renders every page and copies every file of the site, as {path in site/: bytes}."""

    def __init__(
        self,
        out: Path,
        state: State,
        course_path: Path | None,
        langs: Sequence[str] | None,
        code: str,
        digests: Digests,
    ) -> None:
        from slidegen.read.course import read_course

        self.code = code
        self.digests = digests
        self.used: dict[str, Made] = {}
        self.out = out
        self.state = state
        self.course: Course | None = read_course(course_path) if course_path else None
        self.course_dir = course_path.parent if course_path else None
        self.langs = langs
        self.files: dict[str, bytes] = {}
        self.images: dict[str, str] = {}  # image file → its path in the site

    def render(self, classes: Sequence[Path]) -> dict[str, bytes]:
        from slidegen.write.html import ASSETS, asset_bytes

        editions = [e for n, source in enumerate(classes, 1) for e in self._editions(source, n)]
        order = self._languages(editions)
        _MADE.clear()
        _MADE.update(self.used)
        for name in ASSETS:
            self.files[f"assets/{name}"] = asset_bytes(name)
        for lang in order:
            self._language(lang, [e for e in editions if e.lang == lang], editions, order)
        self._entry(order, editions)
        return self.files

    # --- reading the classes ------------------------------------------------------------

    def _course_entry(self, source: Path) -> Any:
        if self.course is None or self.course_dir is None:
            return None
        for c in self.course.classes:
            if (self.course_dir / c.file).resolve() == source.resolve():
                return c
        return None

    def _made(self, source: Path, lang: str) -> Made:
        """An edition of a class and its reading text: as the build made it, if it did."""
        deps = self.state.classes.get(str(source.resolve()), {}).get("deps", {}).get(lang)
        key = edition_key(self.code, source, lang, deps, self.digests) if deps else None
        made = _MADE.get(key) if key else None
        if made is None:
            from slidegen import api
            from slidegen.layout.reading import reading
            from slidegen.layout.slides import language_tag

            edition = api.edition(source, lang, cache_dir=self.out / CACHE_NAME)
            made = Made(edition, reading(edition, language_tag(lang)))
        if key:
            self.used[key] = made
        return made

    def _source_outline(self, source: Path) -> Any:
        """The outline of a class in its own language, as the build read it if it did (then
        with its course's defaults filled in: the same id, language and lecturer here)."""
        rec = self.state.classes.get(str(source.resolve()), {})
        lang = rec.get("source_lang")
        if lang and rec.get("deps", {}).get(lang):
            return self._made(source, str(lang)).edition.outline
        from slidegen.read.outline import read_outline

        return read_outline(source)

    def _editions(self, source: Path, position: int) -> list[_Edition]:
        from slidegen.i18n.labels import format_date
        from slidegen.layout.slides import language_tag
        from slidegen.markup import runs_text

        outline = self._source_outline(source)
        entry = self._course_entry(source)
        number = str(entry.number) if entry is not None and entry.number else str(position)
        course = self.course
        # the course file's entry for the class wins, then the outline, then the course
        lecturer = (entry.lecturer if entry is not None else None) or outline.lecturer
        lecturer = lecturer or (course.lecturer if course else None)
        languages = [outline.language, *translation_files(source)]
        out: list[_Edition] = []
        for lang in dict.fromkeys(languages):
            if self.langs is not None and lang not in self.langs:
                continue
            if course is not None and course.languages and lang not in course.languages:
                continue
            made = self._made(source, lang)
            edition, text = made.edition, made.reading
            if entry is not None and entry.date:
                text = replace(text, date=format_date(entry.date, lang))
            if lecturer:
                text = replace(text, lecturer=edition.runs(lecturer))
            out.append(
                _Edition(
                    class_id=outline.id,
                    lang=lang,
                    tag=language_tag(lang),
                    number=number,
                    lecturer=runs_text(text.lecturer),
                    date=text.date,
                    reading=text,
                    source=source,
                    iso_date=(entry.date if entry is not None and entry.date else None)
                    or edition.outline.date
                    or "",
                )
            )
        return out

    def _languages(self, editions: Sequence[_Edition]) -> list[str]:
        present = list(dict.fromkeys(e.lang for e in editions))
        if self.course is not None and self.course.languages:
            return [lang for lang in self.course.languages if lang in present]
        first = present[:1]
        return first + sorted(lang for lang in present if lang not in first)

    # --- pages --------------------------------------------------------------------------

    def _page(
        self,
        lang: str,
        order: Sequence[str],
        editions: Sequence[_Edition],
        root: str,
        here: str | None,
    ) -> Page:
        """The shared part of a page in `lang`; `here` is a class id (its page in the other
        languages is linked where it exists) or None for the index."""
        from slidegen.i18n.labels import site_labels
        from slidegen.markup import Run
        from slidegen.write.html import LanguageLink, Page

        links = []
        for other in order:
            has = here is not None and any(e.lang == other and e.class_id == here for e in editions)
            target = f"{here}.html" if has else "index.html"
            tag = next(e.tag for e in editions if e.lang == other)
            links.append(
                LanguageLink(tag, _language_name(other), f"{root}{other}/{target}", other == lang)
            )
        first = next(e for e in editions if e.lang == lang)
        own = next((e for e in editions if e.lang == lang and e.class_id == here), first)
        course = first.reading.course
        institution = first.reading.institution
        if self.course is not None:
            # the course file's title is the course's name; a class's translation of it wins
            course = course or (Run(self.course.title),)
            institution = institution or (
                (Run(self.course.institution),) if self.course.institution else ()
            )
        return Page(
            tag=first.tag,
            labels=site_labels(lang, own.source.parent),  # a translator's labels files too
            root=root,
            home=f"{root}{lang}/index.html",
            course=course,
            languages=tuple(links),
            search_index="search-index.js" if here is not None or root == "../" else "",
            institution=institution,
        )

    def _language(
        self,
        lang: str,
        mine: Sequence[_Edition],
        editions: Sequence[_Edition],
        order: Sequence[str],
    ) -> None:
        """The pages of one language: a page per class, the index, the search index. A class
        not translated into `lang` is listed too, linked to its page in its own language."""
        from slidegen.markup import runs_text
        from slidegen.write.html import (
            ClassLink,
            class_page,
            index_page,
            search_records,
            search_script,
        )

        records: list[dict[str, str]] = []
        links: list[ClassLink] = []
        index = self._page(lang, order, editions, "../", None)
        for class_id in dict.fromkeys(e.class_id for e in editions):
            e = next((x for x in mine if x.class_id == class_id), None)
            if e is None:
                other = next(x for x in editions if x.class_id == class_id and x.lang in order)
                folder = f"../{other.lang}/"
                downloads = self._downloads(other, index.labels, folder)
                name = _language_name(other.lang, written_in=lang)
                note = index.labels["only_in"].format(language=name)
                handout = _handout(downloads)
                title = other.reading.title
                href = f"{folder}{class_id}.html"
                links.append(
                    ClassLink(
                        other.number,
                        title,
                        href,
                        other.lecturer,
                        _date(other.iso_date, lang),
                        handout,
                        other.tag,
                        note,
                    )
                )
                continue
            page = self._page(lang, order, editions, "../", e.class_id)
            downloads = self._downloads(e, page.labels)
            images = {
                path: "../" + self._image(e.class_id, Path(path))
                for path in _figure_paths(e.reading)
            }
            html = class_page(e.reading, page, number=e.number, downloads=downloads, images=images)
            self.files[f"{lang}/{e.class_id}.html"] = html.encode()
            href = f"{e.class_id}.html"
            records += search_records(e.reading, href, runs_text(e.reading.title))
            links.append(
                ClassLink(e.number, e.reading.title, href, e.lecturer, e.date, _handout(downloads))
            )
        self.files[f"{lang}/index.html"] = index_page(index, links).encode()
        self.files[f"{lang}/search-index.js"] = search_script(records).encode()

    def _entry(self, order: Sequence[str], editions: Sequence[_Edition]) -> None:
        from slidegen.write.html import languages_page

        page = self._page(order[0], order, editions, "", None)
        self.files["index.html"] = languages_page(page).encode()

    # --- files --------------------------------------------------------------------------

    def _downloads(
        self, e: _Edition, labels: Mapping[str, str], folder: str = ""
    ) -> list[Download]:
        """The files of an edition the build made, copied into the site; `folder` leads from
        the linking page to the edition's language folder."""
        from slidegen.write.html import Download

        out: list[Download] = []
        for pattern, label, fmt, save in DOWNLOADS:
            name = pattern.format(id=e.class_id)
            rel = f"{e.lang}/{name}"
            path = self.out / rel
            if rel not in self.state.outputs or not path.is_file():
                continue  # only what a build made, never a stray file
            data = path.read_bytes()
            self.files[f"{e.lang}/files/{name}"] = data
            text = labels[label].format(format=fmt)
            size = _human_size(len(data), e.lang, labels)
            out.append(Download(text, fmt, size, f"{folder}files/{name}", save))
        return out

    def _image(self, class_id: str, path: Path) -> str:
        key = str(path)
        if key not in self.images:
            taken = set(self.images.values())
            rel = f"media/{class_id}/{path.name}"
            n = 1
            while rel in taken:
                n += 1
                rel = f"media/{class_id}/{n}-{path.name}"
            self.images[key] = rel
            self.files[rel] = path.read_bytes()
        return self.images[key]


def _date(iso: str, lang: str) -> str:
    from slidegen.i18n.labels import format_date

    return format_date(iso, lang) if iso else ""


def _handout(downloads: Sequence[Download]) -> Download | None:
    return next((d for d in downloads if d.href.endswith("-handout.pdf")), None)


def _figure_paths(reading: Reading) -> list[str]:
    from slidegen.plan import Figure

    return [b.path for b in reading.blocks if isinstance(b, Figure) and b.path is not None]
