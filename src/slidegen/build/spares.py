"""The warm pandocs a daemon keeps for its next build: started when no build runs, handed to one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from slidegen.bib.engine import Spare
from slidegen.errors import SlidegenError

__all__ = ["Spares"]


class Spares:
    """One `Spare` per core waiting, and those handed to builds still running.

    Spares are started only while no build runs (their warm-up would take a build's cores),
    and each serves one build: what that build asks dies with it. Their folders are made in
    `folder`, which is this daemon's alone (the daemon's lock guards its name).
    """

    def __init__(self, folder: Path, langs: tuple[str, ...]) -> None:
        from slidegen.bib.format import warm_up_jobs

        self.folder = folder
        self.count = os.cpu_count() or 1  # a build's workers, one per core, each claims one
        shutil.rmtree(folder, ignore_errors=True)  # a killed daemon's
        folder.mkdir(mode=0o700)
        try:
            self._warm_up = warm_up_jobs(langs)
        except SlidegenError:  # no CSL styles installed: each build reports it itself
            self._warm_up = []
        self.ready: list[Spare] = []
        self._handed: dict[int, list[Spare]] = {}  # the build child's pid: the spares it took

    def refill(self) -> None:
        """Start spares until one per core waits (none again once pandoc could not start)."""
        while len(self.ready) < self.count and self._warm_up:
            try:
                self.ready.append(Spare(self._warm_up, self.folder))
            except (SlidegenError, OSError):  # no pandoc: builds say so themselves
                self._warm_up = []

    def state(self) -> str:
        """Whether pandocs wait: "ready" (all warmed up), "warming" or "none"."""
        if not self.ready:
            return "none"
        return "ready" if all(s.warm() for s in self.ready) else "warming"

    def take(self) -> list[Spare]:
        """The waiting spares that still run, for the build about to be forked (`handed` once
        it is); one that ended (killed, say) is cleaned up."""
        spares, self.ready = self.ready, []
        for spare in spares:
            if spare.proc.poll() is not None:
                spare.close()
                shutil.rmtree(spare.folder, ignore_errors=True)
        return [spare for spare in spares if spare.proc.returncode is None]

    def handed(self, child: int, spares: list[Spare]) -> None:
        """`spares` went to the build child `child`: their pipes are its alone now."""
        for spare in spares:
            spare.close()
        if spares:
            self._handed[child] = spares

    def ended(self, child: int) -> None:
        """The build child `child` ended: its spares' folders go once their pandocs have."""
        spares = self._handed.get(child, [])
        if all(spare.proc.poll() is not None for spare in spares):
            self._handed.pop(child, None)
            for spare in spares:
                shutil.rmtree(spare.folder, ignore_errors=True)

    def waiting_on(self) -> list[int]:
        """The build children whose spares have not been cleaned up yet."""
        return list(self._handed)

    def close(self) -> None:
        """End the waiting spares (unasked, they end when their pipes close) and clean up."""
        for spare in self.ready:
            spare.close()
        for spare in self.ready:
            try:
                spare.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001 - stuck: it must not outlive the daemon
                spare.proc.kill()
                spare.proc.wait()
        self.ready = []
        for child in list(self._handed):
            self.ended(child)
        if not self._handed:
            shutil.rmtree(self.folder, ignore_errors=True)
