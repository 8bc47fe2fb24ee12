"""Build targets (class × language × format): output files, input fingerprints, state file.

Kept free of python-pptx, reportlab and the YAML reader: a build where nothing changed
decides "up to date" from this module alone, by hashing the files the last build recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slidegen.errors import Location, OutputError, Problem, Severity
from slidegen.reading import digest_regular, read_regular

if TYPE_CHECKING:
    from slidegen.read.model import Outline

__all__ = [
    "FORMATS",
    "STATE_NAME",
    "CACHE_NAME",
    "Digests",
    "State",
    "output_files",
    "code_fingerprint",
    "outline_deps",
    "target_key",
    "content_digest",
    "problem_to_json",
    "problem_from_json",
]

FORMATS: tuple[str, ...] = ("pptx", "pdf", "slides", "bib")
STATE_NAME = ".slidegen-state.json"
CACHE_NAME = ".slidegen-cache"
_STATE_VERSION = 1
#: The largest input file hashed (any input slidegen accepts is smaller: images are at most
#: 50 MB); a bigger one, a pipe or a device is never read, and the build then says why.
HASH_LIMIT = 64 * 1024 * 1024


def output_files(
    out: Path, lang: str, class_id: str, fmt: str, layout: str = "notes", chosen: str = "notes"
) -> tuple[Path, ...]:
    """The files one format of one edition writes (fixed layout: docs and tools rely on it).

    The handout in the class's `chosen` layout is ``<id>-handout.pdf``; another `layout` has
    a file of its own (``-handout-notes.pdf``, ``-handout-three.pdf``, ``-reading.pdf``), so
    that no layout overwrites another.
    """
    folder = out / lang
    if fmt == "pptx":
        return (folder / f"{class_id}.pptx",)
    if fmt == "pdf":
        if layout == chosen:
            return (folder / f"{class_id}-handout.pdf",)
        suffix = "reading" if layout == "reading" else f"handout-{layout}"
        return (folder / f"{class_id}-{suffix}.pdf",)
    if fmt == "slides":
        return (folder / f"{class_id}-slides.pdf",)
    exts = ("html", "bib", "ris", "json")
    return tuple(folder / f"{class_id}-references.{ext}" for ext in exts)


class Digests:
    """Content hashes of files, each file read once per build."""

    def __init__(self) -> None:
        self._seen: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._seen:
            self._seen[path] = digest_regular(path, HASH_LIMIT)[:20]
        return self._seen[path]


def code_fingerprint() -> str:
    """slidegen's version and the content of its package (code, bundled fonts, themes, labels).

    Reading the 12 MB package costs a tenth of a no-op build, so the fingerprint is kept
    beside the package's bytecode with the files' names, sizes and times it was read at,
    and read again only when one of them changed (or where that cannot be written)."""
    from slidegen.atomic import write_atomic
    from slidegen.bytecode import PACKAGE_DIR, package_stats

    stats = package_stats()
    kept = PACKAGE_DIR / "__pycache__" / "slidegen-fingerprint.json"
    try:
        data = json.loads(kept.read_text(encoding="utf-8"))
        if data.get("stats") == stats and isinstance(data.get("code"), str):
            return str(data["code"])
    except (OSError, ValueError, AttributeError):
        pass
    code = _content_fingerprint()
    with contextlib.suppress(OutputError):  # a read-only install: read it every time
        write_atomic(kept, json.dumps({"stats": stats, "code": code}).encode())
    return code


def _content_fingerprint() -> str:
    from slidegen import __version__
    from slidegen.bytecode import package_files

    h = hashlib.sha256(__version__.encode())
    for name, path in package_files():
        h.update(name.encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:20]


def _is_theme_file(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def _theme_files(name: str, base: Path) -> list[Path]:
    """The files a theme file names (its logo, its template), resolved as the layout resolves
    them."""
    from slidegen.errors import SlidegenError
    from slidegen.read.theme import load_theme

    try:
        theme = load_theme(name, base)
    except SlidegenError:
        return []  # the edition's build reports the broken theme
    return [base / name for name in (theme.logo, theme.template) if name]


def outline_deps(outline: Outline, source: Path, translation: Path | None) -> tuple[Path, ...]:
    """Every file one edition is built from: outline, translation, bibliography, theme, images."""
    base = source.parent
    deps: list[Path] = [source]
    if translation is not None:
        deps.append(translation)
    deps.extend(base / name for name in outline.bibliography)
    if outline.theme and _is_theme_file(outline.theme):
        deps.append(base / outline.theme)
        deps.extend(_theme_files(outline.theme, base))
    from slidegen.read.model import ImageContent

    for slide in outline.slides():
        if isinstance(slide.content, ImageContent):
            deps.append(base / slide.content.image.path)
    return tuple(dict.fromkeys(deps))


def target_key(
    code: str,
    fmt: str,
    lang: str,
    deps: Iterable[Path],
    digests: Digests,
    options: Sequence[str],
    merged: tuple[Path, str] | None = None,
) -> str:
    """The fingerprint of everything one output depends on; equal keys → identical output.

    `merged` is, for a translated edition, its source outline and the `content_digest` of
    the outline merged from it and the translation: the key then depends on what the merge
    made of the source, not on the source's bytes, so that an edit to one slide of the source
    leaves alone every language whose edition it does not change.
    """
    skip = os.path.abspath(merged[0]) if merged else None
    payload: list[Any] = [
        code,
        fmt,
        lang,
        list(options),
        [[str(p), digests(p)] for p in deps if os.path.abspath(p) != skip],
    ]
    if merged:
        payload.append(merged[1])
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:24]


def content_digest(outline: Outline) -> str:
    """A fingerprint of an outline's content, locations included (they are in its warnings):
    equal for equal outlines in any process, from any working folder."""
    return hashlib.sha256(json.dumps(_canonical(outline)).encode()).hexdigest()[:24]


def _canonical(value: Any) -> Any:
    """`value` as plain JSON data, field by field (dataclasses with their class name)."""
    from dataclasses import fields, is_dataclass

    if isinstance(value, Location):  # the file by name: a path as given varies with the cwd
        return [Path(value.path).name, value.line, value.col]
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, *(_canonical(getattr(value, f.name)) for f in fields(value))]
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return [[_canonical(k), _canonical(v)] for k, v in value.items()]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, set | frozenset):
        return sorted(repr(v) for v in value)
    return repr(value)


def problem_to_json(p: Problem) -> dict[str, Any]:
    """A problem as plain JSON data (for the state file)."""
    loc = p.loc
    return {
        "message": p.message,
        "hint": p.hint,
        "severity": p.severity,
        "slide": p.slide,
        "loc": [loc.path, loc.line, loc.col] if loc else None,
    }


_SEVERITIES: dict[str, Severity] = {"warning": "warning", "note": "note"}


def problem_from_json(data: Mapping[str, Any]) -> Problem:
    """The problem `problem_to_json` wrote."""
    loc = data.get("loc")
    return Problem(
        message=str(data["message"]),
        loc=Location(str(loc[0]), int(loc[1]), int(loc[2])) if loc else None,
        hint=data.get("hint"),
        severity=_SEVERITIES.get(str(data.get("severity")), "error"),
        slide=data.get("slide"),
    )


@dataclass
class State:
    """What the last builds wrote: per output its key and file stamp; per class its inputs.

    ``outputs[<path relative to out>] = {"key", "size", "mtime_ns"}``;
    ``classes[<outline path>] = {"digest", "id", "languages", "translations",
    "deps": {lang: [paths]}, "warnings": {lang: {"read"|"resolve"|"layout": [problems]}}}``.
    """

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    classes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> State:
        """The state in `out`, or an empty one (missing, unreadable or of another version)."""
        try:
            data = json.loads(read_regular(out / STATE_NAME, HASH_LIMIT, error=OutputError))
        except (OutputError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
            return cls()
        return cls(outputs=dict(data.get("outputs", {})), classes=dict(data.get("classes", {})))

    def to_bytes(self) -> bytes:
        """The state file's content (sorted keys: stable across runs)."""
        data = {"version": _STATE_VERSION, "outputs": self.outputs, "classes": self.classes}
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()

    def is_current(self, out: Path, path: Path, key: str) -> bool:
        """Whether `path` was written by a build with this key and was not touched since."""
        rec = self.outputs.get(path.relative_to(out).as_posix())
        return rec is not None and rec.get("key") == key and self.untouched(out, path)

    def untouched(self, out: Path, path: Path) -> bool:
        """Whether `path` is a file a build wrote (with whatever key) and nobody touched since:
        its size and modification time are the recorded ones."""
        rec = self.outputs.get(path.relative_to(out).as_posix())
        if rec is None:
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return bool(st.st_size == rec.get("size") and st.st_mtime_ns == rec.get("mtime_ns"))

    def record(self, out: Path, path: Path, key: str, staged: Path | None = None) -> None:
        """Remember that `path` holds the output for `key` — or will, once the `staged`
        temporary file is renamed onto it (a rename keeps the file's size and time)."""
        st = (staged or path).stat()
        self.outputs[path.relative_to(out).as_posix()] = {
            "key": key,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
        }
