"""Faults: nothing lost, nothing hangs, no traceback — clean, full disks, immutable files,
all-or-nothing commits, killed parents and workers, Ctrl-C, two builds at once."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from slidegen.atomic import commit, stage, stage_all, write_atomic
from slidegen.build.lock import build_lock
from slidegen.build.run import build, clean
from slidegen.build.targets import CACHE_NAME, STATE_NAME
from slidegen.errors import OutputError

ROOT = Path(__file__).resolve().parents[1]
CLASS = "inter-american-cooperation"
SOURCE = ROOT / "source" / f"{CLASS}.yaml"
TRANSLATION = ROOT / "source" / f"{CLASS}.pt.yaml"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`slidegen ARGS` from the project folder, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "slidegen", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (the lock file, which stays empty, aside)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".slidegen-lock"
    }


def outputs(out: Path) -> dict[str, bytes]:
    """The output files (no state, cache, lock or temporary file: their names start with '.')."""
    return {k: v for k, v in files(out).items() if not any(p.startswith(".") for p in k.split("/"))}


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp") or "slidegen-bib-" in p.name]


# --- chattr +i: the stand-in for a file another program holds open -------------------------


def _chattr_works(tmp: Path) -> bool:
    if not IS_ROOT or shutil.which("chattr") is None:
        return False
    probe = tmp / "probe"
    probe.write_bytes(b"x")
    ok = subprocess.run(["chattr", "+i", probe], capture_output=True).returncode == 0
    subprocess.run(["chattr", "-i", probe], capture_output=True)
    probe.unlink()
    return ok


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Make files or folders immutable (root and chattr needed) for the block."""
    subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.fixture
def chattr(tmp_path: Path) -> None:
    if not _chattr_works(tmp_path):
        pytest.skip("needs root and chattr on a file system with immutable files")


# --- clean ----------------------------------------------------------------------------------


def _git_project(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project / "notes.txt").write_text("mine\n")


@pytest.mark.parametrize("out", [".", "source"])
def test_clean_refuses_the_project_or_source_folder_and_removes_nothing(
    project: Path, out: str
) -> None:
    _git_project(project)
    assert run(project, "build", "source", "--out", out, "--format", "bib", "-q").returncode == 0
    before = files(project)

    done = run(project, "clean", "--out", out)

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"refusing to clean {out}" in done.stderr and "nothing was removed" in done.stderr
    assert files(project) == before


def test_clean_refuses_a_folder_holding_a_repository(project: Path) -> None:
    out = project / "out"
    build([project / "source"], out=out, formats=("bib",))
    (out / "vendored" / ".hg").mkdir(parents=True)
    before = files(project)
    done = run(project, "clean", "--out", "out")
    assert done.returncode == 1 and "version-control root" in done.stderr, done.stderr
    assert files(project) == before
    with pytest.raises(OutputError, match="version-control root"):
        clean(out)


def test_clean_removes_only_what_builds_made(project: Path) -> None:
    build([project / "source"], out=project / "build", formats=("bib",))
    mine = project / "build" / "en" / "my-notes.txt"
    mine.write_text("keep me\n")
    (project / "build" / "pt" / ".x.pptx.tmp").write_text("not slidegen's name\n")

    done = run(project, "clean")

    assert done.returncode == 0, done.stderr
    left = (project / "build").rglob("*")
    assert sorted(p.relative_to(project / "build").as_posix() for p in left) == [
        "en",
        "en/my-notes.txt",
        "pt",
        "pt/.x.pptx.tmp",
    ]
    assert mine.read_text() == "keep me\n"


# --- atomic writes: full disk, immutable files, unwritable folders ---------------------------


@contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` (root on Linux only, else the test is skipped)."""
    if not IS_ROOT or not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    folder.mkdir(exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", folder], check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (root only)."""
    with _tmpfs(tmp_path / "disk", "256k") as mnt:
        yield mnt


def _fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_build_onto_a_full_disk_keeps_every_previous_output(project: Path) -> None:
    with _tmpfs(project / "build", "8m") as out:
        build([project / "source"], out=out)
        before = files(out)
        _edit_source(project)
        _fill(out)
        done = run(project, "build", "source", "-q")
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "No space left on device" in done.stderr and "disk is full" in done.stderr
        assert "close the file" not in done.stderr
        (out / "filler").unlink()
        assert files(out) == before
        assert temporaries(out) == []


def test_an_unwritable_output_folder_is_a_clear_error(project: Path, chattr: None) -> None:
    out = project / "build"
    build([project / "source"], out=out, formats=("bib",))
    before = files(out)
    _edit(project / "source" / SOURCE.name, "\ntitle: ", "\ntitle: New ")
    with immutable(out, *(p for p in out.iterdir() if p.is_dir())):
        done = run(project, "build", "source", "--format", "bib", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot write build" in done.stderr and "Operation not permitted" in done.stderr
    assert files(out) == before


def test_review_on_a_full_disk_keeps_the_translation_byte_identical(tiny_disk: Path) -> None:
    src = tiny_disk / "source"
    src.mkdir()
    shutil.copy(SOURCE, src)
    text = TRANSLATION.read_text(encoding="utf-8")
    translation = src / TRANSLATION.name
    translation.write_text(text.replace("source: 6d49881fa2", "source: 0000000000"))
    original = translation.read_bytes()
    _fill(tiny_disk)

    done = run(tiny_disk, "review", "--lang", "pt")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"cannot write {Path('source') / TRANSLATION.name}" in done.stderr
    assert "No space left on device" in done.stderr and "disk is full" in done.stderr
    assert "close the file" not in done.stderr
    assert translation.read_bytes() == original
    assert [p.name for p in src.iterdir() if p.name.endswith(".tmp")] == []


def test_review_of_an_immutable_translation_names_it_and_keeps_it(
    project: Path, chattr: None
) -> None:
    translation = project / "source" / TRANSLATION.name
    translation.write_text(
        translation.read_text(encoding="utf-8").replace("source: 6d49881fa2", "source: 00")
    )
    original = translation.read_bytes()
    with immutable(translation):
        done = run(project, "review", "--lang", "pt")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"{Path('source') / TRANSLATION.name}: Operation not permitted" in done.stderr
    assert translation.read_bytes() == original


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "file.txt"
    write_atomic(dest, b"old")
    (tmp_path / "a").chmod(0o500)
    try:
        if IS_ROOT:  # root writes anywhere: make the folder immutable instead, where possible
            (tmp_path / "a").chmod(0o700)
            if not _chattr_works(tmp_path):
                pytest.skip("root without chattr: no way to make a folder unwritable")
            ctx = immutable(tmp_path / "a")
        else:
            from contextlib import nullcontext

            ctx = nullcontext()
        with ctx, pytest.raises(OutputError) as info:
            write_atomic(dest, b"new")
    finally:
        (tmp_path / "a").chmod(0o700)
    assert str(dest) in str(info.value) and "ermission" in str(info.value) or "permitted" in str(
        info.value
    )
    assert dest.read_bytes() == b"old" and sorted(os.listdir(tmp_path / "a")) == ["file.txt"]


def test_staging_many_files_that_fails_on_one_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Files staged together are written, then flushed to disk together; when one cannot be
    written, the error names it and none of the call's temporary files stay behind."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "blocked").write_text("a file where a folder is needed")
    files = [(tmp_path / "out" / f"file{i}.pdf", b"%PDF" * 1000) for i in range(5)]
    bad = tmp_path / "out" / "blocked" / "deck.pptx"
    with pytest.raises(OutputError) as info:
        stage_all([*files, (bad, b"PK"), (tmp_path / "out" / "after.html", b"<html>")])
    assert str(bad) in str(info.value)
    assert sorted(os.listdir(tmp_path / "out")) == ["blocked"]
    staged = stage_all(files)
    commit(staged)
    assert all(dest.read_bytes() == data for dest, data in files)
    assert sorted(os.listdir(tmp_path / "out")) == ["blocked", *(f"file{i}.pdf" for i in range(5))]


# --- all or nothing --------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_source(project: Path) -> None:
    """Edit the English outline and the Portuguese translation: both languages rebuild (an
    English edit alone leaves the Portuguese edition alone when its translation covers it)."""
    path = project / "source" / SOURCE.name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Crime is organized", "Crime is very organized", 1))
    translation = project / "source" / TRANSLATION.name
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("title:", "title:  ", 1), encoding="utf-8")


def test_a_rename_failing_midway_restores_every_replaced_output(
    project: Path, chattr: None
) -> None:
    out = project / "build"
    build([project / "source"], out=out)
    before = files(out)
    _edit_source(project)
    stuck = out / "pt" / f"{CLASS}.pptx"  # renamed after the English outputs
    with immutable(stuck):
        done = run(project, "build", "source", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"cannot replace {Path('build') / 'pt' / stuck.name}" in done.stderr
    assert files(out) == before  # English outputs and the state back as they were
    assert temporaries(out) == []
    assert run(project, "build", "source", "-q").returncode == 0  # and then it builds


def test_a_state_that_cannot_be_written_rolls_the_outputs_back(
    project: Path, chattr: None
) -> None:
    out = project / "build"
    build([project / "source"], out=out, formats=("bib",))
    before = files(out)
    _edit(project / "source" / SOURCE.name, "\ntitle: ", "\ntitle: New ")  # in every file
    with immutable(out / STATE_NAME):
        done = run(project, "build", "source", "--format", "bib", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"{Path('build') / STATE_NAME}" in done.stderr
    assert files(out) == before
    assert temporaries(out) == []


def test_a_site_file_that_cannot_be_replaced_rolls_the_editions_back(
    project: Path, chattr: None
) -> None:
    out = project / "build"
    assert run(project, "build", "source", "--format", "bib,site", "-q").returncode == 0
    before = files(out)
    _edit(project / "source" / SOURCE.name, "\ntitle: ", "\ntitle: New ")
    page = out / "site" / "en" / f"{CLASS}.html"  # shows the new title: it is rewritten
    assert page.is_file()
    with immutable(page):
        done = run(project, "build", "source", "--format", "bib,site", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot replace" in done.stderr and page.name in done.stderr
    assert files(out) == before  # the references of every edition and the state as they were
    assert temporaries(out) == []


def test_commit_restores_earlier_files_when_a_later_rename_fails(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_atomic(a, b"old a")
    pending = [stage(a, b"new a"), stage(b, b"new b")]
    os.unlink(pending[1].temp)  # the second rename cannot happen
    with pytest.raises(OutputError, match="b.txt"):
        commit(pending)
    assert a.read_bytes() == b"old a" and not b.exists()
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]


# --- caches -----------------------------------------------------------------------------------

BIB = """@book{herz2004,
  author = {Herz, Monica and Hoffmann, Andrea Ribeiro},
  title = {Organizações internacionais},
  publisher = {Elsevier},
  year = {2004},
}
"""


def _with_bibtex(project: Path) -> None:
    (project / "source" / "refs.bib").write_text(BIB, encoding="utf-8")
    path = project / "source" / SOURCE.name
    text = path.read_text(encoding="utf-8")
    head = "\nbibliography: [refs.bib]\nsections:"
    path.write_text(text.replace("\nsections:", head, 1))


def test_a_damaged_cache_file_is_rebuilt_with_one_warning(project: Path) -> None:
    _with_bibtex(project)
    assert run(project, "build", "source", "--format", "bib", "-q").returncode == 0
    cache = project / "build" / CACHE_NAME
    damaged = sorted(cache.glob("*.json"))
    assert any(p.name.startswith("bibtex-") for p in damaged)
    for p in damaged:
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])  # cut short
    _edit_source(project)

    first = run(project, "build", "source", "--format", "bib")
    second = run(project, "build", "source", "--format", "bib", "--force")

    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stderr
    warned = [ln for ln in first.stderr.splitlines() if "cache file" in ln]
    assert len(warned) == len(damaged) and all("was damaged" in ln for ln in warned)
    assert "cache file" not in second.stderr
    for p in damaged:
        if p.exists():
            assert p.read_bytes().rstrip().endswith((b"]", b"}"))


def test_an_unwritable_cache_folder_is_a_clear_error(project: Path, chattr: None) -> None:
    cache = project / "build" / CACHE_NAME
    cache.mkdir(parents=True)
    with immutable(cache):
        done = run(project, "build", "source", "--format", "bib", "-q")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    assert str(Path("build") / CACHE_NAME) in done.stderr


# --- processes --------------------------------------------------------------------------------


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of a session, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # state, ppid, pgrp, session
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int, seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not _session(pid):
            return True
        time.sleep(0.05)
    return False


def _start(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "slidegen", "build", "source", "-j", "2", "-q", *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _is_python(pid: int) -> bool:
    try:
        return "python" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def _workers_started(proc: subprocess.Popen[bytes]) -> list[int]:
    """The build's worker processes, once both run (pandoc is python only until its exec)."""
    end = time.monotonic() + 60
    while time.monotonic() < end and proc.poll() is None:
        workers = [c for c in _children(proc.pid) if _is_python(c)]
        if len(workers) >= 2:
            return workers
        time.sleep(0.01)
    return []


linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


@linux
def test_ctrl_c_stops_a_build_within_a_second_leaving_nothing(project: Path) -> None:
    proc = _start(project)
    assert _workers_started(proc), "the build ended before its workers started"
    time.sleep(0.2)
    start = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
    proc.wait(timeout=10)
    assert time.monotonic() - start < 1.0
    assert proc.returncode == 130
    assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()
    assert _gone(proc.pid, 1.0)
    assert temporaries(project / "build") == []


@linux
def test_sigterm_ends_the_build_and_its_workers(project: Path) -> None:
    proc = _start(project)
    time.sleep(1.2)
    os.kill(proc.pid, signal.SIGTERM)  # the parent only
    proc.wait(timeout=10)
    assert _gone(proc.pid)
    assert temporaries(project / "build") == []


@linux
def test_killed_parents_leave_old_or_new_files_and_the_next_build_repairs(project: Path) -> None:
    out = project / "build"
    assert run(project, "build", "source", "-q").returncode == 0
    old = outputs(out)
    _edit_source(project)
    assert run(project, "build", "source", "--out", "reference", "-q").returncode == 0
    new = outputs(project / "reference")
    rng = random.Random(12)
    for _ in range(3):
        proc = _start(project, "--force")
        time.sleep(rng.uniform(0.3, 3.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _gone(proc.pid), "workers outlived their parent"
        for name, data in outputs(out).items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
    done = run(project, "build", "source", "-q")
    assert done.returncode == 0, done.stderr
    assert temporaries(out) == []
    assert outputs(out) == new


@linux
def test_a_killed_worker_is_a_clear_error_naming_the_edition(project: Path) -> None:
    proc = _start(project)
    killed = None
    end = time.monotonic() + 20
    while killed is None and time.monotonic() < end and proc.poll() is None:
        workers = [c for c in _children(proc.pid) if _is_python(c)]
        if len(workers) >= 2:  # the pool (not pandoc, which is python only until its exec)
            time.sleep(0.05)  # let it start a job
            for worker in workers:  # as the out-of-memory killer would: any that still runs
                try:
                    os.kill(worker, signal.SIGKILL)
                except ProcessLookupError:
                    continue  # it had ended already: another one is taken
                killed = worker
        time.sleep(0.01)
    assert killed is not None, "the build ended before a worker could be killed"
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == 1, text
    assert "Traceback" not in text and "BrokenProcessPool" not in text
    assert "a worker process building the" in text and "ended unexpectedly" in text
    assert f"source/{SOURCE.name}" in text
    assert temporaries(project / "build") == []


def test_the_next_build_removes_what_a_killed_build_left(project: Path) -> None:
    out = project / "build"
    build([project / "source"], out=out, formats=("bib",))
    left = [
        out / "en" / f".{CLASS}.pptx.a1b2c3d4.tmp",
        out / f".{STATE_NAME}.zz_9yx8w.tmp",
        out / CACHE_NAME / ".slidegen-bib-q1w2e3r4" / "requests.json",
        out / "site" / "en" / "files" / f".{CLASS}.pptx.mfs4dnm0.tmp",  # any depth
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    mine = [out / "en" / ".my.tmp", out / "en" / "draft.pptx.tmp"]  # not slidegen's names
    for path in mine:
        path.write_bytes(b"mine")

    build([project / "source"], out=out, formats=("bib",))

    assert [p for p in left if p.exists()] == []
    assert not (out / CACHE_NAME / ".slidegen-bib-q1w2e3r4").exists()
    assert all(p.read_bytes() == b"mine" for p in mine)


def test_nothing_temporary_is_made_outside_the_output_folder(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmpdir = tmp_path_factory.mktemp("tmpdir")
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidegen", "build", "source", "--format", "bib", "-q"],
        cwd=project,
        env=env,
        stderr=subprocess.PIPE,
    )
    seen: set[str] = set()
    while proc.poll() is None:  # watched while it runs: a killed build leaves what it made
        seen.update(os.listdir(tmpdir))
        time.sleep(0.005)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert seen == set() and os.listdir(tmpdir) == []


def test_two_builds_at_once_one_waits_its_turn_with_a_clear_error(project: Path) -> None:
    out = project / "build"
    with build_lock(out):
        done = run(project, "build", "source", "--format", "bib", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "another slidegen build is writing to build" in done.stderr
    assert outputs(out) == {}
    assert run(project, "build", "source", "--format", "bib", "-q").returncode == 0
