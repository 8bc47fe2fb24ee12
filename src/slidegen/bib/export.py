"""Write references out: CSL-JSON (for the citation engine), BibTeX, RIS and an HTML list."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from slidegen.markup import Run, parse, plain, runs_text, safe_href, tagged
from slidegen.read.model import Name, Reference

__all__ = ["to_csl", "to_csl_json", "to_bibtex", "to_ris", "to_html", "book_editors"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: Reference fields that are plain text in CSL-JSON (attribute name, CSL variable); the
#: importer reads the same table the other way.
CSL_PLAIN: tuple[tuple[str, str], ...] = (
    ("collection_number", "collection-number"),
    ("number", "number"),
    ("publisher", "publisher"),
    ("publisher_place", "publisher-place"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("page", "page"),
    ("edition", "edition"),
    ("language", "language"),
    ("url", "URL"),
    ("doi", "DOI"),
    ("isbn", "ISBN"),
)
#: Reference fields that are CSL rich text (<i>, <b> in CSL-JSON; markup in the outline).
CSL_RICH: tuple[tuple[str, str], ...] = (
    ("container_title", "container-title"),
    ("collection_title", "collection-title"),
    ("note", "note"),
)


def _markup_runs(text: str) -> list[Run]:
    """The runs of a markup string, citations kept as written."""
    return [span if isinstance(span, Run) else Run(runs_text((span,))) for span in parse(text)]


def _csl_rich(text: str) -> str:
    """Inline markup as CSL's HTML-like rich text (<i>, <b>); other text left as is."""
    return "".join(tagged(run.text, run) for run in _markup_runs(text))


def _csl_name(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    out = {}
    if name.family:
        out["family"] = name.family
    if name.given:
        out["given"] = name.given
    return out


def _csl_date(value: str) -> dict[str, Any]:
    m = _DATE.match(value.strip())
    if not m:
        return {"literal": value}
    return {"date-parts": [[int(p) for p in m.groups() if p is not None]]}


def to_csl(ref: Reference) -> dict[str, Any]:
    """One reference as a CSL-JSON item."""
    item: dict[str, Any] = {"id": ref.id, "type": ref.type, "title": _csl_rich(ref.title)}
    if ref.author:
        item["author"] = [_csl_name(n) for n in ref.author]
    if ref.editor:
        item["editor"] = [_csl_name(n) for n in ref.editor]
    if ref.container_author:
        item["container-author"] = [_csl_name(n) for n in ref.container_author]
    for attr, var in CSL_RICH:
        rich = getattr(ref, attr)
        if rich:
            item[var] = _csl_rich(rich)
    for attr, var in CSL_PLAIN:
        value = getattr(ref, attr)
        if value:
            item[var] = value
    if ref.issued:
        item["issued"] = _csl_date(ref.issued)
    if ref.accessed:
        item["accessed"] = _csl_date(ref.accessed)
    return item


def to_csl_json(refs: Iterable[Reference]) -> str:
    """References as a CSL-JSON document (what Zotero exports), deterministic."""
    return (
        json.dumps([to_csl(r) for r in refs], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


#: Types that are part of a book or proceedings, whose editors are the container's.
_IN_BOOK = ("chapter", "paper-conference")


def book_editors(ref: Reference) -> tuple[Name, ...]:
    """Who edited or organized the work, or for a chapter the book it is in: its editors and,
    for a chapter, the book's author (an organization such as the OAS organizing a volume).

    BibTeX and RIS have one field for them (``editor``, ``A2``) that reference managers read;
    the book-author fields they also define are dropped on import (Zotero's own importers).
    """
    if ref.type in _IN_BOOK:
        return (*ref.editor, *(n for n in ref.container_author if n not in ref.editor))
    return ref.editor


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_TYPE: dict[str, str] = {
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
}

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX_SPECIAL))


def _tex(text: str) -> str:
    return _TEX_RE.sub(lambda m: _TEX_SPECIAL[m.group(0)], text)


def _tex_rich(text: str) -> str:
    out = []
    for run in _markup_runs(text):
        piece = _tex(run.text)
        if run.italic:
            piece = r"\emph{" + piece + "}"
        if run.bold:
            piece = r"\textbf{" + piece + "}"
        out.append(piece)
    return "".join(out)


def _protected(text: str) -> str:
    return "{" + _tex_rich(text) + "}"


def _tex_name(name: Name) -> str:
    if name.literal:
        return "{" + _tex(name.literal) + "}"  # braced: an organization is never split
    if name.family and name.given:
        return f"{_tex(name.family)}, {_tex(name.given)}"
    return _tex(name.family or name.given or "")


def _bibtex_fields(ref: Reference) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str | None) -> None:
        if value:
            fields.append((name, value))

    article = ref.type.startswith("article")
    add("author", " and ".join(_tex_name(n) for n in ref.author))
    add("editor", " and ".join(_tex_name(n) for n in book_editors(ref)))
    if ref.type not in _IN_BOOK:  # biblatex knows no bookauthor for incollection
        add("bookauthor", " and ".join(_tex_name(n) for n in ref.container_author))
    # Titles are braced as a whole: they are written in the case they must keep, and BibTeX
    # readers would otherwise change the case of English titles.
    add("title", _protected(ref.title))
    if ref.container_title:  # a web page's site is no book: biblatex has howpublished for it
        field = "journal" if article else "booktitle" if ref.type in _IN_BOOK else "howpublished"
        add(field, _protected(ref.container_title))
    add("series", ref.collection_title and _protected(ref.collection_title))
    add("volume", ref.volume and _tex(ref.volume))
    if article:
        add("number", ref.issue and _tex(ref.issue))
    else:
        add("number", _tex(ref.number or ref.collection_number or "") or None)
    if ref.type == "report":
        add("institution", ref.publisher and _tex(ref.publisher))
    elif ref.type == "thesis":
        add("school", ref.publisher and _tex(ref.publisher))
    else:
        add("publisher", ref.publisher and _tex(ref.publisher))
    add("address", ref.publisher_place and _tex(ref.publisher_place))
    add("edition", ref.edition and _tex(ref.edition))
    if ref.issued:
        m = _DATE.match(ref.issued.strip())
        if m:
            add("year", m.group(1))
            add("month", m.group(2) and str(int(m.group(2))))
            if m.group(3):
                add("date", ref.issued.strip())
        else:
            add("year", _tex(ref.issued))
    add("pages", ref.page and _tex(_bib_pages(ref.page)))
    add("langid", ref.language and _tex(ref.language))  # what biblatex and pandoc read
    add("language", ref.language and _tex(ref.language))  # what some managers read
    add("isbn", ref.isbn and _tex(ref.isbn))
    add("doi", ref.doi and _url(ref.doi))
    add("url", ref.url and _url(ref.url))
    add("urldate", ref.accessed)
    add("note", ref.note and _tex_rich(ref.note))
    return fields


def _url(text: str) -> str:
    return text.replace("{", "%7B").replace("}", "%7D")


def _bib_pages(page: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "--", page)


def to_bibtex(refs: Iterable[Reference]) -> str:
    """References as a BibTeX file (UTF-8), in the given order, fields in a fixed order."""
    entries = []
    for ref in refs:
        kind = _BIBTEX_TYPE.get(ref.type, "misc")
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in _bibtex_fields(ref))
        entries.append(f"@{kind}{{{ref.id},\n{body}\n}}\n")
    return "\n".join(entries)


# --- RIS ------------------------------------------------------------------------------------

_RIS_TYPE: dict[str, str] = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "paper-conference": "CPAPER",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "legislation": "STAT",
    "treaty": "LEGAL",
    "document": "GEN",
    "dataset": "DATA",
}


def _ris_name(name: Name) -> str:
    if name.literal:
        return name.literal
    if name.family and name.given:
        return f"{name.family}, {name.given}"
    return name.family or name.given or ""


def _ris_date(value: str) -> str:
    m = _DATE.match(value.strip())
    if not m:
        return value
    y, mo, d = m.groups()
    return f"{y}/{mo or ''}/{d or ''}/"


def _ris_lines(ref: Reference) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = [("TY", _RIS_TYPE.get(ref.type, "GEN")), ("ID", ref.id)]

    def add(tag: str, value: str | None) -> None:
        if value:
            lines.append((tag, " ".join(value.split())))

    for n in ref.author:
        add("AU", _ris_name(n))
    for n in book_editors(ref):
        add("A2" if ref.type in _IN_BOOK else "ED", _ris_name(n))
    add("TI", plain(ref.title))
    add("T2", ref.container_title and plain(ref.container_title))
    add("T3", ref.collection_title and plain(ref.collection_title))
    if ref.issued:
        m = _DATE.match(ref.issued.strip())
        add("PY", m.group(1) if m else ref.issued)
        add("DA", _ris_date(ref.issued))
    add("Y2", ref.accessed and _ris_date(ref.accessed))
    add("VL", ref.volume)
    add("IS", ref.issue)
    add("M1", ref.number)
    add("SV", ref.collection_number)
    if ref.page:
        first, _, last = _bib_pages(ref.page).partition("--")
        add("SP", first)
        add("EP", last)
    add("ET", ref.edition)
    add("PB", ref.publisher)
    add("CY", ref.publisher_place)
    add("LA", ref.language)
    add("SN", ref.isbn)
    add("DO", ref.doi)
    add("UR", ref.url)
    add("N1", ref.note and plain(ref.note))
    return lines


def to_ris(refs: Iterable[Reference]) -> str:
    """References as an RIS file (CRLF line ends, as the format asks), in the given order."""
    out = []
    for ref in refs:
        for tag, value in _ris_lines(ref):
            out.append(f"{tag}  - {value}")
        out.append("ER  - ")
        out.append("")
    return "\r\n".join(out)


# --- HTML -----------------------------------------------------------------------------------

_CSS = (
    "body{font-family:Arial,'Liberation Sans',sans-serif;max-width:46em;margin:2em auto;"
    "padding:0 1em;line-height:1.45}"
    "ol{list-style:none;padding:0}"
    "li{margin:0 0 .8em;padding-left:2em;text-indent:-2em}"
)


def _html_runs(runs: Sequence[Run]) -> str:
    out = []
    for run in runs:
        piece = tagged(html.escape(run.text, quote=False), run)
        href = safe_href(run.href)
        if href:
            piece = f'<a href="{html.escape(href)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def to_html(edition_entries: Sequence[Sequence[Run]], title: str, lang: str) -> str:
    """A standalone HTML5 page listing the formatted references (italics and links kept)."""
    items = "\n".join(f"<li>{_html_runs(entry)}</li>" for entry in edition_entries)
    heading = html.escape(title, quote=False)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n"
        f"<style>{_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{heading}</h1>\n"
        f'<ol class="references">\n{items}\n</ol>\n'
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
