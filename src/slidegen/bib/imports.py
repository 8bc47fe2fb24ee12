"""Read references from BibTeX and CSL-JSON files (what Zotero exports) into `model.Reference`."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from slidegen.bib.export import CSL_PLAIN, CSL_RICH
from slidegen.cache import load_json, store_json
from slidegen.errors import BibliographyError, Location, Problem
from slidegen.markup import LINK_HINT, link_problem
from slidegen.normalize import nfc_data
from slidegen.procs import child_preexec
from slidegen.read.dates import date_problem, parts_problem
from slidegen.read.model import Name, Reference, ReferenceType
from slidegen.reading import read_regular

__all__ = ["read_bibtex", "read_csl_json", "read_references", "from_csl", "run_pandoc"]

_TYPES: frozenset[str] = frozenset(get_args(ReferenceType))

#: Largest BibTeX file read: about 4,000 entries, which pandoc converts in a few seconds (once:
#: the result is cached by content); a bigger file is refused from its size, unread.
MAX_BIBTEX_BYTES = 1024 * 1024
#: Largest CSL-JSON file read: about 20,000 references, read in about a second.
MAX_CSL_JSON_BYTES = 4 * 1024 * 1024
#: Deepest nesting of lists and objects in CSL-JSON (CSL-JSON itself uses 4).
MAX_JSON_DEPTH = 16
#: Longest number in CSL-JSON, in digits (a year has 4, a page 5).
MAX_DIGITS = 18
#: Problems reported per bibliography file before stopping.
MAX_PROBLEMS = 100

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

    proc = subprocess.run(
        [pandoc_path(), *args],
        input=stdin,
        capture_output=True,
        check=False,
        preexec_fn=child_preexec if os.name == "posix" else None,
    )
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


_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")


def _name(value: Any, field: str) -> Name:
    if not isinstance(value, dict):
        raise _TypeProblem(
            f"'{field}' must be a list of names, found {_kind(value)} in it",
            'write [{"family": "Herz", "given": "Monica"}] or [{"literal": "OAS"}]',
        )
    for part in _NAME_PARTS:
        if part in value and not isinstance(value[part], str | int | float | None):
            raise _TypeProblem(f"the '{part}' of a name in '{field}' must be text")
    if value.get("literal"):
        return Name(literal=str(value["literal"]))
    family = " ".join(
        str(p) for p in (value.get("non-dropping-particle"), value.get("family")) if p
    )
    given = " ".join(str(p) for p in (value.get("given"), value.get("dropping-particle")) if p)
    if value.get("suffix"):
        given = f"{given}, {value['suffix']}" if given else str(value["suffix"])
    if not family and not given:
        raise _TypeProblem(f"a name in '{field}' has neither 'family', 'given' nor 'literal'")
    return Name(family=family or None, given=given or None)


def _names(item: dict[str, Any], field: str) -> tuple[Name, ...]:
    value = item.get(field)
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise _TypeProblem(
            f"'{field}' must be a list of names, found {_kind(value)}",
            'write [{"family": "Herz", "given": "Monica"}] or [{"literal": "OAS"}]',
        )
    return tuple(_name(n, field) for n in value)


class _TypeProblem(Exception):
    """A CSL field of the wrong type or value (message and hint)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "a text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _date(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        text = value.strip()
        problem = date_problem(text) if re.match(r"^\d{4}-", text) else None
        if problem:
            raise _TypeProblem(f"'{field}': {problem}")
        return text
    if isinstance(value, int) and not isinstance(value, bool):
        return _parts_text([value], field)
    if not isinstance(value, dict):
        raise _TypeProblem(
            f"'{field}' must be a date, found {_kind(value)}",
            'write {"date-parts": [[2024, 5, 17]]}',
        )
    parts = value.get("date-parts")
    if parts is not None:
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
            raise _TypeProblem(f"'{field}': 'date-parts' must be a list of [year, month, day]")
        return _parts_text(parts[0][:3], field)
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str) and value[key].strip():
            return str(value[key]).strip()
    return None


def _parts_text(parts: list[Any], field: str) -> str:
    try:
        nums = [int(p) for p in parts]
        if any(isinstance(p, bool | float) for p in parts):
            raise ValueError
    except (TypeError, ValueError):
        raise _TypeProblem(f"'{field}': date parts must be whole numbers, found {parts}") from None
    problem = parts_problem(*nums)
    if problem:
        raise _TypeProblem(f"'{field}': {problem}")
    return "-".join([f"{nums[0]:04d}", *(f"{n:02d}" for n in nums[1:])])


def _ref_type(value: Any) -> ReferenceType:
    if value is not None and not isinstance(value, str):
        raise _TypeProblem(f"'type' must be a text, found {_kind(value)}")
    text = str(value or "document")
    if text in _TYPES:
        return text  # type: ignore[return-value]
    return _TYPE_ALIASES.get(text, "document")


def _text(item: dict[str, Any], field: str, numeric: bool = False) -> str | None:
    """A CSL string field (a number too, for CSL's number variables); None when absent."""
    value = item.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _TypeProblem(f"'{field}' must be a text, found {_kind(value)}")


#: CSL's number variables: a number or a text.
_NUMERIC = frozenset({"collection-number", "number", "volume", "issue", "page", "edition"})


def from_csl(item: dict[str, Any], loc: Location | None = None) -> Reference:
    """One CSL-JSON item as a Reference; raises `BibliographyError` at `loc` if unusable:
    every field is checked against CSL's types (names lists of names, titles texts, dates
    real dates)."""
    key = item.get("id")
    if key is None or str(key).strip() == "":
        raise BibliographyError([Problem("a reference has no 'id'", loc)])
    if not isinstance(key, str | int) or isinstance(key, bool):
        raise BibliographyError([Problem(f"'id' must be a text, found {_kind(key)}", loc)])
    try:
        return _reference(item, str(key), loc)
    except _TypeProblem as exc:
        raise BibliographyError(
            [Problem(f"reference '{key}': {exc.message}", loc, exc.hint)]
        ) from None


def _reference(item: dict[str, Any], key: str, loc: Location | None) -> Reference:
    title = _text(item, "title")
    if not title or not title.strip():
        raise BibliographyError([Problem(f"reference '{key}' has no title", loc)])
    fields: dict[str, Any] = {}
    for attr, csl in CSL_PLAIN:
        value = _text(item, csl, numeric=csl in _NUMERIC)
        if value is not None and value.strip():
            fields[attr] = " ".join(value.split())
    for attr, csl in CSL_RICH:
        value = _text(item, csl)
        if value:
            fields[attr] = _markup(value)
    bad_url = link_problem(fields["url"]) if "url" in fields else None
    if bad_url:
        raise _TypeProblem(f"'URL': {bad_url}", LINK_HINT)
    return Reference(
        id=key,
        type=_ref_type(item.get("type")),
        title=_markup(title),
        author=_names(item, "author"),
        editor=_names(item, "editor"),
        container_author=_names(item, "container-author"),
        issued=_date(item.get("issued"), "issued"),
        accessed=_date(item.get("accessed"), "accessed"),
        loc=loc,
        **fields,
    )


def _key_lines(text: str, pattern: re.Pattern[str]) -> dict[str, int]:
    """The line of each key's first definition, found in one pass over the text."""
    lines: dict[str, int] = {}
    line, pos = 1, 0
    for m in pattern.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.setdefault(m.group(1), line)
    return lines


def _references(
    items: Any, text: str, path: str, key_pattern: re.Pattern[str]
) -> tuple[Reference, ...]:
    items = nfc_data(items)
    if not isinstance(items, list):
        raise BibliographyError(
            [Problem("expected a list of references", Location(path, 1, 1), hint="CSL-JSON")]
        )
    lines = _key_lines(text, key_pattern)
    refs = []
    problems = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(f"reference #{i + 1} is not an object", Location(path)))
            continue
        line = lines.get(str(item.get("id", "")), 0)
        try:
            refs.append(from_csl(item, Location(path, line, 1 if line else 0)))
        except BibliographyError as exc:
            problems.extend(exc.problems)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise BibliographyError(problems)
    return tuple(refs)


def _read_text(path: Path, limit: int) -> str:
    if not path.exists() and not path.is_symlink():
        raise BibliographyError([Problem(f"bibliography file not found: {path}")])
    data = read_regular(path, limit, str(path), BibliographyError, "a bibliography file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        raise BibliographyError(
            [
                Problem(
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                    Location(str(path), line, exc.start - before.rfind(b"\n")),
                    "save the file as UTF-8",
                )
            ]
        ) from None


class _BadNumber(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _BadNumber(text)
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise _BadNumber(text)
    return float(text)


def _constant(text: str) -> float:
    raise _BadNumber(text)


def _json_problem(text: str, path: str, message: str, needle: str, hint: str) -> Problem:
    pos = text.find(needle) if needle else -1
    if pos < 0:
        return Problem(message, Location(path), hint)
    line = text.count("\n", 0, pos) + 1
    return Problem(message, Location(path, line, pos - text.rfind("\n", 0, pos)), hint)


def _json_depth_ok(text: str) -> int:
    """The offset where brackets nest deeper than `MAX_JSON_DEPTH` (-1: never)."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group(0) in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return m.start()
        elif m.group(0) in "]}":
            depth -= 1
    return -1


def _parse_json(text: str, path: Path) -> Any:
    deep = _json_depth_ok(text)
    if deep >= 0:
        line = text.count("\n", 0, deep) + 1
        raise BibliographyError(
            [
                Problem(
                    f"lists and objects nested deeper than {MAX_JSON_DEPTH} levels",
                    Location(str(path), line, deep - text.rfind("\n", 0, deep)),
                    "CSL-JSON needs at most 4 levels: is this the right file?",
                )
            ]
        )
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise BibliographyError(
            [Problem(f"invalid JSON: {exc.msg}", Location(str(path), exc.lineno, exc.colno))]
        ) from None
    except _BadNumber as exc:
        shown = exc.text if len(exc.text) <= 20 else f"{exc.text[:12]}… ({len(exc.text)} digits)"
        raise BibliographyError(
            [
                _json_problem(
                    text,
                    str(path),
                    f"the number {shown} is not a number CSL-JSON uses",
                    exc.text,
                    f"numbers have at most {MAX_DIGITS} digits; write anything else as text",
                )
            ]
        ) from None
    except RecursionError:
        raise BibliographyError(
            [Problem("lists and objects nested too deeply", Location(str(path)))]
        ) from None


#: Parsed bibliography files of this process, by path and content: each file is parsed once
#: per build (worker processes are forked after the first parse and inherit it).
_PARSED: dict[tuple[str, str], tuple[Reference, ...]] = {}


def _memo(path: Path, text: str, parse: Any) -> tuple[Reference, ...]:
    key = (str(path), hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    if key not in _PARSED:
        if len(_PARSED) > 64:
            _PARSED.clear()
        _PARSED[key] = parse()
    return _PARSED[key]


_CSL_KEY = re.compile(r'"id"\s*:\s*"?([^",}\s]*)"?\s*[,}\n]')
_BIB_KEY = re.compile(r"@\w+\s*[{(]\s*([^,\s]+)\s*,")
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def read_csl_json(path: Path) -> tuple[Reference, ...]:
    """The references of a CSL-JSON file (a list of items, as Zotero exports)."""
    text = _read_text(path, MAX_CSL_JSON_BYTES)
    return _memo(
        path, text, lambda: _references(_parse_json(text, path), text, str(path), _CSL_KEY)
    )


_PANDOC_ERROR = re.compile(r"line (\d+), column (\d+)\)?:?\s*(.*)", re.DOTALL)


def _bibtex_to_csl(text: str, path: Path, cache_dir: Path | None) -> Any:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = cache_dir / f"bibtex-{digest}.json" if cache_dir else None
    hit = None
    if cached is not None and cached not in _CHECKED:  # read (or found damaged) once
        hit = load_json(cached)
        _CHECKED.add(cached)
    if hit is None and digest not in _CONVERTED:
        if len(_CONVERTED) >= 8:
            _CONVERTED.clear()  # bounded memory
        _CONVERTED[digest] = _convert(text, path)
    items = hit if hit is not None else _CONVERTED[digest]
    _CONVERTED[digest] = items
    if cached is not None and hit is None and not cached.is_file():
        store_json(cached, items)
    return items


#: Cache files this process has read or written already.
_CHECKED: set[Path] = set()
#: pandoc's conversions of BibTeX texts (by their SHA-256) in this process: a build converts
#: each file once, its worker processes (forked after) inherit the result.
_CONVERTED: dict[str, Any] = {}


def _convert(text: str, path: Path) -> Any:
    try:
        out = run_pandoc(["-f", "bibtex", "-t", "csljson"], text.encode("utf-8"))
    except BibliographyError as exc:
        message = exc.problems[0].message if exc.problems else str(exc)
        m = _PANDOC_ERROR.search(message)
        loc = Location(str(path), int(m.group(1)), int(m.group(2))) if m else Location(str(path))
        detail = " ".join(m.group(3).split()) if m else message
        raise BibliographyError([Problem(f"invalid BibTeX: {detail}", loc)]) from exc
    return json.loads(out.decode("utf-8"))


def read_bibtex(path: Path, cache_dir: Path | None = None) -> tuple[Reference, ...]:
    """The references of a BibTeX/BibLaTeX file (converted by pandoc; cached by content)."""
    text = _read_text(path, MAX_BIBTEX_BYTES)
    items = _bibtex_to_csl(text, path, cache_dir)  # converted once per build (and cached)
    return _memo(path, text, lambda: _references(items, text, str(path), _BIB_KEY))


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
