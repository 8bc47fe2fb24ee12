"""Read references from BibTeX and CSL-JSON files (what Zotero exports) into `model.Reference`."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from slidegen.bib.export import CSL_PLAIN, CSL_RICH
from slidegen.errors import BibliographyError, Location, Problem
from slidegen.read.model import Name, Reference, ReferenceType

__all__ = ["read_bibtex", "read_csl_json", "read_references", "from_csl", "run_pandoc"]

_TYPES: frozenset[str] = frozenset(get_args(ReferenceType))

#: CSL types outside the model's list, mapped to their nearest model type.
_TYPE_ALIASES: dict[str, ReferenceType] = {
    "article": "article-journal",
    "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "entry": "chapter",
    "post": "webpage",
    "post-weblog": "webpage",
    "standard": "report",
    "bill": "legislation",
    "legal_case": "legislation",
    "regulation": "legislation",
}


def run_pandoc(args: Sequence[str], stdin: bytes) -> bytes:
    """Run the pandoc that ships with pypandoc-binary; a failure is a `BibliographyError`."""
    from slidegen.bib.engine import pandoc_path

    proc = subprocess.run([pandoc_path(), *args], input=stdin, capture_output=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise BibliographyError([Problem(f"pandoc failed: {message}")])
    return proc.stdout


# --- CSL-JSON -> Reference ------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\*_\[\]<`])")
_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^<>]*>")


def _markup(value: Any) -> str:
    """CSL rich text (<i>, <b>, <span class="nocase">, ...) as slidegen inline markup."""
    text = str(value)
    out = []
    pos = 0
    for m in _TAG.finditer(text):
        out.append(_MD_SPECIAL.sub(r"\\\1", text[pos : m.start()]))
        tag = m.group(2).lower()
        if tag == "i":
            out.append("*")
        elif tag == "b":
            out.append("**")
        pos = m.end()
    out.append(_MD_SPECIAL.sub(r"\\\1", text[pos:]))
    return " ".join("".join(out).split())


def _name(value: Any) -> Name:
    if isinstance(value, str):
        return Name(literal=value)
    if not isinstance(value, dict):
        return Name(literal=str(value))
    if value.get("literal"):
        return Name(literal=str(value["literal"]))
    family = " ".join(
        str(p) for p in (value.get("non-dropping-particle"), value.get("family")) if p
    )
    given = " ".join(str(p) for p in (value.get("given"), value.get("dropping-particle")) if p)
    if value.get("suffix"):
        given = f"{given}, {value['suffix']}" if given else str(value["suffix"])
    return Name(family=family or None, given=given or None)


def _date(value: Any) -> str | None:
    if isinstance(value, str | int):
        return str(value)
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            nums = [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            nums = []
        if nums:
            return "-".join([f"{nums[0]:04d}", *(f"{n:02d}" for n in nums[1:])])
    for key in ("raw", "literal"):
        if value.get(key):
            return str(value[key])
    return None


def _ref_type(value: Any) -> ReferenceType:
    text = str(value or "document")
    if text in _TYPES:
        return text  # type: ignore[return-value]
    return _TYPE_ALIASES.get(text, "document")


def from_csl(item: dict[str, Any], loc: Location | None = None) -> Reference:
    """One CSL-JSON item as a Reference; raises `BibliographyError` at `loc` if unusable."""
    key = item.get("id")
    if key is None or str(key).strip() == "":
        raise BibliographyError([Problem("a reference has no 'id'", loc)])
    title = item.get("title")
    if not title:
        raise BibliographyError([Problem(f"reference '{key}' has no title", loc)])
    fields: dict[str, Any] = {}
    for attr, csl in CSL_PLAIN:
        value = item.get(csl)
        if value not in (None, ""):
            fields[attr] = " ".join(str(value).split())
    for attr, csl in CSL_RICH:
        if item.get(csl):
            fields[attr] = _markup(item[csl])
    return Reference(
        id=str(key),
        type=_ref_type(item.get("type")),
        title=_markup(title),
        author=tuple(_name(n) for n in item.get("author") or ()),
        editor=tuple(_name(n) for n in item.get("editor") or ()),
        container_author=tuple(_name(n) for n in item.get("container-author") or ()),
        issued=_date(item.get("issued")),
        accessed=_date(item.get("accessed")),
        loc=loc,
        **fields,
    )


def _line_of(text: str, pattern: str) -> int:
    m = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def _references(items: Any, text: str, path: str, key_pattern: str) -> tuple[Reference, ...]:
    if not isinstance(items, list):
        raise BibliographyError(
            [Problem("expected a list of references", Location(path, 1, 1), hint="CSL-JSON")]
        )
    refs = []
    problems = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(f"reference #{i + 1} is not an object", Location(path)))
            continue
        key = str(item.get("id", ""))
        line = _line_of(text, key_pattern.format(key=re.escape(key))) if key else 0
        try:
            refs.append(from_csl(item, Location(path, line, 1 if line else 0)))
        except BibliographyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BibliographyError(problems)
    return tuple(refs)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise BibliographyError([Problem(f"bibliography file not found: {path}")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BibliographyError(
            [Problem(f"cannot read {path}: {exc}", Location(str(path)))]
        ) from exc


def read_csl_json(path: Path) -> tuple[Reference, ...]:
    """The references of a CSL-JSON file (a list of items, as Zotero exports)."""
    text = _read_text(path)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BibliographyError(
            [Problem(f"invalid JSON: {exc.msg}", Location(str(path), exc.lineno, exc.colno))]
        ) from exc
    return _references(items, text, str(path), r'"id"\s*:\s*"?{key}"?\s*[,}}\n]')


_PANDOC_ERROR = re.compile(r"line (\d+), column (\d+)\)?:?\s*(.*)", re.DOTALL)


def _bibtex_to_csl(text: str, path: Path, cache_dir: Path | None) -> Any:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = cache_dir / f"bibtex-{digest}.json" if cache_dir else None
    if cached and cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    try:
        out = run_pandoc(["-f", "bibtex", "-t", "csljson"], text.encode("utf-8"))
    except BibliographyError as exc:
        message = exc.problems[0].message if exc.problems else str(exc)
        m = _PANDOC_ERROR.search(message)
        loc = Location(str(path), int(m.group(1)), int(m.group(2))) if m else Location(str(path))
        detail = " ".join(m.group(3).split()) if m else message
        raise BibliographyError([Problem(f"invalid BibTeX: {detail}", loc)]) from exc
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(out)
        tmp.replace(cached)
    return json.loads(out.decode("utf-8"))


def read_bibtex(path: Path, cache_dir: Path | None = None) -> tuple[Reference, ...]:
    """The references of a BibTeX/BibLaTeX file (converted by pandoc; cached by content)."""
    text = _read_text(path)
    items = _bibtex_to_csl(text, path, cache_dir)
    return _references(items, text, str(path), r"@\w+\s*[{{(]\s*{key}\s*,")


def read_references(path: Path, cache_dir: Path | None = None) -> tuple[Reference, ...]:
    """The references of a .bib or .json file, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return read_bibtex(path, cache_dir)
    if suffix == ".json":
        return read_csl_json(path)
    raise BibliographyError(
        [Problem(f"unknown bibliography format: {path.name}", hint="use a .bib or .json file")]
    )
