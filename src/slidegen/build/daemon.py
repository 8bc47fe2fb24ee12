"""A warm slidegen: a process that keeps the renderers imported and forks a fresh child per build.

`slidegen daemon start` starts it; while it runs, `slidegen build` and `slidegen site` (and
`invoke build`) hand their command line to it instead of importing python-pptx and reportlab
again. What it keeps is code only: the imported modules and what one build of a starter class
warmed (parsed fonts, the default template). Every build runs in a child forked for it, in
the caller's folder, environment and umask, writing to the caller's terminal; nothing a build
reads (outlines, translations, templates, references) outlives that child. It serves only its
own user, only for the exact code it was started with (another checkout, an edited module or a
changed install has another socket), and ends after `--idle` minutes without a build.
`SLIDEGEN_DAEMON=off` makes a command run in its own process regardless.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

TYPE_CHECKING = False  # typing's own constant: the command imports this module first, and
if TYPE_CHECKING:  # typing would be the largest import of a build handed over
    import socket
    from collections.abc import Callable, Sequence
    from typing import Any

    from slidegen.bib.engine import Spare
    from slidegen.build.spares import Spares

# socket, json, hashlib and tempfile are imported where they are used: every `build` asks
# whether a daemon runs, and most of the time the answer (no folder, no socket) needs none.

__all__ = ["forward", "start", "stop", "status", "serve", "FORWARDED"]

#: The commands a daemon runs for the command line (the others gain nothing from it).
FORWARDED = ("build", "site")

#: Set in the daemon and the children it forks: their own `main()` runs the command itself.
_IN_DAEMON = False

_HEADER = 8  # bytes of the request's length, then the request (JSON)


def _runtime_dir(create: bool = False) -> Path | None:
    """This user's private folder for daemon sockets, or None where there is none to trust
    (made by someone else, or open to others)."""
    base = os.environ.get("SLIDEGEN_RUNTIME_DIR")
    if base:
        folder = Path(base)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"], "slidegen")
    else:  # the temporary folder as Python's tempfile finds it on Unix (without its import)
        base = next((os.environ[v] for v in ("TMPDIR", "TEMP", "TMP") if os.environ.get(v)), "/tmp")
        folder = Path(base, f"slidegen-{os.getuid()}")
    if create:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700, parents=True)
    try:
        st = folder.stat()
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


def identity() -> str:
    """What the daemon's code is: this interpreter and environment, the folders its packages
    are installed in (installing or removing one changes its folder), and every file of the
    slidegen package (name, size, modification time). Any change gives another daemon. The
    import path itself is not part of it: `slidegen`, `python -m slidegen` and Invoke's
    tasks each put a folder of their own first."""
    import hashlib
    import json
    import sysconfig

    from slidegen.bytecode import package_stats

    package = Path(__file__).resolve().parent.parent
    installed = sorted({sysconfig.get_path(name) for name in ("stdlib", "purelib", "platlib")})
    h = hashlib.sha256()
    python = [os.path.realpath(sys.executable), sys.prefix, sys.version]  # python or python3
    h.update(json.dumps([*python, installed, str(package)]).encode())
    for entry in installed:
        with contextlib.suppress(OSError):
            h.update(str(os.stat(entry).st_mtime_ns).encode())
    h.update(package_stats().encode())
    return h.hexdigest()[:16]


def _socket_path(create: bool = False) -> Path | None:
    folder = _runtime_dir(create)
    return folder / f"{identity()}.sock" if folder else None


# --- the client ------------------------------------------------------------------------------


def _connect(path: Path | None) -> socket.socket | None:
    import socket

    if path is None or not hasattr(socket, "AF_UNIX") or not path.is_socket():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:  # a daemon that ended without removing its socket, or one starting up
        sock.close()
        return None
    return sock


def _send(sock: socket.socket, request: dict[str, Any], fds: Sequence[int] = ()) -> None:
    import json
    import socket

    body = json.dumps(request).encode()
    data = len(body).to_bytes(_HEADER, "big") + body
    sent = socket.send_fds(sock, [data], list(fds)) if fds else sock.send(data)
    if sent < len(data):  # (sending nothing more could meet a daemon that already answered)
        sock.sendall(data[sent:])


def _stdio_fds() -> list[int] | None:
    """The caller's stdin, stdout and stderr, if they are the real streams (not a test's
    capture or a library's redirection, which a child process could not write to)."""
    try:
        if sys.stdout.fileno() != 1 or sys.stderr.fileno() != 2:
            return None
    except (AttributeError, OSError, ValueError):
        return None
    fds = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            return None
        fds.append(fd)
    return fds


def _any_socket(folder: Path) -> bool:
    """Whether any daemon may listen in `folder` (cheap: no hashing, no socket module)."""
    try:
        return any(name.endswith(".sock") for name in os.listdir(folder))
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def forward(argv: Sequence[str]) -> int | None:
    """Run `slidegen argv` in this user's daemon for this code, if one runs: its exit status.
    None when there is none (or the command gains nothing): the caller runs it itself."""
    if _IN_DAEMON or not argv or argv[0] not in FORWARDED or "-h" in argv or "--help" in argv:
        return None
    if os.environ.get("SLIDEGEN_DAEMON", "").lower() in ("off", "0", "no", "false"):
        return None
    fds = _stdio_fds()
    folder = _runtime_dir()
    if fds is None or folder is None or not _any_socket(folder):
        return None
    import socket

    if not hasattr(socket, "send_fds"):
        return None
    sock = _connect(_socket_path())
    if sock is None:
        return None
    with sock:
        sys.stdout.flush()
        sys.stderr.flush()
        request = {
            "argv": list(argv),
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "umask": _umask(),
            "streams": [
                [s.encoding, s.errors] for s in (sys.stdin, sys.stdout, sys.stderr) if s
            ],
        }
        try:
            _send(sock, request, fds)
        except OSError:
            return None
        return _await_child(sock)


def _await_child(sock: socket.socket) -> int:
    """Wait for the build's child to end, passing it Ctrl-C and termination; its status."""
    reader = sock.makefile("r", encoding="utf-8")
    child: list[int] = []

    def relay(signum: int, _frame: object) -> None:
        for pid in child:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread: no relay
            previous[sig] = signal.signal(sig, relay)
    try:
        for line in reader:
            word, _, value = line.partition(" ")
            if word == "pid":
                child.append(int(value))
            elif word == "exit":
                return int(value)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(
        "slidegen: the daemon's build ended without a status (see above); "
        "run the command again with SLIDEGEN_DAEMON=off",
        file=sys.stderr,
    )
    return 1


# --- managing it -------------------------------------------------------------------------------


def _ask(request: dict[str, Any], path: Path | None = None) -> dict[str, Any] | None:
    import json

    sock = _connect(path or _socket_path())
    if sock is None:
        return None
    with sock:
        try:
            _send(sock, request)
            answer = sock.makefile("r", encoding="utf-8").readline()
        except OSError:
            return None
    with contextlib.suppress(ValueError):
        reply: dict[str, Any] = json.loads(answer)
        return reply
    return None


def status() -> dict[str, Any] | None:
    """The running daemon's pid, age, builds served and idle limit; None if none runs."""
    return _ask({"ask": "status"})


def stop() -> bool:
    """Ask the daemon for this code to end (builds it is running finish); whether one ran."""
    return _ask({"ask": "stop"}) is not None


def start(idle_minutes: float) -> tuple[dict[str, Any], bool]:
    """Start the daemon in the background unless one runs; its status, and whether it is new."""
    import socket
    import subprocess

    from slidegen.errors import Problem, UsageError

    if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        raise UsageError(
            [Problem("the daemon needs Unix sockets and fork (Linux, macOS, BSD)")]
        )
    running = status()
    if running is not None:
        return running, False
    if _runtime_dir(create=True) is None:
        raise UsageError(
            [
                Problem(
                    "no private folder for the daemon's socket",
                    hint="set SLIDEGEN_RUNTIME_DIR to a folder only you can use (mode 700)",
                )
            ]
        )
    args = [sys.executable, "-m", "slidegen", "daemon", "run", "--idle", str(idle_minutes)]
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # not ended by the terminal's Ctrl-C or hang-up
    )
    assert proc.stdout is not None and proc.stderr is not None
    ready = proc.stdout.readline().decode("utf-8", "replace")  # once it listens; EOF: failed
    if not ready.startswith("ready"):
        message = proc.stderr.read().decode("utf-8", "replace").strip()
        proc.wait()
        raise UsageError(
            [Problem(f"the daemon did not start: {message or 'no reason given'}")]
        )
    proc.stdout.close()
    proc.stderr.close()
    path = Path(ready.split(" ", 1)[1].strip())
    running = None
    for _ in range(400):  # started with another: the first warms up, then answers
        running = _ask({"ask": "status"}, path)
        if running is not None:
            break
        time.sleep(0.05)
    if running is None:
        raise UsageError([Problem("the daemon started but does not answer")])
    return running, True


# --- the daemon ------------------------------------------------------------------------------


def _warm_up() -> None:
    """Build a starter class and its site once, in a folder of its own that is removed
    after: the build imports every renderer, and later builds find ready what it warmed
    (fonts parsed, the default template read, page templates loaded); then the labels of
    every shipped language, which are package data as the fonts are."""
    import gc
    import tempfile

    from slidegen.build.run import build, forget_editions
    from slidegen.build.site import prepare
    from slidegen.i18n.labels import SUPPORTED
    from slidegen.read.starter import new_course

    with tempfile.TemporaryDirectory(prefix="slidegen-warm-") as folder:
        course = Path(folder, "course")
        new_course(course)
        build([course / "source"], out=course / "build", jobs=1, site=True)
    forget_editions()
    prepare(SUPPORTED)
    gc.collect()
    gc.freeze()  # all the warm-up kept, for good: no build's collector scans (and so copies) it


def serve(idle_minutes: float, command: Callable[[list[str]], int]) -> None:
    """Run the daemon in this process until it is stopped, terminated or idle that long;
    each build's child runs `command` (the command line's `main`) on the caller's words."""
    import socket

    global _IN_DAEMON
    _IN_DAEMON = True
    path = _socket_path(create=True)
    if path is None:
        raise OSError("no private folder for the daemon's socket (see SLIDEGEN_RUNTIME_DIR)")
    import fcntl

    # One daemon per code: it holds this lock for its life. Another started at the same
    # time finds it held, and leaves the serving to the first (its `start` waits for it).
    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        print(f"ready {path}", flush=True)
        return
    from slidegen.build.spares import Spares
    from slidegen.i18n.labels import SUPPORTED

    spares = Spares(path.with_suffix(".pandoc"), SUPPORTED)
    spares.refill()  # their pandocs warm up while this process does
    _warm_up()
    _remove_dead_sockets(path.parent)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening = path.with_name(f".{path.stem}-{os.getpid()}.tmp")  # listening before it is
    with contextlib.suppress(FileNotFoundError):  # found: a socket under the final name
        listening.unlink()  # always answers (a leftover of this pid's own, never another's)
    listener.bind(str(listening))
    os.chmod(listening, 0o600)
    listener.listen(16)
    os.replace(listening, path)
    inode = path.stat().st_ino
    print(f"ready {path}", flush=True)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _Daemon(listener, path, inode, idle_minutes * 60, command, spares).loop()


def _remove_dead_sockets(folder: Path) -> None:
    """Remove the sockets daemons left when they were killed (none answers on them); only
    files named as slidegen names its sockets."""
    import re

    for entry in folder.iterdir():
        if re.fullmatch(r"[0-9a-f]{16}\.sock", entry.name) and entry.is_socket():
            sock = _connect(entry)
            if sock is None:
                with contextlib.suppress(OSError):
                    entry.unlink()
            else:
                sock.close()


class _Daemon:
    """The accept loop: one forked child per build, each handed the warm pandocs that
    wait; pings and stops answered in the loop."""

    def __init__(
        self,
        listener: socket.socket,
        path: Path,
        inode: int,
        idle: float,
        command: Callable[[list[str]], int],
        spares: Spares,
    ) -> None:
        self.listener, self.path, self.inode, self.idle = listener, path, inode, idle
        self.command, self.spares = command, spares
        self.wake = self.wake_write = -1  # the loop's self-pipe
        self.started = self.last = time.time()
        self.children: set[int] = set()
        self.served = 0
        self.stopping = False

    def loop(self) -> None:
        import select

        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "stopping", True))
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # A build's end wakes the loop (SIGCHLD writes to this pipe), to start the next spare.
        self.wake, self.wake_write = os.pipe()
        os.set_blocking(self.wake_write, False)
        signal.set_wakeup_fd(self.wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        try:
            while not self.stopping:
                self._reap()
                if not self.children:
                    self.spares.refill()
                    if time.time() - self.last > self.idle:
                        break
                with contextlib.suppress(InterruptedError):
                    ready: list[Any] = [self.listener, self.wake]
                    readable, _, _ = select.select(ready, [], [], 1.0)
                    if self.wake in readable:
                        os.read(self.wake, 512)
                    if self.listener in readable:
                        self._accept()
        finally:
            signal.set_wakeup_fd(-1)
            self._remove_socket()
            self.spares.close()

    def _remove_socket(self) -> None:
        with contextlib.suppress(OSError):
            if self.path.stat().st_ino == self.inode:  # still ours, not a newer daemon's
                self.path.unlink()
        self.listener.close()

    def _reap(self) -> None:
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if not done:
                    continue
            self.children.discard(pid)
        for pid in self.spares.waiting_on():
            if pid not in self.children:
                self.spares.ended(pid)

    def _accept(self) -> None:
        import json
        import socket

        conn, _ = self.listener.accept()
        if not _same_user(conn):
            conn.close()
            return
        self.last = time.time()
        conn.settimeout(5.0)  # a caller that connects and says nothing does not hold it up
        fds: list[int] = []
        try:
            data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
            request = _read_request(conn, data)
        except (OSError, ValueError):  # a timeout is an OSError
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        conn.settimeout(None)
        ask = request.get("ask")
        if ask in ("status", "stop"):
            for fd in fds:
                os.close(fd)
            answer = {
                "pid": os.getpid(),
                "seconds": round(time.time() - self.started),
                "builds": self.served,
                "idle_minutes": self.idle / 60,
                "running": len(self.children),
                "pandoc": self.spares.state(),
                "pandocs": len(self.spares.ready),
            }
            with contextlib.suppress(OSError):
                conn.sendall((json.dumps(answer) + "\n").encode())
            conn.close()
            self.stopping = ask == "stop"
            return
        if len(fds) != 3 or not isinstance(request.get("argv"), list):
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        self.served += 1
        spares = self.spares.take()
        pid = os.fork()
        if pid == 0:  # the child never returns into the loop, whatever happens
            try:
                signal.set_wakeup_fd(-1)
                os.close(self.wake)
                os.close(self.wake_write)
                self.listener.close()
                _run_child(conn, request, fds, self.command, spares)
            finally:
                os._exit(1)
        self.children.add(pid)
        self.spares.handed(pid, spares)
        for fd in fds:
            os.close(fd)
        conn.close()


def _same_user(conn: socket.socket) -> bool:
    """Whether the peer is this user (Linux reports it; elsewhere the folder's mode guards)."""
    import socket

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return bool(uid == os.getuid())


def _read_request(conn: socket.socket, data: bytes) -> dict[str, Any]:
    while len(data) < _HEADER:
        more = conn.recv(1 << 16)
        if not more:
            raise ValueError("short request")
        data += more
    import json

    size = int.from_bytes(data[:_HEADER], "big")
    body = data[_HEADER:]
    while len(body) < size:
        more = conn.recv(1 << 16)
        if not more:
            raise ValueError("short request")
        body += more
    request: dict[str, Any] = json.loads(body[:size])
    return request


def _run_child(
    conn: socket.socket,
    request: dict[str, Any],
    fds: Sequence[int],
    command: Callable[[list[str]], int],
    spares: Sequence[Spare] = (),
) -> None:
    """In the forked child: become the caller's process (folder, environment, umask, streams),
    run its command line (its pandoc calls asking `spares`), send back the status, end."""
    import io
    import threading

    status = 1
    running = [True]
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        with contextlib.suppress(AttributeError):
            time.tzset()
        os.umask(int(request["umask"]))
        streams = request.get("streams") or [["utf-8", "strict"]] * 3
        for i, name in enumerate(("stdin", "stdout", "stderr")):
            encoding, errors = (streams[i] if i < len(streams) else ["utf-8", "strict"])
            raw = io.FileIO(i, "r" if i == 0 else "w", closefd=False)
            buffered: Any = io.BufferedReader(raw) if i == 0 else io.BufferedWriter(raw)
            line = i == 2 or os.isatty(i)
            setattr(sys, name, io.TextIOWrapper(buffered, encoding, errors, line_buffering=line))
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["slidegen", *request["argv"]]
        if spares:  # each used only in the environment it started in
            from slidegen.bib.engine import offer_spares

            offer_spares(spares)
        conn.sendall(f"pid {os.getpid()}\n".encode())

        def caller_gone() -> None:  # the caller was killed: stop, as its Ctrl-C would
            with contextlib.suppress(OSError):
                conn.recv(1)
            if running[0]:
                os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=caller_gone, name="slidegen-caller", daemon=True).start()
        status = command(list(request["argv"]))
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:  # Ctrl-C as the build ended
        status = 130
    except BaseException:  # a bug: shown as the command itself would show it
        import traceback

        traceback.print_exc()
    finally:
        running[0] = False
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(f"exit {status}\n".encode())
        os._exit(status)
