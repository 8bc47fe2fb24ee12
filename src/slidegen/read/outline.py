"""Read a class outline: safe YAML → validated, immutable `Outline`, with every problem located."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from slidegen.errors import Location, OutlineError, Problem, SlidegenError
from slidegen.markup import LINK_HINT, cite_keys, link_problem
from slidegen.read.convert import INVALID, MAX_PROBLEMS, Converter, suggest
from slidegen.read.dates import date_problem
from slidegen.read.keys import inline_of
from slidegen.read.model import (
    Columns,
    Image,
    Outline,
    Reference,
    Section,
    SectionContent,
    Slide,
    Table,
)
from slidegen.read.sources import LANG_PATTERN
from slidegen.read.yaml_nodes import load_document
from slidegen.reuse import reused

__all__ = ["read_outline", "check_outline", "ID_PATTERN", "GENERATED_IDS", "references_of"]

#: Slide, section and class ids: they name files and anchors, so they stay simple.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
#: Ids of the slides slidegen generates; authored slides cannot take them.
GENERATED_IDS = frozenset({"cover", "title", "agenda", "summary", "references"})
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")


def _check_id(value: str, node: Node, conv: Converter, what: str) -> None:
    if not ID_PATTERN.match(value):
        conv.error(
            f"{what} '{value}' is not a valid id",
            node,
            "use letters, digits, '-' and '_' only (at most 80), starting with a letter or digit",
        )


def _value_node(node: MappingNode, key: str) -> Node:
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found: Node = v
            return found
    return node


def _build_slide(values: dict[str, Any], node: MappingNode, conv: Converter) -> Slide:
    """A slide from its keys: the content key given (or `kind:`) chooses its kind. Every
    problem is recorded, and a slide is still built so that later checks run too."""
    inline = inline_of(Slide)
    assert inline is not None
    ident, kind = values["id"], values.pop("kind", None)
    popped = {k: values.pop(k, None) for k in inline.content_keys}  # `bullets: null` too
    content = {k: v for k, v in popped.items() if v is not None}
    given = list(content)
    bare = kind is not None and kind not in inline.content_keys  # title, section
    if len(given) > 1:
        conv.error(
            f"slide '{ident}' has several content keys: {', '.join(given)}",
            _value_node(node, given[1]),
            "a slide shows one kind of content; move the rest to another slide",
        )
    elif kind is not None and not bare and given:
        if kind != given[0]:
            conv.error(
                f"slide '{ident}' says kind '{kind}' but gives '{given[0]}'",
                _value_node(node, "kind"),
                f"remove 'kind' or write the content under '{kind}:'",
            )
    elif kind is not None and not bare and not given:
        conv.error(
            f"slide '{ident}' of kind '{kind}' has no '{kind}:' content",
            node,
            f"add '{kind}:' with the slide's content",
        )
    elif bare and given:
        conv.error(
            f"a {kind} slide shows only a title and subtitle, but '{given[0]}' is given",
            _value_node(node, given[0]),
            "remove 'kind' to show the content",
        )
    name = kind if bare else given[0] if given else SectionContent.KIND
    for given_name, value in content.items():  # each content given is checked, even a second
        check = conv.validators.get(inline.kind(given_name))
        if check is not None:
            check(inline.make(given_name, value), node, conv)
    return Slide(**values, content=inline.make(name, content.get(name)), loc=conv.loc(node))


def _validate_slide(slide: Slide, node: MappingNode, conv: Converter) -> None:
    _check_id(slide.id, _value_node(node, "id"), conv, "slide id")


def _validate_columns(columns: Columns, node: MappingNode, conv: Converter) -> None:
    if len(columns.columns) != 2:
        conv.error(
            f"'columns' must hold exactly 2 columns, found {len(columns.columns)}",
            _value_node(node, "columns"),
        )


def _validate_table(table: Table, node: MappingNode, conv: Converter) -> None:
    width = len(table.header)
    rows_node = _value_node(node, "rows")
    for i, row in enumerate(table.rows):
        if len(row) != width:
            row_node = rows_node.value[i] if isinstance(rows_node.value, list) else rows_node
            conv.error(
                f"table row {i + 1} has {len(row)} cells; the header has {width}",
                row_node,
                'give every row as many cells as the header (use "" for an empty cell)',
            )


def _validate_image(image: Image, node: MappingNode, conv: Converter) -> None:
    from slidegen.read.images import (
        check_image,  # image checks open files: keep them out of pure reading
    )

    base = Path(conv.path).parent
    for message, hint in check_image(image.path, base):
        conv.error(message, _value_node(node, "path"), hint)


def _validate_reference(ref: Reference, node: MappingNode, conv: Converter) -> None:
    if not ref.author and not ref.editor:
        conv.warn(f"reference '{ref.id}' has no author or editor", node)
    bad_url = link_problem(ref.url) if ref.url else None
    if bad_url:
        conv.error(bad_url, _value_node(node, "url"), LINK_HINT)
    for key, value in (("issued", ref.issued), ("accessed", ref.accessed)):
        problem = date_problem(value) if value else None
        if problem:
            conv.error(
                f"'{key}' must be a date, YYYY, YYYY-MM or YYYY-MM-DD: {problem}",
                _value_node(node, key),
            )


VALIDATORS: dict[type, Any] = {
    Slide: _validate_slide,
    Columns: _validate_columns,
    Table: _validate_table,
    Image: _validate_image,
    Reference: _validate_reference,
}
BUILDERS: dict[type, Any] = {Slide: _build_slide}


def references_of(outline: Outline, base_dir: Path) -> tuple[Reference, ...]:
    """The outline's own references followed by those imported from its bibliography files."""
    refs = list(outline.references)
    if outline.bibliography:
        from slidegen.bib.imports import read_references

        for name in outline.bibliography:
            refs.extend(read_references(base_dir / name))
    return tuple(refs)


def _check_outline(outline: Outline, root: MappingNode, conv: Converter) -> None:
    _check_id(outline.id, _value_node(root, "id"), conv, "class id")
    if not LANG_PATTERN.match(outline.language):
        conv.error(
            f"'{outline.language}' is not a language code",
            _value_node(root, "language"),
            "use a code such as en, pt, pt-BR, es, fr",
        )
    date_error = date_problem(outline.date) if outline.date else None
    if date_error:
        conv.error(
            f"'date' must be a date, YYYY-MM-DD (or YYYY-MM, YYYY): {date_error}",
            _value_node(root, "date"),
        )
    seen: dict[str, Location | None] = {}

    def claim(ident: str, loc: Location | None, what: str) -> None:
        if ident in GENERATED_IDS:
            conv.problems.append(
                Problem(
                    f"{what} id '{ident}' is reserved for a generated slide",
                    loc,
                    "choose another id, e.g. '" + ident + "-1'",
                )
            )
        elif ident in seen:
            first = seen[ident]
            conv.problems.append(
                Problem(
                    f"duplicate id '{ident}'"
                    + (f" (first used at line {first.line})" if first else ""),
                    loc,
                    "every section and slide needs its own id",
                )
            )
        else:
            seen[ident] = loc

    for section in outline.sections:
        claim(section.id, section.loc, "section")
        for slide in section.slides:
            claim(slide.id, slide.loc, "slide")
    base = Path(conv.path).parent
    files_ok = _check_files(outline, root, conv, base)
    try:
        refs = references_of(outline, base) if files_ok else outline.references
    except SlidegenError as exc:
        conv.problems.extend(exc.problems)
        refs = outline.references
    keys: dict[str, Reference] = {}
    for ref in refs:
        if ref.id in keys:
            conv.problems.append(
                Problem(f"duplicate reference id '{ref.id}'", ref.loc, "rename one of them")
            )
        keys[ref.id] = ref
    for value, node in conv.strings:
        for key, offset in cite_keys(value):
            if key not in keys:
                conv.problems.append(
                    Problem(
                        f"citation of unknown reference '@{key}'",
                        _offset_loc(conv.path, conv.text, node, value, offset),
                        suggest(key, keys) or "add it under 'references:' or fix the key",
                    )
                )
    for key in outline.further_reading:
        if key != "*" and key not in keys:
            conv.error(
                f"'further-reading' names unknown reference '{key}'",
                _value_node(root, "further-reading"),
                suggest(key, keys),
            )


def _check_files(outline: Outline, root: MappingNode, conv: Converter, base: Path) -> bool:
    """Bibliography and theme files stay inside the outline's folder; a theme file is also
    read with the bounded safe loader, so its YAML problems are located before building."""
    from slidegen.read.images import check_relative
    from slidegen.read.yaml_nodes import load_nodes

    ok = True
    for name in outline.bibliography:
        _, found = check_relative(name, base, "bibliography")
        for message, hint in found:
            conv.error(message, _value_node(root, "bibliography"), hint)
            ok = False
    theme = outline.theme
    if theme and ("/" in theme or "\\" in theme or theme.endswith((".yaml", ".yml"))):
        target, found = check_relative(theme, base, "theme")
        for message, hint in found:
            conv.error(message, _value_node(root, "theme"), hint)
        if target is not None:
            try:
                load_nodes(target, str(Path(conv.path).parent / theme))
            except OutlineError as exc:
                conv.problems.extend(exc.problems)
    return ok


def _offset_loc(path: str, text: str, node: ScalarNode, value: str, offset: int) -> Location:
    """Where a character of a scalar is in the file (exact for one-line and literal scalars)."""
    mark = node.start_mark
    if node.style in ("|", ">"):
        before = value[:offset]
        line = mark.line + 2 + before.count("\n")
        indent = _block_indent(text, mark.index)
        return Location(path, line, indent + len(before.rsplit("\n", 1)[-1]) + 1)
    if "\n" in value[:offset] or node.end_mark.line != mark.line:
        return Location(path, mark.line + 1, mark.column + 1)
    quote = 1 if node.style in ("'", '"') else 0
    return Location(path, mark.line + 1, mark.column + 1 + quote + offset)


def _block_indent(text: str, index: int) -> int:
    """The indentation of the first content line of a block scalar starting at `index`."""
    start = text.find("\n", index) + 1
    if start <= 0:
        return 0
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    return len(line) - len(line.lstrip(" "))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.loc.line if p.loc else 0, p.loc.col if p.loc else 0))


def check_outline(path: Path, display: str | None = None) -> tuple[Outline | None, list[Problem]]:
    """Read an outline and return it (None when invalid) with every problem found."""
    outline, problems = reused(
        path, ("outline", display), lambda: _check_outline_file(path, display)
    )
    return outline, list(problems)


def _check_outline_file(path: Path, display: str | None) -> tuple[Outline | None, list[Problem]]:
    shown = display or str(path)
    try:
        text, root = load_document(path, shown)
    except OutlineError as exc:
        return None, list(exc.problems)
    conv = Converter(shown, validators=VALIDATORS, builders=BUILDERS, text=text)
    outline = conv.convert(root, Outline, "the outline")
    if outline is not INVALID:
        _check_outline(outline, root, conv)
    problems = _sorted(conv.problems)
    if len(problems) > MAX_PROBLEMS or conv.dropped:
        more = len(problems) - MAX_PROBLEMS + conv.dropped
        problems = problems[:MAX_PROBLEMS] + [
            Problem(f"{more} more problems not shown", Location(shown), "fix these first")
        ]
    if outline is INVALID or any(p.severity == "error" for p in problems):
        return None, problems
    assert isinstance(outline, Outline)
    return outline, problems


def read_outline(path: Path, display: str | None = None) -> Outline:
    """Read a valid outline, or raise `OutlineError` listing every problem in the file."""
    outline, problems = check_outline(path, display)
    if outline is None:
        raise OutlineError([p for p in problems if p.severity == "error"] or problems)
    return outline


def section_of(outline: Outline, slide_id: str) -> Section | None:
    """The section holding a slide."""
    for section in outline.sections:
        if any(s.id == slide_id for s in section.slides):
            return section
    return None
