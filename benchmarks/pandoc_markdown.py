"""Write a class edition as pandoc Markdown: the same slides, notes and citations, for pandoc.

The benchmark compares slidegen with pandoc building the same decks; this is the Markdown
an author would write by hand for pandoc (level-1 headings are section slides, level-2
headings slides, ``::: notes`` speaker notes, ``[@key]`` citations rendered by --citeproc).

    python benchmarks/pandoc_markdown.py source/inter-american-cooperation.yaml pt > pt.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import assert_never

from slidegen.bib.export import to_csl
from slidegen.i18n.labels import labels
from slidegen.i18n.merge import edition_outline
from slidegen.read.model import (
    Bullets,
    Columns,
    Definitions,
    ImageContent,
    Item,
    Numbered,
    Outline,
    Prose,
    QuoteContent,
    SectionContent,
    Slide,
    TableContent,
    Timeline,
    TitleContent,
)
from slidegen.read.outline import references_of

__all__ = ["edition_markdown", "csl_json"]


def _items(items: tuple[Item, ...], marker: str, depth: int = 0) -> list[str]:
    out: list[str] = []
    for item in items:
        out.append("    " * depth + f"{marker} {item.text}")
        out.extend(_items(item.items, marker, depth + 1))
    return out


def _content(slide: Slide) -> list[str]:
    """The Markdown of each kind (an exhaustive match: mypy names a kind left out)."""
    match slide.content:
        case TitleContent() | SectionContent():
            return []
        case Bullets(bullets=items):
            return _items(items, "-")
        case Numbered(numbered=items):
            return _items(items, "1.")
        case Prose(prose=text):
            return [text.strip()] if text else []
        case Definitions(definitions=terms):
            return [f"- **{d.term}**: {d.text}" for d in terms]
        case Timeline(timeline=events):
            return [f"- **{e.date}** — {e.text}" for e in events]
        case QuoteContent(quote=q):
            return ["> " + q.text, *([">\n> — " + q.source] if q.source else [])]
        case ImageContent(image=image):
            return [f"![{image.alt}]({image.path})"]
        case Columns(columns=columns):
            lines = [":::::: columns"]
            for col in columns:
                lines.append("::: column")
                if col.heading:
                    lines.append(f"**{col.heading}**\n")
                lines.extend(_items(col.bullets, "-"))
                if col.prose:
                    lines.append(col.prose.strip())
                lines.append(":::")
            return [*lines, "::::::"]
        case TableContent(table=t):
            return [
                "| " + " | ".join(t.header) + " |",
                "|" + "---|" * len(t.header),
                *("| " + " | ".join(row) + " |" for row in t.rows),
            ]
        case unknown:
            assert_never(unknown)


def _body(slide: Slide) -> list[str]:
    lines: list[str] = []
    if slide.subtitle:
        lines.append(slide.subtitle)
    lines.extend(_content(slide))
    if slide.notes:
        lines.append("\n::: notes\n" + slide.notes.strip() + "\n:::")
    return lines


def edition_markdown(outline: Outline, lang: str) -> str:
    """The pandoc Markdown of one edition: metadata, agenda, sections, slides, references."""
    lab = labels(lang)
    meta = {
        "title": outline.title,
        "subtitle": outline.course,
        "author": outline.lecturer or "",
        "date": outline.institution or "",
        "lang": lang,
        "reference-section-title": lab.references,
    }
    out = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()), "---"]
    if outline.agenda:
        out += ["", f"## {lab.agenda}", "", *(f"- {s.title}" for s in outline.sections)]
    for section in outline.sections:
        out += ["", f"# {section.title}"]
        for slide in section.slides:
            out += ["", f"## {slide.title}", "", *_body(slide)]
    if outline.summary:
        out += ["", f"## {outline.summary_title or lab.summary}", "", *_items(outline.summary, "-")]
    out += ["", f"# {lab.references}", "", "::: {#refs}", ":::", ""]
    return "\n".join(out)


def csl_json(outline: Outline, base_dir: Path) -> str:
    """The edition's references as CSL-JSON, for pandoc's --citeproc."""
    return json.dumps([to_csl(r) for r in references_of(outline, base_dir)], ensure_ascii=False)


def main(argv: list[str]) -> int:
    """Print the Markdown of ``SOURCE [LANG]``."""
    source = Path(argv[0])
    outline, _ = edition_outline(source, argv[1] if len(argv) > 1 else "en")
    sys.stdout.write(edition_markdown(outline, outline.language if len(argv) < 2 else argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
