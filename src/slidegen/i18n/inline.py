"""Inline markup as protected codes: what a CAT tool shows as tags and cannot break.

A text such as ``Crime is **organized** [@herz2011]`` becomes segments — text, a paired code
around "organized" (its delimiters ``**`` kept aside) and a placeholder for the citation — so an
export carries only the words to translate, and an import puts the very same markup back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from slidegen.markup import ESCAPE, Cite, first_markup, parse

__all__ = [
    "Code",
    "Text",
    "Ph",
    "Open",
    "Close",
    "Segment",
    "Inline",
    "split",
    "join",
    "problems",
    "to_braces",
    "from_braces",
    "describe_codes",
    "align",
]


@dataclass(frozen=True)
class Code:
    """One protected piece of markup: a placeholder, or the two delimiters of a paired code."""

    id: str
    kind: Literal["ph", "pc"]
    start: str
    end: str
    what: str


@dataclass(frozen=True)
class Text:
    """Words to translate."""

    text: str


@dataclass(frozen=True)
class Ph:
    """A placeholder: a citation, a web address, an escaped character."""

    id: str


@dataclass(frozen=True)
class Open:
    """The start of a paired code (bold, italic, a link's text)."""

    id: str


@dataclass(frozen=True)
class Close:
    """The end of a paired code."""

    id: str


Segment = Text | Ph | Open | Close


@dataclass(frozen=True)
class Inline:
    """A text as segments, with the codes it holds by id."""

    segments: tuple[Segment, ...]
    codes: tuple[Code, ...]

    def code(self, ident: str) -> Code | None:
        """The code of an id, if the text has it."""
        return next((c for c in self.codes if c.id == ident), None)


_SENTINEL = re.compile("\x00(\\d+)\x01")
_BRACES = re.compile(r"\{(/?)(x?\d+)\}")
_EMPH_WHAT = {"**": "bold", "__": "bold", "*": "italic", "_": "italic"}


@dataclass
class _Splitter:
    escapes: list[str]
    segments: list[Segment]
    codes: list[Code]

    def original(self, text: str) -> str:
        return _SENTINEL.sub(lambda m: self.escapes[int(m.group(1))], text)

    def add(self, kind: Literal["ph", "pc"], start: str, end: str, what: str) -> str:
        ident = str(len(self.codes) + 1)
        self.codes.append(Code(ident, kind, start, end, what))
        return ident

    def text(self, text: str) -> None:
        """Plain text; an escape or something that reads as a placeholder is protected."""
        pos = 0
        pattern = re.compile(f"{_SENTINEL.pattern}|{_BRACES.pattern}")
        for m in pattern.finditer(text):
            if m.start() > pos:
                self.segments.append(Text(text[pos : m.start()]))
            what = "escaped character" if m.group(1) is not None else "literal text"
            self.segments.append(Ph(self.add("ph", self.original(m.group(0)), "", what)))
            pos = m.end()
        if pos < len(text):
            self.segments.append(Text(text[pos:]))

    def tokens(self, text: str) -> None:
        found = first_markup(text)
        if found is None:
            self.text(text)
            return
        name, m = found
        self.text(text[: m.start()])
        whole = self.original(m.group(0))
        if name == "cite":
            if any(isinstance(s, Cite) for s in parse(whole)):
                self.segments.append(Ph(self.add("ph", whole, "", "citation")))
            else:
                self.text(m.group(0))
        elif name == "link":
            ident = self.add("pc", "[", f"]({self.original(m.group(2))})", "link")
            self._pair(ident, m.group(1))
        elif name in ("auto", "url"):
            self.segments.append(Ph(self.add("ph", whole, "", "web address")))
        else:
            strong = m.group(1) is not None
            delim = m.group(1) if strong else m.group(3)
            ident = self.add("pc", delim, delim, _EMPH_WHAT[delim])
            self._pair(ident, m.group(2) if strong else m.group(4))
        self.tokens(text[m.end() :])

    def _pair(self, ident: str, inner: str) -> None:
        self.segments.append(Open(ident))
        self.tokens(inner)
        self.segments.append(Close(ident))


def split(text: str) -> Inline:
    """A markup string as segments and codes; `join` gives the very same string back."""
    escapes: list[str] = []

    def protect(m: re.Match[str]) -> str:
        escapes.append(m.group(0))
        return f"\x00{len(escapes) - 1}\x01"

    s = _Splitter(escapes, [], [])
    s.tokens(ESCAPE.sub(protect, text))
    return Inline(tuple(_merge(s.segments)), tuple(s.codes))


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if isinstance(seg, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + seg.text)
        elif not (isinstance(seg, Text) and not seg.text):
            out.append(seg)
    return out


def join(segments: tuple[Segment, ...] | list[Segment], codes: tuple[Code, ...]) -> str:
    """The markup string of segments, each code written as the source wrote it."""
    by_id = {c.id: c for c in codes}
    out: list[str] = []
    for seg in segments:
        if isinstance(seg, Text):
            out.append(seg.text)
        elif isinstance(seg, Close):
            out.append(by_id[seg.id].end)
        else:
            out.append(by_id[seg.id].start)
    return "".join(out)


def _name(code: Code) -> str:
    return f"{code.id} ({code.what} {code.start}{'…' + code.end if code.kind == 'pc' else ''})"


def problems(segments: list[Segment], source: Inline) -> list[str]:
    """What is wrong with a translation's codes against its source's: unknown, repeated,
    unbalanced or crossed codes, or a citation lost (formatting may be left out). An empty
    list: the markup is intact."""
    out: list[str] = []
    seen: list[str] = []
    stack: list[str] = []
    for seg in segments:
        if isinstance(seg, Text):
            continue
        code = source.code(seg.id)
        if code is None:
            out.append(f"code {seg.id} is not in the source text")
            continue
        if isinstance(seg, Ph) != (code.kind == "ph"):
            shape = "a placeholder" if code.kind == "ph" else "paired"
            out.append(f"code {_name(code)} is {shape}")
            continue
        if isinstance(seg, Close):
            if not stack or stack[-1] != seg.id:
                out.append(f"code {_name(code)} is closed where it is not the last one open")
            else:
                stack.pop()
            continue
        if seg.id in seen:
            out.append(f"code {_name(code)} is used twice")
        seen.append(seg.id)
        if isinstance(seg, Open):
            stack.append(seg.id)
    out += [f"code {_name(c)} is not closed" for i in stack if (c := source.code(i))]
    lost = [c for c in source.codes if c.id not in seen and c.what == "citation"]
    out += [f"code {_name(c)} of the source is missing" for c in lost]
    return out


def to_braces(inline: Inline) -> str:
    """The text with its codes as numbered braces: {1} a placeholder, {2}…{/2} a pair (PO)."""
    out: list[str] = []
    for seg in inline.segments:
        if isinstance(seg, Text):
            out.append(seg.text)
        elif isinstance(seg, Close):
            out.append("{/" + seg.id + "}")
        else:
            out.append("{" + seg.id + "}")
    return "".join(out)


def from_braces(text: str, source: Inline) -> list[Segment]:
    """Segments of a text written with numbered braces, read against the source's codes."""
    out: list[Segment] = []
    pos = 0
    for m in _BRACES.finditer(text):
        if m.start() > pos:
            out.append(Text(text[pos : m.start()]))
        ident = m.group(2)
        code = source.code(ident)
        if m.group(1):
            out.append(Close(ident))
        elif code is not None and code.kind == "pc":
            out.append(Open(ident))
        else:
            out.append(Ph(ident))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return out


def describe_codes(inline: Inline) -> str:
    """A translator's note of what each numbered brace stands for (empty without codes)."""
    parts = [
        f"{{{c.id}}} = {c.what} {c.start}"
        if c.kind == "ph"
        else f"{{{c.id}}}…{{/{c.id}}} = {c.what} ({c.start}…{c.end})"
        for c in inline.codes
    ]
    if not parts:
        return ""
    return "Keep these codes, in the order the translation needs: " + "; ".join(parts)


def align(target: Inline, source: Inline) -> Inline:
    """A translation's segments with its codes numbered as the source's same markup is (the
    first unused one alike in kind and delimiters); its own extra markup gets ids x1, x2..."""
    free = list(source.codes)
    renumber: dict[str, str] = {}
    extra: list[Code] = []
    for code in target.codes:
        twin = next(
            (c for c in free if (c.kind, c.start, c.end) == (code.kind, code.start, code.end)),
            None,
        )
        if twin is not None:
            free.remove(twin)
            renumber[code.id] = twin.id
        else:
            ident = f"x{len(extra) + 1}"
            renumber[code.id] = ident
            extra.append(Code(ident, code.kind, code.start, code.end, code.what))

    def re_id(seg: Segment) -> Segment:
        if isinstance(seg, Text):
            return seg
        return type(seg)(renumber[seg.id])

    return Inline(tuple(re_id(s) for s in target.segments), (*source.codes, *extra))
