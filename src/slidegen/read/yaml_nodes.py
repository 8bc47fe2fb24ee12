"""Safe, bounded YAML parsing into position-carrying nodes (no object construction, no aliases)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from slidegen.errors import Location, OutlineError, Problem
from slidegen.read.sources import is_translation_file
from slidegen.reading import read_regular

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "load_nodes",
    "parse_nodes",
    "loc_of",
    "scalar_tag",
    "read_bounded",
    "load_document",
]

#: Largest outline or translation file accepted, in bytes (a class outline is ~16 KB; at this
#: size the slowest possible file still parses in well under a second).
MAX_BYTES = 512 * 1024
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 40
#: Most values (keys, texts, lists, mappings) in one file (a class outline has ~500).
MAX_NODES = 10_000

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class _Refused(Exception):
    def __init__(self, message: str, mark: Any, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, composing nodes only, refusing aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def _next_mark(self) -> Any:
        return self.peek_event().start_mark  # type: ignore[no-untyped-call]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(
                "YAML aliases (*name) are not allowed in outlines",
                event.start_mark,
                "write the text out in full instead of referring to an anchor",
            )
        self._depth += 1
        self._nodes += 1
        try:
            if self._nodes > MAX_NODES:
                raise _Refused(
                    f"more than {MAX_NODES} values in one file",
                    self._next_mark(),
                    "an outline holds one class (a few hundred values); split the file",
                )
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    f"nesting deeper than {MAX_DEPTH} levels",
                    self._next_mark(),
                    "an outline needs only a few levels; check the indentation",
                )
            node: Node | None = Composer.compose_node(self, parent, index)
            return node
        finally:
            self._depth -= 1


def loc_of(path: str, node_or_mark: Any) -> Location:
    """The 1-based location of a node or a PyYAML mark."""
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def scalar_tag(node: Node) -> str:
    """The short tag of a node: 'str', 'int', 'null', 'map', ..."""
    return str(node.tag).removeprefix(_STD)


def _decode(data: bytes, path: str) -> str:
    if len(data) > MAX_BYTES:
        raise OutlineError(
            [
                Problem(
                    f"file is larger than {MAX_BYTES // 1024} KB, the limit for an outline",
                    Location(path),
                    "an outline holds one class (about 20 KB): is this the right file?",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise OutlineError(
            [
                Problem(
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                    Location(path, line, col),
                    "save the file as UTF-8 (most editors: 'Save with encoding')",
                )
            ]
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise OutlineError(
            [Problem("file is empty", Location(path, 1, 1), _empty_hint(path))]
        )
    return text


def _empty_hint(path: str) -> str:
    if is_translation_file(Path(path)):
        lang = Path(path).name.split(".")[1]
        return f"delete it and run 'invoke translate --lang {lang}' to start a translation"
    return "start from the example in docs/outline-format.md"


#: libyaml's parser (about 20 times faster than PyYAML's own), when PyYAML was built with it.
_CLoader: Any = getattr(yaml, "CSafeLoader", None)


class _Fallback(Exception):
    """The fast parser met something to refuse or report: the careful parser says what and where."""


def _fast_compose(text: str) -> Node | None:
    """Compose with libyaml after a first pass over its events (a flat loop, no recursion) has
    checked the limits: no alias, at most MAX_DEPTH levels and MAX_NODES values. Anything
    unusual raises `_Fallback`, and the careful Python parser then gives the located message."""
    if "\t" in text:  # libyaml accepts tabs where PyYAML and ruamel (`review`) do not
        raise _Fallback
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, AliasEvent):
                raise _Fallback
            if isinstance(event, NodeEvent):
                nodes += 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if depth > MAX_DEPTH or nodes > MAX_NODES:
                raise _Fallback
        node: Node | None = yaml.compose(text, Loader=_CLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        raise _Fallback from None
    return node


@lru_cache(maxsize=4)
def parse_nodes(text: str, path: str) -> MappingNode:
    """Parse YAML text into its top-level mapping node, with every refusal located. The same
    text is parsed once while it is in use (an edition reads its translation to merge it,
    to list its units and to measure its lengths, one after the other): the nodes are only
    ever read."""
    node: Node | None = None
    if _CLoader is not None:
        try:
            node = _fast_compose(text)
        except _Fallback:
            node = None
        else:
            if node is None:
                raise OutlineError(
                    [Problem("file is empty", Location(path, 1, 1), _empty_hint(path))]
                )
            return _checked_root(node, path)
    return _checked_root(_careful_compose(text, path), path)


def _careful_compose(text: str, path: str) -> Node:
    """PyYAML's own parser, slower but exact in what it refuses and where."""
    try:
        loader = _Loader(text)  # checks every character first
    except ReaderError as exc:
        raise OutlineError([_reader_problem(text, path, exc)]) from None
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise OutlineError([Problem(exc.message, loc_of(path, exc.mark), exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        raise OutlineError([_syntax_problem(exc, path, text)]) from None
    except ReaderError as exc:
        raise OutlineError([_reader_problem(text, path, exc)]) from None
    except yaml.YAMLError as exc:
        raise OutlineError([Problem(f"not valid YAML: {exc}", Location(path))]) from None
    except RecursionError:
        raise OutlineError(
            [Problem(f"nesting deeper than {MAX_DEPTH} levels", Location(path))]
        ) from None
    finally:
        loader.dispose()
    if node is None:
        raise OutlineError([Problem("file is empty", Location(path, 1, 1), _empty_hint(path))])
    return node


def _checked_root(node: Node, path: str) -> MappingNode:
    """The root mapping, after refusing object tags and a root that is not a mapping."""
    bad = _first_bad_tag(node)
    if bad is not None:
        raise OutlineError(
            [
                Problem(
                    f"YAML tag '{bad.tag}' is not allowed",
                    loc_of(path, bad),
                    "remove the tag: outlines hold only text, numbers, lists and mappings",
                )
            ]
        )
    if not isinstance(node, MappingNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        raise OutlineError(
            [
                Problem(
                    f"the file holds {kind}; expected a mapping of keys (id:, title:, ...)",
                    loc_of(path, node),
                    "see docs/outline-format.md for the shape of an outline",
                )
            ]
        )
    return node


#: Plainer words for PyYAML's syntax errors: (words in its message, our message, hint).
_PLAINER = (
    (
        "another document",
        "the file holds more than one YAML document (a '---' line)",
        "an outline is one document: remove the '---' line and what follows",
    ),
    (
        "scanning an alias",
        "a '*' at the start of a value starts a YAML alias",
        "put the text in quotes, or write points as '- ' items",
    ),
    (
        "scanning an anchor",
        "a '&' at the start of a value starts a YAML anchor",
        "put the text in quotes",
    ),
    (
        "mapping values are not allowed",
        "a ': ' inside a text starts a new key here",
        "put the whole text in quotes",
    ),
    (
        "character '@' that cannot start",
        "a value cannot start with '@' or '`'",
        "put the text in quotes",
    ),
)


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str = "") -> Problem:
    """A located, plainly worded problem for a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "not valid YAML"
    hint = "fix the YAML syntax at this place"
    if exc.context and exc.context_mark is not None and exc.problem:
        started = exc.context_mark.line + 1
        message = f"{exc.problem} ({exc.context} that starts at line {started})"
        if "quoted" in exc.context:
            hint = "close the quotation mark, or put a \\ before a quote inside the text"
    for words, plain, plain_hint in _PLAINER:
        if words in message:
            message, hint = plain, plain_hint
            break
    if "\t" in message or "'\\t'" in message:
        message, hint = "a tab character is used for indentation", "indent with spaces"
        line = text.splitlines()[mark.line] if mark is not None and text else ""
        if line[: mark.column if mark is not None else 0].strip():
            message = "a tab character after a value (YAML separates with spaces only)"
            hint = "replace the tab with spaces"
    return Problem(message, loc_of(path, mark), hint)


def _reader_problem(text: str, path: str, exc: ReaderError) -> Problem:
    """A located problem for a character YAML does not accept (NUL, other control codes)."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = len(before.rsplit("\n", 1)[-1]) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return Problem(
        f"control character U+{code:04X} is not allowed in a YAML file",
        Location(path, line, col),
        "delete it (it is often left by copying from a PDF or a word processor)",
    )


def _first_bad_tag(root: Node) -> Node | None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _ALLOWED_TAGS:
            return node
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None


def read_bounded(path: Path, shown: str) -> bytes:
    """A regular file's bytes, refusing from its size alone a file over `MAX_BYTES` (so a huge
    file costs neither time nor memory) and never opening a pipe or a device for reading;
    problems raise `OutlineError`."""
    return read_regular(path, MAX_BYTES, shown, OutlineError, "an outline")


def load_document(path: Path, display: str | None = None) -> tuple[str, MappingNode]:
    """Read and parse a YAML file: its text and its root node (marks index into the text)."""
    shown = display or str(path)
    text = _decode(read_bounded(path, shown), shown)
    return text, parse_nodes(text, shown)


def load_nodes(path: Path, display: str | None = None) -> MappingNode:
    """Read and parse a YAML file; every problem raises a located `OutlineError`."""
    return load_document(path, display)[1]


def is_null(node: Node) -> bool:
    """Whether a node is an empty value or an explicit null."""
    return isinstance(node, ScalarNode) and scalar_tag(node) == "null"
