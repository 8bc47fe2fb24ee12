"""Atomic outputs: write beside the destination, then rename into place (or leave it untouched)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from slidegen.errors import OutputError, Problem

__all__ = ["Pending", "stage", "commit", "discard", "write_atomic"]


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


@dataclass(frozen=True)
class Pending:
    """A finished temporary file waiting to replace `dest`."""

    temp: Path
    dest: Path


def _error(dest: Path, exc: OSError, hint: str | None = None) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(
        [
            Problem(
                f"cannot write {dest}: {reason}",
                hint=hint or "close the file if another program has it open, and check permissions",
            )
        ]
    )


def stage(dest: Path, data: bytes) -> Pending:
    """Write `data` to a new temporary file in `dest`'s folder; `dest` itself is not touched."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    except OSError as exc:
        raise _error(dest, exc) from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(temp, _MODE)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _error(dest, exc) from exc
    return Pending(temp, dest)


def _check_replaceable(dest: Path) -> None:
    if dest.is_dir():
        raise OutputError(
            [
                Problem(
                    f"cannot replace {dest}: a folder is in the way",
                    hint="remove or rename that folder",
                )
            ]
        )


def commit(pending: Sequence[Pending]) -> None:
    """Rename every staged file into place; any that cannot be gives `OutputError` naming it.

    Every destination is checked before the first rename, so a foreseeable failure leaves
    all previous outputs as they were; temporary files are removed on failure.
    """
    try:
        for p in pending:
            _check_replaceable(p.dest)
    except OutputError:
        discard(pending)
        raise
    for i, p in enumerate(pending):
        try:
            os.replace(p.temp, p.dest)
        except OSError as exc:
            discard(pending[i:])
            raise _error(p.dest, exc) from exc


def discard(pending: Iterable[Pending]) -> None:
    """Remove staged temporary files (after a failed build)."""
    for p in pending:
        with contextlib.suppress(OSError):
            p.temp.unlink(missing_ok=True)


def write_atomic(dest: Path, data: bytes) -> None:
    """Replace `dest` with `data` in one step: readers see the old file or the new, never half."""
    commit([stage(dest, data)])
