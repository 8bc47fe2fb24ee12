"""What a build reads once and the worker processes it forks reuse: parsed files, by content."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["session", "reused"]

T = TypeVar("T")

#: The results kept in the current session (None: outside a build, nothing is kept).
_KEPT: dict[Hashable, Any] | None = None


@contextmanager
def session() -> Iterator[None]:
    """Within it, `reused` keeps what it makes: the build parses each outline and translation
    once (in the parent, for the references), and its forked workers find them made. Outside
    it (a library call, watch mode between saves) every call makes its result afresh."""
    global _KEPT
    outer = _KEPT
    _KEPT = {} if outer is None else outer
    try:
        yield
    finally:
        _KEPT = outer


#: The largest file `reused` reads for a key (inputs are far smaller; the readers check them).
_LIMIT = 64 * 1024 * 1024


def _content_of(path: Path) -> str:
    """A key for an input file's content, read only if it is a regular file of a sane size
    (a marker otherwise: the maker then refuses the file and says why)."""
    from slidegen.reading import digest_regular

    return digest_regular(path, _LIMIT)


def reused(path: Path, what: Hashable, make: Callable[[], T]) -> T:
    """`make()`, or what it made earlier in this session from the same content of `path`
    and the same `what` (every other input of `make`). Outside a session the file is not
    read for a key: `make()` is all there is."""
    if _KEPT is None:
        return make()
    key = (str(path), what, _content_of(path))
    if key not in _KEPT:
        _KEPT[key] = make()
    result: T = _KEPT[key]
    return result
