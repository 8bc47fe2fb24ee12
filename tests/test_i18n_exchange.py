"""XLIFF and PO round trips: a CAT tool's edits reach the YAML translation, and nothing else."""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree

from conftest import deck_texts, require
from slidegen.cli import main
from slidegen.i18n.merge import edition_outline

DATA = Path(__file__).parent / "data" / "i18n"
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
TR = Path("source/mini.pt.yaml")


def export(fmt: str, lang: str = "pt", *paths: str) -> Path:
    out = Path(f"mini.{lang}.{fmt}")
    assert main(["i18n", "export", *paths, "--lang", lang, "--format", fmt, "--out", str(out)]) == 0
    return out


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """The (removed, added) lines between two texts, paired in order."""
    sm = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines())
    out = []
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op != "equal":
            out.append(("\n".join(sm.a[a1:a2]), "\n".join(sm.b[b1:b2])))
    return out


def x2_unit(tree: etree._ElementTree, name: str) -> etree._Element:
    (unit,) = tree.xpath(f"//x:unit[@name='{name}']", namespaces=X2)
    return unit


def x2_target(tree: etree._ElementTree, name: str) -> etree._Element:
    (target,) = x2_unit(tree, name).xpath("x:segment/x:target", namespaces=X2)
    return target


def set_text(target: etree._Element, text: str) -> None:
    """What a CAT tool does to a target without codes."""
    for child in list(target):
        target.remove(child)
    target.text = text


# --- XLIFF 2.1 -----------------------------------------------------------------------------


def test_an_xliff_round_trip_changes_exactly_the_edited_texts(
    mini_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TR.read_text("utf-8")
    path = export("xliff")
    tree = etree.parse(str(path))
    bold = x2_target(tree, "mini/points/bullets/1")  # O crime é <pc>organizado</pc>
    (pc,) = bold.xpath("x:pc", namespaces=X2)
    bold.text, pc.text = "Hoje o crime é ", "muito organizado"
    set_text(x2_target(tree, "mini/sides/columns/1/heading"), "Mundial")
    set_text(x2_target(tree, "mini/numbers/table/rows/2/2"), "Mais de mil")
    set_text(x2_target(tree, "mini/points/notes"), "Primeiro parágrafo.\n\nSegundo parágrafo.\n")
    for seg in tree.xpath("//x:segment", namespaces=X2):
        seg.set("state", "final")  # a reviewer's tool signs everything off
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")

    capsys.readouterr()
    assert main(["i18n", "import", str(path)]) == 0
    report = capsys.readouterr().out
    assert "source/mini.pt.yaml: changed 4 texts" in report
    assert "mini/points/bullets/1" in report and "mini/_class/title" not in report
    after = TR.read_text("utf-8")
    assert changed_lines(before, after) == [
        ("      - O crime é **organizado**", "      - Hoje o crime é **muito organizado**"),
        (
            "      O crime é organizado. A cooperação é necessária.",
            "      Primeiro parágrafo.",
        ),
        ("      Ela é necessária entre países e órgãos.", "      Segundo parágrafo."),
        ("      - heading: Global", "      - heading: Mundial"),
        ("        - [Funcionários, Mais de 1000]", "        - [Funcionários, Mais de mil]"),
    ]
    assert main(["build", "source", "--lang", "pt", "--format", "pptx", "--quiet"]) == 0
    deck = "\n".join(deck_texts(Path("build/pt/mini.pptx").read_bytes()))
    for text in ("Hoje o crime é muito organizado", "Mundial", "Mais de mil", "Segundo parágrafo"):
        assert text in deck


def test_an_unchanged_export_imports_as_nothing(
    mini_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TR.read_bytes()
    for fmt in ("xliff", "xliff12", "po"):
        assert main(["i18n", "import", str(export(fmt))]) == 0
        assert "nothing changed" in capsys.readouterr().out
    assert TR.read_bytes() == before


def test_xliff_protects_markup_and_citations_as_codes(mini_project: Path) -> None:
    tree = etree.parse(str(export("xliff")))
    unit = x2_unit(tree, "mini/saying/quote")
    (source,) = unit.xpath("x:segment/x:source", namespaces=X2)
    assert etree.tostring(source, encoding="unicode", with_tail=False).count("<pc ") == 1
    data = {d.get("id"): d.text for d in unit.xpath("x:originalData/x:data", namespaces=X2)}
    assert set(data.values()) == {"**"}
    notes = [n.text for n in unit.xpath("x:notes/x:note", namespaces=X2)]
    assert any("slide 'saying' (quote): A saying" in (n or "") for n in notes)


def test_broken_markup_and_unknown_ids_are_refused_at_their_place(
    mini_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TR.read_bytes()
    path = export("xliff")
    tree = etree.parse(str(path))
    set_text(x2_target(tree, "mini/points/bullets/1"), "O crime é organizado")  # bold dropped: ok
    bad = x2_target(tree, "mini/saying/quote")
    etree.SubElement(bad, "{urn:oasis:names:tc:xliff:document:2.0}pc", id="7").text = "x"
    x2_unit(tree, "mini/terms/title").set("name", "mini/termz/title")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    lines = path.read_text("utf-8").splitlines()
    quote_line = next(i for i, ln in enumerate(lines, 1) if 'id="7"' in ln)
    assert main(["i18n", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{quote_line}:" in err and "code 7 is not in the source text" in err
    assert "'mini/termz/title' is not a text of the source" in err
    assert "did you mean 'mini/terms/title'" in err
    assert TR.read_bytes() == before  # nothing written


# --- PO --------------------------------------------------------------------------------------


def test_a_po_round_trip_changes_exactly_the_edited_texts(mini_project: Path) -> None:
    before = TR.read_text("utf-8")
    path = export("po")
    po = polib.pofile(str(path))
    entries = {e.msgctxt: e for e in po}
    assert entries["mini/points/bullets/1"].msgid == "Crime is {1}organized{/1}"
    assert "{1}…{/1} = bold (**…**)" in entries["mini/points/bullets/1"].comment
    entries["mini/points/bullets/1"].msgstr = "O crime é {1}bem organizado{/1}"
    entries["mini/terms/notes"].msgstr = "A OEA foi fundada em 1948."
    entries["mini/_class/summary/2"].msgstr = "As instituições ajudam muito"
    po.save(str(path))
    assert main(["i18n", "import", str(path)]) == 0
    assert changed_lines(before, TR.read_text("utf-8")) == [
        ("  - As instituições ajudam", "  - As instituições ajudam muito"),
        ("      - O crime é **organizado**", "      - O crime é **bem organizado**"),
        ("    notes: A OEA foi criada em 1948.", "    notes: A OEA foi fundada em 1948."),
    ]


def test_a_po_entry_that_breaks_its_braces_is_refused(
    mini_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TR.read_bytes()
    path = export("po")
    po = polib.pofile(str(path))
    (entry,) = [e for e in po if e.msgctxt == "mini/points/bullets/1"]
    entry.msgstr = "O crime é {1}organizado"
    po.save(str(path))
    line = next(
        i
        for i, ln in enumerate(path.read_text("utf-8").splitlines(), 1)
        if ln == 'msgstr "O crime é {1}organizado"'
    )
    assert main(["i18n", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}:1: error: 'mini/points/bullets/1': the markup is broken" in err
    assert "code 1 (bold **…**) is not closed" in err
    assert TR.read_bytes() == before


# --- states ----------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def states(mini_project: Path) -> Path:
    """One text of each state: 'dates' stale (its source reworded), 'terms' notes missing, an
    orphaned slide, the rest translated."""
    _edit(Path("source/mini.yaml"), "text: Charter of the OAS", "text: The Charter of the OAS")
    _edit(TR, "notes: A OEA foi criada em 1948.", 'notes: ""')
    TR.write_text(TR.read_text("utf-8") + "  gone:\n    title: Slide removido\n", "utf-8")
    return mini_project


def test_each_state_is_exported_in_xliff_2(states: Path) -> None:
    tree = etree.parse(str(export("xliff")))
    seg = {
        name: x2_unit(tree, name).find("x:segment", X2)
        for name in ("mini/dates/timeline/1/text", "mini/terms/notes", "mini/terms/title")
    }
    assert seg["mini/dates/timeline/1/text"].get("state") == "initial"
    assert seg["mini/dates/timeline/1/text"].find("x:target", X2).text == "Carta da OEA"
    assert seg["mini/terms/notes"].get("state") == "initial"
    assert seg["mini/terms/notes"].find("x:target", X2).text is None
    assert seg["mini/terms/title"].get("state") == "translated"
    assert not tree.xpath("//x:unit[starts-with(@name, 'mini/gone/')]", namespaces=X2)


def test_each_state_is_exported_in_xliff_12_and_po(states: Path) -> None:
    tree = etree.parse(str(export("xliff12")))

    def state(ident: str) -> str:
        (t,) = tree.xpath(f"//x:trans-unit[@id='{ident}']/x:target", namespaces=X12)
        return str(t.get("state"))

    assert state("mini/dates/timeline/1/text") == "needs-translation"
    assert state("mini/terms/notes") == "new"
    assert state("mini/terms/title") == "translated"
    po = {e.msgctxt: e for e in polib.pofile(str(export("po")))}
    assert "fuzzy" in po["mini/dates/timeline/1/text"].flags
    assert po["mini/dates/timeline/1/text"].msgstr == "Carta da OEA"
    assert po["mini/terms/notes"].msgstr == "" and not po["mini/terms/notes"].flags
    assert not po["mini/terms/title"].flags
    assert not any(k.startswith("mini/gone/") for k in po)


def test_importing_a_missing_and_a_stale_text(states: Path) -> None:
    before = TR.read_text("utf-8")
    path = export("po")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt == "mini/terms/notes":
            entry.msgstr = "A OEA foi criada em 1948."
        if entry.msgctxt == "mini/dates/timeline/1/text":
            entry.msgstr = "A Carta da OEA"
            entry.flags.remove("fuzzy")
    po.save(str(path))
    assert main(["i18n", "import", str(path)]) == 0
    assert changed_lines(before, TR.read_text("utf-8")) == [
        ('    notes: ""', '    notes: "A OEA foi criada em 1948."'),
        ("        text: Carta da OEA", "        text: A Carta da OEA"),
    ]


def test_a_new_language_is_created_from_its_export(
    mini_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export("xliff", "de")
    tree = etree.parse(str(path))
    assert {s.get("state") for s in tree.xpath("//x:segment", namespaces=X2)} == {"initial"}
    set_text(x2_target(tree, "mini/_class/title"), "Eine kleine Klasse")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    assert main(["i18n", "import", str(path)]) == 0
    assert "source/mini.de.yaml: created 1 text" in capsys.readouterr().out
    text = Path("source/mini.de.yaml").read_text("utf-8")
    assert 'title: "Eine kleine Klasse"' in text and "# A Small Class" in text
    assert main(["check", "source"]) == 0


def test_gettext_accepts_the_po_export(states: Path) -> None:
    require("msgfmt")
    path = export("po")
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_paragraphs_imported_into_a_scaffold_become_a_block(mini_project: Path) -> None:
    """The scaffold writes table cells one under the other and tells how to write paragraphs;
    an import of paragraphs writes the `|` block, the hint kept on its first line."""
    assert main(["translate", "source", "--lang", "de"]) == 0
    de = Path("source/mini.de.yaml")
    text = de.read_text("utf-8")
    assert '    notes: ""  # several paragraphs: write | here' in text
    assert '        - # row 2\n          # Officials\n          - ""\n' in text
    path = export("po", "de")
    po = polib.pofile(str(path))
    (notes,) = [e for e in po if e.msgctxt == "mini/points/notes"]
    notes.msgstr = "Das Verbrechen ist organisiert.\n\nEs braucht Zusammenarbeit.\n"
    (cell,) = [e for e in po if e.msgctxt == "mini/numbers/table/rows/2/1"]
    cell.msgstr = "Beamte"
    po.save(str(path))
    assert main(["i18n", "import", str(path)]) == 0
    after = de.read_text("utf-8")
    assert (
        "    notes: |  # several paragraphs: write | here, then each paragraph indented below\n"
        "      Das Verbrechen ist organisiert.\n\n      Es braucht Zusammenarbeit.\n"
    ) in after
    assert '          # Officials\n          - "Beamte"\n' in after
    assert main(["check", "source", "--strict"]) == 1  # the rest is still untranslated
    merged = edition_outline(Path("source/mini.yaml"), "de")[0]
    notes_text = merged.slides()[0].notes
    assert notes_text == "Das Verbrechen ist organisiert.\n\nEs braucht Zusammenarbeit.\n"


def test_each_text_on_a_slide_carries_a_length_hint_from_the_layout(mini_project: Path) -> None:
    tree = etree.parse(str(export("xliff")))
    (hint,) = x2_unit(tree, "mini/points/bullets/1").xpath(
        "x:notes/x:note[@category='length']", namespaces=X2
    )
    number = int(hint.text.split()[1])
    assert number >= len("Crime is organized")  # the source fits, so its length does
    assert "characters keep the slide at its size" in hint.text
    assert not x2_unit(tree, "mini/points/notes").xpath(
        "x:notes/x:note[@category='length']", namespaces=X2
    )
    tree12 = etree.parse(str(export("xliff12")))
    (unit,) = tree12.xpath("//x:trans-unit[@id='mini/points/bullets/1']", namespaces=X12)
    assert unit.get("maxwidth") == str(number) and unit.get("size-unit") == "char"
    po = {e.msgctxt: e for e in polib.pofile(str(export("po")))}
    assert f"about {number} characters keep the slide" in po["mini/points/bullets/1"].comment
