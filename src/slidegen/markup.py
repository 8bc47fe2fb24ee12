"""Inline markup in outline strings: **bold**, *italic*, [links](url), <url> and [@citations]."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = [
    "Run",
    "Cite",
    "CiteItem",
    "Span",
    "parse",
    "plain",
    "cite_keys",
    "runs_text",
    "tagged",
    "first_markup",
    "ESCAPE",
]


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class CiteItem:
    """One cited work: its key and an optional locator such as 'p. 12'."""

    key: str
    locator: str | None = None


@dataclass(frozen=True)
class Cite:
    """A citation of one or more works, at `offset` in the source string."""

    items: tuple[CiteItem, ...]
    offset: int = 0


Span = Run | Cite

_CITE = re.compile(r"\[(@[^\[\]]*)\]")
_CITE_ITEM = re.compile(r"^\s*@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)\s*(?:,\s*(.*?))?\s*$")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w(<\"])(https?://[^\s<>\"]+[^\s<>\".,;:!?)])")
_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\3(?![\w*])")
_ESCAPE = re.compile(r"\\([\\*_\[\]()<>@`])")

#: The inline grammar, earliest match first and ties in this order: (name, pattern).
_INLINE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cite", _CITE),
    ("link", _LINK),
    ("auto", _AUTOLINK),
    ("url", _BARE_URL),
    ("emph", _EMPH),
)


def first_markup(text: str) -> tuple[str, re.Match[str]] | None:
    """The first piece of inline markup in a text (escapes already protected): its kind
    (cite, link, auto, url, emph) and match. Tools that rewrite the text around markup
    without touching it (translators' exports) read the grammar through this too."""
    best: tuple[int, str, re.Match[str]] | None = None
    for name, pattern in _INLINE:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name, m)
    return None if best is None else (best[1], best[2])
#: A backslash escape (``\*`` is a literal star).
ESCAPE = _ESCAPE


def parse(text: str) -> tuple[Span, ...]:
    """Split a string into formatted runs and citations (adjacent equal runs merged)."""
    spans = _parse(text, 0, Run(""))
    return _merge(spans)


def _parse(text: str, base: int, fmt: Run) -> list[Span]:
    # Escapes are protected first so that '\*' never starts emphasis.
    text = _ESCAPE.sub(lambda m: "\x00" + str(ord(m.group(1))) + "\x01", text)
    return _parse_protected(text, base, fmt)


def _unprotect(text: str) -> str:
    return re.sub("\x00(\\d+)\x01", lambda m: chr(int(m.group(1))), text)


def _parse_protected(text: str, base: int, fmt: Run) -> list[Span]:
    found = first_markup(text)
    if found is None:
        return [replace(fmt, text=_unprotect(text))] if text else []
    name, m = found
    start = m.start()
    out: list[Span] = []
    if start:
        out.append(replace(fmt, text=_unprotect(text[:start])))
    if name == "cite":
        items = _cite_items(m.group(1))
        if items is None:  # not a citation after all: keep literally
            out.append(replace(fmt, text=_unprotect(m.group(0))))
        else:
            out.append(Cite(items, base + start))
    elif name == "link":
        out.extend(_parse_protected(m.group(1), base + start + 1, replace(fmt, href=m.group(2))))
    elif name in ("auto", "url"):
        url = _unprotect(m.group(1))
        out.append(replace(fmt, text=url, href=url))
    else:
        strong = m.group(1) is not None
        inner = m.group(2) if strong else m.group(4)
        inner_fmt = replace(fmt, bold=True) if strong else replace(fmt, italic=True)
        out.extend(_parse_protected(inner, base + m.start(2 if strong else 4), inner_fmt))
    out.extend(_parse_protected(text[m.end() :], base + m.end(), fmt))
    return out


def _cite_items(body: str) -> tuple[CiteItem, ...] | None:
    items = []
    for part in body.split(";"):
        m = _CITE_ITEM.match(part)
        if not m:
            return None
        items.append(CiteItem(m.group(1), _unprotect(m.group(2)) if m.group(2) else None))
    return tuple(items)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            isinstance(span, Run)
            and isinstance(prev, Run)
            and (prev.bold, prev.italic, prev.href) == (span.bold, span.italic, span.href)
        ):
            out[-1] = replace(prev, text=prev.text + span.text)
        elif not (isinstance(span, Run) and not span.text):
            out.append(span)
    return tuple(out)


def cite_keys(text: str) -> list[tuple[str, int]]:
    """Every cited key in a string, with its offset."""
    return [
        (item.key, span.offset)
        for span in parse(text)
        if isinstance(span, Cite)
        for item in span.items
    ]


def runs_text(runs: tuple[Span, ...] | list[Span]) -> str:
    """The visible text of runs (citations shown as their keys)."""
    parts = []
    for span in runs:
        if isinstance(span, Run):
            parts.append(span.text)
        else:
            parts.append("[" + "; ".join("@" + i.key for i in span.items) + "]")
    return "".join(parts)


def plain(text: str) -> str:
    """A string with its markup removed (citations kept as written)."""
    return runs_text(parse(text))


def tagged(text: str, run: Run) -> str:
    """`text` inside <i>…</i> and then <b>…</b> as `run` is italic and bold: the inline tags
    HTML, CSL rich text and reportlab's paragraphs all read (escaping `text` is the caller's)."""
    if run.italic:
        text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    return text
