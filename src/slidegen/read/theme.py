"""Themes: colors, fonts, size ranges, margins and slide size, loaded from a YAML file."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from slidegen.errors import Location, OutlineError, Problem
from slidegen.plan import LAYOUT_TYPES

__all__ = ["Theme", "Colors", "Sizes", "Margins", "load_theme", "BUILTIN_DIR", "builtin_themes"]

BUILTIN_DIR = Path(__file__).parent.parent / "themes"
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_ASPECTS = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}


@dataclass(frozen=True)
class Colors:
    """Theme colors as RRGGBB hex strings."""

    primary: str = "1B3A5C"
    accent: str = "E07A1F"
    text: str = "262626"
    muted: str = "6B7785"
    background: str = "FFFFFF"
    on_primary: str = "FFFFFF"
    soft: str = "FBEBDD"
    grid: str = "C9D1DA"


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points; pairs are (largest, smallest) ranges the layout shrinks within."""

    title: tuple[float, float] = (36.0, 26.0)
    body: tuple[float, float] = (26.0, 16.0)
    table: tuple[float, float] = (24.0, 11.0)
    caption: float = 14.0
    footer: float = 11.0
    cover_title: tuple[float, float] = (44.0, 30.0)


@dataclass(frozen=True)
class Margins:
    """Slide margins in points."""

    left: float = 54.0
    right: float = 54.0
    top: float = 36.0
    bottom: float = 30.0


@dataclass(frozen=True)
class Theme:
    """How a deck looks: slide size, font, colors, sizes, margins and fixed texts."""

    name: str = "default"
    aspect: str = "16:9"
    font: str = "Arial"
    #: the family of titles and headings (None: `font`)
    heading_font: str | None = None
    colors: Colors = Colors()
    sizes: Sizes = Sizes()
    level_ratio: float = 0.85
    margins: Margins = Margins()
    institution: str | None = None
    logo: str | None = None
    footer: str | None = None
    #: an institution's PowerPoint template (.pptx or .potx), relative to the outline
    template: str | None = None
    #: slidegen's layout names mapped to the template's own, e.g. Title and Content: Text
    layouts: tuple[tuple[str, str], ...] = ()
    #: the slide size in points when a template gives it (not a key of theme files)
    page: tuple[float, float] | None = None

    @property
    def width(self) -> float:
        """Slide width in points."""
        return self.page[0] if self.page else _ASPECTS[self.aspect][0]

    @property
    def height(self) -> float:
        """Slide height in points."""
        return self.page[1] if self.page else _ASPECTS[self.aspect][1]


def builtin_themes() -> tuple[str, ...]:
    """Names of the themes shipped with slidegen."""
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))


def load_theme(name_or_path: str | None, base_dir: Path) -> Theme:
    """Load a built-in theme by name, or a theme file relative to `base_dir` (None → default).

    A theme file only needs the keys it changes: the rest comes from the theme named by its
    ``base`` key (default: the built-in "default").
    """
    name = name_or_path or "default"
    builtin = BUILTIN_DIR / f"{name}.yaml"
    if "/" not in name and "\\" not in name and not name.endswith((".yaml", ".yml")):
        if not builtin.is_file():
            raise OutlineError(
                [
                    Problem(
                        f"unknown theme {name!r}",
                        hint="built-in themes: " + ", ".join(builtin_themes()),
                    )
                ]
            )
        stat = builtin.stat()
        return _builtin(builtin, stat.st_size, stat.st_mtime_ns)
    path = base_dir / name
    if not path.is_file():
        raise OutlineError([Problem(f"theme file {name!r} not found", Location(name))])
    return _load_file(path, name, None)


@cache
def _builtin(path: Path, _size: int, _mtime_ns: int) -> Theme:
    """A built-in theme, parsed once a process: it is package data, as the fonts are (every
    edition's layout asks for it; an edited file has another size or time)."""
    return _load_file(path, path.name, Theme())


def _load_file(path: Path, shown: str, base: Theme | None) -> Theme:
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise OutlineError([Problem(f"invalid YAML: {exc.problem or exc}", loc)]) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise OutlineError(
            [Problem("a theme file must be a mapping of keys", Location(shown, 1, 1))]
        )
    if base is None:
        parent = data.get("base", "default")
        if not isinstance(parent, str) or not (BUILTIN_DIR / f"{parent}.yaml").is_file():
            raise OutlineError(
                [
                    Problem(
                        f"unknown base theme {parent!r}",
                        _loc(shown, data, "base"),
                        hint="built-in themes: " + ", ".join(builtin_themes()),
                    )
                ]
            )
        base = load_theme(parent, BUILTIN_DIR)
    problems: list[Problem] = []
    theme: Theme = _apply(base, data, shown, problems, skip={"base"})
    if problems:
        raise OutlineError(problems)
    return theme


def _loc(shown: str, node: CommentedMap, key: str, value: bool = True) -> Location:
    try:
        line, col = node.lc.value(key) if value else node.lc.key(key)
    except (KeyError, TypeError, AttributeError):
        line, col = node.lc.line, node.lc.col
    return Location(shown, line + 1, col + 1)


def _apply(
    obj: Any, data: CommentedMap, shown: str, problems: list[Problem], skip: set[str]
) -> Any:
    known = {f.name: f for f in fields(obj) if f.name != "page"}  # set from a template
    changes: dict[str, Any] = {}
    for key in data:
        if key in skip:
            continue
        if key not in known:
            problems.append(
                Problem(
                    f"unknown theme key {key!r}",
                    _loc(shown, data, key, value=False),
                    hint="known keys: " + ", ".join(known),
                )
            )
            continue
        current = getattr(obj, key)
        value = data[key]
        loc = _loc(shown, data, key)
        if hasattr(current, "__dataclass_fields__"):
            if not isinstance(value, CommentedMap):
                problems.append(Problem(f"{key!r} must be a mapping", loc))
                continue
            changes[key] = _apply(current, value, shown, problems, set())
            continue
        if key == "layouts":
            checked = _layouts(value, loc, problems)
        else:
            checked = _check(key, current, value, loc, problems)
        if checked is not _BAD:
            changes[key] = checked
    return replace(obj, **changes)


_BAD = object()
#: slidegen's layouts a theme's `layouts:` may map to a template's own names.
LAYOUT_KEYS = tuple(LAYOUT_TYPES)


def _layouts(value: Any, loc: Location, problems: list[Problem]) -> Any:
    """`layouts:`, a mapping of slidegen's layout names to the template's layout names."""
    if not isinstance(value, CommentedMap) or not all(
        isinstance(v, str) and k in LAYOUT_KEYS for k, v in value.items()
    ):
        problems.append(
            Problem(
                "'layouts' maps slidegen's layout names to the template's",
                loc,
                hint="keys: " + ", ".join(LAYOUT_KEYS),
            )
        )
        return _BAD
    return tuple((str(k), str(v)) for k, v in value.items())


def _check(key: str, current: Any, value: Any, loc: Location, problems: list[Problem]) -> Any:
    if key == "aspect":
        if value not in _ASPECTS:
            problems.append(Problem(f"aspect must be one of {', '.join(_ASPECTS)}", loc))
            return _BAD
        return value
    if isinstance(current, tuple):
        ok = (
            isinstance(value, CommentedSeq)
            and len(value) == 2
            and all(_number(v) for v in value)
            and float(value[0]) >= float(value[1]) > 0
        )
        if not ok:
            problems.append(Problem(f"{key!r} must be [largest, smallest] sizes in points", loc))
            return _BAD
        return (float(value[0]), float(value[1]))
    if isinstance(current, float):
        if not _number(value) or float(value) <= 0:
            problems.append(Problem(f"{key!r} must be a positive number", loc))
            return _BAD
        return float(value)
    if isinstance(current, str) and len(current) == 6 and _HEX.match(current):
        text = str(value)
        if isinstance(value, int) and len(text) < 6:
            text = text.zfill(6)
        if not _HEX.match(text):
            problems.append(Problem(f"{key!r} must be a color written RRGGBB", loc))
            return _BAD
        return text.upper()
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(Problem(f"{key!r} must be text", loc))
        return _BAD
    return str(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
