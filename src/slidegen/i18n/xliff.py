"""XLIFF 2.1 and 1.2 files of translation units, written and read with lxml.

Inline markup travels as codes a CAT tool protects: XLIFF 2 `<pc>` (bold, italic, a link's
text) and `<ph>` (a citation, a web address) with the markup kept in `<originalData>`; XLIFF 1.2
`<g>` and `<x>`. States: translated → `translated`; stale → 2.1 `initial` / 1.2
`needs-translation`, with the previous source in a note (1.2: also an `<alt-trans>`);
missing → 2.1 `initial` / 1.2 `new`, an empty target.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from lxml import etree

from slidegen.errors import Location, OutlineError, Problem
from slidegen.i18n.catalog import Catalog
from slidegen.i18n.changes import word_diff
from slidegen.i18n.exchange import Incoming, Outgoing, context_note, length_note, outgoing
from slidegen.i18n.glossary import Glossary, Term, terms_in
from slidegen.i18n.inline import Close, Inline, Open, Ph, Segment, Text

__all__ = ["write_xliff", "read_xliff", "NS2", "NS12"]

NS2 = "urn:oasis:names:tc:xliff:document:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CTYPE = {"bold": "bold", "italic": "italic", "link": "link"}


def _unit_xml_id(ident: str) -> str:
    """An XLIFF 2 unit id (an NMTOKEN: no '/'); the readable id is the unit's name."""
    return ident.replace("/", ".")


def _fill(parent: Any, inline: Inline, v2: bool, data_ids: dict[tuple[str, str], str]) -> None:
    """Append the segments of `inline` to an element as text and inline codes."""
    stack = [parent]
    last: Any = None

    def add_text(text: str) -> None:
        nonlocal last
        if last is None:
            stack[-1].text = (stack[-1].text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for seg in inline.segments:
        if isinstance(seg, Text):
            add_text(seg.text)
            continue
        code = inline.code(seg.id)
        assert code is not None
        if isinstance(seg, Ph):
            if v2:
                el = etree.SubElement(stack[-1], f"{{{NS2}}}ph", id=seg.id)
                el.set("dataRef", data_ids[(seg.id, "start")])
                el.set("disp", code.start)
            else:
                el = etree.SubElement(stack[-1], f"{{{NS12}}}x", id=seg.id)
                el.set("ctype", "x-" + code.what.replace(" ", "-"))
                el.set("equiv-text", code.start)
            last = el
        elif isinstance(seg, Open):
            if v2:
                el = etree.SubElement(stack[-1], f"{{{NS2}}}pc", id=seg.id)
                el.set("dataRefStart", data_ids[(seg.id, "start")])
                el.set("dataRefEnd", data_ids[(seg.id, "end")])
                el.set("type", "fmt" if code.what != "link" else "link")
                el.set("dispStart", code.start)
                el.set("dispEnd", code.end)
            else:
                el = etree.SubElement(stack[-1], f"{{{NS12}}}g", id=seg.id)
                el.set("ctype", _CTYPE.get(code.what, "x-" + code.what))
            stack.append(el)
            last = None
        else:  # Close
            last = stack.pop()


def _data_table(unit_el: Any, inline: Inline) -> dict[tuple[str, str], str]:
    """XLIFF 2's <originalData>: the markup each code stands for."""
    ids: dict[tuple[str, str], str] = {}
    if not inline.codes:
        return ids
    table = etree.SubElement(unit_el, f"{{{NS2}}}originalData")
    for code in inline.codes:
        for part, value in (("start", code.start), ("end", code.end)):
            if part == "end" and code.kind == "ph":
                continue
            ident = f"d{code.id}{'e' if part == 'end' else ''}"
            ids[(code.id, part)] = ident
            etree.SubElement(table, f"{{{NS2}}}data", id=ident).text = value
    return ids


def _stale_note(out: Outgoing) -> str:
    """What a stale unit's note says: the change as a word diff, when it is recorded."""
    if out.unit.previous is None:
        return "the source changed since this was translated: check the translation against it"
    return "changed in the source: " + word_diff(out.unit.previous, out.unit.source)


def _notes2(unit_el: Any, out: Outgoing, hint: int | None) -> None:
    notes = etree.SubElement(unit_el, f"{{{NS2}}}notes")
    etree.SubElement(notes, f"{{{NS2}}}note", category="context").text = context_note(out.unit)
    if hint is not None:
        etree.SubElement(notes, f"{{{NS2}}}note", category="length").text = length_note(hint)
    if out.unit.previous is not None:
        etree.SubElement(notes, f"{{{NS2}}}note", category="previous-source").text = (
            out.unit.previous
        )
    if out.unit.state == "stale":
        etree.SubElement(notes, f"{{{NS2}}}note", category="state").text = _stale_note(out)


def _glossary2(unit_el: Any, terms: Sequence[Term], lang: str) -> None:
    """XLIFF 2's glossary module: the terms the unit's source holds, with their translations."""
    found = [t for t in terms if t.required(lang) or t.note]
    if not found:
        return
    gls = etree.SubElement(unit_el, f"{{{GLS}}}glossary")
    for term in found:
        entry = etree.SubElement(gls, f"{{{GLS}}}glossEntry")
        etree.SubElement(entry, f"{{{GLS}}}term", source="glossary").text = term.term
        if term.note:
            etree.SubElement(entry, f"{{{GLS}}}definition").text = term.note
        for word in term.required(lang):
            etree.SubElement(entry, f"{{{GLS}}}translation").text = word


def _unit2(file_el: Any, out: Outgoing, glossary: Glossary, lang: str, hint: int | None) -> None:
    unit_el = etree.SubElement(
        file_el, f"{{{NS2}}}unit", id=_unit_xml_id(out.unit.id), name=out.unit.id
    )
    unit_el.set("canResegment", "no")
    _glossary2(unit_el, terms_in(glossary, out.unit.source), lang)
    _notes2(unit_el, out, hint)
    data = _data_table(unit_el, out.codes)
    state = "translated" if out.unit.state == "translated" else "initial"
    seg_el = etree.SubElement(unit_el, f"{{{NS2}}}segment", state=state)
    src = etree.SubElement(seg_el, f"{{{NS2}}}source")
    src.set(_XML_SPACE, "preserve")
    _fill(src, out.source, True, data)
    tgt = etree.SubElement(seg_el, f"{{{NS2}}}target")
    tgt.set(_XML_SPACE, "preserve")
    if out.target is not None:
        _fill(tgt, out.target, True, data)


def _unit12(body: Any, out: Outgoing, hint: int | None) -> None:
    unit_el = etree.SubElement(body, f"{{{NS12}}}trans-unit", id=out.unit.id)
    unit_el.set(_XML_SPACE, "preserve")
    unit_el.set("resname", out.unit.id)
    if hint is not None:
        unit_el.set("maxwidth", str(hint))
        unit_el.set("size-unit", "char")
    _fill(etree.SubElement(unit_el, f"{{{NS12}}}source"), out.source, False, {})
    state = {"translated": "translated", "stale": "needs-translation", "missing": "new"}
    tgt = etree.SubElement(unit_el, f"{{{NS12}}}target", state=state[out.unit.state])
    if out.target is not None:
        _fill(tgt, out.target, False, {})
    if out.previous is not None:
        alt = etree.SubElement(unit_el, f"{{{NS12}}}alt-trans", alttranstype="previous-version")
        _fill(etree.SubElement(alt, f"{{{NS12}}}source"), out.previous, False, {})
    note = etree.SubElement(unit_el, f"{{{NS12}}}note", annotates="general")
    note.set("from", "slidegen")
    note.text = context_note(out.unit)
    if hint is not None:
        size = etree.SubElement(unit_el, f"{{{NS12}}}note", annotates="general")
        size.set("from", "slidegen")
        size.text = length_note(hint)
    if out.unit.state == "stale":
        prev = etree.SubElement(unit_el, f"{{{NS12}}}note", annotates="source")
        prev.set("from", "slidegen")
        prev.text = _stale_note(out)


def write_xliff(
    catalogs: Sequence[Catalog],
    version: str = "2.1",
    glossary: Glossary | None = None,
    hints: Mapping[str, int] | None = None,
) -> bytes:
    """An XLIFF file (2.1, or 1.2) of every unit of the catalogs, one <file> per class; 2.1
    carries the glossary's terms in each unit (the glossary module)."""
    glossary = glossary or Glossary(())
    hints = hints or {}
    if not catalogs:
        raise OutlineError([Problem("nothing to export: no class found")])
    src_lang, trg_lang = catalogs[0].source_language, catalogs[0].language
    if version == "1.2":
        root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
        for cat in catalogs:
            file_el = etree.SubElement(root, f"{{{NS12}}}file", original=cat.source.name)
            file_el.set("source-language", src_lang)
            file_el.set("target-language", trg_lang)
            file_el.set("datatype", "plaintext")
            file_el.set("product-name", "slidegen")
            body = etree.SubElement(file_el, f"{{{NS12}}}body")
            for out in outgoing(cat):
                _unit12(body, out, hints.get(out.unit.id))
    else:
        nsmap = {None: NS2, "gls": GLS} if glossary.terms else {None: NS2}
        root = etree.Element(f"{{{NS2}}}xliff", nsmap=nsmap, version="2.1")
        root.set("srcLang", src_lang)
        root.set("trgLang", trg_lang)
        for cat in catalogs:
            file_el = etree.SubElement(root, f"{{{NS2}}}file", id=cat.class_id)
            file_el.set("original", cat.source.name)
            for out in outgoing(cat):
                _unit2(file_el, out, glossary, trg_lang, hints.get(out.unit.id))
    _indent(root)
    body_bytes: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return body_bytes + b"\n"


_LEAVES = {"source", "target", "data", "note", "term", "translation", "definition"}


def _indent(el: Any, level: int = 0) -> None:
    """Lay the structure out on lines (like `etree.indent`), never touching the content of a
    <source>, <target>, <data> or <note>: whitespace there is part of the text."""
    if etree.QName(el).localname in _LEAVES or not len(el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


# --- reading -----------------------------------------------------------------------------------


def _loc(path: str, el: Any, lines: list[str]) -> Location:
    """Where an element starts: its line (lxml's), and the column of its tag on that line."""
    line = int(el.sourceline or 0)
    tag = etree.QName(el).localname
    col = lines[line - 1].find("<" + tag) + 1 if 0 < line <= len(lines) else 0
    return Location(path, line, max(col, 1))


def _segments(el: Any, path: str, lines: list[str]) -> list[Segment]:
    """The text and inline codes of a <target>; an element no unit can hold is refused."""
    out: list[Segment] = []
    if el.text:
        out.append(Text(el.text))
    for child in el:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            if child.tail:
                out.append(Text(child.tail))
            continue
        name = etree.QName(child).localname
        ident = child.get("id", "")
        if name in ("ph", "x"):
            out.append(Ph(ident))
        elif name in ("pc", "g"):
            out.append(Open(ident))
            out.extend(_segments(child, path, lines))
            out.append(Close(ident))
        elif name == "mrk":  # an annotation a tool added: its text counts
            out.extend(_segments(child, path, lines))
        else:
            raise OutlineError(
                [
                    Problem(
                        f"<{name}> cannot be part of a translation here",
                        _loc(path, child, lines),
                        "keep only the text and the codes (<pc>, <ph>, <g>, <x>) of the source",
                    )
                ]
            )
        if child.tail:
            out.append(Text(child.tail))
    return out


def _units2(root: Any) -> Iterator[tuple[str, list[Any], bool]]:
    for unit in root.iter(f"{{{NS2}}}unit"):
        ident = unit.get("name") or str(unit.get("id", "")).replace(".", "/")
        segs = unit.findall(f"{{{NS2}}}segment")
        targets = [s.find(f"{{{NS2}}}target") for s in segs]
        done = all(s.get("state", "initial") in ("translated", "reviewed", "final") for s in segs)
        yield ident, [t for t in targets if t is not None] or [unit], done and bool(segs)


def _units12(root: Any) -> Iterator[tuple[str, list[Any], bool]]:
    for unit in root.iter(f"{{{NS12}}}trans-unit"):
        target = unit.find(f"{{{NS12}}}target")
        state = target.get("state", "translated") if target is not None else "new"
        done = state in ("translated", "signed-off", "final")
        yield str(unit.get("id", "")), [target] if target is not None else [unit], done


def read_xliff(data: bytes, path: str) -> tuple[str, list[Incoming]]:
    """The target language and the units of an XLIFF 2.x or 1.2 file."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        raise OutlineError(
            [Problem(f"not well-formed XML: {exc.msg}", Location(path, line, col + 1))]
        ) from None
    lines = data.decode("utf-8", "replace").splitlines()
    ns = etree.QName(root).namespace
    if ns == NS2:
        lang = str(root.get("trgLang", ""))
        units = _units2(root)
    elif ns == NS12:
        first = root.find(f"{{{NS12}}}file")
        lang = str(first.get("target-language", "")) if first is not None else ""
        units = _units12(root)
    else:
        raise OutlineError(
            [Problem("not an XLIFF 1.2 or 2.x file", Location(path, 1, 1), "export one first")]
        )
    incoming: list[Incoming] = []
    for ident, targets, done in units:
        is_target = etree.QName(targets[0]).localname == "target"
        segments: list[Segment] = []
        if is_target:
            for target in targets:
                segments += _segments(target, path, lines)
        text = "".join(s.text for s in segments if isinstance(s, Text))
        empty = not segments or (not text.strip() and all(isinstance(s, Text) for s in segments))
        incoming.append(
            Incoming(
                ident,
                None if empty else tuple(segments),
                done,
                _loc(path, targets[0], lines),
            )
        )
    return lang, incoming
