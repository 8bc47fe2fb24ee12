"""A glossary of terms with their required translations and forbidden variants: read from
``glossary.yaml`` (or a TBX file, ``glossary.tbx``) in the folder of the outlines, checked
against every translated text, written as TBX and into XLIFF 2's glossary module.

``glossary.yaml``::

    terms:
      - term: OAS
        translations: {pt: OEA, es: OEA, fr: OEA}
        forbidden: {pt: [OAS]}
        note: the organization's official acronym in each language
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slidegen.errors import Location, OutlineError, Problem
from slidegen.i18n.catalog import Catalog, find_node
from slidegen.markup import plain
from slidegen.read.convert import suggest
from slidegen.read.yaml_nodes import load_document, loc_of, scalar_tag

__all__ = [
    "Term",
    "Glossary",
    "GLOSSARY_FILES",
    "load_glossary",
    "check_glossary",
    "to_tbx",
    "terms_in",
]

#: The glossary files looked for beside the outlines, in this order.
GLOSSARY_FILES: tuple[str, ...] = ("glossary.yaml", "glossary.tbx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TERM_KEYS = ("term", "translations", "forbidden", "note")


@dataclass(frozen=True)
class Term:
    """One source term: what it must be in each language, and what it must not be."""

    term: str
    #: Per language, the accepted translations (the first is the preferred one).
    translations: dict[str, tuple[str, ...]]
    #: Per language, variants that must not be used.
    forbidden: dict[str, tuple[str, ...]]
    note: str | None = None

    def required(self, lang: str) -> tuple[str, ...]:
        """The accepted translations in a language (a regional code falls back: pt-BR → pt)."""
        return self.translations.get(lang) or self.translations.get(lang.split("-")[0], ())

    def banned(self, lang: str) -> tuple[str, ...]:
        """The forbidden variants in a language."""
        return self.forbidden.get(lang) or self.forbidden.get(lang.split("-")[0], ())


@dataclass(frozen=True)
class Glossary:
    """The terms of one folder of classes, and the file they came from."""

    terms: tuple[Term, ...]
    path: Path | None = None


def _pattern(word: str) -> re.Pattern[str]:
    """A word or phrase, whole words only, ignoring case and spacing."""
    parts = [re.escape(p) for p in word.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def contains(text: str, word: str) -> bool:
    """Whether a text holds a word or phrase (whole words, any case)."""
    return bool(_pattern(word).search(plain(text)))


def terms_in(glossary: Glossary, text: str) -> list[Term]:
    """The terms a source text holds."""
    return [t for t in glossary.terms if contains(text, t.term)]


# --- reading -----------------------------------------------------------------------------------


def _strings(node: Node, shown: str, what: str, errors: list[Problem]) -> tuple[str, ...]:
    if isinstance(node, ScalarNode) and scalar_tag(node) == "str" and node.value.strip():
        return (str(node.value),)
    if isinstance(node, SequenceNode):
        out: list[str] = []
        for item in node.value:
            out += _strings(item, shown, what, errors)
        return tuple(out)
    errors.append(Problem(f"{what} must be a text or a list of texts", loc_of(shown, node)))
    return ()


def _by_lang(
    node: Node, shown: str, what: str, errors: list[Problem]
) -> dict[str, tuple[str, ...]]:
    if not isinstance(node, MappingNode):
        errors.append(
            Problem(f"{what} must map languages to texts", loc_of(shown, node), "write pt: ...")
        )
        return {}
    return {str(k.value): _strings(v, shown, f"{what} '{k.value}'", errors) for k, v in node.value}


def _term(node: Node, shown: str, errors: list[Problem]) -> Term | None:
    if not isinstance(node, MappingNode):
        errors.append(Problem("a term is a mapping (term:, translations:)", loc_of(shown, node)))
        return None
    values: dict[str, Node] = {}
    for k, v in node.value:
        key = str(k.value)
        if key not in _TERM_KEYS:
            hint = suggest(key, _TERM_KEYS) or "the keys are: " + ", ".join(_TERM_KEYS)
            errors.append(Problem(f"'{key}' is not a key of a term", loc_of(shown, k), hint))
        values[key] = v
    if "term" not in values or "translations" not in values:
        errors.append(Problem("a term needs 'term:' and 'translations:'", loc_of(shown, node)))
        return None
    term = _strings(values["term"], shown, "'term'", errors)
    note = values.get("note")
    return Term(
        term[0] if term else "",
        _by_lang(values["translations"], shown, "'translations'", errors),
        _by_lang(values["forbidden"], shown, "'forbidden'", errors)
        if "forbidden" in values
        else {},
        str(note.value) if isinstance(note, ScalarNode) else None,
    )


def _read_yaml(path: Path) -> Glossary:
    shown = str(path)
    _text, root = load_document(path, shown)
    errors: list[Problem] = []
    terms_node = find_node(root, ("terms",))
    if not isinstance(terms_node, SequenceNode):
        raise OutlineError(
            [Problem("a glossary holds 'terms:', a list of terms", loc_of(shown, root))]
        )
    terms = [t for node in terms_node.value if (t := _term(node, shown, errors)) is not None]
    if errors:
        raise OutlineError(errors)
    return Glossary(tuple(terms), path)


def _local(el: Any) -> str:
    return str(etree.QName(el).localname)


def _read_tbx(path: Path, source_lang: str) -> Glossary:
    """A TBX file (v2 termEntry/langSet/tig or v3 conceptEntry/langSec/termSec): the source
    language's term, the others' terms as translations; a term whose administrative status is
    deprecated or not recommended is a forbidden variant."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        raise OutlineError(
            [Problem(f"not well-formed XML: {exc.msg}", Location(str(path), line, col + 1))]
        ) from None
    terms: list[Term] = []
    for entry in root.iter():
        if not isinstance(entry.tag, str) or _local(entry) not in ("termEntry", "conceptEntry"):
            continue
        source: str | None = None
        wanted: dict[str, list[str]] = {}
        banned: dict[str, list[str]] = {}
        for lang_el in entry:
            if not isinstance(lang_el.tag, str) or _local(lang_el) not in ("langSet", "langSec"):
                continue
            lang = str(lang_el.get(_XML_LANG, ""))
            for tig in lang_el:
                if not isinstance(tig.tag, str) or _local(tig) not in ("tig", "termSec", "ntig"):
                    continue
                word = next(
                    (e.text for e in tig.iter() if isinstance(e.tag, str) and _local(e) == "term"),
                    None,
                )
                status = " ".join(
                    (e.text or "")
                    for e in tig.iter()
                    if isinstance(e.tag, str) and _local(e) == "termNote"
                )
                if not word:
                    continue
                if lang.split("-")[0] == source_lang.split("-")[0] and source is None:
                    source = word
                elif "deprecated" in status or "notRecommended" in status:
                    banned.setdefault(lang, []).append(word)
                else:
                    wanted.setdefault(lang, []).append(word)
        if source:
            terms.append(
                Term(
                    source,
                    {k: tuple(v) for k, v in wanted.items()},
                    {k: tuple(v) for k, v in banned.items()},
                )
            )
    return Glossary(tuple(terms), path)


def load_glossary(folder: Path, source_lang: str = "en") -> Glossary:
    """The glossary beside the outlines (empty when there is none)."""
    for name in GLOSSARY_FILES:
        path = folder / name
        if path.is_file():
            return _read_yaml(path) if name.endswith(".yaml") else _read_tbx(path, source_lang)
    return Glossary(())


# --- checking ----------------------------------------------------------------------------------


def _findings(glossary: Glossary, cat: Catalog) -> Iterator[tuple[Any, Term, str]]:
    lang = cat.language
    for unit in cat.units:
        if unit.target is None:
            continue
        for term in terms_in(glossary, unit.source):
            required = term.required(lang)
            if required and not any(contains(unit.target, r) for r in required):
                shown = " or ".join(f"'{r}'" for r in required)
                yield unit, term, f"'{term.term}' is translated without {shown}"
            rest = plain(unit.target)  # a forbidden variant inside a required one is fine
            for word in required:
                rest = _pattern(word).sub(" ", rest)
            for bad in term.banned(lang):
                if _pattern(bad).search(rest):
                    yield unit, term, f"'{term.term}' is translated as '{bad}', a forbidden variant"


def check_glossary(glossary: Glossary, cat: Catalog) -> list[Problem]:
    """A warning, at the translated text, where a source text holds a term and its
    translation lacks the required translation or uses a forbidden one."""
    if not glossary.terms or not cat.translation.exists():
        return []
    shown = str(cat.translation)
    _text, root = load_document(cat.translation, shown)
    out = []
    for unit, term, message in _findings(glossary, cat):
        node = find_node(root, unit.path)
        hint = glossary.path.name if glossary.path else "the glossary"
        preferred = term.required(cat.language)
        hint += f" says '{preferred[0]}'" if preferred else " forbids it"
        if term.note:
            hint += f": {term.note}"
        out.append(
            Problem(
                f"{unit.field}: {message}",
                loc_of(shown, node) if node is not None else Location(shown),
                hint,
                severity="warning",
                slide=unit.entry if unit.kind not in ("class", "section") else None,
            )
        )
    return out


# --- writing -----------------------------------------------------------------------------------


def to_tbx(glossary: Glossary, source_lang: str, langs: Sequence[str]) -> bytes:
    """The glossary as TBX (TBX-Basic style: termEntry, langSet, tig), for a CAT tool."""
    root = etree.Element("martif", type="TBX")
    root.set(_XML_LANG, source_lang)
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "slidegen glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for n, term in enumerate(glossary.terms, 1):
        entry = etree.SubElement(body, "termEntry", id=f"t{n}")
        if term.note:
            etree.SubElement(entry, "descrip", type="definition").text = term.note
        src = etree.SubElement(entry, "langSet")
        src.set(_XML_LANG, source_lang)
        etree.SubElement(etree.SubElement(src, "tig"), "term").text = term.term
        for lang in langs:
            words = [(w, "preferredTerm-admn-sts") for w in term.required(lang)]
            words += [(w, "deprecatedTerm-admn-sts") for w in term.banned(lang)]
            if not words:
                continue
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(_XML_LANG, lang)
            for word, status in words:
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = word
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"
