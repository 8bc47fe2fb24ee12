"""Worker processes that end with their parent: on SIGTERM, on Ctrl-C and when it dies.

Workers ignore SIGINT (the parent stops them itself, at once) and, on Linux, ask the kernel
to kill them when their parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread
watches the parent's pid. Child processes such as pandoc get the same treatment.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from typing import Any

__all__ = ["die_with_parent", "worker_init", "stop_processes", "child_preexec"]

_PR_SET_PDEATHSIG = 1


def _prctl_deathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="slidegen-parent-watch", daemon=True).start()


def die_with_parent(parent: int | None = None) -> None:
    """End this process when its parent (pid `parent`, default the current one) ends."""
    parent = os.getppid() if parent is None else parent
    if not _prctl_deathsig():
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def child_preexec() -> None:
    """For `subprocess.Popen(preexec_fn=...)`: the child (pandoc) is killed with its parent
    (Linux; the request survives `exec`)."""
    _prctl_deathsig()


def worker_init(parent: int) -> None:
    """Set up a build worker: Ctrl-C is the parent's to handle, the parent's end is its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def stop_processes(pool: Any) -> None:
    """Kill a process pool's workers now and reap them (shutdown alone waits for running
    jobs to finish)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            proc.join(2)
