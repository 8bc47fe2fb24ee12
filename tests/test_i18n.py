"""The translator's workflow: translation files, status, fallback, strict, scaffold, review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from yaml.nodes import MappingNode

from slidegen.errors import OutlineError, TranslationError, UsageError
from slidegen.i18n.catalog import find_node
from slidegen.i18n.merge import edition_outline, languages, translation_path
from slidegen.i18n.record import RECORD_COMMENT
from slidegen.i18n.review import mark_reviewed
from slidegen.i18n.scaffold import scaffold
from slidegen.i18n.status import format_status, status, status_json
from slidegen.i18n.yaml_edit import end_of_value
from slidegen.read.model import Bullets, Columns, Definitions, QuoteContent, TableContent, Timeline
from slidegen.read.outline import read_outline
from slidegen.read.yaml_nodes import load_nodes, parse_nodes

DATA = Path(__file__).parent / "data" / "i18n"
SEED = Path(__file__).parent.parent / "source" / "inter-american-cooperation.yaml"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small class and its complete Portuguese translation."""
    for name in ("mini.yaml", "mini.pt.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path / "mini.yaml"


def without_records(text: str) -> str:
    """A translation file's text without the `was:` records review and import keep."""
    root = parse_nodes(text, "translation")
    cuts = []
    entries = [root]
    for key in ("sections", "slides"):
        group = find_node(root, (key,))
        if isinstance(group, MappingNode):
            entries += [v for _k, v in group.value if isinstance(v, MappingNode)]
    for entry in entries:
        for k, v in entry.value:
            if k.value == "was":
                start = text.rfind("\n", 0, k.start_mark.index) + 1
                comment = text.rfind("\n", 0, start - 1) + 1
                if text[comment:start].strip() == "# " + RECORD_COMMENT:
                    start = comment
                end = end_of_value(text, v)
                if k.start_mark.column == 0 and text[end : end + 1] == "\n":
                    end += 1  # the class's record stands apart from its sections
                cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        text = text[:start] + text[end:]
    return text


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text, which must occur exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def states(source: Path, lang: str) -> dict[str, str]:
    (st,) = [s for s in status(source) if s.language == lang]
    return {e.id: e.state for e in st.slides}


def not_translated(source: Path, lang: str) -> dict[str, str]:
    return {i: s for i, s in states(source, lang).items() if s != "translated"}


# --- finding translations --------------------------------------------------------------------


def test_languages_lists_the_source_language_first_then_translations_sorted(mini: Path) -> None:
    shutil.copy(DATA / "mini.pt.yaml", mini.with_name("mini.es.yaml"))
    (mini.parent / "other.fr.yaml").write_text("id: other\n", encoding="utf-8")
    assert languages(mini) == ["en", "es", "pt"]
    assert translation_path(mini, "fr") == mini.with_name("mini.fr.yaml")


# --- translated ------------------------------------------------------------------------------


def test_a_complete_translation_gives_an_edition_entirely_in_its_language(mini: Path) -> None:
    outline, problems = edition_outline(mini, "pt")
    assert problems == []
    assert outline.language == "pt"
    assert outline.title == "Uma Pequena Aula"
    assert outline.lecturer == "Ana Lima"  # a proper name falls back silently
    assert [s.title for s in outline.sections] == ["Fundamentos", "Mais"]
    points, terms, dates, saying, sides, numbers = outline.slides()
    assert isinstance(points.content, Bullets)
    assert points.content.bullets[1].items[1].text == "entre órgãos"
    assert isinstance(terms.content, Definitions)
    assert terms.content.definitions[0].term == "OEA"
    assert isinstance(dates.content, Timeline) and dates.content.timeline[0].text == "Carta da OEA"
    assert isinstance(saying.content, QuoteContent)
    assert saying.content.quote.source == "[@herz2011]"
    assert isinstance(sides.content, Columns)
    assert sides.content.columns[1].prose == "O Sistema Interamericano."
    assert isinstance(numbers.content, TableContent)
    assert numbers.content.table.rows[1] == ("Funcionários", "Mais de 1000")
    # structure comes from the source
    assert [s.id for s in outline.slides()] == [s.id for s in read_outline(mini).slides()]
    (st,) = status(mini)
    assert (st.translated, st.missing, st.stale, st.orphaned, st.percent) == (9, 0, 0, 0, 100.0)


def test_the_source_language_edition_is_the_outline_itself(mini: Path) -> None:
    outline, problems = edition_outline(mini, "en")
    assert outline == read_outline(mini) and problems == []


# --- missing: fallback and strict ------------------------------------------------------------


def test_missing_text_falls_back_to_the_source_with_a_warning(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "    notes: A OEA foi criada em 1948.\n", "")
    outline, problems = edition_outline(mini, "pt")
    terms = outline.slides()[1]
    assert terms.notes == "The OAS was created in 1948."  # English, since untranslated
    assert terms.title == "Termos"  # the rest of the slide stays translated
    (warning,) = problems
    assert warning.severity == "warning"
    assert warning.slide == "terms" and "notes" in warning.message
    assert "slide 'terms': not translated: notes (" in warning.format()
    assert str(warning.loc).startswith(str(mini.with_name("mini.pt.yaml")) + ":")
    assert not_translated(mini, "pt") == {"terms": "missing"}
    (st,) = status(mini)
    (terms_status,) = [e for e in st.slides if e.id == "terms"]
    assert terms_status.missing_keys == ("notes",)


def test_a_slide_absent_from_the_translation_is_missing_entirely(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "  saying:\n    source: 333b6ba072\n", "  saying-x:\n")
    outline, _ = edition_outline(mini, "pt")
    assert outline.slides()[3].title == "A saying"
    (st,) = status(mini)
    saying = {e.id: e for e in st.slides}["saying"]
    assert saying.state == "missing"
    assert saying.missing_keys == ("title", "quote.text")  # the citation alone needs no words


def test_strict_makes_missing_text_an_error_naming_slide_and_key(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "    handout: Leia o relatório.\n", "")
    with pytest.raises(TranslationError) as info:
        edition_outline(mini, "pt", strict=True)
    (problem,) = info.value.problems
    assert problem.severity == "error"
    assert problem.slide == "numbers" and "handout" in problem.message


# --- stale -----------------------------------------------------------------------------------


def test_rewording_one_source_sentence_marks_only_that_slide_stale(mini: Path) -> None:
    edit(mini, "Crime is organized. Cooperation", "Crime is well organized. Cooperation")
    assert not_translated(mini, "pt") == {"points": "stale"}
    outline, problems = edition_outline(mini, "pt")
    assert outline.slides()[0].title == "Pontos principais"  # stale text is still used
    (warning,) = problems
    assert warning.slide == "points" and "changed in the source" in warning.message
    with pytest.raises(TranslationError):
        edition_outline(mini, "pt", strict=True)


def test_rewrapping_source_text_does_not_make_it_stale(mini: Path) -> None:
    edit(
        mini,
        "Crime is organized. Cooperation is needed.",
        "Crime is organized.\n          Cooperation is needed.",
    )
    assert not_translated(mini, "pt") == {}


def test_a_changed_class_title_or_section_title_is_noticed(mini: Path) -> None:
    edit(mini, "title: A Small Class", "title: A Short Class")
    edit(mini, "title: More\n", "title: Further\n")
    assert not_translated(mini, "pt") == {"(class)": "stale", "section:more": "stale"}


@pytest.mark.skipif(not SEED.exists(), reason="the seed class is not there")
def test_one_changed_sentence_of_the_seed_marks_exactly_that_slide_stale_in_each_language(
    tmp_path: Path,
) -> None:
    for path in SEED.parent.glob(SEED.stem + ".*"):
        shutil.copy(path, tmp_path / path.name)
    source = tmp_path / SEED.name
    langs = languages(source)[1:]
    assert langs, "no translations of the seed class"
    assert all(not not_translated(source, lang) for lang in langs)
    edit(source, "are problems that affect the", "are problems that hinder the")
    for lang in langs:
        assert not_translated(source, lang) == {"declaration-2003": "stale"}, lang


# --- orphaned and errors in the translation --------------------------------------------------


def test_a_slide_no_longer_in_the_source_is_orphaned_with_a_hint(mini: Path) -> None:
    edit(mini, "id: terms", "id: glossary")
    (st,) = status(mini)
    assert {e.id: e.state for e in st.slides if e.state != "translated"} == {
        "glossary": "missing",
        "terms": "orphaned",
    }
    assert st.orphaned == 1 and st.missing == 1
    _, problems = edition_outline(mini, "pt")
    (orphan,) = [p for p in problems if "not in the source" in p.message]
    assert orphan.severity == "warning" and orphan.loc is not None and orphan.loc.line > 0
    assert "terms" in orphan.message and orphan.hint is not None and "glossary" in orphan.hint


def test_a_list_of_another_length_is_an_error_at_that_list(mini: Path) -> None:
    tr = mini.with_name("mini.pt.yaml")
    edit(tr, "          - entre órgãos\n", "")
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    (problem,) = info.value.problems
    line = tr.read_text(encoding="utf-8").splitlines().index("          - entre países") + 1
    assert problem.loc is not None and (problem.loc.line, problem.loc.col) == (line, 11)
    assert "has 1 entries; the source has 2" in problem.message


def test_a_translator_adding_sub_points_to_an_up_to_date_slide_is_an_error(mini: Path) -> None:
    edit(
        mini.with_name("mini.pt.yaml"),
        "      - O crime é **organizado**\n",
        "      - text: O crime é **organizado**\n        items: [e transnacional]\n",
    )
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    (problem,) = info.value.problems
    assert "'bullets[1].items' has 1 entries; the source has 0" in problem.message


# --- a reworded source: lists that no longer match are stale, not errors ---------------------


def test_a_bullet_added_to_the_source_keeps_the_rest_of_the_slide_translated(
    mini: Path,
) -> None:
    edit(
        mini,
        "          - Crime is **organized**\n",
        "          - Crime is **organized**\n          - Crime crosses borders\n",
    )
    outline, problems = edition_outline(mini, "pt")  # the language still builds
    points = outline.slides()[0]
    assert isinstance(points.content, Bullets)
    assert [b.text for b in points.content.bullets] == [
        "Crime is **organized**",
        "Crime crosses borders",
        "Cooperation is needed:",
    ]  # the changed list falls back to the source, entirely
    assert points.title == "Pontos principais"
    assert points.notes is not None and points.notes.startswith("O crime é organizado.")
    assert outline.slides()[1].title == "Termos"  # other slides untouched
    assert all(p.severity == "warning" and p.slide == "points" for p in problems)
    (shape,) = [p for p in problems if "bullets" in p.message]
    assert "'bullets' has 2 entries; the source now has 3" in shape.message
    tr_lines = mini.with_name("mini.pt.yaml").read_text(encoding="utf-8").splitlines()
    assert shape.loc is not None and shape.loc.line == tr_lines.index("    bullets:") + 2
    assert not_translated(mini, "pt") == {"points": "stale"}
    (st,) = status(mini)
    points_status = {e.id: e for e in st.slides}["points"]
    assert points_status.missing_keys == ("bullets",)
    assert points_status.mismatched_keys == ("bullets",)
    assert "pt  points: bullets (changed in the source)" in format_status([st])
    (pt,) = json.loads(status_json([st]))["languages"]
    assert {
        "id": "points",
        "state": "stale",
        "missing_keys": ["bullets"],
        "mismatched_keys": ["bullets"],
        "changed": [],  # nothing recorded in this file: the fields are not told apart
    } in pt["slides"]


def test_strict_makes_a_list_that_no_longer_matches_an_error(mini: Path) -> None:
    edit(mini, '          - date: "2003"\n            text: Declaration on Security\n', "")
    with pytest.raises(TranslationError) as info:
        edition_outline(mini, "pt", strict=True)
    shape = [p for p in info.value.problems if "timeline" in p.message]
    assert len(shape) == 1 and shape[0].severity == "error" and shape[0].slide == "dates"
    assert "has 2 entries; the source now has 1" in shape[0].message
    outline, _ = edition_outline(mini, "pt")  # without strict: a warning
    dates = outline.slides()[2]
    assert dates.title == "Datas" and isinstance(dates.content, Timeline)
    assert [e.text for e in dates.content.timeline] == ["Charter of the OAS"]


def test_a_sub_point_added_to_the_source_falls_back_only_for_that_sub_list(mini: Path) -> None:
    edit(
        mini,
        "              - between agencies\n",
        "              - between agencies\n              - between courts\n",
    )
    outline, problems = edition_outline(mini, "pt")
    points = outline.slides()[0]
    assert isinstance(points.content, Bullets)
    first, second = points.content.bullets
    assert first.text == "O crime é **organizado**"
    assert second.text == "A cooperação é necessária:"
    assert [i.text for i in second.items] == [
        "between countries",
        "between agencies",
        "between courts",
    ]
    assert [e.missing_keys for e in status(mini)[0].slides if e.id == "points"] == [
        ("bullets[2].items",)
    ]


def test_a_summary_point_added_to_the_source_makes_the_class_stale(mini: Path) -> None:
    edit(mini, "  - Institutions help\n", "  - Institutions help\n  - Networks work\n")
    outline, problems = edition_outline(mini, "pt")
    assert outline.title == "Uma Pequena Aula"
    assert [i.text for i in outline.summary][-1] == "Networks work"
    assert not_translated(mini, "pt") == {"(class)": "stale"}
    assert any("'summary' has 2 entries" in p.message for p in problems)


def test_review_refuses_a_slide_whose_list_no_longer_matches(mini: Path) -> None:
    tr = mini.with_name("mini.pt.yaml")
    edit(
        mini,
        "          - Crime is **organized**\n",
        "          - Crime is **organized**\n          - Crime crosses borders\n",
    )
    before = tr.read_bytes()
    with pytest.raises(TranslationError) as info:
        mark_reviewed(mini, "pt", ["points"])
    assert "'bullets' has 2 entries; the source now has 3" in str(info.value)
    with pytest.raises(TranslationError):
        mark_reviewed(mini, "pt")  # every stale slide: nothing is marked either
    assert tr.read_bytes() == before
    # once the translator has caught up, the slide can be marked reviewed
    edit(
        tr,
        "      - O crime é **organizado**\n",
        "      - O crime é **organizado**\n      - O crime atravessa fronteiras\n",
    )
    assert mark_reviewed(mini, "pt", ["points"]) == ["points"]
    assert not_translated(mini, "pt") == {}
    outline, problems = edition_outline(mini, "pt", strict=True)
    first = outline.slides()[0].content
    assert problems == [] and isinstance(first, Bullets)
    assert first.bullets[1].text == "O crime atravessa fronteiras"


@pytest.mark.skipif(not SEED.exists(), reason="the seed class is not there")
def test_points_removed_from_the_seed_keep_every_language_building(tmp_path: Path) -> None:
    for path in SEED.parent.glob(SEED.stem + ".*"):
        shutil.copy(path, tmp_path / path.name)
    source = tmp_path / SEED.name
    edit(source, "              - social inequality\n", "")
    edit(
        source, "          - The creation of institutions to facilitate regional cooperation\n", ""
    )
    english = {s.id: s for s in read_outline(source).slides()}
    langs = languages(source)[1:]
    assert langs, "no translations of the seed class"
    for lang in langs:
        assert not_translated(source, lang) == {
            "objective": "stale",
            "basis-evolution": "stale",
        }, lang
        outline, problems = edition_outline(source, lang)
        slides = {s.id: s for s in outline.slides()}
        objective, basis = slides["objective"], slides["basis-evolution"]
        assert objective.title != english["objective"].title, lang
        points, source_points = objective.content, english["objective"].content
        assert isinstance(points, Bullets) and isinstance(source_points, Bullets)
        assert points.bullets[1].items == source_points.bullets[1].items
        assert points.bullets[0].text != source_points.bullets[0].text, lang
        assert basis.content == english["basis-evolution"].content
        assert basis.title != english["basis-evolution"].title, lang
        assert all(p.severity == "warning" for p in problems)
        with pytest.raises(TranslationError):
            edition_outline(source, lang, strict=True)


def test_a_language_other_than_the_file_name_is_an_error(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "language: pt", "language: es")
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    assert str(info.value).endswith(
        "does not match the file name ('pt') (write 'language: pt' or rename the file)"
    )
    assert ".pt.yaml:3:11: error:" in str(info.value)


def test_a_misspelled_key_is_located_with_a_suggestion(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "    handout: Leia", "    handuot: Leia")
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    assert "unknown key 'handuot' in slide (did you mean 'handout'?)" in str(info.value)


def test_a_mistyped_citation_key_in_a_translation_is_an_error(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), '"[@herz2011]"', '"[@hertz2011]"')
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    assert "unknown reference '@hertz2011' (did you mean 'herz2011'?)" in str(info.value)


# --- status output ---------------------------------------------------------------------------


def test_status_output_lists_counts_and_slides(mini: Path) -> None:
    edit(mini, "Crime is organized. Cooperation", "Crime is well organized. Cooperation")
    edit(mini.with_name("mini.pt.yaml"), "    handout: Leia o relatório.\n", "")
    statuses = status(mini)
    table = format_status(statuses)
    assert "pt                 7        1      1         0     77.8%" in table
    assert "points          stale" in table
    assert "pt  numbers: handout" in table
    assert "points" not in format_status(statuses, verbose=False)
    data = json.loads(status_json(statuses))
    (pt,) = data["languages"]
    assert (pt["language"], pt["translated"], pt["missing"], pt["stale"], pt["percent"]) == (
        "pt",
        7,
        1,
        1,
        77.8,
    )
    assert {
        "id": "numbers",
        "state": "missing",
        "missing_keys": ["handout"],
        "mismatched_keys": [],
        "changed": [],
    } in pt["slides"]


# --- scaffold --------------------------------------------------------------------------------


def test_scaffold_holds_every_text_with_its_source_as_a_comment(mini: Path) -> None:
    path = scaffold(mini, "fr")
    assert path == mini.with_name("mini.fr.yaml")
    load_nodes(path)  # parses
    text = path.read_text(encoding="utf-8")
    comments = {ln.strip().removeprefix("#").strip() for ln in text.splitlines()}
    for slide in read_outline(mini).slides():
        for line in [
            slide.title,
            *(slide.notes or "").splitlines(),
            slide.handout or "",
        ]:
            assert line.strip() in comments, line
    assert "Cooperation is the **oldest** idea." in comments
    assert "Item" in comments and "Count" in comments and "More than 1000" in comments
    fr = next(s for s in status(mini) if s.language == "fr")
    assert fr.percent == 0.0 and fr.translated == 0 and fr.stale == 0 and fr.orphaned == 0
    pt = next(s for s in status(mini) if s.language == "pt")
    assert [e.id for e in fr.slides] == [e.id for e in pt.slides]
    outline, problems = edition_outline(mini, "fr")
    assert outline.title == "A Small Class" and outline.language == "fr"
    assert len(problems) == 9 and all(p.severity == "warning" for p in problems)


def test_scaffold_filled_in_becomes_translated(mini: Path) -> None:
    path = scaffold(mini, "fr")
    edit(path, '# The OAS was created in 1948.\n    notes: ""', "notes: L'OEA a été créée en 1948.")
    (terms,) = [
        e for e in next(s for s in status(mini) if s.language == "fr").slides if e.id == "terms"
    ]
    assert terms.missing_keys == ("title", "definitions[1].term", "definitions[1]")


def test_scaffold_never_overwrites_a_translation(mini: Path) -> None:
    before = mini.with_name("mini.pt.yaml").read_bytes()
    with pytest.raises(UsageError):
        scaffold(mini, "pt")
    with pytest.raises(UsageError):
        scaffold(mini, "en")
    assert mini.with_name("mini.pt.yaml").read_bytes() == before


def test_scaffold_is_reproducible(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    other.mkdir()
    shutil.copy(mini, other / mini.name)
    assert scaffold(mini, "de").read_bytes() == scaffold(other / mini.name, "de").read_bytes()


# --- review ----------------------------------------------------------------------------------


def test_review_updates_only_the_fingerprint_and_keeps_everything_else(mini: Path) -> None:
    tr = mini.with_name("mini.pt.yaml")
    edit(mini, "Crime is organized. Cooperation", "Crime is well organized. Cooperation")
    edit(mini, "text: Charter of the OAS", "text: Charter of the OAS (Bogotá)")
    before = tr.read_text(encoding="utf-8").splitlines(keepends=True)
    assert mark_reviewed(mini, "pt") == ["points", "dates"]
    after = without_records(tr.read_text(encoding="utf-8")).splitlines(keepends=True)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 2
    (old, new), _ = changed
    assert old.startswith("    source: 8087464a3c   # revisado") and new.endswith(
        "   # revisado em março\n"
    )
    assert not_translated(mini, "pt") == {}
    assert mark_reviewed(mini, "pt") == []  # nothing left to review


def test_review_of_named_slides_only(mini: Path) -> None:
    edit(mini, "Crime is organized. Cooperation", "Crime is well organized. Cooperation")
    edit(mini, "text: Charter of the OAS", "text: Charter of the OAS (Bogotá)")
    assert mark_reviewed(mini, "pt", ["dates"]) == ["dates"]
    assert not_translated(mini, "pt") == {"points": "stale"}
    with pytest.raises(UsageError) as info:
        mark_reviewed(mini, "pt", ["dats"])
    assert "did you mean 'dates'?" in str(info.value)


def test_review_adds_a_missing_fingerprint_under_the_slide_id(mini: Path) -> None:
    tr = mini.with_name("mini.pt.yaml")
    edit(tr, "    source: 5fbb537785\n", "")
    assert not_translated(mini, "pt") == {"terms": "stale"}  # translated, but from what?
    before = tr.read_text(encoding="utf-8")
    assert mark_reviewed(mini, "pt") == ["terms"]
    assert without_records(tr.read_text(encoding="utf-8")) == before.replace(
        "  terms:\n", "  terms:\n    source: 5fbb537785\n"
    )
    assert not_translated(mini, "pt") == {}


def test_a_translation_of_another_class_is_an_error(mini: Path) -> None:
    edit(mini.with_name("mini.pt.yaml"), "translation-of: mini", "translation-of: mini-class")
    with pytest.raises(OutlineError) as info:
        edition_outline(mini, "pt")
    assert "'translation-of: mini-class' does not name this class ('mini')" in str(info.value)
