"""Convert YAML nodes into the model's frozen dataclasses, collecting every located problem."""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slidegen.errors import Location, Problem
from slidegen.markup import LINK_HINT, link_problems
from slidegen.normalize import nfc
from slidegen.read.keys import key_of, keys
from slidegen.read.yaml_nodes import is_null, loc_of, scalar_tag

__all__ = ["Converter", "Invalid", "INVALID", "MAX_PROBLEMS", "key_of", "describe", "suggest"]

#: Problems recorded per file; past this, they are only counted (a file of garbage would
#: otherwise print one line per value).
MAX_PROBLEMS = 100


class Invalid:
    """Marker for a value that could not be converted (its problem is already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


def first_rtl(text: str) -> str | None:
    """The first right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko...) of a text."""
    for char in text:
        if ord(char) >= 0x0590 and unicodedata.bidirectional(char) in ("R", "AL"):
            return char
    return None


def suggest(word: str, choices: typing.Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelled word, if one is close."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def yaml_name(cls: type) -> str:
    """How messages name a mapping of this class: 'slide', 'section', 'translation', ...

    Classes of the translation file are named like their outline twins (SlideText → slide).
    """
    name = cls.__name__.removesuffix("Text")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def describe(tp: Any) -> str:
    """How a type is described in an error message."""
    origin = get_origin(tp)
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in get_args(tp) if a is not type(None))
    if origin is tuple:
        return "a list"
    if dataclasses.is_dataclass(tp):
        return "a mapping (key: value lines)"
    return str(tp)


@dataclass
class Converter:
    """Turns nodes into model values; problems accumulate instead of stopping at the first."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    #: The file's text (node marks index into it), for locating characters inside scalars.
    text: str = ""
    #: Every text scalar seen: (value, node), for checks such as citation keys.
    strings: list[tuple[str, ScalarNode]] = field(default_factory=list)
    #: Per-class validators run after a dataclass is built: (value, node, converter) -> None.
    validators: dict[type, Callable[[Any, MappingNode, Converter], None]] = field(
        default_factory=dict
    )
    #: Per-class builders, for a class written otherwise than its fields (a slide's content is
    #: written inline): (values read by key name, node, converter) -> the value.
    builders: dict[type, Callable[[dict[str, Any], MappingNode, Converter], Any]] = field(
        default_factory=dict
    )

    #: Problems found but not recorded, past `MAX_PROBLEMS`.
    dropped: int = 0

    @property
    def full(self) -> bool:
        """Whether `MAX_PROBLEMS` are recorded (further ones are only counted)."""
        return len(self.problems) >= MAX_PROBLEMS

    def error(self, message: str, node: Any, hint: str | None = None) -> None:
        """Record an error at a node or mark."""
        if self.full:
            self.dropped += 1
            return
        self.problems.append(Problem(message, self.loc(node), hint))

    def warn(self, message: str, node: Any, hint: str | None = None) -> None:
        """Record a warning at a node or mark."""
        if self.full:
            self.dropped += 1
            return
        self.problems.append(Problem(message, self.loc(node), hint, severity="warning"))

    def loc(self, node: Any) -> Location:
        """The location of a node."""
        return loc_of(self.path, node)

    def convert(self, node: Node, tp: Any, what: str) -> Any:
        """Convert `node` to type `tp`; `what` names the value in messages (e.g. "key 'title'")."""
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if is_null(node) and type(None) in get_args(tp):
                return None
            if len(args) == 1:
                return self.convert(node, args[0], what)
            raise TypeError(f"unsupported union {tp}")  # pragma: no cover - model design error
        if tp is str:
            return self._text(node, what)
        if tp is bool:
            if isinstance(node, ScalarNode) and scalar_tag(node) == "bool":
                return node.value.lower() in ("true", "yes", "on")
            self.error(f"{what} must be true or false", node)
            return INVALID
        if tp is int:
            if isinstance(node, ScalarNode) and scalar_tag(node) == "int":
                try:
                    return int(node.value)
                except ValueError:  # 0x1F, 0o17, 1:30 (YAML 1.1 sexagesimal), 5000 digits
                    pass
            self.error(f"{what} must be a whole number", node, "write it in decimal digits")
            return INVALID
        if origin is Literal:
            choices = [str(a) for a in get_args(tp)]
            if isinstance(node, ScalarNode) and node.value in choices:
                return node.value
            value = node.value if isinstance(node, ScalarNode) else ""
            self.error(
                f"{what} must be one of: {', '.join(choices)}",
                node,
                suggest(str(value), choices) if value and not self.full else None,
            )
            return INVALID
        if origin is tuple:
            return self._tuple(node, get_args(tp)[0], what)
        if dataclasses.is_dataclass(tp):
            assert isinstance(tp, type)
            return self.dataclass(node, tp, what)
        raise TypeError(f"unsupported type {tp}")  # pragma: no cover - model design error

    def _text(self, node: Node, what: str) -> Any:
        if isinstance(node, ScalarNode) and not is_null(node):
            rtl = first_rtl(node.value)
            if rtl is not None:
                script = unicodedata.name(rtl, "right-to-left").split()[0].title()
                self.error(
                    f"right-to-left text is not supported yet ({script} '{rtl}' in {what})",
                    node,
                    "slides and handouts are laid out left to right: this text would print "
                    "in the wrong order",
                )
                return INVALID
            for _, problem in link_problems(node.value):
                self.error(problem, node, LINK_HINT)
            text = nfc(node.value)
            self.strings.append((text, node))
            return text
        found = "nothing" if is_null(node) else describe_node(node)
        self.error(f"{what} must be text, found {found}", node, _text_hint(node))
        return INVALID

    def _tuple(self, node: Node, item_tp: Any, what: str) -> Any:
        if not isinstance(node, SequenceNode):
            if is_null(node):
                self.error(f"{what} must be a list, found nothing", node, "add '- ' items under it")
            else:
                self.error(
                    f"{what} must be a list, found {describe_node(node)}",
                    node,
                    "write each entry on its own line starting with '- '",
                )
            return INVALID
        values = [self.convert(child, item_tp, f"entry of {what}") for child in node.value]
        if any(v is INVALID for v in values):
            return INVALID
        return tuple(values)

    def mapping_items(self, node: MappingNode) -> list[tuple[str, ScalarNode, Node]]:
        """A mapping's (key, key node, value node), reporting duplicate and non-text keys."""
        seen: dict[str, ScalarNode] = {}
        items: list[tuple[str, ScalarNode, Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error("a key must be a plain word", key_node)
                continue
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark
                self.error(
                    f"duplicate key '{key}' (first given at line {first.line + 1})",
                    key_node,
                    "remove one of them: YAML keeps only the last",
                )
                continue
            seen[key] = key_node
            items.append((key, key_node, value_node))
        return items

    def dataclass(self, node: Node, cls: type, what: str) -> Any:
        """Build a model dataclass from a mapping (or from a scalar, for classes with a
        SCALAR_FIELD such as a bullet point written as plain text)."""
        scalar_field = getattr(cls, "SCALAR_FIELD", None)
        if isinstance(node, ScalarNode) and scalar_field and not is_null(node):
            value = self._text(node, what)
            return cls(**{scalar_field: value, "loc": self.loc(node)})
        if not isinstance(node, MappingNode):
            found = "nothing" if is_null(node) else describe_node(node)
            self.error(f"{what} must be {describe(cls)}, found {found}", node)
            return INVALID
        fields = {k.yaml: k for k in keys(cls)}
        values: dict[str, Any] = {}
        present: set[str] = set()
        ok = True
        for key, key_node, value_node in self.mapping_items(node):
            present.add(key)
            f = fields.get(key)
            if f is None:
                allowed = "allowed: " + ", ".join(fields)
                hint = None if self.full else suggest(key, fields) or allowed
                self.error(f"unknown key '{key}' in {yaml_name(cls)}", key_node, hint)
                ok = False
                continue
            value = self.convert(value_node, f.type, f"key '{key}'")
            if value is INVALID:
                ok = False
            else:
                values[f.name] = value
        for key, f in fields.items():
            if key not in present and f.required:
                self.error(f"missing required key '{key}' in {yaml_name(cls)}", node, f.doc)
                ok = False
        if not ok:
            return INVALID
        build = self.builders.get(cls)
        result = build(values, node, self) if build else cls(**values, loc=self.loc(node))
        validator = self.validators.get(cls)
        if validator is not None and result is not INVALID:
            validator(result, node, self)
        return result


def describe_node(node: Node) -> str:
    """How a node is described in an error message."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'"


def _text_hint(node: Node) -> str | None:
    if isinstance(node, MappingNode):
        return "a ': ' inside text starts a mapping: put the text in quotes"
    if isinstance(node, SequenceNode):
        return "remove the '- ' or '[...]': this key takes one text"
    return "write the text after the key"
