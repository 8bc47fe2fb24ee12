"""The handout cover: title block, the agenda with clickable page numbers, an edition band."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from slidegen.plan import Plan
from slidegen.write.pdf_styles import Styles, esc, markup, palette
from slidegen.write.pdf_tag_flow import TaggedParagraph, counting_pass, tag_table
from slidegen.write.pdf_tags import tags_of

__all__ = ["AgendaRow", "Agenda", "cover_story", "cover_page", "BAND_TOP", "BAND_BOTTOM"]

#: Height of the coloured band at the top of the cover (its accent stripe below it).
BAND_TOP = 150.0
#: Height of the band at the foot of the cover that names the institution and the edition.
BAND_BOTTOM = 46.0

_ROW_GAP = 7.0
_NUMBER_W = 34.0
_PAGE_W = 30.0
_HEAD_H = 24.0


def _hex(rgb: str) -> Any:
    return HexColor("#" + rgb)


@dataclass(frozen=True)
class AgendaRow:
    """One line of the cover's agenda: a section (numbered like its divider) or a closing part."""

    number: str
    title: str  # reportlab markup
    subtitle: str  # reportlab markup, or ""
    key: str  # the bookmark it links to


class Agenda(Flowable):  # type: ignore[misc]
    """The class's parts on the cover, each with the page it starts on and a link to it.

    Page numbers come from the previous layout pass (the document's ``known_pages``), so the
    first pass draws none; the panel shrinks to fit when a class has very many sections.
    """

    def __init__(self, heading: str, rows: tuple[AgendaRow, ...], styles: Styles) -> None:
        super().__init__()
        self.heading = heading
        self.rows = rows
        self.title_style = styles.cover_value.clone(
            "agenda_title", fontName=styles.h1.fontName, fontSize=11.5, leading=14,
            textColor=_hex(palette().primary),
        )
        self.sub_style = styles.small.clone("agenda_sub", fontSize=8.5, leading=10.5)
        self.number_font = styles.h1.fontName
        self.scale = 1.0
        self.gap = _ROW_GAP
        self._laid: list[tuple[AgendaRow, RLParagraph, RLParagraph | None, float]] = []
        self._lays: dict[tuple[float, float, bool], tuple[list[Any], float]] = {}

    def _text_width(self, width: float) -> float:
        return width - 2 * 14.0 - _NUMBER_W - _PAGE_W

    def _lay(self, width: float, gap: float, subtitles: bool) -> float:
        """Wrap the rows at `width`; returns the panel's height. Each way is laid once:
        platypus wraps the agenda several times a pass, and in every pass."""
        self.gap = gap
        known = self._lays.get((width, gap, subtitles))
        if known is not None:
            self._laid, natural = known
            return natural
        inner = self._text_width(width)
        self._laid = []
        natural = _HEAD_H + 14.0
        for row in self.rows:
            title = RLParagraph(row.title, self.title_style)
            _, th = title.wrap(inner, 1e6)
            sub = RLParagraph(row.subtitle, self.sub_style) if row.subtitle and subtitles else None
            sh = sub.wrap(inner, 1e6)[1] + 1.5 if sub else 0.0
            height = max(th + sh, 18.0 if subtitles else 14.0) + 2 * gap
            self._laid.append((row, title, sub, height))
            natural += height
        self._lays[width, gap, subtitles] = (self._laid, natural)
        return natural

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # roomy; then compact (no subtitles, tighter rows); then scaled down, still full width
        self.scale = 1.0
        natural = self._lay(avail_width, _ROW_GAP, True)
        if natural > avail_height:
            natural = self._lay(avail_width, 3.0, False)
        for _ in range(4):
            if natural * self.scale <= avail_height:
                break
            self.scale *= avail_height / (natural * self.scale)
            natural = self._lay(avail_width / self.scale, 3.0, False)
        self.width, self.height = avail_width, min(natural * self.scale, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        if counting_pass(c):  # its page is thrown away, and its size is known
            return
        doc = getattr(c, "_doctemplate", None)
        pages: dict[str, int] = getattr(doc, "known_pages", {})
        tags = tags_of(c)  # a heading, then a list: each row's number its label, a link
        c.saveState()
        c.scale(self.scale, self.scale)
        width = self.width / self.scale
        height = self.height / self.scale
        with tags.artifact():
            c.setFillColor(_hex(palette().panel))
            c.rect(0, 0, width, height, stroke=0, fill=1)
            c.setFillColor(_hex(palette().accent))
            c.rect(0, 0, 3, height, stroke=0, fill=1)
        y = height - 10.0
        with tags.tagged("H2"), tags.content():
            c.setFont(self.number_font, 8.5)
            c.setFillColor(_hex(palette().muted))
            c.drawString(14.0, y - 9.0, self.heading.upper())
        y -= _HEAD_H
        inner = self._text_width(width)
        agenda = tags.element("L")
        for n, (row, title, sub, row_h) in enumerate(self._laid):
            if n:
                with tags.artifact():
                    c.setStrokeColor(_hex(palette().rule))
                    c.setLineWidth(0.4)
                    c.line(14.0, y, width - 14.0, y)
            top = y - self.gap
            item = agenda.add("LI")
            with tags.inside(item.add("Lbl")), tags.content():
                c.setFont(self.number_font, 15)
                c.setFillColor(_hex(palette().accent))
                c.drawString(14.0, top - 12.0, row.number)
            link = item.add("LBody").add("Link", text=title.getPlainText())
            with tags.inside(link), tags.content():
                _, th = title.wrap(inner, 1e6)
                title.drawOn(c, 14.0 + _NUMBER_W, top - th)
                if sub is not None:
                    _, sh = sub.wrap(inner, 1e6)
                    sub.drawOn(c, 14.0 + _NUMBER_W, top - th - 1.5 - sh)
                page = pages.get(row.key)
                if page is not None:
                    c.setFont(self.number_font, 10)
                    c.setFillColor(_hex(palette().primary))
                    c.drawRightString(width - 14.0, top - 12.0, str(page))
                c.linkRect("", row.key, (0, y - row_h, width, y), relative=1, thickness=0)
            y -= row_h
        c.restoreState()


def _details(plan: Plan, styles: Styles, width: float) -> Table:
    info = plan.info
    lab = plan.labels
    rows: list[tuple[str, str]] = [(lab.course, markup(info.course))]
    if info.lecturer:
        rows.append((lab.lecturer, markup(info.lecturer)))
    if info.institution:
        rows.append((lab.institution, markup(info.institution)))
    rows.append((lab.language, esc(lab.language_name)))
    when = ", ".join(x for x in (info.edition, info.date_text) if x)
    if when:
        rows.append((lab.edition, esc(when)))
    data = [
        [RLParagraph(esc(k).upper(), styles.cover_label), RLParagraph(v, styles.cover_value)]
        for k, v in rows
    ]
    table = Table(data, colWidths=(width * 0.28, width * 0.72), hAlign="LEFT")
    tag_table(table, header_rows=0, header_cols=1)  # each label heads its row
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (0, -1), 7.0),  # the small label on the value's baseline
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, _hex(palette().primary)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, _hex(palette().rule)),
            ]
        )
    )
    return table


def cover_story(
    plan: Plan, styles: Styles, kind: str, width: float, rows: tuple[AgendaRow, ...]
) -> list[Any]:
    """The cover's flowables: course (in the top band), kind, title, subtitle, details, agenda."""
    info = plan.info
    course_style = styles.cover_course.clone("cc", textColor=_hex("FFFFFF"), fontSize=13)
    kind_style = styles.cover_label.clone(
        "kind", fontSize=10, leading=14, textColor=_hex(palette().accent), spaceAfter=8
    )
    out: list[Any] = [
        Spacer(1, 20),
        TaggedParagraph(markup(info.course), course_style),
        Spacer(1, 86),
        TaggedParagraph(esc(kind).upper(), kind_style),
        TaggedParagraph(markup(info.title), styles.cover_title, tag="H1"),
    ]
    if info.subtitle:
        out.append(TaggedParagraph(markup(info.subtitle), styles.cover_subtitle))
    else:
        out.append(Spacer(1, 14))
    out.append(_details(plan, styles, width))
    if any(row.number for row in rows):  # a class without sections has no agenda to show
        out += [Spacer(1, 26), Agenda(plan.labels.agenda, rows, styles)]
    return out


#: The institution's size in the cover's foot band: 10 pt, down to `_FOOT_ONE_LINE` on one
#: line; a longer name wraps onto two or three lines, at no less than `_FOOT_MIN`.
_FOOT_SIZE = 10.0
_FOOT_ONE_LINE = 8.5
_FOOT_MIN = 7.5


def foot_lines(text: str, font: str, room: float) -> tuple[float, list[str]]:
    """The size and lines of the institution's name in the cover's foot band, `room` wide:
    one line if it fits at 8.5 pt or more, else as few lines as the band holds, never below
    7.5 pt."""
    size = _FOOT_SIZE
    while size >= _FOOT_ONE_LINE:
        if stringWidth(text, font, size) <= room:
            return size, [text]
        size -= 0.5
    size = 9.0
    while True:
        lines = simpleSplit(text, font, size, room)
        if len(lines) * size * 1.2 <= BAND_BOTTOM - 10 or size <= _FOOT_MIN:
            return size, lines
        size -= 0.5


def cover_page(
    left: str, right: str, regular: str, bold: str
) -> Callable[[Canvas, Any], None]:
    """The cover's page decoration: the top band, and a foot band with `left` (the institution)
    and `right` (language, edition and date) in it."""

    def draw(canvas: Canvas, doc: Any) -> None:
        if counting_pass(canvas):  # the bands take no room from the cover's text
            return
        canvas.showOutline()
        with tags_of(canvas).artifact("Pagination"):  # the details repeat what it names
            _band(canvas, doc)

    def _band(canvas: Canvas, doc: Any) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(_hex(palette().primary))
        canvas.rect(0, height - BAND_TOP, width, BAND_TOP, stroke=0, fill=1)
        canvas.setFillColor(_hex(palette().accent))
        canvas.rect(0, height - BAND_TOP - 6, width, 6, stroke=0, fill=1)
        canvas.setFillColor(_hex(palette().primary))
        canvas.rect(0, 0, width, BAND_BOTTOM, stroke=0, fill=1)
        room = width - doc.leftMargin - doc.rightMargin
        right_w = stringWidth(right, regular, 9)
        # a long institution name wraps (at a legible size) rather than run into the edition
        size, lines = foot_lines(left, bold, room - right_w - 18)
        base = BAND_BOTTOM / 2 - 3.5
        leading = size * 1.2
        top = base + (len(lines) - 1) * leading / 2
        canvas.setFillColor(_hex("FFFFFF"))
        canvas.setFont(bold, size)
        for n, line in enumerate(lines):
            canvas.drawString(doc.leftMargin, top - n * leading, line)
        canvas.setFillColor(_hex(palette().primary_light))
        canvas.setFont(regular, 9)
        canvas.drawRightString(width - doc.rightMargin, base, right)
        canvas.restoreState()

    return draw
