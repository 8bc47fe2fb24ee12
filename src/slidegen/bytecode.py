"""slidegen's own compiled bytecode, cached even where the environment stops Python caching it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["ensure_cached", "package_files", "package_stats", "PACKAGE_DIR"]

#: The installed slidegen package (its code, fonts, themes, labels, templates).
PACKAGE_DIR = Path(__file__).parent


def package_files() -> list[tuple[str, str]]:
    """Every file of the package but compiled bytecode, in a stable order: its name within
    the package (with "/") and its path. (Strings, not paths: a handed-over build waits
    for `package_stats`.)"""
    found: list[tuple[str, str]] = []
    folder = os.fspath(PACKAGE_DIR)
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(root, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found += [
            (prefix + name, os.path.join(root, name))
            for name in sorted(files)
            if not name.endswith((".pyc", ".pyo"))
        ]
    return found


def package_stats() -> str:
    """A fingerprint of the package's files as the file system describes them (name, size,
    modification time): any edit, install or checkout changes it. Reads no file."""
    import hashlib

    h = hashlib.sha256()
    for name, path in package_files():
        try:
            st = os.stat(path)
        except OSError:
            continue
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:24]


def ensure_cached() -> None:
    """Compile slidegen's modules whose cached bytecode is missing or stale.

    Python reads cached bytecode even when ``PYTHONDONTWRITEBYTECODE`` is set; it only stops
    writing it, so an editable install would compile every module on every run (about a
    third of a second). A regular install ships compiled files; this gives an editable one
    the same, once per changed module. Nothing is written where Python caches by itself, and
    a folder that cannot be written is left as it is. The check reads each cached file's
    16-byte header, as the import system does (a few milliseconds for the whole package).
    """
    if not sys.dont_write_bytecode:
        return
    from importlib.util import MAGIC_NUMBER, cache_from_source

    stale: list[str] = []
    for root, dirs, files in os.walk(Path(__file__).parent):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                source = os.path.join(root, name)
                if not _current(source, cache_from_source(source), MAGIC_NUMBER):
                    stale.append(source)
    if stale:
        import py_compile

        for source in stale:
            try:
                py_compile.compile(source, doraise=True)
            except (OSError, py_compile.PyCompileError):
                continue  # unwritable, or a syntax error the import will report


def _current(source: str, cached: str, magic: bytes) -> bool:
    """Whether `cached` is the bytecode of `source` as it is (magic, mtime and size)."""
    try:
        st = os.stat(source)
        with open(cached, "rb") as fh:
            header = fh.read(16)
    except OSError:
        return False
    mtime = (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
    size = (st.st_size & 0xFFFFFFFF).to_bytes(4, "little")
    return header == magic + b"\0\0\0\0" + mtime + size
