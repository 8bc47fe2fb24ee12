"""The PDF handout: cover, contents, slides with notes, three-up or reading text, references."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)

from slidegen.errors import UsageError
from slidegen.markup import runs_text
from slidegen.plan import Labels, Paragraph, Plan, PlannedSection, PlannedSlide, TableShape, TextBox
from slidegen.write.contents import Contents
from slidegen.write.handout_cover import BAND_BOTTOM, AgendaRow, cover_page, cover_story
from slidegen.write.handout_flow import Heading, Mark, MarkedSlide, SlideRow
from slidegen.write.miniature import FontSet, is_furniture, register_plan_fonts
from slidegen.write.pdf_structure import write_structure
from slidegen.write.pdf_styles import (
    Styles,
    esc,
    make_styles,
    markup,
    palette,
    palette_for,
    using_palette,
)
from slidegen.write.pdf_tag_flow import Close, Open, Sections, TaggedParagraph, counting_pass
from slidegen.write.pdf_tags import TaggedCanvas, tags_of
from slidegen.write.reading_pdf import reading_story

__all__ = ["handout_bytes", "LAYOUTS", "PAPERS"]

#: Handout layouts: slides with notes, three slides per page with lines, or a text edition.
LAYOUTS: tuple[str, ...] = ("notes", "three", "reading")
#: Paper sizes in points (width, height).
PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}

#: The smallest size (pt) a notes page prints a slide's text at.
LEGIBLE = 7.0
_MAX_PASSES = 6
#: Width of a slide on a notes page, as a share of the text width: two slides with short
#: notes share a page, and a 16:9 slide's 18 pt text prints at 7 pt on A4.
_NOTES_SLIDE_SHARE = 0.775
_MARGIN_X = 56.0
_MARGIN_TOP = 62.0
_MARGIN_BOTTOM = 58.0

@dataclass(frozen=True)
class _Furniture:
    """The texts of the running header and footer."""

    header_left: str
    header_right: str
    footer_left: str
    labels: Labels
    font: str
    bold: str


class _HandoutDoc(BaseDocTemplate):  # type: ignore[misc]
    """A document that knows its page count from the previous pass ("page x of y")."""

    def __init__(self, buffer: io.BytesIO, furniture: _Furniture, **kw: Any) -> None:
        self.furniture = furniture
        self.total_pages = 0
        self.passes = 0
        #: the page each bookmark lands on in this pass, and in the previous one (the cover's)
        self.mark_pages: dict[str, int] = {}
        self.known_pages: dict[str, int] = {}
        super().__init__(buffer, **kw)

    def _allSatisfied(self) -> bool:  # noqa: N802 - reportlab's hook name
        self.passes += 1
        happy = bool(super()._allSatisfied())
        same = self.page == self.total_pages and self.mark_pages == self.known_pages
        self.total_pages = self.page
        self.known_pages, self.mark_pages = self.mark_pages, {}
        # the running footer takes no room from the text, so the count settles at once;
        # never let a contents that keeps changing length loop until reportlab gives up
        return (happy and same) or self.passes >= _MAX_PASSES


class _Frame(Frame):  # type: ignore[misc]
    """Reportlab's frame, deep-copied without copy's generic machinery: platypus copies the
    current frame each time it measures a keep-together group (some 60 times a handout),
    and its fields are numbers and strings (which a deep copy shares) but for a list."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Frame:
        new: _Frame = self.__class__.__new__(self.__class__)
        new.__dict__.update(
            (k, v if isinstance(v, int | float | str | None) else copy.deepcopy(v, memo))
            for k, v in self.__dict__.items()
        )
        return new


def _page_furniture(canvas: Canvas, doc: _HandoutDoc) -> None:
    if counting_pass(canvas):  # its pages are thrown away, and the furniture takes no room
        return
    f = doc.furniture
    width, height = doc.pagesize
    muted = HexColor("#" + palette().muted)
    with tags_of(canvas).artifact("Pagination"):
        _draw_furniture(canvas, doc, f, width, height, muted)


def _draw_furniture(
    canvas: Canvas, doc: _HandoutDoc, f: _Furniture, width: float, height: float, muted: Any
) -> None:
    canvas.saveState()
    canvas.setFillColor(muted)
    canvas.setFont(f.font, 8)
    top = height - _MARGIN_TOP + 26
    canvas.drawString(_MARGIN_X, top, f.header_left)
    canvas.drawRightString(width - _MARGIN_X, top, f.header_right)
    canvas.setStrokeColor(HexColor("#" + palette().rule))
    canvas.setLineWidth(0.5)
    canvas.line(_MARGIN_X, top - 6, width - _MARGIN_X, top - 6)
    bottom = _MARGIN_BOTTOM - 30
    canvas.line(_MARGIN_X, bottom + 12, width - _MARGIN_X, bottom + 12)
    canvas.drawString(_MARGIN_X, bottom, f.footer_left)
    total = doc.total_pages or doc.page
    canvas.setFont(f.bold, 8)
    canvas.drawRightString(width - _MARGIN_X, bottom, f.labels.page(doc.page, total))
    canvas.restoreState()


def _edition_line(plan: Plan) -> str:
    """Language, edition and date, for the cover's foot band."""
    info = plan.info
    return " · ".join(x for x in (plan.labels.language_name, info.edition, info.date_text) if x)


def _agenda_rows(plan: Plan, layout: str) -> tuple[AgendaRow, ...]:
    """The cover's agenda: the sections numbered as their dividers are, then the summary and
    the references, each linked to its bookmark."""
    rows: list[AgendaRow] = []
    for entry in plan.agenda:
        title = markup(entry.title)
        if entry.target == "section":
            sub = markup(entry.subtitle) if entry.subtitle else ""
            rows.append(AgendaRow(f"{entry.number:02d}", title, sub, f"sec-{entry.number}"))
        elif entry.target == "summary":
            if layout == "reading":
                rows.append(AgendaRow("", title, "", "summary"))
            elif entry.slide:
                rows.append(AgendaRow("", title, "", f"slide-{entry.slide}"))
        else:
            rows.append(AgendaRow("", title, "", "references"))
    return tuple(rows)


def _contents(labels: Labels, styles: Styles) -> list[Any]:
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    toc = Contents(levelStyles=list(styles.toc), dotsMinLevel=0, tableStyle=table_style)
    return [
        Heading(
            esc(labels.contents),
            styles.toc_title,
            (Mark("contents", labels.contents, 0, toc=False),),
        ),
        toc,
    ]


def _references(plan: Plan, styles: Styles) -> list[Any]:
    if not plan.references:
        return []
    title = plan.labels.references
    out: list[Any] = [Open("Sect"), Heading(esc(title), styles.h1, (Mark("references", title, 0),))]
    out.extend(TaggedParagraph(markup(entry), styles.reference) for entry in plan.references)
    return [*out, Close()]


def _sections(plan: Plan) -> dict[str, PlannedSection]:
    return {s.id: s for s in plan.sections}


_UNLISTED = frozenset({"title", "section"})


def _slide_marks(plan: Plan) -> list[tuple[PlannedSlide, tuple[Mark, ...]]]:
    """Each slide with its bookmarks: a section entry at its first slide, then the slide.
    The references slides are left out: the handout's references section prints the same
    entries as text (and keeps their numbers: the slides after them are numbered as in the
    deck)."""
    sections = _sections(plan)
    out: list[tuple[PlannedSlide, tuple[Mark, ...]]] = []
    current: str | None = None
    for slide in plan.slides:
        if slide.kind == "references":
            continue
        marks: list[Mark] = []
        section = slide.section
        if section != current:
            current = section
            if section is not None:
                sec = sections[section]
                marks.append(Mark(f"sec-{sec.number}", runs_text(sec.title), 0))
        level = 1 if current is not None else 0
        # the contents lists the class's slides; covers, dividers and continuations are
        # bookmarked but not listed
        listed = slide.part == 1 and slide.kind not in _UNLISTED
        marks.append(
            Mark(f"slide-{slide.number}", f"{slide.number}. {slide.title}", level, toc=listed)
        )
        out.append((slide, tuple(marks)))
    return out


def _learner_text(slide: PlannedSlide) -> tuple[tuple[Any, ...], ...]:
    return slide.handout or slide.notes


def _smallest_text(slide: PlannedSlide) -> float | None:
    """The size of the smallest text a slide shows learners (its footer and number aside)."""
    paragraphs: list[Paragraph] = []
    for shape in slide.shapes:
        if isinstance(shape, TextBox) and not is_furniture(shape):
            paragraphs += shape.paragraphs
        elif isinstance(shape, TableShape):
            paragraphs += [p for row in shape.cells for cell in row for p in cell.paragraphs]
    sizes = [p.size for p in paragraphs if runs_text(p.runs).strip()]
    return min(sizes, default=None)


def _miniature_width(plan: Plan, slide: PlannedSlide, width: float) -> float:
    """How wide a slide is drawn on a notes page: the share that puts two slides with short
    notes on a page, or the whole text width when its smallest text would print under
    `LEGIBLE` points at that share (a table's or a caption's 14 pt: 7 pt). Two widths only,
    so that the miniatures of a page line up."""
    smallest = _smallest_text(slide)
    share = width * _NOTES_SLIDE_SHARE
    if smallest is None or smallest * share / plan.width >= LEGIBLE - 0.01:
        return share
    return width


def _notes_story(plan: Plan, fonts: FontSet, styles: Styles, width: float) -> list[Any]:
    out: list[Any] = []
    mini = width * _NOTES_SLIDE_SHARE
    side = (width - mini) / 2
    notes = styles.notes.clone("notes_col", leftIndent=side, rightIndent=side)
    held: list[Any] = []
    sections = Sections()  # each section in a Sect
    for slide, marks in _slide_marks(plan):
        label = plan.labels.slide.format(number=slide.number)
        mini_w = _miniature_width(plan, slide, width)
        picture = MarkedSlide(plan, slide, fonts, mini_w, marks, label)
        picture.hAlign = "CENTER"
        paras = [TaggedParagraph(markup(para), notes) for para in _learner_text(slide)]
        held += [*sections.at(slide.section), picture, *paras, Spacer(1, 18)]
        if slide.kind == "section" and not paras:
            continue  # a divider never ends a page: it goes with its section's first slide
        # a slide stays on the page of its notes (long notes still flow on)
        out.append(KeepTogether(held))
        held = []
    if held:
        out.append(KeepTogether(held))
    return [*out, *sections.end()]


def _three_story(plan: Plan, fonts: FontSet, frame_height: float) -> list[Any]:
    out: list[Any] = []
    row = (frame_height - 1) / 3
    sections = _sections(plan)
    sects = Sections()  # each section in a Sect
    for slide, marks in _slide_marks(plan):
        label = plan.labels.slide.format(number=slide.number)
        if slide.section is not None:
            label = f"{label}  ·  {runs_text(sections[slide.section].title)}"
        out += [*sects.at(slide.section), SlideRow(plan, slide, fonts, row, marks, label)]
    return [*out, *sects.end()]


def handout_bytes(plan: Plan, layout: str = "notes", paper: str = "a4") -> bytes:
    """The handout PDF of one edition: `layout` is notes, three or reading; `paper` a4 or letter.
    Every layout draws the plan alone (the reading layout its reading text)."""
    if layout not in LAYOUTS:
        raise UsageError(f"unknown handout layout {layout!r} (choose {', '.join(LAYOUTS)})")
    if paper not in PAPERS:
        raise UsageError(f"unknown paper size {paper!r} (choose {', '.join(PAPERS)})")
    with using_palette(palette_for(plan.primary, plan.accent)):
        return _handout(plan, layout, PAPERS[paper])


def _handout(plan: Plan, layout: str, pagesize: tuple[float, float]) -> bytes:
    fonts = register_plan_fonts(plan.fonts)
    styles = make_styles(fonts.family, fonts.bold)
    info = plan.info
    lab = plan.labels
    kind = lab.reading_edition if layout == "reading" else lab.handout
    title = runs_text(info.title)
    course = runs_text(info.course)
    lecturer = runs_text(info.lecturer)
    furniture = _Furniture(
        header_left=course,
        header_right=title,
        footer_left=" · ".join(x for x in (kind, lab.language_name, lecturer) if x),
        labels=lab,
        font=fonts.regular,
        bold=fonts.bold,
    )
    buffer = io.BytesIO()
    doc = _HandoutDoc(
        buffer,
        furniture,
        pagesize=pagesize,
        title=f"{title} — {kind}",
        author=lecturer,
        subject=course,
        creator="slidegen",
        keywords=[course, kind, lab.language_name],
        invariant=1,
        leftMargin=_MARGIN_X,
        rightMargin=_MARGIN_X,
        topMargin=_MARGIN_TOP,
        bottomMargin=_MARGIN_BOTTOM,
        initialFontName=fonts.regular,
        lang=info.tag,
        displayDocTitle=1,
    )
    page_w, page_h = pagesize
    body = _Frame(
        _MARGIN_X,
        _MARGIN_BOTTOM,
        page_w - 2 * _MARGIN_X,
        page_h - _MARGIN_TOP - _MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    cover = _Frame(
        _MARGIN_X,
        BAND_BOTTOM + 22,
        page_w - 2 * _MARGIN_X,
        page_h - BAND_BOTTOM - 22 - 40,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="cover",
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "cover",
                [cover],
                onPage=cover_page(
                    runs_text(info.institution), _edition_line(plan), fonts.regular, fonts.bold
                ),
            ),
            PageTemplate("body", [body], onPage=_page_furniture),
        ]
    )
    width = body.width
    rows = _agenda_rows(plan, layout)
    story: list[Any] = [
        *cover_story(plan, styles, kind, width, rows),
        NextPageTemplate("body"),
        PageBreak(),
        *_contents(lab, styles),
        PageBreak(),
    ]
    if layout == "reading":
        if plan.reading is None:
            raise UsageError("this plan has no reading edition (made by layout.reading)")
        story += reading_story(plan.reading, styles, width)
    elif layout == "notes":
        story += _notes_story(plan, fonts, styles, width)
    else:
        story += _three_story(plan, fonts, body.height)
    refs = _references(plan, styles)
    if refs:
        # the three-up grid ends its page; elsewhere the list follows on when there is room
        brk = PageBreak() if layout == "three" else CondPageBreak(body.height * 0.4)
        story += [brk, *refs]
    doc.multiBuild(story, canvasmaker=TaggedCanvas)
    return write_structure(buffer.getvalue(), doc.canv.tags.document)
