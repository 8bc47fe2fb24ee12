"""`clean`: remove what builds made in an output folder, and nothing else.

Only the files the state file records as outputs, the state, lock and cache files slidegen
names, and temporary files of slidegen's own shape are removed; then the folders left empty.
An output folder that is, or contains, a source folder, the current project folder or a
version-control root is refused before anything is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from slidegen.atomic import is_temporary, sweep
from slidegen.bib.engine import sweep_workdirs
from slidegen.build.lock import LOCK_NAME, build_lock
from slidegen.build.targets import CACHE_NAME, STATE_NAME, State
from slidegen.errors import Location, OutputError, Problem

__all__ = ["clean", "VCS_MARKERS"]

#: Folders that mark a version-control root.
VCS_MARKERS = (".git", ".hg", ".svn")
#: The cache files builds write (content hashes in their names).
_CACHE_FILE = re.compile(r"^(bib|bibtex)-[0-9a-f]{64}\.json$")
_SEARCH_DEPTH = 3


def _refuse(out: Path, why: str) -> OutputError:
    return OutputError(
        [
            Problem(
                f"refusing to clean {out}: {why}; nothing was removed",
                hint="give the build folder with --out (by default: build)",
            )
        ]
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _vcs_root_within(root: Path) -> Path | None:
    """A version-control root at `root` or a few levels below it."""
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        for marker in VCS_MARKERS:
            if os.path.lexists(folder / marker):
                return folder
        if depth >= _SEARCH_DEPTH:
            continue
        with contextlib.suppress(OSError):
            stack.extend(
                (Path(e.path), depth + 1)
                for e in os.scandir(folder)
                if e.is_dir(follow_symlinks=False) and not e.name.startswith(".slidegen")
            )
    return None


def _check_safe(out: Path, state: State) -> None:
    real = out.resolve()
    cwd = Path.cwd().resolve()
    if _inside(cwd, real):
        raise _refuse(out, "it is, or contains, the current folder")
    sources = {Path(p).resolve().parent for p in state.classes}
    sources.add(cwd / "source")
    for folder in sorted(sources):
        if _inside(folder, real) and folder.exists():
            if folder == real:
                raise _refuse(out, "it is the source folder")
            raise _refuse(out, f"it contains the source folder {folder}")
    vcs = _vcs_root_within(real)
    if vcs is not None:
        raise _refuse(out, f"it contains a version-control root ({vcs})")


def _recorded(out: Path, state: State) -> list[Path]:
    """The outputs the state records, each inside `out` (anything else is ignored)."""
    real = out.resolve()
    files = []
    for rel in state.outputs:
        path = out / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            continue
        if _inside(path.parent.resolve(), real):
            files.append(path)
    return files


def _remove(path: Path) -> bool:
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
            return True
    except OSError as exc:
        raise OutputError(
            [Problem(f"cannot remove {path}: {exc.strerror or exc}", Location(str(path)))]
        ) from exc
    return False


def clean(out: Path) -> list[Path]:
    """Remove the files builds made in `out` and the folders left empty; returns the files
    removed. A folder without a state file is left alone unless it is empty."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise _refuse(out, "it is not a folder")
    if not (out / STATE_NAME).is_file() and any(e.name != LOCK_NAME for e in out.iterdir()):
        raise OutputError(
            [
                Problem(
                    f"{out} does not look like a slidegen build folder (it has no "
                    f"{STATE_NAME}); not removing it",
                    hint="give the build folder with --out (by default: build)",
                )
            ]
        )
    state = State.load(out)
    _check_safe(out, state)
    removed: list[Path] = []
    with build_lock(out):
        cache = out / CACHE_NAME
        sweep_workdirs(cache)
        folders = {out, cache}
        for path in _recorded(out, state):
            folders.add(path.parent)
            if _remove(path):
                removed.append(path)
        sweep(sorted(folders))
        with contextlib.suppress(OSError):
            for entry in os.scandir(cache):
                if _CACHE_FILE.match(entry.name) or is_temporary(entry.name):
                    removed += [Path(entry.path)] if _remove(Path(entry.path)) else []
        removed += [out / STATE_NAME] if _remove(out / STATE_NAME) else []
        _remove(out / LOCK_NAME)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty
    return removed
