"""Exactly what changed: each field's recorded source text against today's, in status, exports
and review; several classes side by side with every translator command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from slidegen.cli import main
from slidegen.i18n.changes import word_diff

DATA = Path(__file__).parent / "data" / "i18n"
DE = Path("source/mini.de.yaml")
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _fill(path: Path) -> None:
    """Translate every empty text of a scaffold (each gets its own)."""
    parts = path.read_text("utf-8").split('""')
    path.write_text(
        parts[0] + "".join(f'"Deutsch {n}"' + p for n, p in enumerate(parts[1:], 1)), "utf-8"
    )


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A German translation made with the scaffold and translated; then the source changed:
    one sentence of the notes of 'points' and a number of the 'numbers' table."""
    (tmp_path / "source").mkdir()
    shutil.copy(DATA / "mini.yaml", tmp_path / "source" / "mini.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["translate", "source", "--lang", "de"]) == 0
    _fill(DE)
    _edit(Path("source/mini.yaml"), "is organized. Cooperation", "is well organized. Cooperation")
    _edit(Path("source/mini.yaml"), '[Countries, "22"]', '[Countries, "23"]')
    return tmp_path


def test_word_diff_shows_the_change_with_a_little_context() -> None:
    assert word_diff("Charter of the OAS", "The founding Charter of the OAS") == (
        "{+The founding+} Charter of the OAS"
    )
    old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    assert word_diff(old, old.replace("eight", "EIGHT")) == (
        "… three four five six seven [-eight-] {+EIGHT+} nine ten eleven twelve thirteen …"
    )


def test_status_names_the_field_and_shows_the_word_diff(
    german: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["i18n", "source"]) == 0
    out = capsys.readouterr().out
    assert "de  points  notes: Crime is {+well+} organized. Cooperation is needed. It …" in out
    assert "de  numbers  table/rows/1/2: [-22-] {+23+}" in out
    assert main(["i18n", "source", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (de,) = data["languages"]
    assert de["class"] == "mini" and de["source"] == "source/mini.yaml"
    points = next(s for s in de["slides"] if s["id"] == "points")
    (change,) = points["changed"]
    assert change["field"] == "notes" and change["old"].startswith("Crime is organized.")
    assert change["new"].startswith("Crime is well organized.")


def test_the_build_warning_names_the_field_and_its_diff(
    german: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "source"]) == 0
    err = capsys.readouterr().err
    line = DE.read_text("utf-8").splitlines().index("  points:") + 2
    assert (
        f"source/mini.de.yaml:{line}:5: warning: slide 'points': changed in the source since it "
        "was translated: notes: Crime is {+well+} organized. Cooperation is needed. It …"
    ) in err
    assert "slide 'numbers': changed in the source since it was translated: " in err
    assert "table/rows/1/2: [-22-] {+23+}" in err


def test_exports_mark_only_the_changed_field_stale_with_its_previous_source(
    german: Path,
) -> None:
    assert main(["i18n", "export", "--lang", "de", "--format", "po", "-o", "de.po"]) == 0
    po = {e.msgctxt: e for e in polib.pofile("de.po")}
    notes = po["mini/points/notes"]
    assert "fuzzy" in notes.flags and notes.previous_msgid.startswith("Crime is organized.")
    assert "changed in the source: Crime is {+well+} organized." in notes.comment
    assert not po["mini/points/title"].flags  # same slide, unchanged field: translated
    assert not po["mini/points/bullets/1"].flags
    assert main(["i18n", "export", "--lang", "de", "--format", "xliff", "-o", "de.xlf"]) == 0
    tree = etree.parse("de.xlf")
    (unit,) = tree.xpath("//x:unit[@name='mini/points/notes']", namespaces=X2)
    assert unit.find("x:segment", X2).get("state") == "initial"
    (prev,) = unit.xpath("x:notes/x:note[@category='previous-source']", namespaces=X2)
    assert prev.text.startswith("Crime is organized.")
    (title,) = tree.xpath("//x:unit[@name='mini/points/title']/x:segment", namespaces=X2)
    assert title.get("state") == "translated"
    assert main(["i18n", "export", "--lang", "de", "--format", "xliff12", "-o", "de12.xlf"]) == 0
    tree = etree.parse("de12.xlf")
    (alt,) = tree.xpath(
        "//x:trans-unit[@id='mini/points/notes']/x:alt-trans/x:source", namespaces=X12
    )
    assert alt.text.startswith("Crime is organized.")


def test_review_of_a_slide_refreshes_its_record_comments_and_copied_numbers(
    german: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = DE.read_text("utf-8")
    assert "    # Crime is organized. Cooperation is needed." in before
    assert main(["review", "source", "--lang", "de", "--slide", "points"]) == 0
    assert capsys.readouterr().out == "source/mini.de.yaml: marked reviewed: points\n"
    after = DE.read_text("utf-8")
    assert "    # Crime is well organized. Cooperation is needed." in after
    assert "    # Crime is organized." not in after
    assert "Deutsch" in after and after.count("Deutsch") == before.count("Deutsch")
    assert main(["i18n", "source"]) == 0
    out = capsys.readouterr().out
    assert "points  notes" not in out and "numbers  table/rows/1/2" in out
    # the table's "22" was copied from the source: reviewing takes the new number
    assert '          # 22\n          - "22"\n' in after
    assert main(["review", "source", "--lang", "de", "--slide", "numbers"]) == 0
    capsys.readouterr()
    text = DE.read_text("utf-8")
    assert '          # 23\n          - "23"\n' in text and '"22"' not in text.split("was:")[0]
    assert main(["i18n", "source", "--strict"]) == 0


# --- several classes side by side ------------------------------------------------------------


@pytest.fixture
def two_classes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """mini (with pt) and other (with pt and de) in one source folder."""
    src = tmp_path / "source"
    src.mkdir()
    for name in ("mini.yaml", "mini.pt.yaml"):
        shutil.copy(DATA / name, src / name)
    for name, out in (("mini.yaml", "other.yaml"), ("mini.pt.yaml", "other.pt.yaml")):
        text = (DATA / name).read_text("utf-8").replace("mini", "other")
        (src / out).write_text(text.replace("A Small Class", "Another Class"), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["translate", "source/other.yaml", "--lang", "de"]) == 0
    return tmp_path


def test_status_labels_each_class(two_classes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n"]) == 0
    out = capsys.readouterr().out
    assert "class  language" in out
    assert "mini   pt" in out and "other  de" in out and "other  pt" in out
    assert "source/mini.yaml (mini)" in out and "source/other.yaml (other)" in out
    assert main(["i18n", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["class"], s["language"]) for s in data["languages"]] == [
        ("mini", "pt"),
        ("other", "de"),
        ("other", "pt"),
    ]


def test_review_takes_every_class_that_has_the_language(
    two_classes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", "--lang", "de"]) == 0  # only 'other' has German: not an error
    assert capsys.readouterr().out == "source/other.de.yaml: marked reviewed: nothing was stale\n"
    _edit(Path("source/other.yaml"), "title: Terms", "title: Key terms")
    assert main(["review", "--lang", "pt", "--slide", "terms"]) == 0
    assert "source/other.pt.yaml: marked reviewed: terms" in capsys.readouterr().out
    assert main(["review", "--lang", "pt", "--slide", "termz"]) == 2
    assert "'termz' is not a slide or section of any class here" in capsys.readouterr().err


def test_export_and_import_span_every_class(
    two_classes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["i18n", "export", "--lang", "pt", "--format", "po", "-o", "pt.po"]) == 0
    po = polib.pofile("pt.po")
    classes = {e.msgctxt.split("/")[0] for e in po}
    assert classes == {"mini", "other"}
    for entry in po:
        if entry.msgctxt in ("mini/terms/title", "other/terms/title"):
            entry.msgstr = "Termos-chave"
    po.save("pt.po")
    capsys.readouterr()
    assert main(["i18n", "import", "pt.po"]) == 0
    out = capsys.readouterr().out
    assert "source/mini.pt.yaml: changed 1 text" in out
    assert "source/other.pt.yaml: changed 1 text" in out
