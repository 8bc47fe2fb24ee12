"""Invoke tasks: each one a few lines over slidegen's command line and library."""

from __future__ import annotations

import sys

from invoke import Context, Exit, task

SOURCE = "source"


def _slidegen(*args: str) -> None:
    from slidegen.cli import main

    status = main([a for a in args if a])
    if status:
        raise Exit(code=status)


def _build_args(lang: str, klass: str, fmt: str, force: bool, strict: bool, jobs: int) -> list[str]:
    args = ["build", klass or SOURCE]
    if lang:
        args += ["--lang", lang]
    if fmt:
        args += ["--format", fmt]
    if jobs:
        args += ["--jobs", str(jobs)]
    return args + (["--force"] if force else []) + (["--strict"] if strict else [])


@task(
    help={
        "lang": "languages, e.g. en,pt (default: every language present)",
        "klass": "one class outline (default: every class in source/)",
        "format": "pptx, pdf (handout), slides (slides PDF), bib, site (default: all)",
        "force": "rebuild even what is up to date",
        "strict": "missing or stale translations are errors",
        "jobs": "parallel processes (default: one per core)",
        "handout": "handout layout: notes (default), three or reading",
        "paper": "a4 (default) or letter",
    }
)
def build(
    c: Context, lang: str = "", klass: str = "", format: str = "", force: bool = False,
    strict: bool = False, jobs: int = 0, handout: str = "notes", paper: str = "a4",
) -> None:
    """Build every class in every language: decks, handouts, slides PDFs, references, site."""
    args = _build_args(lang, klass, format, force, strict, jobs)
    _slidegen(*args, "--handout", handout, "--paper", paper)


@task(help={"lang": "languages (default: all)", "klass": "one class outline"})
def deck(c: Context, lang: str = "", klass: str = "", force: bool = False) -> None:
    """Build only the PowerPoint decks."""
    _slidegen(*_build_args(lang, klass, "pptx", force, False, 0))


@task(
    help={
        "lang": "languages (default: all)", "klass": "one class outline",
        "layout": "notes (default), three or reading", "paper": "a4 (default) or letter",
    }
)
def handout(
    c: Context, lang: str = "", klass: str = "", layout: str = "notes", paper: str = "a4",
    force: bool = False,
) -> None:
    """Build only the PDF handouts."""
    args = _build_args(lang, klass, "pdf", force, False, 0)
    _slidegen(*args, "--handout", layout, "--paper", paper)


@task(help={"lang": "languages (default: all)", "klass": "one class outline"})
def slides(c: Context, lang: str = "", klass: str = "", force: bool = False) -> None:
    """Build only the slides as PDF (one page per slide)."""
    _slidegen(*_build_args(lang, klass, "slides", force, False, 0))


@task(help={"lang": "languages (default: all)", "klass": "one class outline"})
def bib(c: Context, lang: str = "", klass: str = "", force: bool = False) -> None:
    """Build only the references files (HTML, BibTeX, RIS)."""
    _slidegen(*_build_args(lang, klass, "bib", force, False, 0))


@task(help={"strict": "missing or stale translations are errors"})
def check(c: Context, klass: str = "", strict: bool = False) -> None:
    """Validate every outline and translation; print each problem as file:line:col."""
    _slidegen("check", klass or SOURCE, "--strict" if strict else "")


@task(help={"json": "machine-readable output for CI", "strict": "exit 1 if missing or stale"})
def i18n(c: Context, klass: str = "", json: bool = False, strict: bool = False) -> None:
    """Translation status: translated / missing / stale / orphaned per language and slide."""
    _slidegen("i18n", klass or SOURCE, "--json" if json else "", "--strict" if strict else "")


@task(
    help={
        "lang": "the language's code, e.g. de",
        "klass": "one class outline",
        "update": "add the source's new slides and keys to the existing files",
    }
)
def translate(c: Context, lang: str, klass: str = "", update: bool = False) -> None:
    """Create a translation file for a new language (source text as comments), or --update."""
    _slidegen("translate", klass or SOURCE, "--lang", lang, "--update" if update else "")


@task(help={"lang": "the language's code, e.g. de", "klass": "one class outline"})
def labels(c: Context, lang: str, klass: str = "") -> None:
    """Create labels.<lang>.yaml: the fixed labels (Agenda, Page x of y...) to translate."""
    _slidegen("i18n", "labels", klass or SOURCE, "--lang", lang)


@task(
    help={
        "lang": "the language's code, e.g. pt",
        "format": "xliff (2.1, the default), xliff12 or po",
        "out": "file to write (default: <lang>.xlf or <lang>.po)",
        "klass": "one class outline (default: every class in source/)",
    }
)
def i18n_export(
    c: Context, lang: str, format: str = "xliff", out: str = "", klass: str = ""
) -> None:
    """Export a language's texts as XLIFF or PO for a CAT tool (with the glossary)."""
    target = out or f"{lang}.{'xlf' if format.startswith('xliff') else 'po'}"
    _slidegen("i18n", "export", klass or SOURCE, "--lang", lang, "--format", format, "-o", target)


@task(help={"file": "the XLIFF or PO file a CAT tool gave back", "klass": "one class outline"})
def i18n_import(c: Context, file: str, klass: str = "") -> None:
    """Write a CAT tool's XLIFF or PO file into the translation files (only what changed)."""
    _slidegen("i18n", "import", file, klass or SOURCE)


@task(help={"lang": "language code", "slide": "slide id (default: every stale slide)"})
def review(c: Context, lang: str, slide: str = "", klass: str = "") -> None:
    """Mark translated slides reviewed against the current source (keeps comments)."""
    _slidegen("review", klass or SOURCE, "--lang", lang, *(["--slide", slide] if slide else []))


@task(help={"lang": "languages (default: all)"})
def watch(c: Context, lang: str = "", klass: str = "") -> None:
    """Rebuild what a save affects, until Ctrl-C."""
    _slidegen("watch", klass or SOURCE, *(["--lang", lang] if lang else []))


@task(help={"lang": "languages (default: all)"})
def site(c: Context, lang: str = "", klass: str = "") -> None:
    """Make only the learners' site (build/site/) from what is built."""
    _slidegen("site", klass or SOURCE, *(["--lang", lang] if lang else []))


@task(help={"port": "port on 127.0.0.1 (default: 8000)", "watch": "rebuild on every save"})
def serve(c: Context, port: int = 8000, watch: bool = False) -> None:
    """Build, then serve the site on http://127.0.0.1:PORT/ until Ctrl-C."""
    _slidegen("serve", SOURCE, "--port", str(port), "--watch" if watch else "")


@task(help={"deck": "a built deck (default: the first English deck in build/en)"})
def preview(c: Context, deck: str = "") -> None:
    """Write a PNG contact sheet of a deck's slides next to it (needs LibreOffice)."""
    from pathlib import Path

    path = deck or str(next(Path("build/en").glob("*.pptx"), Path("build/en/missing.pptx")))
    _slidegen("preview", path)


@task
def schema(c: Context) -> None:
    """Regenerate the JSON Schemas in docs/ for editors (yaml-language-server)."""
    _slidegen("schema", "-o", "docs/outline.schema.json")
    _slidegen("schema", "--kind", "translation", "-o", "docs/translation.schema.json")


@task
def clean(c: Context) -> None:
    """Remove the build folder."""
    _slidegen("clean")


@task(help={"k": "only tests matching this expression", "fast": "skip LibreOffice rendering"})
def test(c: Context, k: str = "", fast: bool = False) -> None:
    """Run ruff, mypy and the whole test suite."""
    py = sys.executable
    c.run(f"{py} -m ruff check src tests tasks.py benchmarks", pty=False)
    c.run(f"{py} -m mypy src", pty=False)
    select = f" -k '{k}'" if k else ""
    marks = " -m 'not slow'" if fast else ""
    c.run(f"{py} -m pytest -q{select}{marks}", pty=False)


@task(
    help={
        "runs": "runs per measurement (median reported, with min and max)",
        "scale": "course sizes of the scale run, comma separated ('' skips it)",
        "only": "parts to run, e.g. a,c (default: all of a–e)",
    }
)
def bench(c: Context, runs: int = 5, scale: str = "100", only: str = "") -> None:
    """Benchmark against pandoc and LibreOffice, paired, wall and CPU: each target's figure."""
    c.run(
        f"{sys.executable} benchmarks/bench.py --runs {runs} --scale '{scale}' --only '{only}'",
        pty=False,
    )
