"""Mark translated slides reviewed: update their `source:` fingerprints, keeping the file as is.

The file is read with ruamel.yaml's round-trip loader, which knows where every key and value
is; only the fingerprint values are rewritten in the text (or a `source:` line inserted), so
every comment, key order, quoting and block style elsewhere stays byte-for-byte the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from slidegen.atomic import write_atomic
from slidegen.errors import Location, OutlineError, Problem, TranslationError, UsageError
from slidegen.i18n.fingerprint import meta_fingerprint, section_fingerprint, slide_fingerprint
from slidegen.i18n.merge import META_ID, SECTION_PREFIX, Merged, load_merged, translation_path
from slidegen.i18n.record import refresh_records
from slidegen.read.convert import suggest
from slidegen.read.model import Outline
from slidegen.read.outline import read_outline
from slidegen.read.yaml_nodes import load_document

__all__ = ["mark_reviewed", "current_fingerprints"]


def current_fingerprints(outline: Outline) -> dict[str, str]:
    """The current fingerprint of every status id: the class, its sections, its slides."""
    out = {META_ID: meta_fingerprint(outline)}
    for section in outline.sections:
        out[SECTION_PREFIX + section.id] = section_fingerprint(section)
    out.update({slide.id: slide_fingerprint(slide) for slide in outline.slides()})
    return out


@dataclass(frozen=True)
class _Edit:
    """Replace `length` characters at (line, col) with `text` (0-based)."""

    line: int
    col: int
    length: int
    text: str
    drop: int = 0  # lines after `line` that go too (the rest of a block scalar)


def _token_length(line: str, col: int) -> int:
    """Length of the scalar written at `col` of a line (quoted or plain, before any comment)."""
    rest = line[col:]
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        return end + 1 if end > 0 else len(rest.rstrip("\r\n"))
    for i, ch in enumerate(rest):
        if ch in "\r\n" or (ch in " \t" and rest[i:].lstrip(" \t")[:1] in ("#", "\r", "\n", "")):
            return i
    return len(rest)


def _value(fp: str, old: str = "") -> str:
    """The fingerprint as YAML: in the old value's quotes, or quoted when it looks like a number."""
    if old[:1] in ("'", '"'):
        return old[0] + fp + old[0]
    return f'"{fp}"' if fp.isdigit() else fp


def _locate(data: Any, ident: str) -> tuple[Any, Any, str] | None:
    """The mapping holding an entry's texts, its parent mapping and its key in the parent."""
    if ident == META_ID:
        return data, None, ""
    group, key = (
        ("sections", ident[len(SECTION_PREFIX) :])
        if ident.startswith(SECTION_PREFIX)
        else ("slides", ident)
    )
    parent = data.get(group)
    if not hasattr(parent, "get") or not hasattr(parent.get(key), "lc"):
        return None
    return parent[key], parent, key


def _block_lines(lines: list[str], line: int, indent: int) -> int:
    """How many lines after `line` a block scalar (`>-`, `|`) starting there continues."""
    n = 0
    for text in lines[line + 1 :]:
        body = text.rstrip("\r\n")
        if body.strip() and len(body) - len(body.lstrip(" ")) <= indent:
            break
        n += 1
    while n and not lines[line + n].strip():  # trailing blank lines belong to what follows
        n -= 1
    return n


def _edit_for(lines: list[str], mapping: Any, parent: Any, key: str, fp: str) -> _Edit:
    if "source" in mapping:
        line, col = mapping.lc.value("source")
        if lines[line][col : col + 1] in ("|", ">"):  # a block scalar: replace it whole
            length = len(lines[line].rstrip("\r\n")) - col
            drop = _block_lines(lines, line, mapping.lc.key("source")[1])
            return _Edit(line, col, length, _value(fp), drop)
        length = _token_length(lines[line], col)
        return _Edit(line, col, length, _value(fp, lines[line][col : col + length]))
    if mapping.fa.flow_style():
        raise OutlineError(
            [
                Problem(
                    f"'{key}' is written in flow style ({{...}}); cannot add 'source:' to it",
                    Location("", mapping.lc.line + 1, mapping.lc.col + 1),
                    "write its keys on their own lines",
                )
            ]
        )
    indent = " " * mapping.lc.col
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if parent is None:  # the class: after 'language:'
        after = mapping.lc.key("language")[0] if "language" in mapping else mapping.lc.line - 1
    else:  # a slide or section: right under its id, before any comment of its first key
        after = parent.lc.key(key)[0]
    return _Edit(after + 1, 0, 0, f"{indent}source: {_value(fp)}{newline}")


def mark_reviewed(source: Path, lang: str, slide_ids: Sequence[str] | None = None) -> list[str]:
    """Record the current source fingerprints of the given entries (slide ids, 'section:<id>',
    '(class)'), or of every stale one, in the `lang` translation; returns the ids changed."""
    outline = read_outline(source)
    merged = load_merged(source, lang, outline)
    current = current_fingerprints(outline)
    if slide_ids is None:
        targets = [e.id for e in merged.entries if e.state == "stale"]
    else:
        targets = list(dict.fromkeys(slide_ids))
        unknown = [i for i in targets if i not in current]
        if unknown:
            raise UsageError(
                [
                    Problem(
                        f"'{i}' is not a slide or section of the source", hint=suggest(i, current)
                    )
                    for i in unknown
                ]
            )
    _check_shapes(merged, targets)
    path = translation_path(source, lang)
    text, _ = load_document(path)  # the checks `check` makes, and the text it checked
    lines = text.splitlines(keepends=True)
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:  # what the loader accepted and ruamel does not
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise OutlineError(
            [
                Problem(
                    f"cannot edit this file: {exc.problem or exc}",
                    Location(str(path), line, col),
                    "fix the YAML at this place",
                )
            ]
        ) from None
    edits: list[_Edit] = []
    changed: list[str] = []
    absent: list[str] = []
    for ident in targets:
        found = _locate(data, ident)
        if found is None:
            absent.append(ident)
            continue
        mapping, parent, key = found
        if str(mapping.get("source", "")) == current[ident]:
            continue
        try:
            edits.append(_edit_for(lines, mapping, parent, key, current[ident]))
        except OutlineError as exc:
            raise OutlineError(
                [Problem(p.message, Location(str(path), *_lc(p)), p.hint) for p in exc.problems]
            ) from None
        changed.append(ident)
    if absent:
        raise UsageError(
            [
                Problem(
                    f"'{i}' has no translation yet: there is nothing to review", Location(str(path))
                )
                for i in absent
            ]
        )
    for edit in sorted(edits, key=lambda e: (e.line, e.col), reverse=True):
        if edit.line >= len(lines):
            lines.append(edit.text)
            continue
        old = lines[edit.line]
        lines[edit.line] = old[: edit.col] + edit.text + old[edit.col + edit.length :]
        del lines[edit.line + 1 : edit.line + 1 + edit.drop]
    edited = refresh_records("".join(lines), str(path), outline, dict.fromkeys(targets))
    if edited != text:
        bom = "\ufeff" if path.read_bytes()[:3] == b"\xef\xbb\xbf" else ""
        write_atomic(path, (bom + edited).encode("utf-8"))
    return changed


def _check_shapes(merged: Merged, targets: list[str]) -> None:
    """Refuse to mark reviewed an entry whose lists no longer match the source's: once its
    fingerprint is current, the mismatch would be an error and stop the language's build."""
    wanted = set(targets)
    problems = [
        Problem(
            p.message,
            p.loc,
            "translate the source's entries again before marking it reviewed; nothing was marked",
            slide=p.slide,
        )
        for ident, p in merged.mismatched
        if ident in wanted
    ]
    if problems:
        raise TranslationError(problems)


def _lc(p: Problem) -> tuple[int, int]:
    return (p.loc.line, p.loc.col) if p.loc else (0, 0)
