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
    "link_problem",
    "link_problems",
    "safe_href",
    "LINK_SCHEMES",
    "LINK_HINT",
    "MAX_NESTING",
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


#: Deepest nesting of emphasis and links inside each other; deeper markup is kept as text.
MAX_NESTING = 8
#: The only link schemes a deck, a handout or an HTML page links to.
LINK_SCHEMES = ("http", "https", "mailto")
#: What to do about a link that is not allowed.
LINK_HINT = "link only to http://, https:// or mailto: addresses"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def link_problem(href: str) -> str | None:
    """Why `href` may not become a link (None: it may): only absolute http, https and mailto
    addresses do, never javascript:, file:, data: or a relative path."""
    m = _SCHEME.match(href)
    if m is None:
        return f"the link '{_short(href)}' is not a web address (http://, https:// or mailto:)"
    scheme = m.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return f"links with '{scheme}:' are not allowed ('{_short(href)}')"
    if scheme in ("http", "https") and not href[m.end() :].startswith("//"):
        return f"the link '{_short(href)}' has no host (write {scheme}://host/...)"
    if any(ord(c) < 32 or ord(c) == 127 for c in href):
        return f"the link '{_short(href)}' holds a control character"
    return None


def _short(href: str) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in href)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def safe_href(href: str | None) -> str | None:
    """`href` when it may be a link, else None (the text then shows without a link)."""
    return href if href is not None and link_problem(href) is None else None


def link_problems(text: str) -> list[tuple[int, str]]:
    """The links of a string that may not be links: (offset, why), for located errors."""
    if "](" not in text and "<" not in text:
        return []
    found: list[tuple[int, str]] = []
    _walk(_protect(text), 0, Run(""), 0, found, [])
    return found


def parse(text: str) -> tuple[Span, ...]:
    """Split a string into formatted runs and citations (adjacent equal runs merged); a link
    whose address is not allowed (`link_problem`) shows as text without a link."""
    if _plain(text):  # most strings: no character any markup (or escape) needs
        return (Run(text),) if text else ()
    spans = _parse(text, 0, Run(""))
    return _merge(spans)


#: Every piece of markup holds one of these (a bare address holds "://"; "\x00" is what
#: escapes are hidden as while parsing).
_MARKUP_MARKS = ("[", "<", "*", "_", "\\", "://", "\x00")


def _plain(text: str) -> bool:
    return not any(mark in text for mark in _MARKUP_MARKS)


def _protect(text: str) -> str:
    """Escapes hidden first, so that '\\*' never starts emphasis (`_unprotect` restores them)."""
    return _ESCAPE.sub(lambda m: "\x00" + str(ord(m.group(1))) + "\x01", text)


def _parse(text: str, base: int, fmt: Run) -> list[Span]:
    return _parse_protected(_protect(text), base, fmt)


def _unprotect(text: str) -> str:
    return re.sub("\x00(\\d+)\x01", lambda m: chr(int(m.group(1))), text)


def _parse_protected(text: str, base: int, fmt: Run, depth: int = 0) -> list[Span]:
    out: list[Span] = []
    _walk(text, base, fmt, depth, None, out)
    return out


def _walk(
    text: str,
    base: int,
    fmt: Run,
    depth: int,
    problems: list[tuple[int, str]] | None,
    sink: list[Span],
) -> None:
    """Parse protected `text` into `sink` (siblings in a loop, nesting by recursion at most
    `MAX_NESTING` deep); with `problems`, also collect the links that are not allowed."""
    found: dict[str, tuple[int, re.Match[str]] | None] = {}
    offset = 0  # of `text` in the text this call was given
    while text:
        best = _first(text, offset, found) if depth < MAX_NESTING else None
        if best is None:
            sink.append(replace(fmt, text=_unprotect(text)))
            return
        name, m, shift = best  # m's positions are in the text `shift` characters before `text`
        start, end = m.start() - shift, m.end() - shift
        if start:
            sink.append(replace(fmt, text=_unprotect(text[:start])))
        if name == "cite":
            items = _cite_items(m.group(1))
            if items is None:  # not a citation after all: keep literally
                sink.append(replace(fmt, text=_unprotect(m.group(0))))
            else:
                sink.append(Cite(items, base + start))
        elif name == "link":
            href = _unprotect(m.group(2))
            problem = link_problem(href)
            if problem is not None and problems is not None:
                problems.append((base + start, problem))
            inner = replace(fmt, href=None if problem else href)
            _walk(m.group(1), base + start + 1, inner, depth + 1, problems, sink)
        elif name in ("auto", "url"):
            url = _unprotect(m.group(1))
            sink.append(replace(fmt, text=url, href=safe_href(url)))
        else:
            strong = m.group(1) is not None
            inner_text = m.group(2) if strong else m.group(4)
            inner_fmt = replace(fmt, bold=True) if strong else replace(fmt, italic=True)
            inner_base = base + m.start(2 if strong else 4) - shift
            _walk(inner_text, inner_base, inner_fmt, depth + 1, problems, sink)
        base += end
        offset += end
        text = text[end:]


def _first(
    text: str, offset: int, found: dict[str, tuple[int, re.Match[str]] | None]
) -> tuple[str, re.Match[str], int] | None:
    """The earliest markup in `text` (at `offset` of the whole): (kind, match, shift).

    Each pattern's next match is remembered (`found`: where the text it was found in began,
    and the match); it stays the first one while it lies ahead, except for a match right at
    the start (the look-behinds see no character there), so the rest is searched again only
    once it was consumed: linear in the text, not quadratic."""
    best: tuple[int, str, re.Match[str], int] | None = None
    for name, pattern in _INLINE:
        entry = found.get(name, _UNSEARCHED)
        if entry is _UNSEARCHED or (entry is not None and entry[0] + entry[1].start() < offset):
            m = pattern.search(text)
            entry = (offset, m) if m else None
        else:
            at_start = pattern.match(text)
            if at_start is not None:
                entry = (offset, at_start)
        found[name] = entry
        if entry is not None:
            where = entry[0] + entry[1].start()
            if best is None or where < best[0]:
                best = (where, name, entry[1], offset - entry[0])
    return None if best is None else best[1:]


_UNSEARCHED: tuple[int, re.Match[str]] = (-1, re.match("", ""))  # type: ignore[assignment]


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
