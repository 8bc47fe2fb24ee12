"""The `slidegen` command's entry: a build a warm daemon takes is handed to it first."""

from __future__ import annotations

import os
import sys

__all__ = ["run"]


def run() -> None:
    """The `slidegen` command. A build or site that a running daemon for this code takes is
    handed to it before the rest of the command line is imported (argument parsing, the
    library's models: about 30 ms of every build it serves); else the command runs here.
    Then the process ends at once: every file is written and closed by then (the atomic
    path syncs them), so the interpreter's teardown — freeing every module and object one
    by one, about a tenth of a second after a build — buys nothing."""
    from slidegen.build.daemon import forward

    words = sys.argv[1:]
    status = forward(words)
    if status is None:
        from slidegen.cli import main

        status = main(words, ask_daemon=False)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a pager that quit early; a closed stream
        pass
    os._exit(status)


if __name__ == "__main__":
    run()
