"""The handout's contents never leaves a line or two alone on a page of their own."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import slidegen
from slidegen.write.contents import LAST_LINES

#: (sections, slides): agendas from just under a page long to a page and a half, on A4 and
#: Letter; a class of about 28 slides spilled "References" alone onto a page of its own.
AGENDAS = [(2, 26), (2, 28), (2, 29), (2, 32), (5, 31)]


def _outline(sections: int, slides: int) -> str:
    """A class as an instructor writes one: `slides` slides over `sections` sections."""
    lines = [
        "id: long-class",
        "language: en",
        "course: A Course",
        "title: A Long Class",
        "summary: [What we saw]",
        "references:",
        "  - {id: oas, type: book, title: The Charter, author: [{literal: OAS}], issued: '1948'}",
        "sections:",
    ]
    per, extra = divmod(slides, sections)
    for s in range(sections):
        lines += [f"  - id: s{s}", f"    title: Part {s + 1} of the class", "    slides:"]
        for k in range(per + (s < extra)):
            cite = " [@oas]" if k == 0 else ""
            lines += [
                f"      - id: s{s}-{k}",
                f"        title: What slide {k + 1} of part {s + 1} says",
                "        bullets:",
                f"          - A point{cite}",
                "          - Another point",
            ]
    return "\n".join(lines) + "\n"


def _contents_pages(data: bytes) -> list[tuple[int, bool]]:
    """Each page of the contents (the pages after the cover whose lines link into the
    handout): how many entries it holds, and whether its last one is a section's title
    (set in bold)."""
    import pdfplumber

    out: list[tuple[int, bool]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, own in zip(PdfReader(io.BytesIO(data)).pages[1:], pdf.pages[1:], strict=True):
            rects = [
                [float(v) for v in a.get_object()["/Rect"]]
                for a in page.get("/Annots", [])
                if "/Dest" in a.get_object()
            ]
            if not rects:
                break
            x0, y0, x1, y1 = min(rects, key=lambda r: r[1])  # the lowest entry's link
            last = own.crop((x0, own.height - y1, x1, own.height - y0)).chars
            out.append((len(rects), any("Bold" in c["fontname"] for c in last)))
    return out


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], slidegen.Plan]:
    folder = tmp_path_factory.mktemp("long")
    out = {}
    for sections, slides in AGENDAS:
        source = folder / f"c{sections}-{slides}.yaml"
        source.write_text(_outline(sections, slides), encoding="utf-8")
        out[(sections, slides)] = slidegen.make_plan(slidegen.edition(source))
    return out


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("layout", ["handout", "three"])
def test_the_contents_last_page_never_holds_a_lone_line(
    plans: dict[tuple[int, int], slidegen.Plan], layout: str, paper: str
) -> None:
    """A contents a few lines longer than its page is set a little tighter and stays on it;
    a longer one leaves `LAST_LINES` entries or more for its second page, and no page ends
    on a section's title with its slides overleaf."""
    shapes = set()
    for (sections, slides), plan in plans.items():
        pages = _contents_pages(slidegen.render(plan, layout, paper=paper))  # type: ignore[arg-type]
        shapes.add(len(pages))
        where = (sections, slides, pages)
        assert len(pages) == 1 or pages[-1][0] >= LAST_LINES, where
        assert not any(ends_on_title for _, ends_on_title in pages[:-1]), where
    assert shapes == {1, 2}  # the agendas run from one page to two
