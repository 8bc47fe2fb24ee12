"""Benchmark: slidegen's builds side by side with pandoc and pandoc + LibreOffice.

Run from the project root (``invoke bench`` does): ``python benchmarks/bench.py [--runs N]``.
Every figure is the median of N runs of a fresh process, as a user types the command:

(a) a cold full build of the seed class in every language (deck, handout, references);
(b) pandoc building the same decks from equivalent Markdown (``pandoc_markdown.py``), citations
    rendered by --citeproc with the same CSL style;
(c) pandoc + LibreOffice making the decks and their PDFs (when ``soffice`` exists);
then our peak memory, a no-op rebuild, and a scale run over generated classes.
A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pandoc_markdown import csl_json, edition_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python caches bytecode
    return env


def _run(args: list[str], cwd: Path) -> None:
    done = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")


def _median(runs: int, setup: Callable[[], None], action: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _nothing() -> None:
    pass


class Bench:
    """The work folder and the commands compared."""

    def __init__(self, work: Path, runs: int) -> None:
        self.work = work
        self.runs = runs
        self.source = work / "source"
        shutil.copytree(SEED.parent, self.source)
        self.out = work / "build"
        self.langs = self._languages()

    def _languages(self) -> list[str]:
        from slidegen.i18n.merge import languages

        return languages(self.source / SEED.name)

    # --- slidegen -----------------------------------------------------------------------------

    def slidegen(self, *options: str, source: Path | None = None, out: Path | None = None) -> None:
        _run(
            [
                sys.executable,
                "-m",
                "slidegen",
                "build",
                "--out",
                str(out or self.out),
                *options,
                str(source or self.source),
            ],
            self.work,
        )

    def wipe(self, out: Path | None = None) -> None:
        shutil.rmtree(out or self.out, ignore_errors=True)

    # --- pandoc -------------------------------------------------------------------------------

    def write_markdown(self) -> Path:
        from slidegen.bib.format import style_path
        from slidegen.i18n.merge import edition_outline

        md = self.work / "markdown"
        md.mkdir()
        for lang in self.langs:
            outline, _ = edition_outline(self.source / SEED.name, lang)
            (md / f"{lang}.md").write_text(edition_markdown(outline, lang), encoding="utf-8")
            if lang == self.langs[0]:
                (md / "references.json").write_text(
                    csl_json(outline, self.source), encoding="utf-8"
                )
                shutil.copy(style_path(outline.style), md / "style.csl")
        return md

    def pandoc_decks(self, md: Path, out: Path) -> None:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
        for lang in self.langs:
            _run(
                [
                    pandoc,
                    f"{lang}.md",
                    "--citeproc",
                    "--bibliography",
                    "references.json",
                    "--csl",
                    "style.csl",
                    "-o",
                    str(out / f"{lang}.pptx"),
                ],
                md,
            )

    def office_pdfs(self, out: Path) -> None:
        from slidegen.build.preview import office_pdf_args

        decks = sorted(str(p) for p in out.glob("*.pptx"))
        _run(office_pdf_args("soffice", decks, out, self.work / "lo-profile"), self.work)

    # --- scale --------------------------------------------------------------------------------

    def make_course(self, n: int) -> Path:
        folder = self.work / f"course-{n}"
        folder.mkdir()
        text = SEED.read_text(encoding="utf-8")
        for i in range(1, n + 1):
            body = text.replace("id: inter-american-cooperation", f"id: class-{i:03d}", 1)
            body = body.replace("title: The Inter-American", f"title: ({i}) The Inter-American", 1)
            (folder / f"class-{i:03d}.yaml").write_text(body, encoding="utf-8")
        return folder


def _version(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except OSError:
        return "absent"
    return (done.stdout.strip().splitlines() or ["?"])[0]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median; default 5)")
    parser.add_argument(
        "--scale", default="10,50,100", help="course sizes of the scale run (default 10,50,100)"
    )
    args = parser.parse_args(argv)
    import pypandoc

    office = shutil.which("soffice") is not None
    with tempfile.TemporaryDirectory(prefix="slidegen-bench-") as tmp:
        b = Bench(Path(tmp), args.runs)
        n = len(b.langs)
        print(f"# slidegen benchmark — {n} languages ({', '.join(b.langs)}), {args.runs} runs")
        print(
            f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"pandoc {pypandoc.get_pandoc_version()}, "
            f"{_version(['soffice', '--version']) if office else 'no LibreOffice'}\n",
            flush=True,
        )

        b.slidegen()  # warm-up: bytecode caches, as on any machine after the first run
        cold = _median(args.runs, b.wipe, b.slidegen)
        noop = _median(args.runs, _nothing, b.slidegen)
        decks = _median(args.runs, b.wipe, lambda: b.slidegen("--format", "pptx"))
        one_job = _median(args.runs, b.wipe, lambda: b.slidegen("--jobs", "1"))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        md = b.write_markdown()
        pout = b.work / "pandoc"

        def fresh_pandoc_out() -> None:
            shutil.rmtree(pout, ignore_errors=True)
            pout.mkdir()

        fresh_pandoc_out()
        b.pandoc_decks(md, pout)  # warm-up
        pandoc = _median(args.runs, fresh_pandoc_out, lambda: b.pandoc_decks(md, pout))
        with_office: float | None = None
        if office:
            b.office_pdfs(pout)  # warm-up: LibreOffice creates its profile once

            def pandoc_office() -> None:
                b.pandoc_decks(md, pout)
                b.office_pdfs(pout)

            with_office = _median(args.runs, fresh_pandoc_out, pandoc_office)

        rows = [
            (f"slidegen: decks + handouts + references (cold, {n * 5} files)", cold),
            ("slidegen: same, one process (--jobs 1)", one_job),
            (f"slidegen: decks only (cold, {n} files)", decks),
            ("slidegen: no-op rebuild (nothing changed)", noop),
            (f"pandoc: decks only, --citeproc ({n} files)", pandoc),
        ]
        if with_office is not None:
            rows.append((f"pandoc + LibreOffice: decks + PDFs ({2 * n} files)", with_office))
        print("| build | median (s) | per edition (s) |")
        print("|---|---:|---:|")
        for name, secs in rows:
            per = "" if "no-op" in name else f"{secs / n:.3f}"
            print(f"| {name} | {secs:.3f} | {per} |")
        print()
        print(
            f"- per deck: slidegen {decks / n:.3f} s, pandoc {pandoc / n:.3f} s "
            f"(pandoc / slidegen = {pandoc / decks:.2f}x)"
        )
        if with_office is not None:
            print(
                f"- pandoc + LibreOffice / slidegen full build = {with_office / cold:.2f}x "
                "(slidegen also writes the references files)"
            )
        print(f"- parallel speed-up (--jobs 1 / default): {one_job / cold:.2f}x")
        print(f"- peak memory (largest slidegen process, ru_maxrss): {peak_mb:.0f} MB")
        print(f"- no-op rebuild: {noop:.3f} s", flush=True)

        print("\n## Scale: a course of generated classes (English decks, cold build)\n")
        print("| classes | total (s) | per deck (s) |")
        print("|---:|---:|---:|")
        for size in (int(s) for s in args.scale.split(",") if s.strip()):
            course = b.make_course(size)
            out = b.work / f"out-{size}"
            b.wipe(out)
            start = time.perf_counter()
            b.slidegen("--format", "pptx", source=course, out=out)
            secs = time.perf_counter() - start
            print(f"| {size} | {secs:.2f} | {secs / size:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
