"""Shared test fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parents[1] / "source"
SEED_CLASS = "inter-american-cooperation"


@pytest.fixture(autouse=True, scope="session")
def _no_developers_daemon(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests build in their own processes: a `slidegen daemon` the developer runs for this
    checkout is not found (its sockets are looked for in a folder of the tests' own)."""
    import os

    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    os.environ["SLIDEGEN_RUNTIME_DIR"] = str(folder)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the seed class in English and Portuguese, in a fresh project folder."""
    import shutil

    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED_DIR / f"{SEED_CLASS}.yaml", src)
    shutil.copy(SEED_DIR / f"{SEED_CLASS}.pt.yaml", src)
    return tmp_path

# --- layout and deck tests: a stress outline with every slide kind and far too much text ----

LONG = (
    "Cooperation between the member States of the hemisphere requires shared institutions, "
    "common procedures and a great deal of patience from every delegation involved"
)
URL = "https://www.oas.org/en/sms/cicad/" + "very-long-path-segment-" * 6 + "end.html"


def _stress_outline(image: Path) -> object:
    from slidegen.read.model import (
        Bullets,
        Column,
        Columns,
        Definition,
        Definitions,
        Event,
        Image,
        ImageContent,
        Item,
        Numbered,
        Outline,
        Prose,
        Quote,
        QuoteContent,
        Section,
        SectionContent,
        Slide,
        Table,
        TableContent,
        Timeline,
    )

    bullets = tuple(
        Item(
            text=f"Point {i}: {LONG}.",
            items=(Item(text=f"Detail {i}: a sub-point that is also rather long to read"),),
        )
        for i in range(1, 19)
    )
    prose = "\n\n".join(
        " ".join(
            f"Sentence {p}.{k} of the paragraph says something about {LONG}." for k in range(6)
        )
        for p in range(1, 5)
    )
    slides = (
        Slide(
            id="many-bullets",
            title="A slide with far too many points",
            content=Bullets(bullets=bullets),
            notes="Say everything slowly.\n\nThen take questions.",
        ),
        Slide(id="many-numbers", title="Numbered steps", content=Numbered(numbered=bullets[:14])),
        Slide(id="long-prose", title="Prose that runs on", content=Prose(prose=prose)),
        Slide(
            id="url",
            title="A very long address",
            content=Bullets(bullets=(Item(text=f"See <{URL}>"),)),
        ),
        Slide(
            id="defs",
            title="Definitions",
            content=Definitions(
                definitions=tuple(Definition(term=f"T{i}", text=LONG) for i in range(12))
            ),
        ),
        Slide(
            id="events",
            title="A long timeline",
            content=Timeline(
                timeline=tuple(
                    Event(date=str(1900 + 9 * i), text=LONG[: 40 + 7 * i]) for i in range(12)
                )
            ),
        ),
        Slide(
            id="quote",
            title="Quotation",
            content=QuoteContent(quote=Quote(text=LONG + ". " + LONG, source="OAS")),
        ),
        Slide(
            id="callout",
            title="Callout",
            content=QuoteContent(quote=Quote(text=LONG, callout=True)),
        ),
        Slide(
            id="cols",
            title="Two columns",
            content=Columns(
                columns=(
                    Column(heading="Left", bullets=bullets[:4]),
                    Column(heading="Right", prose=LONG + ". " + LONG + "."),
                )
            ),
        ),
        Slide(
            id="big-table",
            title="A table with many rows",
            content=TableContent(
                table=Table(
                    header=("Country", "Measure", "Result"),
                    rows=tuple(
                        (f"Country {i}", LONG[: 30 + 3 * i], str(i * 10)) for i in range(30)
                    ),
                    caption="Source: OAS",
                )
            ),
        ),
        Slide(
            id="picture",
            title="A picture",
            content=ImageContent(
                image=Image(path=image.name, alt="A red square", caption="Figure 1: a square")
            ),
        ),
        Slide(id="part-two", title="Part two", content=SectionContent(), subtitle="A divider"),
        Slide(id="emoji", title="Symbols 😀", content=Bullets(bullets=(Item(text="中文 text"),))),
    )
    return Outline(
        id="stress",
        language="en",
        course="A course with a rather long name about cooperation in the Americas",
        title="A class whose title is long enough to need two lines on the cover slide",
        subtitle="Stress test",
        lecturer="Someone",
        institution="Some institution",
        date="2024-05-06",
        sections=(
            Section(id="s1", title="Everything at once", slides=slides),
            Section(id="s2", title="A second section", subtitle="With a subtitle", slides=()),
        ),
        summary=tuple(Item(text=f"Summary point {i}") for i in range(3)),
    )


@pytest.fixture(scope="session")
def stress_edition(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], object]:
    """An Edition (in a language) of the stress outline, with its picture in `tmp_path`."""
    from PIL import Image as PILImage

    from slidegen.i18n.labels import labels
    from slidegen.resolve.edition import Edition

    tmp_path = tmp_path_factory.mktemp("stress")
    image = tmp_path / "square.png"
    PILImage.new("RGB", (400, 300), (200, 30, 30)).save(image)
    outline = _stress_outline(image)

    def make(lang: str = "en") -> object:
        return Edition(
            outline=outline, language=lang, source=tmp_path / "stress.yaml", labels=labels(lang)
        )

    return make


# --- system tools: tests that need them are skipped where they are not installed ------------


def require(*tools: str) -> None:
    """Skip the calling test unless every command-line tool is installed (poppler-utils for
    pdftotext/pdffonts, qpdf, LibreOffice's soffice: `.ci/run` installs them)."""
    import shutil

    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (not installed)")


def digests_in_processes(module: str, expression: str) -> set[str]:
    """The SHA-256 of the bytes `expression` gives (evaluated in test module `module`), each
    computed in a fresh process with its own hash seed: one digest means reproducible."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, hashlib\n"
        "sys.path.insert(0, sys.argv[1])\n"
        f"import {module} as t\n"
        f"print(hashlib.sha256(t.{expression}).hexdigest())\n"
    )
    return {
        subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent)],
            check=True, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }


def deck_texts(data: bytes) -> list[str]:
    """Every text of a deck as PowerPoint holds it: text frames, table cells, notes pages."""
    import io

    from pptx import Presentation

    parts: list[str] = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for row in shape.table.rows for c in row.cells)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return parts


@pytest.fixture
def mini_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, the current directory, with the small i18n class and its complete
    Portuguese translation in source/ (as users run the tools: relative paths)."""
    data = Path(__file__).parent / "data" / "i18n"
    (tmp_path / "source").mkdir()
    for name in ("mini.yaml", "mini.pt.yaml"):
        shutil.copy(data / name, tmp_path / "source" / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
