"""Watch mode: build, then rebuild what a saved file affects; errors are printed, never fatal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from slidegen.errors import Problem, SlidegenError

__all__ = ["watch", "rebuild", "watch_roots"]

Echo = Callable[[str], None]


class StopEvent(Protocol):
    """Anything with ``is_set()``, e.g. a `threading.Event` (used by tests to stop watching)."""

    def is_set(self) -> bool: ...


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def rebuild(
    paths: Sequence[Path],
    echo: Echo,
    shown: set[Problem] | None = None,
    found: Sequence[Problem] = (),
    **build_kwargs: Any,
) -> bool:
    """Build once; print the summary or the located errors. True when the build succeeded.

    Warnings already in `shown` (those printed earlier in the session, which this adds to)
    are counted in one line, not repeated; those in `found` (found by a build just before,
    of some of the same files) are new as this build's own are.
    """
    from dataclasses import replace

    from slidegen.build.run import build, repeated_line

    try:
        report = build(paths, progress=echo, **build_kwargs)
        standing = set(report.warnings)  # found first, and not already gone again
        fresh = [w for w in dict.fromkeys((*found, *report.fresh)) if w in standing]
        report = replace(report, fresh=tuple(fresh))
    except SlidegenError as exc:
        for problem in exc.problems:
            echo(problem.format())
        echo("build failed; previous outputs kept. Waiting for changes...")
        return False
    except Exception as exc:  # a bug must not end the session: say so, keep watching
        echo(f"error: slidegen failed unexpectedly: {type(exc).__name__}: {exc} (please report)")
        echo("build failed; previous outputs kept. Waiting for changes...")
        return False
    seen = set() if shown is None else shown
    new, others = report.to_show(seen)
    for problem in new:
        echo(problem.format())
    seen.update(new)
    if others:
        echo(repeated_line(others))
    echo(report.summary())
    return True


def _decks_first(
    paths: Sequence[Path], echo: Echo, build_kwargs: dict[str, Any]
) -> tuple[Problem, ...]:
    """After a save, rewrite the decks it changed before anything else: what an instructor
    looks at first while editing. The full rebuild follows and finds them up to date (this
    process keeps their plans for it); it reports errors. Returns the warnings this build
    found first (the full rebuild, seeing them recorded, would not call them new)."""
    from slidegen.build.run import build

    formats = build_kwargs.get("formats")
    if formats is not None and "pptx" not in formats:
        return ()
    skip = ("formats", "site", "progress", "force")
    kwargs = {k: v for k, v in build_kwargs.items() if k not in skip}
    try:
        return build(paths, formats=("pptx",), progress=echo, **kwargs).fresh
    except Exception:  # whatever went wrong, the full rebuild says it
        return ()


def watch_roots(paths: Sequence[Path]) -> list[Path]:
    """The folders to watch: folders as given, and the folder of each file given."""
    roots = [p if p.is_dir() else p.parent for p in paths]
    return list(dict.fromkeys(r.resolve() for r in roots))


def watch(
    paths: Sequence[Path],
    *,
    out: Path = Path("build"),
    echo: Echo = _stderr,
    stop_event: StopEvent | None = None,
    **build_kwargs: Any,
) -> None:
    """Build, then rebuild on every save until Ctrl-C (or `stop_event`); returns normally."""
    from watchfiles import DefaultFilter
    from watchfiles import watch as watch_changes

    out_dir = out.resolve()
    default = DefaultFilter()

    def wanted(change: Any, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") and p.name.endswith(".tmp"):
            return False
        if p.resolve().is_relative_to(out_dir):
            return False
        return bool(default(change, path))

    shown: set[Problem] = set()
    try:
        rebuild(paths, echo, shown, out=out, **build_kwargs)
        roots = watch_roots(paths)
        echo("watching " + ", ".join(str(r) for r in roots) + " (Ctrl-C to stop)")
        for changes in watch_changes(
            *roots, watch_filter=wanted, stop_event=stop_event, raise_interrupt=False
        ):
            names = sorted({Path(p).name for _, p in changes})
            echo("changed: " + ", ".join(names))
            first = _decks_first(paths, echo, {"out": out, **build_kwargs})
            rebuild(paths, echo, shown, first, out=out, **build_kwargs)
    except KeyboardInterrupt:
        pass
