"""Checks on files named by an outline (images above all): inside its folder, readable, sane."""

from __future__ import annotations

import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

__all__ = ["check_image", "check_relative", "MAX_PIXELS", "MAX_IMAGE_BYTES", "FORMATS"]

#: Largest picture accepted, in pixels (a 24-megapixel photo, 6000 × 4000, passes).
MAX_PIXELS = 25_000_000
#: Largest image file accepted, in bytes.
MAX_IMAGE_BYTES = 50 * 1024 * 1024
#: Formats both PowerPoint and the PDF handout draw.
FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp"}

Found = list[tuple[str, str | None]]


def _is_absolute(name: str) -> bool:
    return (
        PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).is_absolute()
        or bool(PureWindowsPath(name).drive)
        or name.startswith(("\\", "~"))
    )


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:60] + "…" + name[-19:]


def check_relative(name: str, base: Path, what: str) -> tuple[Path | None, Found]:
    """Resolve `name` inside the folder `base`: the file's real path, or the problems found
    (empty, absolute, leading outside the folder even through a symbolic link, missing)."""
    shown = _short(name)
    if not name.strip():
        return None, [(f"{what} path is empty", "give the file's name, relative to the outline")]
    if "\0" in name or any(ord(c) < 32 for c in name):
        return None, [(f"{what} path contains a control character", "retype the file name")]
    if "://" in name:
        return None, [
            (
                f"{what} path '{shown}' is a web address",
                "download the file next to the outline: slidegen never fetches from the network",
            )
        ]
    if _is_absolute(name):
        return None, [
            (f"{what} path '{shown}' is absolute", "give a path relative to the outline's folder")
        ]
    try:
        root = base.resolve()
        target = (base / name).resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loop, name too long
        return None, [(f"{what} path '{shown}' cannot be followed", "check the file name")]
    if not target.is_relative_to(root):
        return None, [
            (
                f"{what} path '{shown}' leads outside the outline's folder",
                "copy the file into the outline's folder and refer to it there",
            )
        ]
    try:
        exists, is_file = target.exists(), target.is_file()
    except OSError:
        exists = is_file = False
    if not exists:
        return None, [(f"{what} file '{shown}' not found", "check the file name and its folder")]
    if not is_file:
        return None, [(f"{what} path '{shown}' is not a file", None)]
    return target, []


def check_image(name: str, base: Path) -> Found:
    """Problems (message, hint) with the image `name`, relative to the outline folder `base`."""
    target, found = check_relative(name, base, "image")
    if target is None:
        return found
    try:
        size = target.stat().st_size
    except OSError as exc:
        return [(f"image '{_short(name)}' cannot be read ({exc.strerror})", None)]
    if size > MAX_IMAGE_BYTES:
        return [
            (
                f"image '{_short(name)}' is {size // (1024 * 1024)} MB; the limit is "
                f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB",
                "export it smaller (a slide needs at most about 2000 pixels across)",
            )
        ]
    return _check_pixels(name, target)


def _check_pixels(name: str, target: Path) -> Found:
    shown = _short(name)
    too_big = (
        f"scale it down below {MAX_PIXELS // 1_000_000} megapixels "
        "(a slide needs at most about 2000 pixels across)"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(target) as img:
                fmt, (w, h) = img.format or "", img.size
                if fmt not in FORMATS:
                    return [
                        (
                            f"image '{shown}' is in {fmt or 'an unknown'} format",
                            "use PNG or JPEG",
                        )
                    ]
                if w * h > MAX_PIXELS or w <= 0 or h <= 0:
                    return [(f"image '{shown}' is {w} × {h} pixels", too_big)]
                img.verify()  # checksums (PNG)
            with PILImage.open(target) as img:
                img.load()  # every pixel: a truncated file fails here
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return [(f"image '{shown}' has enormous dimensions", too_big)]
    except UnidentifiedImageError:
        return [(f"'{shown}' is not an image slidegen can read", "use PNG or JPEG")]
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        reason = str(exc).split(" (")[0] or type(exc).__name__
        return [
            (
                f"image '{shown}' is damaged or incomplete ({reason})",
                "export it again as PNG or JPEG",
            )
        ]
    return []
