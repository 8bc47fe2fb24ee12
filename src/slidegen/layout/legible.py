"""Text that reads over a template's pictures and shapes: the backdrop under each text frame
drawn and measured (WCAG 2.1 luminance), the text recoloured, else set on a scrim."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from slidegen.plan import Line, Picture, Rect, Shape, TextBox, blocks_height

__all__ = ["contrast", "luminance", "legible", "readable", "AA"]

#: WCAG 2.1 AA: the contrast normal text needs against what is behind it.
AA = 4.5
#: The contrast a scrim is made for: AA with a margin for what a cell's mean hides.
_TARGET = 6.0
#: Pixels per point the backdrop is drawn at to be measured.
_SCALE = 0.5
#: A measured cell is a quarter of the text's size, 4 to 8 points (about a letter's stroke
#: and the space between strokes: anything larger is ground a letter sits on), at most
#: this many a frame.
_CELLS = (128, 48)
#: The share of cells left out at each end (a speck of light does not make a frame unreadable).
_TAIL = 0.02
_PAD = 6.0


def _channel(v: int) -> float:
    s = v / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_channel(v) for v in range(256))


def _lum(r: int, g: int, b: int) -> float:
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def _rgb(hex_rgb: str) -> tuple[int, int, int]:
    return int(hex_rgb[0:2], 16), int(hex_rgb[2:4], 16), int(hex_rgb[4:6], 16)


def luminance(hex_rgb: str) -> float:
    """WCAG 2.1 relative luminance of an RRGGBB colour."""
    return _lum(*_rgb(hex_rgb))


def _ratio(a: float, b: float) -> float:
    hi, lo = (a, b) if a >= b else (b, a)
    return (hi + 0.05) / (lo + 0.05)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two RRGGBB colours (1 to 21)."""
    return _ratio(luminance(a), luminance(b))


def readable(preferred: str, fills: Sequence[str], *others: str) -> str:
    """`preferred` if it reads (AA) on every one of `fills`, else whichever of it, `others`,
    black and white reads best on the worst of them (a template's light text on a table's
    white cells takes its dark background colour)."""
    def worst(color: str) -> float:
        return min(contrast(color, fill) for fill in fills)

    if worst(preferred) >= AA:
        return preferred
    return max((preferred, *others, "000000", "FFFFFF"), key=worst)


@lru_cache(maxsize=16)
def _drawn(backdrop: tuple[Shape, ...], background: str, size: tuple[float, float]) -> Any:
    """The backdrop drawn with Pillow at `_SCALE` pixels per point (what lies under text)."""
    from PIL import Image, ImageDraw

    k = _SCALE
    image = Image.new(
        "RGB", (max(1, round(size[0] * k)), max(1, round(size[1] * k))), "#" + background
    )
    for shape in backdrop:
        box = (round(getattr(shape, "x", 0) * k), round(getattr(shape, "y", 0) * k))
        if isinstance(shape, Picture) and shape.data is not None:
            w, h = max(1, round(shape.w * k)), max(1, round(shape.h * k))
            with Image.open(io.BytesIO(shape.data)) as art:
                layer = art.convert("RGBA").resize((w, h), Image.Resampling.BOX)
            image.paste(layer, box, layer)
        elif isinstance(shape, Rect) and shape.fill:
            w, h = round(shape.w * k), round(shape.h * k)
            layer = Image.new("RGBA", (max(1, w), max(1, h)), (0, 0, 0, 0))
            alpha = round(255 * shape.opacity)
            fill = (*_rgb(shape.fill), alpha)
            draw = ImageDraw.Draw(layer)
            if shape.ellipse:
                draw.ellipse((0, 0, w - 1, h - 1), fill)
            else:
                draw.rectangle((0, 0, w - 1, h - 1), fill)
            image.paste(layer, box, layer)
        elif isinstance(shape, Line):
            ImageDraw.Draw(image).line(
                (shape.x1 * k, shape.y1 * k, shape.x2 * k, shape.y2 * k),
                "#" + shape.color,
                max(1, round(shape.width * k)),
            )
    return image


def _cells(image: Any, x: float, y: float, w: float, h: float, cell: float) -> Any:
    """The frame (x, y, w, h) of the drawn backdrop as cells about `cell` points wide, each
    the mean of its pixels (None: the frame lies off the slide)."""
    from PIL import Image

    k = _SCALE
    box = (
        max(0, round(x * k)),
        max(0, round(y * k)),
        min(image.width, round((x + w) * k)),
        min(image.height, round((y + h) * k)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    region = image.crop(box)
    across = max(1, min(_CELLS[0], region.width, round(w / cell)))
    down = max(1, min(_CELLS[1], region.height, round(h / cell)))
    cells = (across, down)
    return region.resize(cells, Image.Resampling.BOX)


Pixel = tuple[int, int, int]


def _worst(color: str, ends: tuple[float, float]) -> float:
    """The contrast of `color` with the darker and the lighter of two luminances."""
    own = luminance(color)
    return min(_ratio(own, ends[0]), _ratio(own, ends[1]))


def _seen(pixels: list[Pixel], scrim: Pixel, alpha: float) -> list[float]:
    """The luminances of `pixels` seen through `scrim` at `alpha` (8 bits a channel, as a
    renderer composites), sorted."""
    keep = 1 - alpha
    return sorted(
        _lum(
            round(alpha * scrim[0] + keep * r),
            round(alpha * scrim[1] + keep * g),
            round(alpha * scrim[2] + keep * b),
        )
        for r, g, b in pixels
    )


@lru_cache(maxsize=256)
def _decide(
    backdrop: tuple[Shape, ...],
    background: str,
    size: tuple[float, float],
    frame: tuple[float, float, float, float],
    text: float,
    colors: frozenset[str],
    dark: str,
    light: str,
) -> tuple[str | None, str | None, float]:
    """What text of `colors`, `text` points or larger, in `frame` needs to read on the drawn
    backdrop: its colour (None: its own), the scrim's colour (None: none) and the scrim's
    opacity. The darkest and lightest cells decide (the `_TAIL` at each end left out)."""
    cells = _cells(_drawn(backdrop, background, size), *frame, min(8.0, max(4.0, text / 4)))
    if cells is None:
        return None, None, 0.0
    raw = cells.tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    ranked: list[Pixel] = sorted(pixels, key=lambda c: _lum(*c))
    n = len(ranked)
    cut = int(n * _TAIL)
    ends = (_lum(*ranked[cut]), _lum(*ranked[n - 1 - cut]))
    if all(_worst(c, ends) >= AA for c in colors):
        return None, None, 0.0
    best = max((dark, light), key=lambda c: _worst(c, ends))
    if _worst(best, ends) >= AA:
        return best, None, 0.0
    scrim = light if best == dark else dark
    # a scrim keeps the order of the cells' luminances, nearly: only each end is composited
    k = min(n, max(cut + 1, n // 20))
    darkest, lightest = ranked[:k], ranked[n - k :]

    def reads(step: int) -> tuple[bool, str | None]:
        """Whether the text reads on a scrim `step` twentieths opaque, and in which colour."""
        seen = (
            _seen(darkest, _rgb(scrim), step / 20)[cut],
            _seen(lightest, _rgb(scrim), step / 20)[k - 1 - cut],
        )
        if all(_worst(c, seen) >= _TARGET for c in colors):
            return True, None
        return _worst(best, seen) >= _TARGET, best

    low, high = 6, 20  # the least opaque scrim that reads: more opaque reads better
    while low < high:
        middle = (low + high) // 2
        if reads(middle)[0]:
            high = middle
        else:
            low = middle + 1
    ok, color = reads(low)
    return (color if ok else best), scrim, low / 20


def _colors(box: TextBox) -> set[str]:
    out = {p.color for p in box.paragraphs}
    out |= {p.bullet_color for p in box.paragraphs if p.bullet and p.bullet_color}
    return out


def _recolored(box: TextBox, color: str) -> TextBox:
    paragraphs = tuple(
        replace(p, color=color, bullet_color=color if p.bullet_color else None)
        for p in box.paragraphs
    )
    return replace(box, paragraphs=paragraphs)


def _text_frame(box: TextBox) -> tuple[float, float, float, float]:
    """Where the box's text lies: its width, the height of its lines where it anchors them."""
    inner = box.h - 2 * box.inset
    block = min(inner, blocks_height(box.paragraphs))
    top = box.y + box.inset
    if box.anchor == "middle":
        top += (inner - block) / 2
    elif box.anchor == "bottom":
        top += inner - block
    return box.x, top, box.w, block


def legible(
    shapes: list[Shape],
    backdrop: tuple[Shape, ...],
    background: str,
    size: tuple[float, float],
    dark: str,
    light: str,
) -> list[Shape]:
    """`shapes` with every text frame over a picture or shape of `backdrop` readable
    (contrast ≥ 4.5 with the backdrop under it): its colours kept where they read, else the
    one of `dark` and `light` that does, else on a scrim (a see-through rectangle of the
    other colour, as opaque as it must be) behind it."""
    drawn = [s for s in backdrop if isinstance(s, Rect) or (isinstance(s, Picture) and s.data)]
    if not drawn:
        return shapes
    out: list[Shape] = []
    for shape in shapes:
        if not isinstance(shape, TextBox) or not shape.paragraphs or shape.fill:
            out.append(shape)
            continue
        x, y, w, h = _text_frame(shape)
        over = any(p.x < x + w and x < p.x + p.w and p.y < y + h and y < p.y + p.h for p in drawn)
        if not over:
            out.append(shape)
            continue
        color, scrim, alpha = _decide(
            backdrop,
            background,
            size,
            (x, y, w, h),
            min(p.size for p in shape.paragraphs),
            frozenset(_colors(shape)),
            dark,
            light,
        )
        text = _recolored(shape, color) if color else shape
        if scrim is None:
            out.append(text)
            continue
        px, py = max(0.0, x - _PAD), max(0.0, y - _PAD / 2)
        pw = min(size[0], x + w + _PAD) - px
        ph = min(size[1], y + h + _PAD / 2) - py
        out.append(Rect(px, py, pw, ph, fill=scrim, radius=4.0, name="Scrim", opacity=alpha))
        out.append(text)
    return out
