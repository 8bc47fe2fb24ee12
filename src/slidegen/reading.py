"""Reading input files safely: regular files only, size checked before a byte is read.

A FIFO, a device (``/dev/zero``) or a folder is refused without being read (a FIFO is
opened non-blocking, so it never hangs), and a file larger than its limit is refused from
its size alone: reading or hashing costs at most the limit, whatever the path points to.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from slidegen.errors import Location, OutlineError, Problem, SlidegenError

__all__ = ["read_regular", "digest_regular", "not_regular", "size_text"]

_CHUNK = 1 << 20


def size_text(n: int) -> str:
    """A byte count as people write it: 512 KB, 8 MB."""
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MB"
    return f"{n // 1024} KB"


def not_regular(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file (None when it is)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is not a regular file (a named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is not a regular file (a device)"
    if stat.S_ISSOCK(mode):
        return "is not a regular file (a socket)"
    return "is not a regular file"


def _open(
    path: Path, limit: int, shown: str, error: type[SlidegenError], what_file: str
) -> tuple[int, int]:
    """An open descriptor of a regular file no larger than `limit`, and its size."""

    def refuse(message: str, hint: str | None = None) -> SlidegenError:
        return error([Problem(message, Location(shown), hint)])

    try:
        st = os.stat(path)
        what = not_regular(st.st_mode)
        if what is not None:
            raise refuse(what, "name a regular file")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse("file not found") from None
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    except ValueError:  # e.g. an embedded NUL in the name
        raise refuse("not a valid file name") from None
    st = os.fstat(fd)  # the file opened, which may not be the one first looked at
    what = not_regular(st.st_mode)
    if what is None and st.st_size > limit:
        what = f"file is larger than {size_text(limit)}, the limit for {what_file}"
    if what is not None:
        os.close(fd)
        raise refuse(what, "is this the right file? see docs/limits.md")
    return fd, st.st_size


def read_regular(
    path: Path,
    limit: int,
    shown: str | None = None,
    error: type[SlidegenError] = OutlineError,
    what_file: str = "this kind of file",
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else raises `error`
    located at `shown` (default: the path). At most `limit` + 1 bytes are ever read."""
    where = shown or str(path)
    fd, _ = _open(path, limit, where, error, what_file)
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(
            [Problem(f"cannot read file: {exc.strerror or exc}", Location(where))]
        ) from None
    if len(data) > limit:  # it grew while being read
        raise error(
            [
                Problem(
                    f"file is larger than {size_text(limit)}, the limit for {what_file}",
                    Location(where),
                )
            ]
        )
    return data


def digest_regular(path: Path, limit: int) -> str:
    """The SHA-256 of a regular file, read in chunks; a missing, irregular or oversized file
    gives a marker instead (the build then reads it and reports why)."""
    try:
        fd, _ = _open(path, limit, str(path), OutlineError, "an input")
    except OutlineError:
        return "missing" if not os.path.lexists(path) else "unreadable"
    h = hashlib.sha256()
    read = 0
    try:
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                read += len(chunk)
                if read > limit:
                    return "unreadable"
                h.update(chunk)
    except OSError:
        return "unreadable"
    return h.hexdigest()
