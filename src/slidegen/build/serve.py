"""Serve the learners' site on 127.0.0.1 with Python's http.server; optionally rebuild on save."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from slidegen.build.site import SITE_DIR
from slidegen.errors import Problem, UsageError

__all__ = ["serve"]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without a log line per request (a page load is a dozen requests)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        pass


def serve(
    paths: Sequence[Path],
    *,
    out: Path = Path("build"),
    port: int = 8000,
    watch: bool = False,
    **build_kwargs: Any,
) -> None:
    """Build the site, then serve ``<out>/site`` at http://127.0.0.1:<port>/ until Ctrl-C;
    with `watch`, every save rebuilds what it affects (the site included)."""
    from slidegen.build.watch import rebuild
    from slidegen.build.watch import watch as watch_and_build

    def echo(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if not watch:
        rebuild(paths, echo, out=out, site=True, **build_kwargs)
    root = out / SITE_DIR
    root.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise UsageError(
            [Problem(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}", hint="try --port")]
        ) from exc
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    echo(f"serving {root} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        if watch:
            watch_and_build(paths, out=out, echo=echo, site=True, **build_kwargs)
        else:
            thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
