"""slidegen's own compiled bytecode, cached even where the environment stops Python caching it."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["ensure_cached"]


def ensure_cached() -> None:
    """Compile slidegen's modules whose cached bytecode is missing or stale.

    Python reads cached bytecode even when ``PYTHONDONTWRITEBYTECODE`` is set; it only stops
    writing it, so an editable install would compile every module on every run (about a
    third of a second). A regular install ships compiled files; this gives an editable one
    the same, once per changed module. Nothing is written where Python caches by itself, and
    a folder that cannot be written is left as it is.
    """
    if not sys.dont_write_bytecode:
        return
    import compileall
    from contextlib import suppress

    with suppress(OSError):
        compileall.compile_dir(Path(__file__).parent, quiet=2, workers=1)
