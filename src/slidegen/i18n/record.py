"""Record in a translation file the source text each field is translated from (`was:`), and
bring the scaffold's comments of the source text up to date with it.

An entry (the class, a section, a slide) keeps a `was:` mapping at its end, field → source text.
Refreshing an entry's fields writes today's source text there; a comment block right above a
field's value that repeats the old recorded text (the scaffold's comment) is rewritten with the
new text; a text without words (a number such as "170") that was copied from the old source is
copied again from the new. Nothing else in the file moves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from yaml.nodes import MappingNode, Node, ScalarNode

from slidegen.i18n.catalog import (
    PathPart,
    entry_path,
    find_node,
    recorded_texts,
    source_fields,
)
from slidegen.i18n.changes import RECORD_KEY, same_text
from slidegen.i18n.merge import needs_translation
from slidegen.i18n.yaml_edit import (
    Change,
    Splice,
    apply_changes,
    end_of_value,
    render_value,
    splice,
)
from slidegen.read.model import Outline
from slidegen.read.yaml_nodes import parse_nodes

__all__ = ["refresh_records", "with_records", "RECORD_COMMENT"]

#: The comment above a `was:` mapping.
RECORD_COMMENT = "the source texts this was translated from (kept by slidegen: do not edit)"


def _value_node(root: Node, path: tuple[PathPart, ...]) -> tuple[Node | None, Node | None]:
    """A field's value node and the node its line starts with (its key, or the value itself)."""
    parent = find_node(root, path[:-1])
    last = path[-1]
    if isinstance(last, str) and last.startswith("~"):
        if isinstance(parent, ScalarNode):
            return parent, parent
        last = last[1:]
    if isinstance(parent, MappingNode):
        for k, v in parent.value:
            if k.value == last:
                return v, k
    node = find_node(root, path)
    return node, node


def _comment_splice(text: str, anchor: Node, old: str, new: str) -> Splice | None:
    """Rewrite the comment block right above `anchor`'s line if it repeats `old`."""
    line_start = text.rfind("\n", 0, anchor.start_mark.index) + 1
    indent = text[line_start : anchor.start_mark.index]
    if indent.strip() not in ("", "-"):  # the value shares its line with a parent's key
        return None
    pad = " " * (len(indent) - len(indent.lstrip(" ")))
    start = line_start
    lines: list[str] = []
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        line = text[prev : start - 1]
        if not line.startswith(pad + "#"):
            break
        lines.insert(0, line[len(pad) + 1 :].removeprefix(" "))
        start = prev
    if not lines or not same_text("\n".join(lines), old):
        return None
    comment = "".join((pad + "# " + ln).rstrip() + "\n" for ln in new.strip("\n").split("\n"))
    return Splice(start, line_start, comment)


def _record_block(entry_node: MappingNode, recorded: Mapping[str, str]) -> str:
    col: int = entry_node.value[0][0].start_mark.column
    out = " " * col + f"# {RECORD_COMMENT}\n" + " " * col + f"{RECORD_KEY}:\n"
    return out + "".join(render_value(f, t, col + 2) for f, t in recorded.items())


def _record_splice(text: str, entry_node: MappingNode, recorded: Mapping[str, str]) -> Splice:
    """Replace the entry's `was:` mapping (with its comment), or add one at its end — for the
    class's own texts, before its sections and slides."""
    for k, v in entry_node.value:
        if str(k.value) == RECORD_KEY:
            start = text.rfind("\n", 0, k.start_mark.index) + 1
            comment = text.rfind("\n", 0, max(start - 1, 0)) + 1
            if text[comment:start].strip() == f"# {RECORD_COMMENT}":
                start = comment
            return Splice(start, end_of_value(text, v), _record_block(entry_node, recorded))
    for k, _v in entry_node.value:
        if str(k.value) in ("sections", "slides") and k.start_mark.column == 0:
            at = text.rfind("\n", 0, k.start_mark.index) + 1
            return Splice(at, at, _record_block(entry_node, recorded) + "\n")
    at = end_of_value(text, entry_node)
    prefix = "" if text[:at].endswith("\n") else "\n"
    return Splice(at, at, prefix + _record_block(entry_node, recorded))


def refresh_records(
    text: str, shown: str, outline: Outline, fields: Mapping[str, Collection[str] | None]
) -> str:
    """The translation file's text with today's source text recorded for the given fields of
    each entry (status id → field names, None for every field), their scaffold comments
    rewritten and their copied numbers updated. Entries not in the file are left out."""
    current = source_fields(outline)
    root = parse_nodes(text, shown)
    copies: list[Change] = []
    for entry, wanted in fields.items():
        node = find_node(root, entry_path(entry))
        if not isinstance(node, MappingNode):
            continue
        old = recorded_texts(root, entry_path(entry))
        for f, (path, src) in current.get(entry, {}).items():
            value, _anchor = _value_node(root, path)
            was = old.get(f)
            copied = isinstance(value, ScalarNode) and value.value == was  # a number, say
            changed = was is not None and not same_text(was, src)
            take = wanted is None or f in wanted
            if take and changed and copied and not needs_translation(src):
                copies.append(Change(path, src))
    if copies:
        text = apply_changes(text, shown, copies)
        root = parse_nodes(text, shown)
    splices: list[Splice] = []
    for entry, wanted in fields.items():
        node = find_node(root, entry_path(entry))
        if not isinstance(node, MappingNode) or not node.value or node.flow_style:
            continue
        old = recorded_texts(root, entry_path(entry))
        new: dict[str, str] = {}
        for f, (path, src) in current.get(entry, {}).items():
            take = wanted is None or f in wanted
            if take or f in old:
                new[f] = src if take else old[f]
            was = old.get(f)
            if take and was is not None and not same_text(was, src):
                _value, anchor = _value_node(root, path)
                comment = _comment_splice(text, anchor, was, src) if anchor is not None else None
                if comment is not None:
                    splices.append(comment)
        if new != old:
            splices.append(_record_splice(text, node, new))
    return splice(text, splices)


def with_records(text: str, shown: str, outline: Outline) -> str:
    """A new translation file's text with every entry's source texts recorded: what the
    translator translates from is what its comments show."""
    return refresh_records(text, shown, outline, dict.fromkeys(source_fields(outline)))
