"""The slides as a PDF: one page per slide at the slide's size, drawn from the plan."""

from __future__ import annotations

import io
from dataclasses import dataclass

from slidegen.markup import runs_text
from slidegen.plan import Plan, PlannedSlide
from slidegen.write.miniature import draw_slide, register_plan_fonts
from slidegen.write.pdf_structure import write_structure
from slidegen.write.pdf_tags import Element, TaggedCanvas

__all__ = ["slides_pdf_bytes", "slide_outline", "OutlineEntry"]


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark of the slides PDF: a section (level 0) or a slide."""

    key: str
    title: str
    level: int


def slide_outline(plan: Plan, slide: PlannedSlide, previous: str | None) -> list[OutlineEntry]:
    """The bookmarks at `slide`: its section's when the section starts here, then the slide's."""
    out: list[OutlineEntry] = []
    sections = {s.id: s for s in plan.sections}
    if slide.section is not None and slide.section != previous:
        section = sections.get(slide.section)
        title = runs_text(section.title) if section else slide.section
        out.append(OutlineEntry(f"sec-{slide.section}", title, 0))
    level = 1 if slide.section is not None else 0
    out.append(OutlineEntry(f"slide-{slide.number}", f"{slide.number}. {slide.title}", level))
    return out


def slides_pdf_bytes(plan: Plan) -> bytes:
    """The PDF of the plan's slides, each page the slide's size, with bookmarks per section
    and slide, live links, and the edition's title, lecturer, course and language.

    Tagged (PDF/UA-1): a Sect per section holding a Sect per slide, whose text is tagged in
    reading order (see `miniature.draw_slide`)."""
    fonts = register_plan_fonts(plan.fonts)
    info = plan.info
    buffer = io.BytesIO()
    c = TaggedCanvas(
        buffer,
        pagesize=(plan.width, plan.height),
        invariant=1,
        lang=info.tag,
        initialFontName=fonts.regular,
    )
    course = runs_text(info.course)
    c.setTitle(runs_text(info.title))
    c.setAuthor(runs_text(info.lecturer))
    c.setSubject(course)
    c.setCreator("slidegen")
    c.setKeywords([course, plan.labels.language_name])
    tags = c.tags
    section: str | None = None
    group: Element = tags.document
    for slide in plan.slides:
        for entry in slide_outline(plan, slide, section):
            c.bookmarkPage(entry.key)
            c.addOutlineEntry(entry.title, entry.key, entry.level, closed=False)
        if slide.section != section:
            group = tags.document.add("Sect") if slide.section else tags.document
        section = slide.section
        with tags.inside(group), tags.tagged("Sect"):
            draw_slide(c, plan, slide, fonts, 0, plan.height, plan.width, frame=None)
        c.showPage()
    c.showOutline()
    c.save()
    return write_structure(buffer.getvalue(), tags.document)
