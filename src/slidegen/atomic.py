"""Atomic outputs: write beside the destination, then rename into place (or leave it untouched).

Every file slidegen writes goes through here. `stage` writes a temporary file in the
destination's folder (named ``.<name>.<8 random characters>.tmp``) and flushes it to disk;
`commit` renames a whole set of them into place, all or nothing: when one rename fails, the
files already replaced get their previous content back. `sweep` removes the temporary files
a killed build left behind (only names of that exact shape).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from slidegen.errors import OutputError, Problem

__all__ = [
    "Pending",
    "Replaced",
    "replace_all",
    "stage",
    "stage_all",
    "commit",
    "discard",
    "write_atomic",
    "create_atomic",
    "sweep",
    "is_temporary",
]

_TEMP_SUFFIX = ".tmp"
#: The names `stage` gives (mkstemp's 8 random characters); `sweep` removes only these.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


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


def _hint(exc: OSError) -> str:
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full: free some space, or choose another output folder with --out"
    if code == errno.EROFS:
        return "the disk is read-only: choose another output folder with --out"
    if code in (errno.EACCES, errno.EPERM):
        return (
            "check the permissions of the file and its folder (an immutable file: chattr -i), "
            "and close the file if another program has it open"
        )
    if code in (errno.EBUSY, getattr(errno, "ETXTBSY", -1)):
        return "close the file: another program has it open"
    if code == errno.ENAMETOOLONG:
        return "choose a shorter output folder with --out"
    return "check the folder's permissions and free space"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def write_error(dest: Path, exc: OSError, verb: str = "write") -> OutputError:
    """The error for a file that could not be written: the file, the cause and what to do."""
    return OutputError([Problem(f"cannot {verb} {dest}: {_reason(exc)}", hint=_hint(exc))])


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _mode_of(dest: Path) -> int:
    """An existing file keeps its permissions when rewritten; a new one gets the umask's."""
    try:
        return dest.stat().st_mode & 0o7777
    except OSError:
        return _MODE


def stage(dest: Path, data: bytes) -> Pending:
    """Write `data` to a new temporary file in `dest`'s folder, flushed to disk; `dest` itself
    is not touched. A failure removes the temporary file and names `dest` and the cause."""
    return stage_all([(dest, data)])[0]


#: How many files `stage_all` flushes to disk at once.
_FLUSHERS = 8


def stage_all(files: Sequence[tuple[Path, bytes]]) -> list[Pending]:
    """`stage` for many files: each written to its temporary file, then all flushed to disk
    together. A journaling file system commits flushes that wait at the same time in one
    journal write; one after another, each waits for a write of its own (a few ms each).
    A failure removes every temporary file of the call and names the file and the cause."""
    written: list[tuple[Pending, int]] = []

    def undo() -> None:
        for pending, fd in written:
            with contextlib.suppress(OSError):
                os.close(fd)
            pending.temp.unlink(missing_ok=True)

    try:
        for dest, data in files:
            written.append(_write_temp(dest, data))
        if len(written) <= 1:
            for w in written:
                _flush(*w)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(_FLUSHERS, len(written))) as pool:
                list(pool.map(lambda w: _flush(*w), written))
    except BaseException:
        undo()
        raise
    for _, fd in written:
        os.close(fd)
    return [pending for pending, _ in written]


def _write_temp(dest: Path, data: bytes) -> tuple[Pending, int]:
    """A new temporary file beside `dest` holding `data`, not yet flushed; and its open fd."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=_TEMP_SUFFIX)
    except OSError as exc:
        raise write_error(dest, exc) from exc
    temp = Path(name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.chmod(temp, _mode_of(dest))
    except OSError as exc:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise write_error(dest, exc) from exc
    return Pending(temp, dest), fd


def _flush(pending: Pending, fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        raise write_error(pending.dest, exc) from exc


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


def _backup(dest: Path) -> Path | None:
    """A second name for `dest`'s current content (a hard link, else a copy), so that it can
    be put back; None when there is no `dest` yet."""
    if not dest.exists():
        return None
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=_TEMP_SUFFIX)
    os.close(fd)
    backup = Path(name)
    try:
        backup.unlink()
        os.link(dest, backup)
    except OSError:  # no hard links here (or an immutable file): copy instead
        try:
            shutil.copy2(dest, backup)
        except OSError:
            backup.unlink(missing_ok=True)
            raise
    return backup


@dataclass(frozen=True)
class Replaced:
    """Files `commit` put in place, with their previous content kept until `finish`."""

    done: tuple[tuple[Pending, Path | None], ...]

    def rollback(self) -> list[Path]:
        """Put every previous file back (a new file is removed); returns those that could not."""
        failed: list[Path] = []
        for p, backup in reversed(self.done):
            try:
                if backup is None:
                    p.dest.unlink(missing_ok=True)
                else:
                    os.replace(backup, p.dest)
            except OSError:
                failed.append(p.dest)
        return failed

    def finish(self) -> None:
        """Forget the previous files: the new ones stay."""
        for _, backup in self.done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        for folder in dict.fromkeys(p.dest.parent for p, _ in self.done):
            _fsync_folder(folder)


def _restore_error(dest: Path, exc: OSError, replaced: Replaced) -> OutputError:
    error = write_error(dest, exc, "replace")
    lost = replaced.rollback()
    if not lost:
        return error
    return OutputError(
        [
            *error.problems,
            *(
                Problem(
                    f"could not restore the previous {path}",
                    hint="build again to make it anew",
                )
                for path in lost
            ),
        ]
    )


def commit(pending: Sequence[Pending]) -> None:
    """Rename every staged file into place, all or nothing (`replace_all`, then done)."""
    replace_all(pending).finish()


def replace_all(pending: Sequence[Pending]) -> Replaced:
    """Rename every staged file into place, keeping each previous content until the caller
    ends the commit with `Replaced.finish()` — or undoes it with `Replaced.rollback()`.

    Every destination is checked before the first rename; when a rename fails anyway, the
    files already replaced get their previous content back, the temporary files are removed
    and `OutputError` names the file and the cause.
    """
    try:
        for p in pending:
            _check_replaceable(p.dest)
    except OutputError:
        discard(pending)
        raise
    done: list[tuple[Pending, Path | None]] = []
    for i, p in enumerate(pending):
        try:
            backup = _backup(p.dest)
        except OSError as exc:
            discard(pending[i:])
            raise _restore_error(p.dest, exc, Replaced(tuple(done))) from exc
        try:
            os.replace(p.temp, p.dest)
        except OSError as exc:
            if backup is not None:
                backup.unlink(missing_ok=True)
            discard(pending[i:])
            raise _restore_error(p.dest, exc, Replaced(tuple(done))) from exc
        done.append((p, backup))
    return Replaced(tuple(done))


def discard(pending: Iterable[Pending]) -> None:
    """Remove staged temporary files (after a failed build)."""
    for p in pending:
        with contextlib.suppress(OSError):
            p.temp.unlink(missing_ok=True)


def write_atomic(dest: Path, data: bytes) -> None:
    """Replace `dest` with `data` in one step: readers see the old file or the new, never half;
    on any failure `dest` is byte-identical and `OutputError` names it and the cause."""
    commit([stage(dest, data)])


def create_atomic(dest: Path, data: bytes) -> None:
    """Create `dest` with `data`, complete or not at all; `FileExistsError` if it exists."""
    pending = stage(dest, data)
    try:
        os.link(pending.temp, dest)  # fails if dest exists: never overwrites
    except FileExistsError:
        discard([pending])
        raise
    except OSError:  # no hard links on this file system
        if dest.exists():
            discard([pending])
            raise FileExistsError(errno.EEXIST, "File exists", str(dest)) from None
        try:
            os.replace(pending.temp, dest)
        except OSError as exc:
            discard([pending])
            raise write_error(dest, exc) from exc
        return
    discard([pending])


def is_temporary(name: str) -> bool:
    """Whether a file name has the shape of the temporary files `stage` makes."""
    return bool(_TEMP_NAME.match(name))


def sweep(folders: Iterable[Path]) -> int:
    """Remove the temporary files a killed build left in `folders`; returns how many."""
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed
