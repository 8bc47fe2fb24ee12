"""A PNG contact sheet of a deck: LibreOffice renders it to PDF, pdftoppm to images, one grid."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from slidegen.atomic import write_atomic
from slidegen.errors import OutputError, Problem

__all__ = ["contact_sheet", "office_pdf_args", "COLUMNS", "THUMB_WIDTH"]

COLUMNS = 4
THUMB_WIDTH = 480  # pixels per slide in the sheet
_GAP = 12
_TIMEOUT = 180


def _tool(name: str, hint: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise OutputError(
            [Problem(f"{name} is not installed; it is needed for a preview", hint=hint)]
        )
    return exe


def _run(args: list[str], what: str) -> None:
    try:
        done = subprocess.run(args, capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError([Problem(f"{what} failed: {exc}")]) from exc
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise OutputError([Problem(f"{what} failed: {detail[-1] if detail else done.returncode}")])


def office_pdf_args(
    soffice: str, files: Sequence[str | Path], outdir: Path, profile: Path
) -> list[str]:
    """LibreOffice's command converting `files` to PDF into `outdir`, with its own profile
    folder `profile` (absolute), so that it runs beside a LibreOffice the user has open."""
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(f) for f in files),
    ]


def _render_pages(deck: Path, work: Path) -> list[Path]:
    soffice = _tool("soffice", "install LibreOffice (Debian: apt-get install libreoffice-impress)")
    pdftoppm = _tool("pdftoppm", "install poppler (Debian: apt-get install poppler-utils)")
    _run(
        office_pdf_args(soffice, [deck], work, work / "profile"),
        f"LibreOffice converting {deck}",
    )
    pdf = work / f"{deck.stem}.pdf"
    if not pdf.is_file():
        raise OutputError([Problem(f"LibreOffice made no PDF of {deck}")])
    _run(
        [
            pdftoppm,
            "-png",
            "-scale-to-x",
            str(THUMB_WIDTH),
            "-scale-to-y",
            "-1",
            str(pdf),
            str(work / "slide"),
        ],
        f"pdftoppm rendering {pdf.name}",
    )
    return sorted(work.glob("slide-*.png"))


def contact_sheet(deck: Path, out_png: Path) -> Path:
    """Render every slide of `deck` and write them as one PNG grid to `out_png` (returned)."""
    from PIL import Image

    if not deck.is_file():
        raise OutputError(
            [Problem(f"no such deck: {deck}", hint="build it first with 'invoke build'")]
        )
    with tempfile.TemporaryDirectory(prefix="slidegen-preview-") as tmp:
        pages = _render_pages(deck.resolve(), Path(tmp))
        if not pages:
            raise OutputError([Problem(f"{deck} has no slides to preview")])
        thumbs = [Image.open(p).convert("RGB") for p in pages]
        w = max(t.width for t in thumbs)
        h = max(t.height for t in thumbs)
        cols = min(COLUMNS, len(thumbs))
        rows = -(-len(thumbs) // cols)
        sheet = Image.new(
            "RGB", (cols * (w + _GAP) + _GAP, rows * (h + _GAP) + _GAP), (128, 128, 128)
        )
        for i, thumb in enumerate(thumbs):
            x = _GAP + (i % cols) * (w + _GAP)
            y = _GAP + (i // cols) * (h + _GAP)
            sheet.paste(thumb, (x, y))

        buffer = io.BytesIO()
        sheet.save(buffer, format="PNG", optimize=True)
    write_atomic(out_png, buffer.getvalue())
    return out_png
