"""Run pandoc's citeproc over many documents in one pandoc process (`pandoc lua csl/batch.lua`)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .bib_import import run_pandoc
from .errors import BibliographyError, Problem

__all__ = ["CiteprocJob", "Rendered", "citeproc_all"]

#: A pandoc JSON document, or the error pandoc gave for that one document.
Rendered = dict[str, Any] | BibliographyError


@dataclass(frozen=True)
class CiteprocJob:
    """One document to render: Markdown citations, its references as CSL-JSON, style, locale."""

    markdown: str
    references: str  # a CSL-JSON document
    style: Path  # a CSL file
    locale: str  # e.g. pt-BR


def _script() -> Path:
    return Path(str(resources.files("slidegen") / "csl" / "batch.lua"))


def citeproc_all(jobs: Sequence[CiteprocJob]) -> list[Rendered]:
    """Each job's document as `pandoc --citeproc -t json` makes it, all from one pandoc process.

    A job pandoc cannot render gives a `BibliographyError` in its place; the others are kept.
    """
    if not jobs:
        return []
    with tempfile.TemporaryDirectory(prefix="slidegen-bib-") as tmp:
        files: dict[str, str] = {}  # CSL-JSON text -> its file: editions often share references
        requests = []
        for job in jobs:
            bib = files.get(job.references)
            if bib is None:
                bib = str(Path(tmp) / f"references-{len(files)}.json")
                Path(bib).write_text(job.references, encoding="utf-8")
                files[job.references] = bib
            requests.append(
                {
                    "markdown": job.markdown,
                    "bibliography": bib,
                    "csl": str(job.style),
                    "lang": job.locale,
                }
            )
        stdin = json.dumps(requests, ensure_ascii=False).encode("utf-8")
        out = run_pandoc(["lua", str(_script())], stdin)
    try:
        docs = json.loads(out.decode("utf-8"))
    except ValueError as exc:
        raise BibliographyError([Problem(f"pandoc gave unreadable output: {exc}")]) from exc
    if not isinstance(docs, list) or len(docs) != len(jobs):
        raise BibliographyError([Problem("pandoc did not render every bibliography asked")])
    return [_rendered(doc) for doc in docs]


def _rendered(doc: Any) -> Rendered:
    if isinstance(doc, dict) and "blocks" in doc:
        return doc
    message = doc.get("error") if isinstance(doc, dict) else None
    return BibliographyError([Problem(f"pandoc failed: {message or 'no document'}")])
