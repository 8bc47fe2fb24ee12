"""Change texts of a translation file in place: only the bytes of the changed values move.

Each value is found by its path with the YAML parser's own marks (where its token starts and
ends), so every comment, key order, quoting, blank line and block style elsewhere stays as it
was. A changed value keeps its style where it can (plain, quoted, or a `|` block); a text with
line breaks becomes a `|` block. After editing, the text is parsed again and every changed value
must read back as given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slidegen.errors import Location, OutlineError, Problem
from slidegen.i18n.catalog import PathPart, find_node
from slidegen.read.yaml_nodes import parse_nodes

__all__ = ["Change", "Splice", "splice", "apply_changes", "end_of_value", "render_value"]


@dataclass(frozen=True)
class Change:
    """Set the text at `path` of the translation file to `text`."""

    path: tuple[PathPart, ...]
    text: str
    #: Where the new text came from (an XLIFF or PO unit), for error messages.
    origin: Location | None = None


@dataclass(frozen=True)
class Splice:
    """Replace the characters from `start` to `end` with `text` (equal ends: an insertion)."""

    start: int
    end: int
    text: str


def splice(text: str, splices: Sequence[Splice]) -> str:
    """A text with every splice made (they must not overlap), the last first."""
    for s in sorted(splices, key=lambda s: s.start, reverse=True):
        text = text[: s.start] + s.text + text[s.end :]
    return text


def _block(value: str, indent: int) -> str:
    """A literal block scalar (header and lines, ending with a line break)."""
    chomp = "" if value.endswith("\n") and not value.endswith("\n\n") else "-"
    if value.endswith("\n\n"):
        chomp = "+"
    body = value[:-1] if value.endswith("\n") else value
    pad = " " * indent
    lines = [(pad + line) if line.strip() else "" for line in body.split("\n")]
    return f"|{chomp}\n" + "\n".join(lines) + "\n"


def _plain_ok(value: str) -> bool:
    if not value or value != value.strip() or "\n" in value:
        return False
    try:
        return bool(yaml.safe_load(f"k: {value}\n") == {"k": value})
    except yaml.YAMLError:
        return False


def _inline(value: str, style: str | None) -> str:
    """A one-line scalar in the old value's style where it can be kept."""
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style in (None, "") and _plain_ok(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _content_indent(text: str, node: ScalarNode, fallback: int) -> int:
    """The indentation of a block scalar's lines (as written, else `fallback`)."""
    body = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
    for line in body:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return fallback


def _scalar_splice(text: str, node: ScalarNode, value: str, indent: int) -> Splice:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        # keep the blank lines a block scalar's token swallows after its last line
        token = text[start:end]
        kept = len(token.rstrip("\n \t"))
        end = start + token.find("\n", kept) + 1 if "\n" in token[kept:] else end
        if "\n" not in value:
            # a block holding one line now: keep the block, so its comments stay aligned
            value_text = _block(value + "\n", _content_indent(text, node, indent))
            return Splice(start, end, value_text)
        return Splice(start, end, _block(value, _content_indent(text, node, indent)))
    if "\n" in value.rstrip("\n"):
        # a comment after the old value moves onto the block's first line, out of its text
        line_end = text.find("\n", end)
        rest = text[end : len(text) if line_end < 0 else line_end]
        header, _nl, body = _block(value, indent).partition("\n")
        if rest.strip().startswith("#"):
            return Splice(start, end + len(rest), f"{header}{rest}\n{body.rstrip(chr(10))}")
        return Splice(start, end, _block(value, indent).rstrip("\n"))
    return Splice(start, end, _inline(value, node.style))


def _locate(
    root: Node, path: tuple[PathPart, ...]
) -> tuple[Node | None, Node | None, PathPart, int]:
    """The node at `path` (or None), its parent, the last step, and the indentation a block
    value there takes."""
    parent = find_node(root, path[:-1]) if path else None
    last = path[-1]
    node: Node | None = None
    indent = 2
    if isinstance(last, str) and last.startswith("~"):
        if isinstance(parent, ScalarNode):
            return parent, None, last, parent.start_mark.column
        last = last[1:]
    if isinstance(parent, MappingNode) and isinstance(last, str):
        for k, v in parent.value:
            if k.value == last:
                node, indent = v, k.start_mark.column + 2
        if node is None and parent.value:
            indent = parent.value[0][0].start_mark.column + 2
    elif isinstance(parent, SequenceNode) and isinstance(last, int) and last < len(parent.value):
        node = parent.value[last]
        indent = node.start_mark.column
    return node, parent, last, indent


def end_of_value(text: str, node: Node) -> int:
    """Where the line holding the end of a value ends (after its line break): a block scalar's
    trailing blank lines and the comments after a mapping are not part of it."""
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    end = node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        token = text[node.start_mark.index : end]
        kept = len(token.rstrip("\n \t"))
        if "\n" in token[kept:]:
            return node.start_mark.index + token.find("\n", kept) + 1
        return end
    nl = text.find("\n", end)
    return len(text) if nl < 0 else nl + 1


def render_value(key: str, value: str, col: int) -> str:
    """`key: value` at column `col`, as one line or a `|` block, ending with a line break."""
    if "\n" in value.rstrip("\n"):
        return " " * col + f"{key}: " + _block(value, col + 2)
    return " " * col + f"{key}: {json.dumps(value, ensure_ascii=False)}\n"


def _insert_key(text: str, parent: MappingNode, key: str, value: str) -> Splice:
    """A `key: value` line added at the end of a block mapping."""
    col = parent.value[0][0].start_mark.column
    end = end_of_value(text, parent)
    line = render_value(key, value, col)
    prefix = "" if text[:end].endswith("\n") else "\n"
    return Splice(end, end, prefix + line)


def _problem(change: Change, message: str, hint: str) -> Problem:
    return Problem(message, change.origin, hint)


def apply_changes(text: str, shown: str, changes: Sequence[Change]) -> str:
    """The translation file's text with each change made; refuses (OutlineError at the unit)
    a change it cannot place: a list of another length, a flow-style mapping, a missing entry."""
    root = parse_nodes(text, shown)
    splices: list[Splice] = []
    problems: list[Problem] = []
    for change in changes:
        node, parent, last, indent = _locate(root, change.path)
        if isinstance(node, ScalarNode):
            splices.append(_scalar_splice(text, node, change.text, indent))
        elif node is not None:
            problems.append(
                _problem(
                    change,
                    f"the translation file holds a {_shape(node)} at {_where(shown, node)}, "
                    "not a text",
                    "write a text there, as the source has",
                )
            )
        elif isinstance(parent, MappingNode) and isinstance(last, str) and parent.value:
            if parent.flow_style:
                problems.append(
                    _problem(
                        change,
                        f"cannot add '{last}' to the mapping written in flow style "
                        f"({{...}}) at {_where(shown, parent)}",
                        "write its keys on their own lines",
                    )
                )
            else:
                splices.append(_insert_key(text, parent, last, change.text))
        else:
            problems.append(
                _problem(
                    change,
                    f"the translation file has no place for this text (at {_where(shown, parent)})",
                    "its list has another number of entries than the source's: "
                    "make it match the source, then import again",
                )
            )
    if problems:
        raise OutlineError(problems)
    out = splice(text, splices)
    _verify(out, shown, changes)
    return out


def _shape(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "mapping"


def _where(shown: str, node: Node | None) -> str:
    if node is None:
        return shown
    return f"{shown}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _verify(text: str, shown: str, changes: Sequence[Change]) -> None:
    root = parse_nodes(text, shown)
    for change in changes:
        node, _parent, _last, _indent = _locate(root, change.path)
        got = node.value if isinstance(node, ScalarNode) else None
        if got != change.text and (got or "").rstrip("\n") != change.text.rstrip("\n"):
            raise AssertionError(f"{shown}: {change.path} reads back as {got!r}")
