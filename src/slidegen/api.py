"""slidegen's public pipeline: read an edition, lay it out into a plan, render the plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from slidegen.plan import Plan
    from slidegen.resolve.edition import Edition

__all__ = ["edition", "make_plan", "render", "references", "Format"]

#: What `render` makes of a plan: the deck, the slides as PDF, or a handout layout.
Format = Literal["pptx", "slides", "handout", "three", "reading"]


def edition(
    source: str | Path,
    lang: str | None = None,
    *,
    strict: bool = False,
    cache_dir: str | Path | None = None,
) -> Edition:
    """One class in one language, ready for layout: the outline at `source` (a path as the
    user gives it, relative paths included), with its course's defaults (``course.yaml``:
    lecturer, institution, theme, citation style) for what it leaves out, its `lang`
    translation merged (None: the outline's own language), citations rendered.

    Raises `OutlineError`/`TranslationError` with every located problem; warnings travel in
    `Edition.warnings`.
    """
    from slidegen.errors import OutlineError
    from slidegen.i18n.merge import edition_outline
    from slidegen.read.course import with_course
    from slidegen.read.outline import check_outline
    from slidegen.resolve.edition import resolve

    path = Path(source)
    outline, problems = check_outline(path)
    if outline is None:
        raise OutlineError([p for p in problems if p.severity == "error"])
    outline, _ = with_course(outline, path)  # the course's defaults for what it leaves out
    warnings = [p for p in problems if p.severity != "error"]
    language = lang or outline.language
    if language != outline.language:
        outline, merged = edition_outline(path, language, strict=strict, outline=outline)
        warnings += merged
    result = resolve(outline, path, language, cache_dir=Path(cache_dir) if cache_dir else None)
    if warnings:
        from dataclasses import replace

        result = replace(result, warnings=(*warnings, *result.warnings))
    return result


def make_plan(
    of: Edition, theme: str | Path | None = None, *, template: str | Path | None = None
) -> Plan:
    """The laid-out deck of an edition: its theme is `theme` (a built-in name or a file), else
    the outline's own `theme:`, resolved from the outline's folder; on the institution's
    PowerPoint `template` (.pptx, .potx) when given, else on the theme's `template:`."""
    from dataclasses import replace

    from slidegen.layout.slides import layout
    from slidegen.read.theme import load_theme

    name = str(theme) if theme is not None else of.outline.theme
    chosen = load_theme(name, of.base_dir)
    if template is not None:
        chosen = replace(chosen, template=str(Path(template).resolve()))
    return layout(of, chosen)


def render(
    laid_out: Plan,
    fmt: Format = "pptx",
    *,
    paper: str = "a4",
) -> bytes:
    """The bytes of one output of a plan: the deck (`pptx`), the slides as PDF (`slides`) or
    a handout layout (`handout` with notes, `three` up, or the `reading` edition, which also
    needs the `edition`). Same plan, same bytes."""
    if fmt == "pptx":
        from slidegen.write.deck import deck_bytes

        return deck_bytes(laid_out)
    if fmt == "slides":
        from slidegen.write.slides_pdf import slides_pdf_bytes

        return slides_pdf_bytes(laid_out)
    from slidegen.write.handout import handout_bytes

    layout = "notes" if fmt == "handout" else fmt
    return handout_bytes(laid_out, layout=layout, paper=paper)


def references(of: Edition) -> dict[str, bytes]:
    """The class's references as files, by extension: formatted (`html`, in the edition's
    language and style) and for reference managers (`bib`, `ris`, CSL-JSON `json`)."""
    from slidegen.bib.export import to_bibtex, to_csl_json, to_html, to_ris
    from slidegen.i18n.locales import locale
    from slidegen.markup import plain
    from slidegen.read.outline import references_of

    refs = references_of(of.outline, of.source.parent)
    title = f"{of.labels.references}: {plain(of.outline.title)}"
    return {
        "html": to_html(of.bibliography, title, locale(of.language).tag).encode(),
        "bib": to_bibtex(refs).encode(),
        "ris": to_ris(refs).encode(),
        "json": to_csl_json(refs).encode(),
    }
