"""The reading plan: the layout stage turns an edition into the blocks both the reading
handout and the HTML edition draw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slidegen.layout.reading import reading
from slidegen.plan import (
    Definitions,
    Figure,
    Points,
    ReadingHeading,
    ReadingList,
    ReadingParagraph,
    ReadingQuote,
    ReadingTable,
    Timeline,
)


def test_every_kind_of_content_has_its_block(stress_edition: Callable[[str], object]) -> None:
    plan = reading(stress_edition("en"))  # type: ignore[arg-type]
    kinds = {type(b) for b in plan.blocks}
    assert kinds >= {
        ReadingHeading,
        Points,
        ReadingParagraph,
        Definitions,
        Timeline,
        ReadingQuote,
        Figure,
        ReadingTable,
        ReadingList,
    }
    headings = [b for b in plan.blocks if isinstance(b, ReadingHeading)]
    assert [h.id for h in headings if h.level == 1] == ["sec-1", "sec-2", "summary"]
    assert "slide-many-bullets" in {h.id for h in headings}
    table = next(b for b in plan.blocks if isinstance(b, ReadingTable))
    assert [t[0].text for t in table.header] == ["Country", "Measure", "Result"]
    assert len(table.rows) == 30
    nested = next(b for b in plan.blocks if isinstance(b, Points)).blocks[0]
    assert isinstance(nested, ReadingList) and nested.items[0].items  # sub-points kept


def test_a_picture_is_resolved_from_the_outline_folder_whatever_the_working_folder(
    stress_edition: Callable[[str], object], tmp_path: Path
) -> None:
    import os

    edition = stress_edition("en")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        fig = next(b for b in reading(edition).blocks if isinstance(b, Figure))  # type: ignore[arg-type]
    finally:
        os.chdir(cwd)
    assert fig.path is not None and Path(fig.path).is_file()
    assert fig.alt == "A red square" and fig.caption[0].text == "Figure 1: a square"


def test_a_first_slide_titled_as_its_section_lands_on_the_section_heading(
    stress_edition: Callable[[str], object],
) -> None:
    from dataclasses import replace

    from slidegen.read.model import Outline

    edition = stress_edition("en")
    outline = edition.outline  # type: ignore[attr-defined]
    assert isinstance(outline, Outline)
    first = replace(outline.sections[0].slides[0], title=outline.sections[0].title)
    section = replace(outline.sections[0], slides=(first, *outline.sections[0].slides[1:]))
    changed = replace(edition, outline=replace(outline, sections=(section,)))  # type: ignore[type-var]
    heads = [b for b in reading(changed).blocks if isinstance(b, ReadingHeading)]  # type: ignore[arg-type]
    assert heads[0].id == "sec-1" and heads[0].also == ("slide-many-bullets",)
    assert "slide-many-bullets" not in {h.id for h in heads}
