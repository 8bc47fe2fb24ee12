"""Inline markup and the edition's text runs: bold, italic, links, citations, French spacing."""

from __future__ import annotations

from pathlib import Path

from slidegen.i18n.labels import labels
from slidegen.markup import Cite, CiteItem, Run, parse, plain
from slidegen.read.model import Bullets, Item, Outline, Section, Slide
from slidegen.resolve.edition import Edition, french_spacing


def test_bold_italic_links_and_citations() -> None:
    spans = parse(
        "Crime is **organized** and *transnational* [@herz2011, p. 12] [OAS](https://oas.org)"
    )
    assert spans[1] == Run("organized", bold=True)
    assert spans[3] == Run("transnational", italic=True)
    assert isinstance(spans[5], Cite)
    assert spans[5].items == (CiteItem("herz2011", "p. 12"),)
    assert spans[-1] == Run("OAS", href="https://oas.org")


def test_several_keys_escapes_and_bare_urls() -> None:
    spans = parse(r"See [@a; @b] and \*not italic\* at https://example.org/x.")
    assert isinstance(spans[1], Cite) and [i.key for i in spans[1].items] == ["a", "b"]
    assert plain(r"\*not italic\*") == "*not italic*"
    assert Run("https://example.org/x", href="https://example.org/x") in spans
    assert parse("2*3*4 and snake_case_name") == (Run("2*3*4 and snake_case_name"),)


def test_brackets_that_are_not_citations_stay_text() -> None:
    assert parse("[not a cite] [@]") == (Run("[not a cite] [@]"),)


def _edition(lang: str) -> Edition:
    slide = Slide(id="s", title="T", content=Bullets(bullets=(Item(text="x"),)))
    outline = Outline(
        id="c",
        language=lang,
        course="C",
        title="T",
        sections=(Section(id="a", title="A", slides=(slide,)),),
    )
    citations = {(CiteItem("herz2011"),): (Run("(HERZ, 2011)"),)}
    return Edition(outline, lang, Path("c.yaml"), labels(lang), citations=citations)


def test_citations_are_replaced_by_their_rendered_text() -> None:
    runs = _edition("en").runs("As shown [@herz2011].")
    assert "".join(r.text for r in runs) == "As shown (HERZ, 2011)."


def test_french_editions_get_no_break_spaces_before_punctuation() -> None:
    assert french_spacing("Objectif : coordonner ; « sécurité » !") == (
        "Objectif\u00a0: coordonner\u202f; «\u202fsécurité\u202f»\u202f!"
    )
    text = "".join(r.text for r in _edition("fr").runs("Objectif : voir https://oas.org"))
    assert text == "Objectif\u00a0: voir https://oas.org"
    assert "".join(r.text for r in _edition("en").runs("Objective : x")) == "Objective : x"
