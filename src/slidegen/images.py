"""Checks on image files named by an outline: inside the source folder, readable, sane size."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image as PILImage

__all__ = ["check_image", "MAX_PIXELS", "FORMATS"]

#: Largest picture accepted, in pixels (about 8000 × 6000).
MAX_PIXELS = 50_000_000
#: Formats both PowerPoint and the PDF handout draw.
FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp"}


def check_image(name: str, base: Path) -> list[tuple[str, str | None]]:
    """Problems (message, hint) with the image `name`, relative to the outline folder `base`."""
    if not name.strip():
        return [("image path is empty", "give the image file's name, relative to the outline")]
    raw = Path(name)
    if raw.is_absolute() or name.startswith(("/", "\\")) or ":" in raw.parts[0]:
        return [
            (f"image path '{name}' is absolute", "give a path relative to the outline's folder")
        ]
    root = base.resolve()
    target = (base / raw).resolve()
    if not target.is_relative_to(root):
        return [
            (
                f"image path '{name}' leads outside the outline's folder",
                "copy the image next to the outline (e.g. into images/) and refer to it there",
            )
        ]
    if not target.exists():
        return [(f"image file '{name}' not found", "check the file name and its folder")]
    if not target.is_file():
        return [(f"image path '{name}' is not a file", None)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(target) as img:
                fmt, (w, h) = img.format or "", img.size
                if fmt not in FORMATS:
                    return [
                        (f"image '{name}' is {fmt or 'of an unknown format'}", "use PNG or JPEG")
                    ]
                if w * h > MAX_PIXELS:
                    return [
                        (f"image '{name}' is {w} × {h} pixels", "scale it down below 8000 × 6000")
                    ]
                img.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return [(f"image '{name}' is enormous", "scale it down below 8000 × 6000 pixels")]
    except (OSError, SyntaxError, ValueError) as exc:
        return [(f"image '{name}' cannot be read ({exc})", "export it again as PNG or JPEG")]
    return []
