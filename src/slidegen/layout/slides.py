"""The layout stage: an edition and a theme in, a plan of fitted, positioned slides out."""

# The slides are drafted by layout_generated (cover, agenda, dividers, summary, references)
# and layout_kinds (authored slides); this module orders them, checks the font has every
# glyph, then finishes each draft with its footer and number.

from __future__ import annotations

from pathlib import Path

from slidegen.errors import Location, Problem
from slidegen.fonts import missing_glyphs
from slidegen.i18n.locales import locale
from slidegen.layout.design import (
    USED,
    design,
    layout_of,
    template_design,
    template_theme,
    with_named,
)
from slidegen.layout.draft import FLOOR, Context, Draft
from slidegen.layout.footer import template_footer
from slidegen.layout.generated import agenda, cover, divider, references, summary
from slidegen.layout.kinds import authored
from slidegen.layout.legible import legible
from slidegen.layout.reading import reading
from slidegen.layout.shapes import Geometry
from slidegen.layout.text import V_SAFETY, Block, fit_at, fit_blocks, measured_with, room
from slidegen.layout.typefaces import plan_fonts
from slidegen.layout.wrapping import with_wrap_widths
from slidegen.markup import Run, runs_text
from slidegen.plan import (
    AgendaEntry,
    Design,
    DocumentInfo,
    FontFiles,
    Plan,
    PlannedSection,
    PlannedSlide,
    Rect,
    Shape,
    TableShape,
    TextBox,
)
from slidegen.read.template import Template, choose_layouts, read_template
from slidegen.read.theme import Theme
from slidegen.resolve.edition import Edition

__all__ = ["layout", "language_tag", "FLOOR"]


def language_tag(lang: str) -> str:
    """The BCP 47 tag written into the deck and the handout, e.g. 'pt' → 'pt-BR'."""
    return locale(lang).tag


def layout(edition: Edition, theme: Theme) -> Plan:
    """Lay out every slide of the edition: generated slides, authored slides, references."""
    outline = edition.outline
    footer = runs_text(edition.runs(theme.footer or outline.course))
    notes: list[str] = []
    template = None
    if theme.template:  # the institution's template: its size, frames, colours and layouts
        template = read_template(edition.base_dir / theme.template)
        choices, notes = choose_layouts(template, USED, dict(theme.layouts))
        theme = template_theme(theme, template, choices)
        look = template_design(template, choices, theme, footer)
    else:
        look = design(theme, footer)
    fonts, font_warnings = plan_fonts(theme, template, _font_source(edition, theme))
    ctx = Context(edition, theme, Geometry(theme))
    ctx.warnings += font_warnings
    with measured_with(fonts):
        drafts: list[Draft] = [cover(ctx), *agenda(ctx)]
        for number, section in enumerate(outline.sections, 1):
            if section.divider:
                drafts.append(divider(ctx, section, number))
            for slide in section.slides:
                drafts += authored(ctx, slide, section.id)
        drafts += summary(ctx)
        drafts += references(ctx)
        used = {d.layout or layout_of(d.kind) for d in drafts}
        name = Path(theme.template or "").name
        ctx.warnings[:0] = [  # about the whole deck; a layout no slide uses goes unsaid
            Problem(f"template {name}: {note}", severity="warning")
            for note in notes
            if not (note.startswith("no layout named ") and note.split("'")[1] not in used)
        ]
        _check_glyphs(ctx, drafts, fonts)
        _check_titles(ctx, drafts)
        look = _named_layouts(ctx, look, template, drafts)
        total = len(drafts)
        slides = tuple(
            _finish(ctx, d, n, total, look, template) for n, d in enumerate(drafts, 1)
        )
    sections = _sections(edition, slides)
    return Plan(
        width=theme.width,
        height=theme.height,
        language=language_tag(edition.language),
        slides=slides,
        fonts=fonts,
        info=_info(edition),
        labels=edition.labels,
        title=runs_text(edition.runs(outline.title)),
        warnings=tuple(ctx.warnings),
        primary=theme.colors.primary,
        accent=theme.colors.accent,
        sections=sections,
        agenda=_agenda(edition, sections, slides),
        references=edition.bibliography,
        summary_title=edition.runs(outline.summary_title or edition.labels.summary)
        if outline.summary
        else (),
        reading=reading(edition, language_tag(edition.language)),
        design=look,
    )


def _font_source(edition: Edition, theme: Theme) -> Location | None:
    """The file that names the deck's fonts: the template, else a theme file (None: a
    built-in theme)."""
    named = theme.template or edition.outline.theme or ""
    if not named.endswith((".pptx", ".potx", ".yaml", ".yml")):
        return None
    return Location(str(edition.source.parent / named))  # as the user gave the outline


def _info(edition: Edition) -> DocumentInfo:
    o = edition.outline

    def runs(text: str | None) -> tuple[Run, ...]:
        return edition.runs(text) if text else ()

    return DocumentInfo(
        title=runs(o.title),
        course=runs(o.course),
        subtitle=runs(o.subtitle),
        lecturer=runs(o.lecturer),
        institution=runs(o.institution),
        edition=o.edition or "",
        date=o.date or "",
        date_text=edition.date_text or "",
        lang=edition.language,
        tag=language_tag(edition.language),
    )


def _sections(edition: Edition, slides: tuple[PlannedSlide, ...]) -> tuple[PlannedSection, ...]:
    """The sections, numbered as their dividers are, each with the first slide it holds."""
    first: dict[str, int] = {}
    for s in slides:
        if s.section is not None:
            first.setdefault(s.section, s.number)
    return tuple(
        PlannedSection(
            id=sec.id,
            number=n,
            title=edition.runs(sec.title),
            subtitle=edition.runs(sec.subtitle) if sec.subtitle else (),
            first_slide=first.get(sec.id, 0),
        )
        for n, sec in enumerate(edition.outline.sections, 1)
    )


def _agenda(
    edition: Edition, sections: tuple[PlannedSection, ...], slides: tuple[PlannedSlide, ...]
) -> tuple[AgendaEntry, ...]:
    """The agenda a writer lists: every section, then the summary and the references."""
    out = [
        AgendaEntry(
            "section", s.title, s.subtitle, section=s.id, number=s.number, slide=s.first_slide
        )
        for s in sections
    ]
    outline = edition.outline
    if outline.summary:
        first = next((s.number for s in slides if s.id == "summary" and s.part == 1), 0)
        title = edition.runs(outline.summary_title or edition.labels.summary)
        out.append(AgendaEntry("summary", title, slide=first))
    if edition.bibliography:
        out.append(AgendaEntry("references", (Run(edition.labels.references),)))
    return tuple(out)


def _finish(
    ctx: Context,
    d: Draft,
    number: int,
    total: int,
    look: Design | None = None,
    template: Template | None = None,
) -> PlannedSlide:
    name = d.layout or layout_of(d.kind)
    background = d.background or ctx.theme.colors.background
    backdrop: tuple[Shape, ...] = ()
    theirs = None
    if template is not None and look is not None:  # the template's own background and shapes
        chosen = look.layout(name)
        background = (chosen.background if chosen else None) or ctx.theme.colors.background
        backdrop = chosen.shapes if chosen else ()
        theirs = template.layout_at(chosen.ref) if chosen and chosen.ref else None
    shapes = list(d.shapes)
    if d.footer:
        placed = template_footer(ctx, theirs, number, total, background) if theirs else None
        shapes.extend(placed if placed is not None else _footer(ctx, number, total))
    if template is not None and backdrop:  # text over the template's pictures and shapes reads
        dark, light = template.color("dk1", "000000"), template.color("lt1", "FFFFFF")
        shapes = legible(
            shapes, backdrop, background, (ctx.theme.width, ctx.theme.height), dark, light
        )
    return PlannedSlide(
        id=d.id,
        kind=d.kind,
        title=d.title,
        shapes=tuple(with_wrap_widths(shape) for shape in shapes),
        number=number,
        section=d.section,
        notes=d.notes,
        handout=d.handout,
        part=d.part,
        parts=d.parts,
        background=background,
        layout=name,
        backdrop=backdrop,
    )


def _footer(ctx: Context, number: int, total: int) -> list[Shape]:
    t, s, e = ctx.theme, ctx.style, ctx.edition
    size = t.sizes.footer
    y = t.height - s.bottom - size * 1.2
    text = t.footer or e.outline.course
    num_text = e.labels.slide_of.format(number=number, total=total)
    num = fit_at(
        [Block((Run(num_text),), color=t.colors.muted, align="right", bold=True)],
        size,
        90,
        size * 2,
    )
    left_w = s.content_w - 110
    left = fit_blocks(
        [Block(e.runs(text), color=t.colors.muted)], left_w, room(size, 1.2, 1), size, FLOOR
    )
    h = size * 1.2 / V_SAFETY
    return [
        Rect(s.left, y - 8, s.content_w, 0.75, fill=t.colors.grid, name="Footer rule"),
        TextBox(s.left, y, left_w, h, left.paragraphs, role="footer", name="Footer"),
        TextBox(
            s.left + s.content_w - 90, y, 90, h, num.paragraphs, role="number", name="Slide number"
        ),
    ]


def _named_layouts(
    ctx: Context, look: Design, template: Template | None, drafts: list[Draft]
) -> Design:
    """The design with the layouts slides name (`layout:`); a slide naming one there is not
    goes on its kind's layout, with a warning."""
    names = {d.layout for d in drafts if d.layout}
    look, missing = with_named(look, template, names)
    warned: set[str] = set()
    for d in drafts:
        if d.layout in missing:
            base = d.id.split("#")[0]
            if base not in warned:
                warned.add(base)
                ctx.warn(
                    f"no layout named {d.layout!r}; the slide goes on {layout_of(d.kind)!r} "
                    f"({missing[d.layout]})",
                    base,
                )
            d.layout = None
    return look


def _check_titles(ctx: Context, drafts: list[Draft]) -> None:
    """Warn about a slide whose title an earlier slide already has: screen readers list slides
    by title, and PowerPoint's accessibility checker flags duplicates (continuations and
    dividers are told apart by the layout itself)."""
    seen: dict[str, str] = {}
    for d in drafts:
        key = " ".join(d.title.split()).casefold()
        first = seen.setdefault(key, d.id)
        if first != d.id:
            ctx.warn(
                f"slide title {d.title!r} is also the title of slide {first!r}; "
                "give one of them a title of its own (screen readers list slides by title)",
                d.id,
            )


def _check_glyphs(ctx: Context, drafts: list[Draft], fonts: FontFiles) -> None:
    """Warn, once per slide (with its continuations), about characters the fonts cannot draw
    in any of its texts: title, text boxes, table cells, speaker notes and handout notes (a
    title and headings in the heading family, the rest in the body family)."""
    texts: dict[str, tuple[list[str], list[str]]] = {}
    for d in drafts:
        body, heads = texts.setdefault(d.id.split("#")[0], ([], []))
        heads.append(d.title)
        for sh in d.shapes:
            if isinstance(sh, TextBox):
                for p in sh.paragraphs:
                    (heads if p.heading_font else body).append(runs_text(p.runs))
            elif isinstance(sh, TableShape):
                body += [
                    runs_text(p.runs) for row in sh.cells for cell in row for p in cell.paragraphs
                ]
        body += [runs_text(runs) for runs in (*d.notes, *d.handout)]
    for slide, (body, heads) in texts.items():
        missing = missing_glyphs(" ".join(body), fonts.body.twin)
        missing += missing_glyphs(" ".join(heads), fonts.heading.twin)
        missing = "".join(dict.fromkeys(missing))
        if missing:
            ctx.warn(
                f"the font has no glyph for {missing!r}; those characters may show as boxes", slide
            )
