"""The build's content-addressed caches: JSON files that only save time.

A cache file that cannot be read as JSON (cut short, edited, damaged) is removed and made
again, and the build says so once (`take_damaged`); one that cannot be written is skipped.
Writes go through `atomic`, so a cache file is always whole.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from slidegen.atomic import write_atomic
from slidegen.errors import OutputError, Problem, SlidegenError
from slidegen.reading import read_regular

__all__ = ["load_json", "store_json", "take_damaged", "MAX_CACHE_BYTES"]

#: A cache file larger than this is treated as damaged.
MAX_CACHE_BYTES = 64 * 1024 * 1024

_damaged: list[Path] = []


def load_json(path: Path) -> Any | None:
    """A cache file's JSON value; None when there is none (or it was damaged: then removed)."""
    try:
        data = read_regular(path, MAX_CACHE_BYTES, error=OutputError)
    except SlidegenError:
        if path.is_file() or path.is_symlink():
            _forget(path)
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        _forget(path)
        return None


def _forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    _damaged.append(path)


def store_json(path: Path, value: Any) -> None:
    """Write a cache file whole, or not at all (a cache that cannot be written costs time)."""
    data = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
    with contextlib.suppress(OutputError):
        write_atomic(path, data)


def take_damaged() -> list[Problem]:
    """One warning per damaged cache file found since the last call."""
    found = list(dict.fromkeys(_damaged))
    _damaged.clear()
    return [
        Problem(
            f"the cache file {p} was damaged; it was removed and made again",
            hint="nothing to do; if this repeats, check the disk",
            severity="warning",
        )
        for p in found
    ]
