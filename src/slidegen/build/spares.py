"""The warm pandoc a daemon keeps for its next build: started when no build runs, handed to one."""

from __future__ import annotations

import shutil
from pathlib import Path

from slidegen.bib.engine import Spare
from slidegen.errors import SlidegenError

__all__ = ["Spares"]


class Spares:
    """At most one `Spare` waiting, and those handed to builds still running.

    A spare is started only while no build runs (its warm-up would take a build's core), and
    each serves one build: what that build asks dies with it. Their folders are made in
    `folder`, which is this daemon's alone (the daemon's lock guards its name).
    """

    def __init__(self, folder: Path, langs: tuple[str, ...]) -> None:
        from slidegen.bib.format import warm_up_jobs

        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)  # a killed daemon's
        folder.mkdir(mode=0o700)
        try:
            self._warm_up = warm_up_jobs(langs)
        except SlidegenError:  # no CSL styles installed: each build reports it itself
            self._warm_up = []
        self.ready: Spare | None = None
        self._handed: dict[int, Spare] = {}  # the build child's pid: the spare it took

    def refill(self) -> None:
        """Start a spare if none waits (none is started again once pandoc could not be)."""
        if self.ready is not None or not self._warm_up:
            return
        try:
            self.ready = Spare(self._warm_up, self.folder)
        except (SlidegenError, OSError):  # no pandoc: builds say so themselves
            self._warm_up = []

    def state(self) -> str:
        """Whether a pandoc waits: "ready" (warmed up), "warming" or "none"."""
        if self.ready is None:
            return "none"
        return "ready" if self.ready.warm() else "warming"

    def take(self) -> Spare | None:
        """The waiting spare, for the build about to be forked (`handed` once it is)."""
        spare, self.ready = self.ready, None
        return spare

    def handed(self, child: int, spare: Spare) -> None:
        """`spare` went to the build child `child`: its pipes are the child's alone now."""
        spare.close()
        self._handed[child] = spare

    def ended(self, child: int) -> None:
        """The build child `child` ended: its spare's folder goes once pandoc has ended too."""
        spare = self._handed.get(child)
        if spare is not None and spare.proc.poll() is not None:
            del self._handed[child]
            shutil.rmtree(spare.folder, ignore_errors=True)

    def waiting_on(self) -> list[int]:
        """The build children whose spare has not been cleaned up yet."""
        return list(self._handed)

    def close(self) -> None:
        """End the waiting spare (unasked, it ends when its pipes close) and clean up."""
        if self.ready is not None:
            self.ready.close()
            try:
                self.ready.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001 - stuck: it must not outlive the daemon
                self.ready.proc.kill()
                self.ready.proc.wait()
            self.ready = None
        for child in list(self._handed):
            self.ended(child)
        if not self._handed:
            shutil.rmtree(self.folder, ignore_errors=True)
