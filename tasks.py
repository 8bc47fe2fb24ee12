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


def _build_args(
    lang: str, class_: str, fmt: str, force: bool, strict: bool, jobs: int
) -> list[str]:
    args = ["build", class_ or SOURCE]
    if lang:
        args += ["--lang", lang]
    if fmt:
        args += ["--format", fmt]
    if jobs:
        args += ["--jobs", str(jobs)]
    return args + (["--force"] if force else []) + (["--strict"] if strict else [])


#: What the options mean, in every task that has them (named as the command line names them;
#: `class_` is `--class`). Short flags are off: `-h` is always help.
HELP = {
    "lang": "languages, e.g. en,pt (default: every language present)",
    "class_": "one class outline (default: every class in source/)",
    "format": "pptx, pdf (handout), slides (slides PDF), bib, site (default: all)",
    "force": "rebuild even what is up to date",
    "strict": "missing or stale translations are errors",
    "jobs": "parallel processes (default: one per core)",
    "layout": "handout layout: notes, three or reading (default: each class's own)",
    "paper": "a4 (default) or letter",
    "ink_saving": "handouts for printing: dark slides drawn light, greyscale",
}


def _handout_args(layout: str, paper: str, ink_saving: bool) -> list[str]:
    layout_args = ["--layout", layout] if layout else []
    return [*layout_args, "--paper", paper, *(["--ink-saving"] if ink_saving else [])]


def _help(*names: str) -> dict[str, str]:
    return {n: HELP[n] for n in names}


@task(
    auto_shortflags=False,
    help=_help(
        "lang", "class_", "format", "force", "strict", "jobs", "layout", "paper", "ink_saving"
    ),
)
def build(
    c: Context, lang: str = "", class_: str = "", format: str = "", force: bool = False,
    strict: bool = False, jobs: int = 0, layout: str = "", paper: str = "a4",
    ink_saving: bool = False,
) -> None:
    """Build every class in every language: decks, handouts, slides PDFs, references, site."""
    args = _build_args(lang, class_, format, force, strict, jobs)
    _slidegen(*args, *_handout_args(layout, paper, ink_saving))


@task(auto_shortflags=False, help=_help("lang", "class_", "force"))
def deck(c: Context, lang: str = "", class_: str = "", force: bool = False) -> None:
    """Build only the PowerPoint decks."""
    _slidegen(*_build_args(lang, class_, "pptx", force, False, 0))


@task(
    auto_shortflags=False, help=_help("lang", "class_", "layout", "paper", "ink_saving", "force")
)
def handout(
    c: Context, lang: str = "", class_: str = "", layout: str = "", paper: str = "a4",
    ink_saving: bool = False, force: bool = False,
) -> None:
    """Build only the PDF handouts."""
    args = _build_args(lang, class_, "pdf", force, False, 0)
    _slidegen(*args, *_handout_args(layout, paper, ink_saving))


@task(auto_shortflags=False, help=_help("lang", "class_", "force"))
def slides(c: Context, lang: str = "", class_: str = "", force: bool = False) -> None:
    """Build only the slides as PDF (one page per slide)."""
    _slidegen(*_build_args(lang, class_, "slides", force, False, 0))


@task(auto_shortflags=False, help=_help("lang", "class_", "force"))
def bib(c: Context, lang: str = "", class_: str = "", force: bool = False) -> None:
    """Build only the references files (HTML, BibTeX, RIS, CSL-JSON)."""
    _slidegen(*_build_args(lang, class_, "bib", force, False, 0))


@task(
    auto_shortflags=False,
    help={**_help("class_", "strict"), "warnings": "also list every edition's layout warnings"},
)
def check(c: Context, class_: str = "", strict: bool = False, warnings: bool = False) -> None:
    """Validate every outline and translation; print each problem as file:line:col."""
    _slidegen(
        "check", class_ or SOURCE, "--strict" if strict else "", "--warnings" if warnings else ""
    )


@task(
    auto_shortflags=False,
    help={
        **_help("class_"),
        "json": "machine-readable output for CI",
        "strict": "exit 1 if missing or stale",
    },
)
def i18n(c: Context, class_: str = "", json: bool = False, strict: bool = False) -> None:
    """Translation status: translated / missing / stale / orphaned per language and slide."""
    _slidegen("i18n", class_ or SOURCE, "--json" if json else "", "--strict" if strict else "")


@task(
    auto_shortflags=False,
    help={
        "lang": "the language's code, e.g. de",
        **_help("class_"),
        "update": "add the source's new slides and keys to the existing files",
    },
)
def translate(c: Context, lang: str, class_: str = "", update: bool = False) -> None:
    """Create a translation file for a new language (source text as comments), or --update."""
    _slidegen("translate", class_ or SOURCE, "--lang", lang, "--update" if update else "")


@task(auto_shortflags=False, help={"lang": "the language's code, e.g. de", **_help("class_")})
def labels(c: Context, lang: str, class_: str = "") -> None:
    """Create labels.<lang>.yaml: the fixed labels (Agenda, Page x of y...) to translate."""
    _slidegen("i18n", "labels", class_ or SOURCE, "--lang", lang)


@task(
    auto_shortflags=False,
    help={
        "lang": "the language's code, e.g. pt",
        "format": "xliff (2.1, the default), xliff12 or po",
        "out": "file to write (default: <lang>.xlf or <lang>.po)",
        **_help("class_"),
    },
)
def i18n_export(
    c: Context, lang: str, format: str = "xliff", out: str = "", class_: str = ""
) -> None:
    """Export a language's texts as XLIFF or PO for a CAT tool (with the glossary)."""
    target = out or f"{lang}.{'xlf' if format.startswith('xliff') else 'po'}"
    _slidegen("i18n", "export", class_ or SOURCE, "--lang", lang, "--format", format, "-o", target)


@task(
    auto_shortflags=False,
    help={"file": "the XLIFF or PO file a CAT tool gave back", **_help("class_")},
)
def i18n_import(c: Context, file: str, class_: str = "") -> None:
    """Write a CAT tool's XLIFF or PO file into the translation files (only what changed)."""
    _slidegen("i18n", "import", file, class_ or SOURCE)


@task(
    auto_shortflags=False,
    help={
        "lang": "language code",
        "slide": "slide id (default: every stale slide)",
        **_help("class_"),
    },
)
def review(c: Context, lang: str, slide: str = "", class_: str = "") -> None:
    """Mark translated slides reviewed against the current source (keeps comments)."""
    _slidegen("review", class_ or SOURCE, "--lang", lang, *(["--slide", slide] if slide else []))


@task(auto_shortflags=False, help=_help("lang", "class_"))
def watch(c: Context, lang: str = "", class_: str = "") -> None:
    """Rebuild what a save affects, until Ctrl-C."""
    _slidegen("watch", class_ or SOURCE, *(["--lang", lang] if lang else []))


@task(auto_shortflags=False, help=_help("lang", "class_"))
def site(c: Context, lang: str = "", class_: str = "") -> None:
    """Make only the learners' site (build/site/) from what is built."""
    _slidegen("site", class_ or SOURCE, *(["--lang", lang] if lang else []))


@task(
    auto_shortflags=False,
    help={"action": "start (the default), stop or status", "idle": "minutes before it ends"},
)
def daemon(c: Context, action: str = "start", idle: float = 30.0) -> None:
    """Keep a warm slidegen in the background: every later build skips its start-up."""
    _slidegen("daemon", action, "--idle", str(idle))


@task(
    auto_shortflags=False,
    help={"port": "port on 127.0.0.1 (default: 8000)", "watch": "rebuild on every save"},
)
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
    _slidegen("schema", "--kind", "course", "-o", "docs/course.schema.json")


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
        "instructions": "instead, count each stage's instructions per edition (valgrind)",
    }
)
def bench(
    c: Context, runs: int = 5, scale: str = "100", only: str = "", instructions: bool = False
) -> None:
    """Benchmark against pandoc and LibreOffice, paired, wall and CPU: each target's figure."""
    if instructions:
        c.run(f"{sys.executable} benchmarks/instructions.py", pty=False)
        return
    c.run(
        f"{sys.executable} benchmarks/bench.py --runs {runs} --scale '{scale}' --only '{only}'",
        pty=False,
    )
