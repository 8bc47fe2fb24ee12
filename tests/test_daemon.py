"""The warm daemon: builds handed to it are the builds the command makes itself, byte for byte,
with the caller's folder, environment, streams, exit status and Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SEED_CLASS, SEED_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")

SLIDEGEN = [sys.executable, "-m", "slidegen"]


def _env(runtime: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "SLIDEGEN_RUNTIME_DIR": str(runtime), **extra}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SLIDEGEN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _project(folder: Path, *, translations: bool = True) -> Path:
    src = folder / "source"
    src.mkdir(parents=True)
    shutil.copy(SEED_DIR / f"{SEED_CLASS}.yaml", src)
    if translations:
        shutil.copy(SEED_DIR / f"{SEED_CLASS}.pt.yaml", src)
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".")
    }


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Path]:
    """A daemon started as a user starts it, in a runtime folder of this test; stopped after."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    started = _run(["daemon", "start", "--idle", "5"], tmp_path, _env(runtime))
    assert started.returncode == 0, started.stderr
    assert "daemon started: pid" in started.stdout
    pid = int(started.stdout.split("pid ")[1].split(",")[0])
    try:
        yield runtime
    finally:
        _run(["daemon", "stop"], tmp_path, _env(runtime))
        _ended(pid, 5.0)


def _ended(pid: int, seconds: float) -> bool:
    """Whether the daemon this test started ends within `seconds` (else it is killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return False


def _served(runtime: Path, cwd: Path) -> int:
    status = _run(["daemon", "status"], cwd, _env(runtime))
    assert status.returncode == 0, status.stdout
    return int(status.stdout.split(", ")[2].split(" builds")[0])


def test_a_build_through_the_daemon_is_the_build_itself(tmp_path: Path, daemon: Path) -> None:
    """From a project folder, with a relative path and the caller's SOURCE_DATE_EPOCH: the
    daemon's files are byte-identical to the command's own, and the daemon served it."""
    warm, cold = _project(tmp_path / "warm"), _project(tmp_path / "cold")
    epoch = {"SOURCE_DATE_EPOCH": "1767225600"}
    done = _run(["build", "source"], warm, _env(daemon, **epoch))
    assert done.returncode == 0, done.stderr
    assert "built 14 files" in done.stdout  # the summary reached the caller's stdout
    assert _served(daemon, tmp_path) == 1
    own = _run(["build", "source"], cold, _env(daemon, SLIDEGEN_DAEMON="off", **epoch))
    assert own.returncode == 0, own.stderr
    assert _served(daemon, tmp_path) == 1  # SLIDEGEN_DAEMON=off: not handed over
    warm_files, cold_files = _outputs(warm / "build"), _outputs(cold / "build")
    assert sorted(warm_files) == sorted(cold_files)
    assert [n for n in warm_files if warm_files[n] != cold_files[n]] == []
    # the caller's environment reaches the build: another date, another deck
    other = _run(["build", "--force", "--format", "pptx", "source"], warm, _env(daemon))
    assert other.returncode == 0, other.stderr
    deck = "en/inter-american-cooperation.pptx"
    assert (warm / "build" / deck).read_bytes() != cold_files[deck]


def _spares(runtime: Path) -> list[int]:
    """The pids of the warm pandocs a daemon of `runtime` keeps (their command line names
    its folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                words = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--spare" in words and any(str(runtime).encode() in w for w in words):
                found.append(int(proc.name))
    return found


def _spare_waits(runtime: Path, cwd: Path, seconds: float = 60.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _run(["daemon", "status"], cwd, _env(runtime))
        if "warmed up, waiting" in status.stdout:
            return _spares(runtime)
        time.sleep(0.2)
    raise AssertionError(f"no warm pandoc after {seconds} s: {status.stdout}")


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_the_warm_pandocs_serve_one_build_with_the_same_bytes(tmp_path: Path, daemon: Path) -> None:
    """The daemon keeps a pandoc per core, warmed on made-up references of its own; the next
    build's workers each claim one and ask it every edition's references in turn, byte for
    byte as the command's own pandoc does, in every language and class. They end with that
    build; others wait for the next, and none is left once the daemon stops."""
    warm, cold = _project(tmp_path / "warm"), _project(tmp_path / "cold")
    for folder in (warm, cold):
        src = folder / "source"
        for lang in ("es", "fr"):
            shutil.copy(SEED_DIR / f"{SEED_CLASS}.{lang}.yaml", src)
        for i in range(2):  # three classes: each worker asks its pandoc several times
            for f in sorted(src.glob(f"{SEED_CLASS}*.yaml")):
                if f.name.count(".") == 1 or i == 0:
                    copy = src / f.name.replace(SEED_CLASS, f"copy-{i}")
                    text = f.read_text(encoding="utf-8").replace(SEED_CLASS, f"copy-{i}")
                    copy.write_text(text, encoding="utf-8")
    first = _spare_waits(daemon, tmp_path)
    assert len(first) == (os.cpu_count() or 1)
    done = _run(["build", "source"], warm, _env(daemon))
    assert done.returncode == 0, done.stderr
    own = _run(["build", "source"], cold, _env(daemon, SLIDEGEN_DAEMON="off"))
    assert own.returncode == 0, own.stderr
    warm_files, cold_files = _outputs(warm / "build"), _outputs(cold / "build")
    for lang in ("en", "pt", "es", "fr"):
        assert f"{lang}/{SEED_CLASS}-references.bib" in warm_files
        assert f"{lang}/copy-0-references.bib" in warm_files
    assert "en/copy-1-references.bib" in warm_files
    assert sorted(warm_files) == sorted(cold_files)
    assert [n for n in warm_files if warm_files[n] != cold_files[n]] == []
    second = _spare_waits(daemon, tmp_path)  # started once the build had ended
    assert len(second) == len(first) and not set(second) & set(first)
    assert not set(first) & set(_spares(daemon))  # they served one build, and ended
    assert _run(["daemon", "stop"], tmp_path, _env(daemon)).stdout == "daemon stopped\n"
    deadline = time.monotonic() + 10
    while (_spares(daemon) or list(daemon.glob("*.pandoc"))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _spares(daemon) == []
    assert not list(daemon.glob("*.pandoc"))  # their folder goes with them


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_a_killed_warm_pandoc_costs_a_build_nothing(tmp_path: Path, daemon: Path) -> None:
    """Warm pandocs killed while they wait: the build formats its references anyway."""
    folder = _project(tmp_path / "p")
    for pid in _spare_waits(daemon, tmp_path):
        os.kill(pid, signal.SIGKILL)
    done = _run(["build", "--format", "bib", "source"], folder, _env(daemon))
    assert done.returncode == 0, done.stderr
    assert (folder / "build" / "pt" / f"{SEED_CLASS}-references.bib").stat().st_size > 0
    assert _spare_waits(daemon, tmp_path)  # and new ones wait for the next build


def test_the_command_hands_a_build_over_before_importing_the_rest(
    tmp_path: Path, daemon: Path
) -> None:
    """The calling process stays small: it hands the build over before it imports the
    command line's parser or the library's models (Python's own list of its imports)."""
    folder = _project(tmp_path / "p", translations=False)
    done = subprocess.run(
        [*SLIDEGEN[:1], "-X", "importtime", *SLIDEGEN[1:], "build", "--format", "bib", "source"],
        cwd=folder, env=_env(daemon), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _served(daemon, tmp_path) == 1
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "slidegen.build.daemon" in imported
    assert imported & {"slidegen.cli", "slidegen.api", "argparse", "dataclasses"} == set()


def test_an_error_comes_back_located_with_its_status(tmp_path: Path, daemon: Path) -> None:
    folder = _project(tmp_path / "p", translations=False)
    outline = folder / "source" / f"{SEED_CLASS}.yaml"
    text = outline.read_text(encoding="utf-8")
    outline.write_text(text.replace("sections:", "sections: [", 1), encoding="utf-8")
    done = _run(["build", "source"], folder, _env(daemon))
    assert done.returncode == 1
    assert f"source/{SEED_CLASS}.yaml:" in done.stderr
    assert "Traceback" not in done.stderr
    assert _served(daemon, tmp_path) == 1
    assert not (folder / "build" / "en").exists()


def test_ctrl_c_reaches_the_build(tmp_path: Path, daemon: Path) -> None:
    """Ctrl-C in the caller's terminal stops the daemon's build as it stops the command's own:
    status 130, no output half-made, no temporary file left."""
    folder = _project(tmp_path / "p")
    src = folder / "source"
    for i in range(6):  # long enough to be interrupted in the middle
        for f in list(src.glob(f"{SEED_CLASS}*.yaml"))[:2]:
            name = f.name.replace(SEED_CLASS, f"copy-{i}")
            (src / name).write_text(
                f.read_text(encoding="utf-8").replace(SEED_CLASS, f"copy-{i}"), encoding="utf-8"
            )
    proc = subprocess.Popen(
        [*SLIDEGEN, "build", "source"],
        cwd=folder,
        env=_env(daemon),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the first edition built: the build is under way
    assert first.startswith("built "), first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    out = folder / "build"
    left = [p for p in out.rglob("*") if ".tmp" in p.name or p.name.startswith(".slidegen-tmp")]
    assert left == []
    assert not any(out.rglob("*.pptx")), "an interrupted build puts nothing in place"


def test_stop_and_idle_end_it(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    started = _run(["daemon", "start", "--idle", "0.02"], tmp_path, env)  # 1.2 s
    assert started.returncode == 0, started.stderr
    pid = int(started.stdout.split("pid ")[1].split(",")[0])
    assert len(list(runtime.glob("*.sock"))) == 1
    assert _ended(pid, 10.0), "the daemon did not end after its idle minutes"
    assert list(runtime.glob("*.sock")) == []  # it removed its socket
    assert _run(["daemon", "status"], tmp_path, env).returncode == 3


def test_a_folder_others_can_use_is_refused(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o755)
    done = _run(["daemon", "start"], tmp_path, _env(runtime))
    assert done.returncode != 0
    assert "SLIDEGEN_RUNTIME_DIR" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(runtime.iterdir()) == []


def test_invoke_and_the_command_find_the_same_daemon(tmp_path: Path, daemon: Path) -> None:
    """`invoke build` (which puts the project folder first on the import path) is handed to
    the daemon that `python -m slidegen daemon start` started, as `slidegen build` is."""
    folder = _project(tmp_path / "p", translations=False)
    shutil.copy(Path(__file__).resolve().parents[1] / "tasks.py", folder)
    invoke = shutil.which("invoke", path=str(Path(sys.executable).parent)) or "invoke"
    done = subprocess.run(
        [invoke, "build", "--format", "pptx"],
        cwd=folder, env=_env(daemon), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (folder / "build" / "en" / f"{SEED_CLASS}.pptx").is_file()
    assert _served(daemon, tmp_path) == 1
    command = shutil.which("slidegen", path=str(Path(sys.executable).parent))
    if command:
        again = subprocess.run(
            [command, "build", "--format", "pptx", "--force", "source"],
            cwd=folder, env=_env(daemon), capture_output=True, text=True, timeout=300,
        )
        assert again.returncode == 0, again.stderr
        assert _served(daemon, tmp_path) == 2


def test_a_killed_daemons_socket_is_cleared_by_the_next(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(runtime / "0123456789abcdef.sock"))
    dead.close()  # as a daemon killed with SIGKILL leaves it
    other = runtime / "notes.txt"
    other.write_text("not slidegen's", encoding="utf-8")
    env = _env(runtime)
    started = _run(["daemon", "start"], tmp_path, env)
    assert started.returncode == 0, started.stderr
    try:
        assert not (runtime / "0123456789abcdef.sock").exists()
        assert other.read_text(encoding="utf-8") == "not slidegen's"
    finally:
        assert _run(["daemon", "stop"], tmp_path, env).stdout == "daemon stopped\n"


def test_two_starts_at_once_leave_one_daemon(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    starts = [
        subprocess.Popen(
            [*SLIDEGEN, "daemon", "start"], cwd=tmp_path, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in starts]
    try:
        assert [p.returncode for p in starts] == [0, 0], outs
        pids = {out.split("pid ")[1].split(",")[0] for out, _ in outs}
        assert len(pids) == 1, outs  # both name the one that serves
        assert len(list(runtime.glob("*.sock"))) == 1
        assert list(runtime.glob(".*.tmp")) == []
    finally:
        _run(["daemon", "stop"], tmp_path, env)
