"""Build every class × language × format: incremental, in parallel processes, outputs atomic.

A build first decides, from the state file alone, which targets are out of date (an
up-to-date build imports neither python-pptx nor reportlab). Each out-of-date edition is
then read, validated and rendered in a worker process, which writes its files as
temporary files beside their destinations. Only when every worker succeeded are the
files renamed into place; otherwise they are removed and every previous output stays
byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slidegen.api import Format
from slidegen.atomic import Pending, commit, discard, replace_all, stage, stage_all, sweep
from slidegen.build.clean import clean
from slidegen.build.lock import build_lock
from slidegen.build.targets import (
    CACHE_NAME,
    FORMATS,
    STATE_NAME,
    Digests,
    State,
    code_fingerprint,
    content_digest,
    outline_deps,
    output_files,
    problem_from_json,
    problem_to_json,
    target_key,
)
from slidegen.cache import take_damaged
from slidegen.errors import (
    BuildError,
    Location,
    OutlineError,
    Problem,
    SlidegenError,
    UsageError,
)
from slidegen.read.classes import find_classes
from slidegen.read.sources import own_language_problem, translation_files

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

__all__ = ["BuildReport", "build", "clean", "find_classes", "preview", "FORMATS", "forget_editions"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did: files written, files already up to date, and warnings."""

    built: tuple[Path, ...]
    up_to_date: tuple[Path, ...]
    #: every warning (and note) of the editions built or up to date, each naming its language
    warnings: tuple[Problem, ...] = ()
    #: the learners' site's files written, and those up to date (when the site was asked for)
    site_built: tuple[Path, ...] = ()
    site_up_to_date: tuple[Path, ...] = ()
    #: those this build found that the previous builds had not (the rest were shown then)
    fresh: tuple[Problem, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the files built or up to date, sorted."""
        return tuple(sorted({p.parent.name for p in (*self.built, *self.up_to_date)}))

    def to_show(self, shown: Collection[Problem] = ()) -> tuple[tuple[Problem, ...], int]:
        """The warnings and errors to print (those this build found and not in `shown`) and
        how many others stand, to be counted in one line (`repeated_line`)."""
        listed = _once([w for w in self.warnings if w.severity != "note"])
        new = _once([w for w in self.fresh if w.severity != "note" and w not in shown])
        return tuple(new), len(listed) - len(new)

    @property
    def notes(self) -> tuple[Problem, ...]:
        """The routine events among the warnings (counted, not printed)."""
        return tuple(w for w in self.warnings if w.severity == "note")

    def summary(self) -> str:
        """One line, e.g. "built 6 files, 6 up to date (4 languages; 5 slides shrunk by 2 pt
        or less)"."""
        n_lang = len(self.languages)
        langs = f"{n_lang} language{'s' if n_lang != 1 else ''}"
        site = ""
        if self.site_built:
            site = f"; site: {_files(len(self.site_built))} written"
        elif self.site_up_to_date:
            site = "; site up to date"
        if not self.built and not self.up_to_date and site:
            return site.removeprefix("; ")
        if not self.built and not self.site_built:
            return f"nothing to do: {_files(len(self.up_to_date))} up to date ({langs})" + site
        n_notes = len(self.notes)
        if n_notes and self.built:
            langs += f"; {n_notes} slide{'s' if n_notes != 1 else ''} shrunk by 2 pt or less"
        built = f"built {_files(len(self.built))}, {len(self.up_to_date)} up to date ({langs})"
        return built + site


def _once(problems: list[Problem]) -> list[Problem]:
    """`problems` with a problem of the whole deck (no slide: a template's or theme's font),
    found the same in every language, said once and without a language."""
    out: list[Problem] = []
    seen: set[Problem] = set()
    for p in problems:
        if p.slide is None and p.language is not None:
            common = replace(p, language=None)
            if common in seen:
                continue
            seen.add(common)
            if any(q != p and replace(q, language=None) == common for q in problems):
                p = common
        out.append(p)
    return out


def repeated_line(count: int) -> str:
    """The line that stands for warnings already shown: "3 warnings (slidegen check
    --warnings to list them)"."""
    return f"{count} warning{'s' if count != 1 else ''} (slidegen check --warnings to list them)"


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class Options:
    """Build settings every worker needs."""

    out: Path
    code: str
    strict: bool
    handout_layout: str | None  # None: each class's own (its outline's `handout:`)
    paper: str
    langs: tuple[str, ...] | None
    #: `--template`: every deck and handout built on this template instead of the theme's
    template: Path | None = None
    ink_saving: bool = False  # handouts: dark slides drawn light, greyscale
    #: the site is built after the editions: each job sends its edition back for it
    site: bool = False

    def layout(self, chosen: str) -> str:
        """The handout layout to build for a class whose outline chose `chosen`."""
        return self.handout_layout or chosen

    def of(self, fmt: str, chosen: str = "notes") -> tuple[str, ...]:
        """The settings a format's target key includes: those that change its bytes, and
        strictness (a strict build must itself have checked the translations)."""
        strict = ("strict",) if self.strict else ()
        base = ("template", str(self.template)) if self.template else ()
        if fmt != "pdf":
            return (*strict, *base)
        ink = ("ink-saving",) if self.ink_saving else ()
        return (self.layout(chosen), self.paper, *ink, *strict, *base)

    def files(self, lang: str, class_id: str, fmt: str, chosen: str) -> tuple[Path, ...]:
        """The files `fmt` writes for one edition of a class that chose handout `chosen`."""
        return output_files(self.out, lang, class_id, fmt, self.layout(chosen), chosen)


@dataclass(frozen=True)
class Job:
    """One edition to build: a class in one language (None: the outline's own), some formats."""

    source: Path
    lang: str | None
    formats: tuple[str, ...]
    options: Options


@dataclass(frozen=True)
class JobResult:
    """A finished job: staged files, what the state must remember, and warnings by stage."""

    source: Path
    class_id: str
    lang: str | None
    source_lang: str
    pending: tuple[tuple[str, Pending, str], ...] = ()  # (format, staged file, target key)
    digest: str = ""  # of the outline, taken before it was read
    handout: str = "notes"  # the outline's handout layout (names the handout's file)
    deps: tuple[str, ...] = ()
    warnings: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    seconds: float = 0.0
    #: the edition and its reading text, for the site (which then need not read it again)
    made: Any = None
    #: a translated edition's `content_digest` (its target keys include it)
    content: str = ""


# --- the worker: runs in a child process; heavy imports stay inside --------------------------


def _resolve(outline: Any, source: Path, lang: str, cache_dir: Path) -> Any:
    from slidegen.resolve.edition import resolve

    return resolve(outline, source, lang, cache_dir=cache_dir)


def _stage_all(files: Sequence[tuple[str, Path, bytes, str]]) -> list[tuple[str, Pending, str]]:
    """Stage an edition's files (format, destination, bytes, target key) in one go."""
    pending = stage_all([(dest, data) for _, dest, data, _ in files])
    return [(fmt, p, key) for (fmt, _, _, key), p in zip(files, pending, strict=True)]


#: The `render` format of each handout layout.
_HANDOUTS: dict[str, Format] = {"notes": "handout", "three": "three", "reading": "reading"}


@dataclass(frozen=True)
class _Source:
    """A class's outline as read and checked, with its course's defaults filled in."""

    outline: Any
    problems: tuple[Problem, ...]
    course: Path | None


def _read_source(source: Path) -> _Source:
    """Read and check a class's outline (an error raises every located problem)."""
    from slidegen.read.course import with_course
    from slidegen.read.outline import check_outline

    outline, problems = check_outline(source)
    if outline is None:
        raise _error_of(problems)
    own = own_language_problem(source, outline.language)
    if own is not None:
        raise OutlineError([own])
    outline, course = with_course(outline, source)
    return _Source(outline, tuple(problems), course)


def _merge(read: _Source, source: Path, lang: str, strict: bool) -> tuple[Any, list[Problem]]:
    """The edition's outline in `lang` and the warnings of reading it (source and merge)."""
    from slidegen.i18n.merge import edition_outline

    if lang == read.outline.language:
        return read.outline, list(read.problems)
    outline, merged = edition_outline(source, lang, strict=strict, outline=read.outline)
    return outline, [*read.problems, *merged]


#: The editions this process laid out last (edition, plan, layout warnings), by the key of
#: their inputs: watch mode rewrites the decks a save changed first, then the other files of
#: the same editions, from the same plans.
_LAID_OUT: dict[str, tuple[Any, Any, tuple[Problem, ...]]] = {}
_KEEP_LAID_OUT = 8


def forget_editions() -> None:
    """Drop what this process keeps of past builds' editions (their plans, the site's copy)."""
    from slidegen.build.site import forget_made

    _LAID_OUT.clear()
    forget_made()


def _keep_laid_out(key: str, laid_out: tuple[Any, Any, tuple[Problem, ...]]) -> None:
    _LAID_OUT[key] = laid_out
    while len(_LAID_OUT) > _KEEP_LAID_OUT:
        del _LAID_OUT[next(iter(_LAID_OUT))]


def _run_job(job: Job) -> JobResult:
    """Read, validate and render one edition; its files are staged, not yet in place."""
    start = time.perf_counter()
    opts = job.options
    digests = Digests()
    digests(job.source)  # before reading: a file saved during the build makes the next rebuild
    if job.lang is not None:
        digests(translation_files(job.source).get(job.lang, job.source))
    read = _read_source(job.source)
    source_outline, course = read.outline, read.course
    lang = job.lang or source_outline.language
    result = JobResult(job.source, source_outline.id, job.lang, source_outline.language)
    if opts.langs is not None and lang not in opts.langs:
        return result
    outline, read_warnings = _merge(read, job.source, lang, opts.strict)
    translation = None
    merged = None
    if lang != source_outline.language:
        translation = translation_files(job.source).get(lang)
        merged = (job.source, content_digest(outline))
    from slidegen.i18n.labels import label_files

    deps = (*outline_deps(outline, job.source, translation), *label_files(lang, job.source.parent))
    if course is not None:  # its defaults (lecturer, theme, ...) are part of the edition
        deps = (*deps, course)
    if opts.template is not None:
        deps = (*deps, opts.template)
    warnings: dict[str, tuple[Problem, ...]] = {"read": tuple(read_warnings)}
    plan_key = target_key(opts.code, "plan", lang, deps, digests, opts.of("pptx"), merged)
    plan: Any = None
    if plan_key in _LAID_OUT:
        edition, plan, warnings["layout"] = _LAID_OUT[plan_key]
    else:
        edition = _resolve(outline, job.source, lang, opts.out / CACHE_NAME)
    warnings["resolve"] = tuple(edition.warnings)
    rendered: list[tuple[str, Path, bytes, str]] = []
    made = None
    for fmt in job.formats:
        options = opts.of(fmt, outline.handout)
        key = target_key(opts.code, fmt, lang, deps, digests, options, merged)
        dests = opts.files(lang, outline.id, fmt, outline.handout)
        if fmt == "bib":
            from slidegen.api import references

            files = references(edition)
            rendered += [(fmt, d, files[d.suffix[1:]], key) for d in dests]
            continue
        from slidegen.api import make_plan, render

        if plan is None:
            plan = make_plan(edition, template=opts.template)
            warnings["layout"] = tuple(plan.warnings)
            if translation is not None:  # per field, how much longer than the source
                from slidegen.i18n.catalog import catalog
                from slidegen.i18n.length import length_feedback

                cat = catalog(job.source, lang, source_outline)
                warnings["layout"] = tuple(length_feedback(plan.warnings, plan, cat))
            _keep_laid_out(plan_key, (edition, plan, warnings["layout"]))
        if opts.site and made is None and plan.reading is not None:
            from slidegen.build.site import Made

            made = Made(edition, plan.reading)
        if fmt == "pptx":
            rendered.append((fmt, dests[0], render(plan, "pptx"), key))
        elif fmt == "slides":
            rendered.append((fmt, dests[0], render(plan, "slides"), key))
        else:
            handout = _HANDOUTS[opts.layout(outline.handout)]
            printed = plan
            if opts.ink_saving:
                from slidegen.layout.ink import ink_saving

                printed = ink_saving(plan)
            data = render(printed, handout, paper=opts.paper)
            rendered.append((fmt, dests[0], data, key))
    staged = _stage_all(rendered)
    return JobResult(
        source=job.source,
        class_id=outline.id,
        lang=job.lang,
        source_lang=source_outline.language,
        pending=tuple(staged),
        digest=digests(job.source),
        handout=outline.handout,
        deps=tuple(str(p) for p in deps),
        warnings=warnings,
        seconds=time.perf_counter() - start,
        made=made,
        content=merged[1] if merged else "",
    )


def _error_of(problems: Sequence[Problem]) -> SlidegenError:
    return OutlineError([p for p in problems if p.severity == "error"] or list(problems))


# --- the parent: decide, dispatch, commit -----------------------------------------------------


@dataclass(frozen=True)
class _Carried:
    """A translated edition left as it is although its source outline changed: the merge
    makes the same edition of the new source. Its record takes the new read warnings."""

    source: Path
    lang: str
    content: str
    read_warnings: tuple[Problem, ...]
    deps: tuple[str, ...]
    warnings: dict[str, Any]  # as recorded, by stage


@dataclass
class _Schedule:
    jobs: list[Job] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    editions: list[tuple[Path, str]] = field(default_factory=list)  # up to date: (class, lang)
    carried: list[_Carried] = field(default_factory=list)


def _recorded_warnings(rec: dict[str, Any], lang: str) -> list[Problem]:
    by_stage = rec.get("warnings", {}).get(lang, {})
    return [
        problem_from_json(w)
        for stage in ("read", "resolve", "layout")
        for w in by_stage.get(stage, [])
    ]


def _plan_class(
    source: Path,
    state: State,
    opts: Options,
    formats: tuple[str, ...],
    digests: Digests,
    force: bool,
    plan: _Schedule,
) -> None:
    translations = translation_files(source)
    rec = state.classes.get(str(source.resolve()))
    wanted = [lang for lang in translations if opts.langs is None or lang in opts.langs]
    if force or rec is None:
        plan.jobs.extend(Job(source, lang, formats, opts) for lang in [None, *wanted])
        return
    source_lang = str(rec["source_lang"])
    if source_lang in translations:  # a translation into its own language: the job reports it
        plan.jobs.append(Job(source, None, formats, opts))
        return
    read: _Source | None = None
    if rec.get("digest") != digests(source):  # changed: is each translated edition too?
        try:
            read = _read_source(source)
        except SlidegenError:
            read = None
        if read is None or read.outline.language != source_lang or read.outline.id != rec["id"]:
            plan.jobs.extend(Job(source, lang, formats, opts) for lang in [None, *wanted])
            return
    for lang in [source_lang, *(t for t in translations if t != source_lang)]:
        if opts.langs is not None and lang not in opts.langs:
            continue
        own = lang == source_lang
        _plan_edition(source, lang, own, read, rec, state, opts, formats, digests, plan)


def _plan_edition(
    source: Path,
    lang: str,
    own: bool,
    read: _Source | None,
    rec: dict[str, Any],
    state: State,
    opts: Options,
    formats: tuple[str, ...],
    digests: Digests,
    plan: _Schedule,
) -> None:
    """Schedule what is out of date of one edition. `read` is the source outline, read
    because it changed (None: unchanged); a translated edition is then merged anew and left
    alone when the merge gives the edition it was built from."""
    deps = rec.get("deps", {}).get(lang)
    merged: tuple[Path, str] | None = None
    read_warnings: list[Problem] = []
    if not own:
        content = rec.get("content", {}).get(lang)
        if read is not None and deps is not None:
            try:
                outline, read_warnings = _merge(read, source, lang, opts.strict)
            except SlidegenError:  # the job reports it
                deps = None
            else:
                content = content_digest(outline)
        merged = (source, content) if content else None
        if merged is None:
            deps = None
    elif read is not None:
        deps = None
    stale: list[str] = []
    current: list[Path] = []
    chosen = str(rec.get("handout", "notes"))
    for fmt in formats:
        files = opts.files(lang, rec["id"], fmt, chosen)
        if deps is None:
            stale.append(fmt)
            continue
        options = opts.of(fmt, chosen)
        key = target_key(opts.code, fmt, lang, map(Path, deps), digests, options, merged)
        if all(state.is_current(opts.out, f, key) for f in files):
            current.extend(files)
        else:
            stale.append(fmt)
    plan.up_to_date.extend(current)
    if stale:
        job_lang = None if own else lang
        plan.jobs.append(Job(source, job_lang, tuple(stale), opts))
        return
    plan.editions.append((source, lang))
    if read is not None and merged is not None:
        recorded = dict(rec.get("warnings", {}).get(lang, {}))
        carried = _Carried(source, lang, merged[1], tuple(read_warnings), tuple(deps), recorded)
        plan.carried.append(carried)


def _preload(jobs: Sequence[Job]) -> BaseContext | None:
    """Import the renderers once, before forking: workers inherit them instead of each
    importing python-pptx and reportlab again (on two cores that is most of a cold build)."""
    import importlib
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    formats = {fmt for job in jobs for fmt in job.formats}
    modules = [
        "slidegen.read.outline",
        "slidegen.i18n.merge",
        "slidegen.resolve.edition",
        "slidegen.bib.format",
    ]
    if formats & {"pptx", "pdf", "slides"}:
        modules += ["slidegen.layout.slides", "slidegen.read.theme"]
    modules += [_WRITERS[fmt] for fmt in sorted(formats)]
    import gc

    collecting = gc.isenabled()
    gc.disable()  # importing makes objects by the hundred thousand, none of them garbage:
    try:  # collecting while it runs costs a quarter of the imports' time
        for name in modules:
            importlib.import_module(name)
    finally:
        freeze_once()  # what is imported is never garbage: no worker scans (and so copies) it
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(10_000, older, oldest)  # a layout makes and drops objects by the
        if collecting:  # thousand: collecting every 700 (Python's default) cost 3% of a build
            gc.enable()
    return multiprocessing.get_context("fork")


_FROZEN = [False]  # whether this process (or the one it was forked from) froze


def freeze_once() -> None:
    """Move every object alive now to the collector's permanent generation, once a process:
    later, watch mode's rebuilds would freeze their garbage too. (A flag, not
    `gc.get_freeze_count()`: that counts the frozen objects one by one, 10-20 ms in a
    warm daemon's build.)"""
    import gc

    if not _FROZEN[0]:
        _FROZEN[0] = True
        gc.freeze()


_WRITERS = {
    "pptx": "slidegen.write.deck",
    "pdf": "slidegen.write.handout",
    "slides": "slidegen.write.slides_pdf",
    "bib": "slidegen.bib.export",
}


def _run_jobs(
    jobs: Sequence[Job],
    workers: int,
    progress: Progress | None,
    groups: Sequence[Sequence[int]],
    meanwhile: Callable[[], None] | None = None,
) -> list[JobResult]:
    """Run the jobs (in worker processes if `workers` > 1, a task per group of `_groups`,
    doing `meanwhile` while they run)."""
    results: list[JobResult | None] = [None] * len(jobs)
    failures: list[tuple[int, BaseException]] = []

    def done(i: int, result: JobResult) -> None:
        results[i] = result
        if progress and result.pending:
            lang = result.lang or result.source_lang
            fmts = " ".join(dict.fromkeys(fmt for fmt, _, _ in result.pending))
            progress(f"built {lang}/{result.class_id}: {fmts} ({result.seconds:.2f} s)")

    try:
        if workers <= 1:
            for i, job in enumerate(jobs):
                try:
                    done(i, _run_job(job))
                except Exception as exc:  # gathered: every failing edition is reported
                    failures.append((i, exc))
        else:
            _run_parallel(jobs, workers, groups, done, failures, meanwhile)
    except BaseException:  # Ctrl-C: nothing staged may stay behind
        discard(p for r in results if r is not None for _, p, _ in r.pending)
        raise
    failures.sort(key=lambda f: f[0])
    finished = [r for r in results if r is not None]
    if failures:
        discard(p for r in finished for _, p, _ in r.pending)
        unexpected = [exc for _, exc in failures if not isinstance(exc, SlidegenError)]
        if unexpected:
            raise unexpected[0]
        errors = [exc for _, exc in failures if isinstance(exc, SlidegenError)]
        problems = list(dict.fromkeys(p for exc in errors for p in exc.problems))
        raise type(errors[0])(problems)
    return finished


def _run_parallel(
    jobs: Sequence[Job],
    workers: int,
    groups: Sequence[Sequence[int]],
    done: Callable[[int, JobResult], None],
    failures: list[tuple[int, BaseException]],
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Run the jobs in worker processes that end with this one; a worker that dies (killed,
    out of memory) is a `BuildError` naming the editions it left unbuilt."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from slidegen.procs import stop_processes

    context = _preload(jobs)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(_run_group, [jobs[i] for i in g]): g for g in groups}
        if meanwhile is not None:
            with contextlib.suppress(SlidegenError):  # what fails there fails again, reported
                meanwhile()
        for fut in as_completed(futures):
            group = futures[fut]
            try:
                outcomes = fut.result()
            except BrokenProcessPool:
                failures.extend((i, _died(jobs[i])) for i in group)
                continue
            except Exception as exc:
                failures.append((group[0], exc))
                continue
            for i, outcome in zip(group, outcomes, strict=True):
                if isinstance(outcome, JobResult):
                    done(i, outcome)
                else:
                    failures.append((i, outcome))
    except BaseException:
        stop_processes(pool)
        raise
    pool.shutdown()


def _worker_init(parent: int) -> None:
    """A build worker ends with its parent, and keeps one pandoc for all the editions it
    formats references for."""
    from slidegen.bib.engine import keep_pandoc
    from slidegen.procs import worker_init

    worker_init(parent)
    keep_pandoc()


def _groups(jobs: Sequence[Job], workers: int) -> list[list[int]]:
    """The jobs (by index) each worker task takes: one edition each, so that a few editions
    share the cores; a class's editions together when there are many classes, so that a
    worker reads each outline once."""
    by_class: dict[Path, list[int]] = {}
    for i, job in enumerate(jobs):
        by_class.setdefault(job.source, []).append(i)
    if len(by_class) < 2 * workers:
        return [[i] for i in range(len(jobs))]
    return list(by_class.values())


def _run_group(jobs: Sequence[Job]) -> list[JobResult | SlidegenError]:
    """`_run_job` for each job; an edition's located error is returned in its place, so that
    every failing edition is reported."""
    outcomes: list[JobResult | SlidegenError] = []
    for job in jobs:
        try:
            outcomes.append(_run_job(job))
        except SlidegenError as exc:
            outcomes.append(exc)
    return outcomes


def _prepare_site(jobs: Sequence[Job], read: int) -> None:
    """What the site will need of the editions' languages, loaded while the workers build
    (an edition in its outline's own language is known only among the `read` first jobs)."""
    from slidegen.build.site import prepare

    own = [_read_source(job.source).outline.language for job in jobs[:read] if not job.lang]
    prepare([*own, *(job.lang for job in jobs if job.lang)])


def _died(job: Job) -> BuildError:
    edition = f"the '{job.lang}' edition" if job.lang else "the edition in its own language"
    return BuildError(
        [
            Problem(
                f"a worker process building {edition} ended unexpectedly",
                Location(str(job.source)),
                "it was killed, perhaps for lack of memory: build again, or with --jobs 1",
            )
        ]
    )


def _remember(state: State, opts: Options, results: Sequence[JobResult]) -> None:
    for r in results:
        key = str(r.source.resolve())
        rec = state.classes.get(key)
        if not r.pending:
            continue
        if rec is None or rec.get("digest") != r.digest or rec.get("id") != r.class_id:
            rec = {"deps": {}, "warnings": {}}
        rec.update(digest=r.digest, id=r.class_id, source_lang=r.source_lang, handout=r.handout)
        lang = r.lang or r.source_lang
        rec["deps"][lang] = list(r.deps)
        rec.setdefault("content", {})[lang] = r.content
        old = rec["warnings"].get(lang, {})
        old.update({k: [problem_to_json(p) for p in v] for k, v in r.warnings.items()})
        rec["warnings"][lang] = old
        for _, pending, tkey in r.pending:
            state.record(opts.out, pending.dest, tkey, staged=pending.temp)
        state.classes[key] = rec


def _carry(state: State, carried: Sequence[_Carried], source_digest: Digests) -> None:
    """Record the translated editions left as they were: their inputs, the content their
    keys name, and the warnings of reading them anew (the rest are as recorded)."""
    for c in carried:
        rec = state.classes.get(str(c.source.resolve()))
        if rec is None:
            continue
        if rec.get("digest") != source_digest(c.source):  # the source's own edition was
            rec = {  # not built (another --lang): only this edition's record is right
                "deps": {},
                "warnings": {},
                **{k: v for k, v in rec.items() if k not in ("deps", "warnings", "content")},
                "digest": source_digest(c.source),
            }
            state.classes[str(c.source.resolve())] = rec
        rec["deps"][c.lang] = list(c.deps)
        rec.setdefault("content", {})[c.lang] = c.content
        warnings = {**c.warnings, "read": [problem_to_json(p) for p in c.read_warnings]}
        rec["warnings"][c.lang] = warnings


def build(
    paths: Sequence[Path],
    *,
    out: Path = Path("build"),
    langs: Sequence[str] | None = None,
    formats: Sequence[str] = FORMATS,
    jobs: int | None = None,
    strict: bool = False,
    force: bool = False,
    handout_layout: str | None = None,
    ink_saving: bool = False,
    paper: str = "a4",
    progress: Progress | None = None,
    site: bool = False,
    template: Path | None = None,
) -> BuildReport:
    """Build what is out of date among the classes found in `paths`, and the learners' site
    if `site` (after the editions; `formats` may then be empty); see the module's doc."""
    bad = [f for f in formats if f not in FORMATS]
    if bad or not (formats or site):
        raise UsageError(f"unknown format {', '.join(bad)!r}; choose from {', '.join(FORMATS)}")
    if jobs is not None and jobs < 1:
        raise UsageError("jobs must be at least 1")
    classes = find_classes(list(paths))
    fmts = tuple(f for f in FORMATS if f in formats)
    wanted_langs = tuple(langs) if langs else None
    opts = Options(
        out, code_fingerprint(), strict, handout_layout, paper, wanted_langs,
        template=template.resolve() if template else None,
        ink_saving=ink_saving,
        site=site,
    )
    from slidegen.reuse import session

    with build_lock(out), session():  # each outline parsed once, its workers included
        _sweep(out)  # what a killed build left
        try:
            return _build_locked(classes, opts, fmts, jobs, force, progress, site)
        except BaseException:
            _sweep(out)  # e.g. files a killed worker had staged
            raise


def _sweep(out: Path) -> None:
    """Remove the temporary files and folders an interrupted build left anywhere in `out`."""
    from slidegen.bib.engine import sweep_workdirs

    folders = [Path(root) for root, _, _ in os.walk(out)]  # links to folders are not followed
    sweep(folders)
    sweep_workdirs(out / CACHE_NAME)


def _build_locked(
    classes: Sequence[Path],
    opts: Options,
    fmts: tuple[str, ...],
    jobs: int | None,
    force: bool,
    progress: Progress | None,
    site: bool,
) -> BuildReport:
    out, wanted_langs = opts.out, opts.langs
    state = State.load(out)
    digests = Digests()
    plan = _Schedule()
    for source in classes if fmts else ():
        _plan_class(source, state, opts, fmts, digests, force, plan)

    results: list[JobResult] = []
    if plan.jobs:
        from slidegen.bib.format import warming_cache

        workers = min(jobs or os.cpu_count() or 1, len(plan.jobs))
        # The first editions the workers take are read here, and pandoc formats their
        # references meanwhile (the workers inherit both). The others are read by the worker
        # that builds them, pandoc formatting each one's references there if no earlier
        # edition's cover them: reading a whole course here first would keep the workers
        # waiting longer the larger the course.
        # With warm pandocs waiting (a daemon's), each worker reads its own editions and
        # asks one of them: nothing is read here first.
        from slidegen.bib.engine import spares_offered

        groups = _groups(plan.jobs, workers)
        if workers == 1:
            ahead = list(plan.jobs)
        elif spares_offered():
            ahead = []
        else:
            count = workers if len(groups) < len(plan.jobs) else 2 * workers  # one task each
            ahead = [plan.jobs[i] for g in groups[:count] for i in g]
        to_build = [(job.source, job.lang) for job in ahead]
        # One pandoc process while this one imports the renderers; one per core when they
        # are imported already (a warm daemon, watch mode) and the cores would otherwise wait.
        warm = "slidegen.write.handout" in sys.modules
        processes = workers if warm else 1
        with warming_cache(
            to_build, out / CACHE_NAME, strict=opts.strict, langs=wanted_langs,
            processes=processes,
        ):
            _preload(plan.jobs)
        meanwhile = partial(_prepare_site, plan.jobs, len(ahead)) if opts.site else None
        try:
            results = _run_jobs(plan.jobs, workers, progress, groups, meanwhile)
        finally:
            from slidegen.bib.engine import sweep_workdirs

            sweep_workdirs(out / CACHE_NAME)  # the ended workers' pandocs' folders
    _check_langs(wanted_langs, plan, results)
    _check_unique(results)
    pending = [p for r in results for _, p, _ in r.pending]
    built = [p.dest for p in pending]
    rebuilt = {(r.source, r.lang or r.source_lang) for r in results if r.pending}
    rebuilt |= {(c.source, c.lang) for c in plan.carried}  # read anew: new warnings are shown

    def recorded(source: Path, lang: str) -> list[Problem]:
        return _recorded_warnings(state.classes.get(str(source.resolve()), {}), lang)

    known = {w for source, lang in rebuilt for w in recorded(source, lang)}  # shown before
    if results:
        _remember(state, opts, results)
        if opts.site:
            from slidegen.build.site import edition_key, remember

            for r in results:
                if r.made is not None:
                    lang = r.lang or r.source_lang
                    remember(edition_key(opts.code, r.source, lang, r.deps, digests), r.made)
    _carry(state, plan.carried, digests)
    # The outputs are put in place with their previous content kept; the site (which shows
    # their sizes) and the state are then committed together: if any of that fails, every
    # output gets its previous content back. All of them are in place and recorded, or none.
    replaced = replace_all(pending)
    site_files: tuple[tuple[Path, ...], tuple[Path, ...]] = ((), ())
    kept: tuple[Path, ...] = ()  # site files already holding their new content
    final: list[Pending] = []
    try:
        if site:
            from slidegen.build.site import stage_site

            update = stage_site(classes, out, state, opts.code, digests, wanted_langs)
            final.extend(update.pending)
            for staged in update.pending:
                state.record(out, staged.dest, update.key, staged=staged.temp)
            kept = update.kept
            for path in kept:
                state.record(out, path, update.key)
            site_files = (tuple(p.dest for p in update.pending), (*update.up_to_date, *update.kept))
        if results or plan.carried or site_files[0] or kept:
            final.append(stage(out / STATE_NAME, state.to_bytes()))
        commit(final)
    except BaseException:
        discard(final)
        replaced.rollback()
        raise
    replaced.finish()
    if progress and site_files[0]:
        progress(f"built the site: {_files(len(site_files[0]))}")
    editions = [*plan.editions, *rebuilt]
    damaged = take_damaged()  # routine state of the machine, not of the inputs: not recorded
    warnings: list[Problem] = list(damaged)
    fresh: list[Problem] = list(damaged)
    for source, lang in sorted(dict.fromkeys(editions), key=lambda e: (str(e[0]), e[1])):
        for w in recorded(source, lang):
            named = replace(w, language=lang)
            warnings.append(named)
            if (source, lang) in rebuilt and w not in known:
                fresh.append(named)
    return BuildReport(
        built=tuple(built),
        up_to_date=tuple(plan.up_to_date),
        warnings=tuple(dict.fromkeys(warnings)),
        site_built=site_files[0],
        site_up_to_date=site_files[1],
        fresh=tuple(dict.fromkeys(fresh)),
    )


def _check_langs(wanted: tuple[str, ...] | None, plan: _Schedule, results: list[JobResult]) -> None:
    if wanted is None:
        return
    seen = {p.parent.name for p in plan.up_to_date} | {
        r.lang or r.source_lang for r in results if r.pending
    }
    missing = [lang for lang in wanted if lang not in seen]
    if missing:
        discard(p for r in results for _, p, _ in r.pending)
        raise UsageError(
            [
                Problem(
                    f"no class has a '{lang}' edition",
                    hint="create a translation with 'invoke translate --lang " + lang + "'",
                )
                for lang in missing
            ]
        )


def _check_unique(results: list[JobResult]) -> None:
    owner: dict[Path, Path] = {}
    for r in results:
        for _, p, _ in r.pending:
            other = owner.setdefault(p.dest, r.source)
            if other != r.source:
                discard(p for r in results for _, p, _ in r.pending)
                raise OutlineError(
                    [
                        Problem(
                            f"{other} and {r.source} both have the class id '{r.class_id}'",
                            hint="give each class its own id: it names the output files",
                        )
                    ]
                )


def preview(deck: Path, out_png: Path) -> Path:
    """A PNG contact sheet of a deck's slides (see `slidegen.build.preview`)."""
    from slidegen.build.preview import contact_sheet

    return contact_sheet(deck, out_png)
