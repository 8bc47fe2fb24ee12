"""Bring an existing translation file up to the source: add the source's new sections, slides
and keys as the scaffold writes them (empty, the source text as a comment above), leaving every
other byte of the file as it was."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node

from slidegen.atomic import write_atomic
from slidegen.errors import Location, Problem, UsageError
from slidegen.i18n.catalog import source_fields
from slidegen.i18n.changes import RECORD_KEY
from slidegen.i18n.merge import META_ID, SECTION_PREFIX
from slidegen.i18n.record import refresh_records, with_records
from slidegen.i18n.scaffold import scaffold_text
from slidegen.i18n.yaml_edit import Splice, end_of_value, splice
from slidegen.read.outline import read_outline
from slidegen.read.sources import translation_path
from slidegen.read.yaml_nodes import parse_nodes

__all__ = ["update_translation"]

_GROUPS = (("sections", SECTION_PREFIX), ("slides", ""))


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _span(text: str, key: Node, value: Node) -> tuple[int, int]:
    """A key's lines in the scaffold: the comment lines right above it, to its value's end."""
    start = _line_start(text, key.start_mark.index)
    while start > 0:
        prev = _line_start(text, start - 1)
        if not text[prev:start].strip().startswith("#"):
            break
        start = prev
    return start, end_of_value(text, value)


def _reindent(block: str, by: int) -> str:
    if by == 0:
        return block
    lines = block.split("\n")
    if by > 0:
        return "\n".join((" " * by + ln) if ln.strip() else ln for ln in lines)
    return "\n".join(ln[min(-by, len(ln) - len(ln.lstrip(" "))) :] for ln in lines)


def _child(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    return next(((k, v) for k, v in node.value if k.value == key), None)


class _Inserter:
    """Collects insertions into the existing text (applied last to first)."""

    def __init__(self, text: str, template: str) -> None:
        self.text, self.template = text, template
        self.inserts: list[Splice] = []

    def keys(self, have: MappingNode, want: MappingNode, blank: bool) -> list[str]:
        """Add to `have` each key of `want` it lacks, after the key before it in `want`."""
        added: list[str] = []
        col_have = have.value[0][0].start_mark.column
        col_want = want.value[0][0].start_mark.column
        previous: Node | None = None
        for key, value in want.value:
            name = str(key.value)
            found = _child(have, name)
            if found is not None:
                previous = found[1]
                continue
            if name in ("source", RECORD_KEY):
                continue
            start, end = _span(self.template, key, value)
            block = _reindent(self.template[start:end], col_have - col_want)
            if previous is not None:
                at = end_of_value(self.text, previous)
            else:
                at = _line_start(self.text, have.value[0][0].start_mark.index)
            if not self.text[:at].endswith("\n"):
                block = "\n" + block
            lead = "\n" if blank and previous is not None else ""
            self.inserts.append(Splice(at, at, lead + block))
            added.append(name)
        return added

    def apply(self) -> str:
        return splice(self.text, self.inserts)


def update_translation(source: Path, lang: str) -> tuple[Path, list[str]]:
    """Add the source's new sections, slides and keys to the `lang` translation file; returns
    the file and what was added ('slide <id>', '<id>: <key>')."""
    path = translation_path(source, lang)
    if not path.exists():
        raise UsageError(
            [
                Problem(
                    f"there is no '{lang}' translation of this class to update",
                    Location(str(path)),
                    f"create it with translate --lang {lang} (without --update)",
                )
            ]
        )
    outline = read_outline(source)
    shown = str(path)
    template = with_records(scaffold_text(outline, lang, source.name), shown, outline)
    want = parse_nodes(template, "the scaffold")
    text = path.read_bytes().decode("utf-8")
    have = parse_nodes(text, shown)
    ins = _Inserter(text, template)
    added: list[str] = []
    new_keys: dict[str, list[str]] = {}
    # the class's own keys (course, title, summary...), then new groups, entries and keys
    top = ins.keys(have, _without(want, ("sections", "slides")), blank=False)
    added += [f"{k}" for k in top]
    if top:
        new_keys[META_ID] = top
    for group, prefix in _GROUPS:
        found_want = _child(want, group)
        if found_want is None:
            continue
        found_have = _child(have, group)
        if found_have is None or not isinstance(found_have[1], MappingNode):
            continue  # an empty or missing group: added with the class's own keys above
        have_group, want_group = found_have[1], found_want[1]
        assert isinstance(want_group, MappingNode)
        for name in ins.keys(have_group, want_group, blank=group == "slides"):
            added.append(f"{group[:-1]} {name}")
        for key, value in want_group.value:
            entry = _child(have_group, str(key.value))
            if entry is None or not isinstance(entry[1], MappingNode) or not entry[1].value:
                continue
            assert isinstance(value, MappingNode)
            keys = ins.keys(entry[1], value, blank=False)
            added += [f"{key.value}: {k}" for k in keys]
            if keys:
                new_keys[prefix + str(key.value)] = keys
    if not added:
        return path, []
    out = ins.apply()
    if new_keys:  # record the source texts of the keys added to existing entries
        current = source_fields(outline)
        fields = {
            entry: {f for f in current.get(entry, {}) if f.split("/")[0] in keys}
            for entry, keys in new_keys.items()
        }
        out = refresh_records(out, shown, outline, fields)
    write_atomic(path, out.encode("utf-8"))
    return path, added


def _without(node: MappingNode, keys: tuple[str, ...]) -> MappingNode:
    return MappingNode(
        node.tag,
        [(k, v) for k, v in node.value if k.value not in keys],
        node.start_mark,
        node.end_mark,
        node.flow_style,
    )
