"""How a model class is written in YAML: its keys, their types, docs, which ones are translated."""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

__all__ = [
    "Key",
    "Inline",
    "keys",
    "key_named",
    "key_of",
    "kind_name",
    "inline_of",
    "is_text",
]


def key_of(name: str) -> str:
    """The YAML key of a dataclass field name."""
    return name.replace("_", "-")


@dataclass(frozen=True)
class Key:
    """One key of a mapping in YAML."""

    #: The name in the values read (a field of the class, or of one of its inline kinds).
    name: str
    #: The key as written in YAML.
    yaml: str
    #: The type of the value written.
    type: Any
    doc: str | None
    required: bool
    #: Whether the value holds text to translate (structure such as ids and paths does not).
    translate: bool
    #: For a content key: the kind it stands for.
    kind: type | None = None


def kind_name(kind: type) -> str:
    """A kind's name: its one field (its content key), or its ``KIND`` when it has none."""
    fields = dataclasses.fields(kind)
    return fields[0].name if fields else str(vars(kind)["KIND"])


@dataclass(frozen=True)
class Inline:
    """A field written inline: a union of kinds, each with at most one field; that field is a
    key of the parent mapping, and giving it chooses the kind. A kind without a field is chosen
    with the tag key (``kind: section``), which names any kind."""

    field: str
    tag: str
    kinds: tuple[type, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every kind's name, in order."""
        return tuple(kind_name(k) for k in self.kinds)

    @property
    def content_keys(self) -> tuple[str, ...]:
        """The names of the kinds with content, i.e. their keys, in order."""
        return tuple(f.name for k in self.kinds for f in dataclasses.fields(k))

    def kind(self, name: str) -> type:
        """The kind of a name."""
        return next(k for k in self.kinds if kind_name(k) == name)

    def make(self, name: str, value: Any = None) -> Any:
        """The content of kind `name`, holding `value` when the kind has content."""
        kind = self.kind(name)
        return kind(**{name: value}) if dataclasses.fields(kind) else kind()


@cache
def hints(cls: type) -> dict[str, Any]:
    """A dataclass's field types, resolved."""
    return get_type_hints(cls)


@cache
def inline_of(cls: type) -> Inline | None:
    """The class's inline field, if it has one (a slide's content)."""
    for f in dataclasses.fields(cls):
        tag = f.metadata.get("inline")
        if tag:
            return Inline(f.name, tag, get_args(hints(cls)[f.name]))
    return None


def is_text(tp: Any, _seen: frozenset[type] = frozenset()) -> bool:
    """Whether values of a type hold text to translate (a string, or lists and classes holding
    some; a class's structure fields do not count)."""
    origin = get_origin(tp)
    if tp is str:
        return True
    if origin in (Union, types.UnionType, tuple):
        args = [a for a in get_args(tp) if a is not type(None) and a is not ...]
        return any(is_text(a, _seen) for a in args)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type) and tp not in _seen:
        return any(
            f.metadata.get("translate", True) and is_text(hints(tp)[f.name], _seen | {tp})
            for f in dataclasses.fields(tp)
            if f.name != "loc"
        )
    return False


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


@cache
def keys(cls: type) -> tuple[Key, ...]:
    """The keys of a class's mapping in YAML, in order (all fields but `loc`; an inline
    field becomes its tag key, then one optional key per kind with content)."""
    out: list[Key] = []
    inline = inline_of(cls)
    for f in dataclasses.fields(cls):
        if f.name == "loc":
            continue
        doc = f.metadata.get("doc")
        if inline is not None and f.name == inline.field:
            tag: Any = Literal.__getitem__(inline.names)  # the kinds' names, known at run time
            out.append(Key(inline.tag, key_of(inline.tag), tag | None, doc, False, False))
            for kind in inline.kinds:
                for kf in dataclasses.fields(kind):
                    tp = hints(kind)[kf.name] | None
                    out.append(
                        Key(
                            kf.name,
                            key_of(kf.name),
                            tp,
                            kf.metadata.get("doc"),
                            False,
                            kf.metadata.get("translate", True) and is_text(tp),
                            kind,
                        )
                    )
            continue
        tp = hints(cls)[f.name]
        translate = f.metadata.get("translate", True) and is_text(tp)
        out.append(Key(f.name, key_of(f.name), tp, doc, _required(f), translate))
    return tuple(out)


def key_named(cls: type, name: str) -> Key:
    """One of a class's keys, by name."""
    return next(k for k in keys(cls) if k.name == name)
