"""Run pandoc's citeproc over many documents in one pandoc process (`pandoc lua csl/batch.lua`),
or ask a pandoc that waits for requests (`Spare`): a warm daemon's, or one a build worker keeps."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from slidegen.atomic import write_error
from slidegen.errors import BibliographyError, Problem
from slidegen.procs import child_preexec

__all__ = [
    "CiteprocJob",
    "CiteprocRun",
    "CiteprocRuns",
    "Rendered",
    "Spare",
    "offer_spares",
    "spares_offered",
    "keep_pandoc",
    "citeproc_all",
    "start_citeproc",
    "sweep_workdirs",
    "WORKDIR_PREFIX",
]

#: pandoc's working folders (its requests, the references as CSL-JSON, its own TMPDIR) are
#: made in the cache folder with this prefix; a killed build's are removed by the next one.
WORKDIR_PREFIX = ".slidegen-bib-"
_WORKDIR = re.compile(r"^\.slidegen-bib-[a-z0-9_]{8}$")

#: A pandoc JSON document, or the error pandoc gave for that one document.
Rendered = dict[str, Any] | BibliographyError


@dataclass(frozen=True)
class CiteprocJob:
    """One document to render: Markdown citations, its references as CSL-JSON, style, locale."""

    markdown: str
    references: str  # a CSL-JSON document
    style: Path  # a CSL file
    locale: str  # e.g. pt-BR
    #: the style's text to render with instead of the file's (slidegen's adapted style),
    #: written into pandoc's working folder
    csl: str = ""


@cache
def pandoc_path() -> str:
    """The pandoc binary shipped in the pypandoc-binary wheel (found without importing
    pypandoc, which costs ~50 ms), else whatever pandoc pypandoc finds."""
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        exe = Path(folder) / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
        if exe.is_file():
            return str(exe)
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise BibliographyError(
            [Problem(f"pandoc is not available: {exc}", hint="install pypandoc-binary")]
        ) from exc


@cache
def engine_identity() -> str:
    """Identifies the pandoc binary (size and time of its file) for cache keys: a new pandoc
    formats everything afresh."""
    try:
        stat = Path(pandoc_path()).stat()
    except (OSError, BibliographyError):
        return "unavailable"
    return f"pandoc-{stat.st_size}-{stat.st_mtime_ns}"


def _pandoc() -> str:
    return pandoc_path()


def _script() -> Path:
    return Path(str(resources.files("slidegen") / "csl" / "batch.lua"))


class CiteprocRun:
    """A pandoc process rendering jobs in the background; `wait()` gives their documents."""

    def __init__(
        self, jobs: Sequence[CiteprocJob], workdir: Path | None = None, spare: Spare | None = None
    ) -> None:
        self._count = len(jobs)
        self._tmp: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._spare = spare
        if not jobs:
            return
        self._tmp = _make_workdir(workdir)
        try:
            self._batch = _write_requests(self._tmp, jobs, "requests")
            if spare is not None:
                try:
                    spare.ask(self._batch)
                    return
                except OSError:  # it had ended (killed, say): a pandoc of this call's own
                    spare.close()
                    self._spare = None
            self._start()
        except BaseException:
            self.cancel()
            raise

    def _start(self) -> None:
        assert self._tmp is not None
        args = [_pandoc(), "lua", str(_script()), str(self._batch)]
        try:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, "TMPDIR": str(self._tmp)},  # its own, existing, removed
                preexec_fn=child_preexec if os.name == "posix" else None,
            )
        except OSError as exc:
            raise BibliographyError([Problem(f"cannot run pandoc: {exc}")]) from exc

    def wait(self) -> list[Rendered]:
        """Each job's document as `pandoc --citeproc -t json` makes it, in the jobs' order;
        a job pandoc could not render gives a `BibliographyError` in its place."""
        if self._spare is not None and self._tmp is not None:
            spare, self._spare = self._spare, None  # answered: it may be asked again
            try:
                out = spare.answer()
                if out:
                    self.cancel()
                    return self._documents(out)
                spare.close()  # it ended without an answer (killed, say): a pandoc of our own
                self._start()
            except BaseException:
                spare.close()
                self.cancel()
                raise
        if self._proc is None:
            return []
        try:
            out, err = self._proc.communicate()
        finally:
            self.cancel()
        if self._proc.returncode != 0:
            message = err.decode("utf-8", "replace").strip() or f"exit {self._proc.returncode}"
            raise BibliographyError([Problem(f"pandoc failed: {message}")])
        return self._documents(out)

    def _documents(self, out: bytes) -> list[Rendered]:
        try:
            docs = json.loads(out.decode("utf-8"))
        except ValueError as exc:
            raise BibliographyError([Problem(f"pandoc gave unreadable output: {exc}")]) from exc
        if not isinstance(docs, list) or len(docs) != self._count:
            raise BibliographyError([Problem("pandoc did not render every bibliography asked")])
        return [_rendered(doc) for doc in docs]

    def cancel(self) -> None:
        """Stop pandoc if it still runs, and remove the temporary files."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._spare is not None:  # asked, not answered: its next line is not ours to read
            self._spare.close()
            self._spare = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _write_requests(folder: Path, jobs: Sequence[CiteprocJob], name: str) -> Path:
    """The file batch.lua reads: each job's document, with its references and style written
    beside it (absolute paths: a spare works in a folder of its own)."""
    requests = []
    for i, job in enumerate(jobs):
        bib = folder / f"{name}-{i}.json"
        bib.write_text(job.references, encoding="utf-8")
        style = job.style
        if job.csl:
            style = folder / f"{name}-{i}.csl"
            style.write_text(job.csl, encoding="utf-8")
        requests.append(
            {
                "markdown": job.markdown,
                "bibliography": str(bib.resolve()),
                "csl": str(style.resolve()),
                "lang": job.locale,
            }
        )
    batch = folder / f"{name}.json"
    batch.write_text(json.dumps(requests, ensure_ascii=False), encoding="utf-8")
    return batch.resolve()


#: What of the environment pandoc reads that could change its answer (its data folder, the
#: locale): a spare started in another environment is not used.
_PANDOC_ENV = ("HOME", "XDG_DATA_HOME", "LANG", "LC_ALL", "LC_CTYPE")


#: A waiting pandoc's heap: pandoc asks for 64 MB up front (its -H64m), which a pandoc that
#: mostly waits holds for nothing; 8 MB halves what it keeps (78 → 35 MB of its own here)
#: and answers as fast.
_WAITING_HEAP = ("+RTS", "-H8m", "-RTS")


class Spare:
    """A pandoc that has rendered a warm-up batch (the first citeproc call in a process is
    the slow one: its code paged in, the locales parsed) and waits for requests.

    A warm daemon keeps one per core and hands them to the next build's child. The first
    process of that build to need pandoc (the child, or one of its workers) claims a free
    one (`claim`, a lock only one process ever holds) and asks it each of its requests in
    turn, one line each way; it ends when the build's processes have ended (its stdin
    closes). Until a build claims it, it holds nothing but the warm-up documents, which are
    slidegen's own; nothing one build asks reaches another build. A build worker starts one
    of its own (no warm-up, `with_parent`: it is killed with the worker) for its later
    classes (`keep_pandoc`).
    """

    def __init__(
        self, warm_up: Sequence[CiteprocJob], folder: Path, *, with_parent: bool = False
    ) -> None:
        self.folder = _make_workdir(folder).resolve()  # the warm-up files and its TMPDIR
        self.env = {name: os.environ.get(name) for name in _PANDOC_ENV}
        self._warmed = self.folder / "warmed"  # made once the warm-up is done
        self._claim = self.folder / "claim"
        self._claimed: tuple[int, int] | None = None  # (pid, the lock's fd) once claimed
        try:
            self._claim.touch()
            batch = _write_requests(self.folder, warm_up, "warm-up")
            self.proc = subprocess.Popen(
                [_pandoc(), *_WAITING_HEAP, "lua", str(_script()), "--spare", str(batch),
                 str(self._warmed)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a failed answer is asked again of a pandoc
                cwd=self.folder,  # of the call's own, which reports it
                env={**os.environ, "TMPDIR": str(self.folder)},
                preexec_fn=child_preexec if with_parent and os.name == "posix" else None,
            )  # it ends when its pipes close: the daemon's, or those of the build it serves
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def warm(self) -> bool:
        """Whether it has done its warm-up (and waits)."""
        return self._warmed.exists()

    def claim(self) -> bool:
        """Make it this process's for the rest of the build, if no other process (of this
        build: they share it) has claimed it and the environment is the one it started in."""
        if self._claimed is not None and self._claimed[0] == os.getpid():
            return True
        if self.env != {name: os.environ.get(name) for name in _PANDOC_ENV}:
            return False
        import fcntl

        try:  # a lock of this process's own opening: inherited locks do not count
            fd = os.open(self._claim, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        # Claimed for good: should this process die in the middle of a request, no other
        # may claim it and read that request's answer as its own.
        with contextlib.suppress(OSError):
            os.unlink(self._claim)
        self._claimed = (os.getpid(), fd)
        return True

    def ask(self, batch: Path) -> None:
        """Send a request (a file `_write_requests` made); `answer` reads its answer.
        OSError: it has ended."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{batch}\n".encode())
        self.proc.stdin.flush()

    def answer(self) -> bytes:
        """The answer to the last request, empty if it ended instead (the caller then asks a
        pandoc of its own, which says what went wrong)."""
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def close(self) -> None:
        """Close this process's ends of its pipes, and its claim: it is not asked again here
        (and, once no process of the build holds them, it ends)."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        if self._claimed is not None and self._claimed[0] == os.getpid():
            os.close(self._claimed[1])
        self._claimed = None


_SPARES: list[Spare] = []  # the spares this build was offered


def offer_spares(spares: Sequence[Spare]) -> None:
    """Offer `spares` to this process and those it forks: a pandoc call claims a free one
    instead of starting pandoc."""
    _SPARES[:] = spares


def spares_offered() -> bool:
    """Whether this process was offered warm spares (it then need not read ahead for pandoc)."""
    return bool(_SPARES)


_KEEP = [False]  # whether this process keeps a pandoc of its own for later calls
_OWN: dict[int, Spare] = {}  # by pid: the pandoc this process started for itself


def keep_pandoc() -> None:
    """In a build worker: the first pandoc call starts a pandoc that the later ones ask too
    (a worker formats class after class; a new pandoc each time pays its slow first call
    again). It ends with the worker."""
    _KEEP[0] = True


def _open(spare: Spare) -> bool:
    return spare.proc.stdin is not None and not spare.proc.stdin.closed


def _take_spare(workdir: Path | None) -> Spare | None:
    """The spare this process claimed, a free one it claims now, or (in a worker) its own
    pandoc, started at its first call; None: a pandoc of its own for this call only."""
    for spare in _SPARES:
        if _open(spare) and spare.claim():
            return spare
    if not _KEEP[0]:
        return None
    own = _OWN.get(os.getpid())
    if own is None or not _open(own):
        try:
            own = Spare([], workdir or Path(tempfile.gettempdir()), with_parent=True)
        except (OSError, BibliographyError):  # started as for one call, it reports why
            return None
        _OWN[os.getpid()] = own
    return own if own.claim() else None


def _make_workdir(parent: Path | None) -> Path:
    """A new working folder for pandoc inside `parent` (the build's cache folder); the system's
    temporary folder only for a library call without a cache folder."""
    try:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=parent))
    except OSError as exc:
        raise write_error(parent or Path(tempfile.gettempdir()), exc) from exc


def sweep_workdirs(parent: Path) -> None:
    """Remove the working folders a killed build left in `parent` (only names of their shape)."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        if _WORKDIR.match(entry.name) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


class CiteprocRuns:
    """Several `CiteprocRun`s, each rendering a consecutive share of the jobs; `wait()` gives
    every job's document in the jobs' order, as one run would."""

    def __init__(self, jobs: Sequence[CiteprocJob], workdir: Path | None, processes: int) -> None:
        self._runs: list[CiteprocRun] = []
        spare = _take_spare(workdir) if jobs else None
        if spare is not None:  # warm: it alone answers sooner than new processes would start
            self._runs.append(CiteprocRun(jobs, workdir, spare))
            return
        share = -(-len(jobs) // max(1, min(processes, len(jobs)))) if jobs else 1
        try:
            for start in range(0, len(jobs), share):
                self._runs.append(CiteprocRun(jobs[start : start + share], workdir))
        except BaseException:
            self.cancel()
            raise

    def wait(self) -> list[Rendered]:
        try:
            return [doc for run in self._runs for doc in run.wait()]
        finally:
            self.cancel()

    def cancel(self) -> None:
        for run in self._runs:
            run.cancel()


def start_citeproc(
    jobs: Sequence[CiteprocJob], workdir: Path | None = None, processes: int = 1
) -> CiteprocRuns:
    """Start pandoc rendering every job (none for no jobs): one process, or up to `processes`
    sharing them, each working in a new folder inside `workdir`; see `CiteprocRun`."""
    return CiteprocRuns(jobs, workdir, processes)


def citeproc_all(jobs: Sequence[CiteprocJob]) -> list[Rendered]:
    """Each job's document as `pandoc --citeproc -t json` makes it, all from one pandoc process."""
    return start_citeproc(jobs).wait()


def _rendered(doc: Any) -> Rendered:
    if isinstance(doc, dict) and "blocks" in doc:
        return doc
    message = doc.get("error") if isinstance(doc, dict) else None
    return BibliographyError([Problem(f"pandoc failed: {message or 'no document'}")])
