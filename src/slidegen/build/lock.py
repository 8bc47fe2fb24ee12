"""One build at a time per output folder: an advisory lock on ``<out>/.slidegen-lock``.

The lock is the kernel's (``flock``), so it is released when the process ends however it
ends: a killed build never leaves a stale lock behind. The file itself stays empty.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slidegen.atomic import write_error
from slidegen.errors import OutputError, Problem

__all__ = ["LOCK_NAME", "build_lock"]

LOCK_NAME = ".slidegen-lock"


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold `out`'s lock for the block; another build holding it is an `OutputError`."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (Windows refuses to replace open files anyway)
        yield
        return
    lock = out / LOCK_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise write_error(lock, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                [
                    Problem(
                        f"another slidegen build is writing to {out}",
                        hint="wait for it to finish (or stop it), then build again",
                    )
                ]
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock
