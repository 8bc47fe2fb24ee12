"""Fixed labels, dates and numbers come out in the edition's language (Babel's CLDR data)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import deck_texts
from slidegen.build.run import build
from slidegen.cli import main
from slidegen.errors import OutlineError
from slidegen.i18n.labels import (
    LABEL_KEYS,
    SUPPORTED,
    format_date,
    labels,
    load_labels,
    page_of,
    shipped_labels,
    site_labels,
)

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data" / "i18n"


@pytest.mark.parametrize(
    ("lang", "date", "page"),
    [
        ("en", "November 29, 2026", "Page 3 of 1,200"),
        ("pt", "29 de novembro de 2026", "Página 3 de 1.200"),
        ("es", "29 de noviembre de 2026", "Página 3 de 1.200"),
        ("fr", "29 novembre 2026", "Page 3 sur 1\u202f200"),
    ],
)
def test_dates_and_page_numbers_per_locale(lang: str, date: str, page: str) -> None:
    assert format_date("2026-11-29", lang) == date
    assert page_of(3, 1200, lang) == page


def test_every_supported_language_has_its_own_labels() -> None:
    english = labels("en")
    for lang in SUPPORTED:
        if lang != "en":
            assert labels(lang).summary != english.summary
            assert labels(lang).continued != english.continued


def test_every_shipped_language_has_every_label_the_site_included() -> None:
    """Each labels file slidegen ships has every key (the site's too): nothing falls back."""
    for lang in SUPPORTED:
        assert set(shipped_labels(lang)) == set(LABEL_KEYS) - {"language-name"}, lang
        assert not load_labels(lang)[1], lang
    german = site_labels("de")
    assert german["search"] == "Im Kurs suchen" and german["class_number"] == "Sitzung {number}"
    assert german["contents"] == labels("de").contents  # the handout's own labels, shared
    assert site_labels("nl")["search"] == site_labels("en")["search"] == "Search the course"


def test_regional_codes_and_unknown_languages() -> None:
    assert labels("pt-BR") == labels("pt")
    assert labels("nl").summary == labels("en").summary  # no labels shipped: English ones
    assert labels("nl").language_name == "Nederlands"  # its name from CLDR all the same
    assert format_date("2026", "pt") == "2026"


# --- labels files: shipped per language, a translator's own beside the outlines -------------


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder as a user has it: tasks.py and the small class in source/."""
    (tmp_path / "source").mkdir()
    shutil.copy(DATA / "mini.yaml", tmp_path / "source" / "mini.yaml")
    shutil.copy(ROOT / "tasks.py", tmp_path / "tasks.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], capture_output=True, text=True, check=False
    )


def _fill(path: Path, text: str) -> None:
    """Translate a scaffold as a translator would: every empty text gets its own."""
    parts = path.read_text("utf-8").split('""')
    filled = parts[0] + "".join(f'"{text} {n}"' + part for n, part in enumerate(parts[1:], 1))
    path.write_text(filled, "utf-8")


def _handout_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _english_labels() -> list[str]:
    """The English labels as they show (placeholders cut off: 'Page', 'Slide')."""
    en = labels("en")
    values = [getattr(en, f.name) for f in dataclasses.fields(en)]
    return [v.split("{")[0].strip() for v in values if v.split("{")[0].strip()]


def test_a_german_edition_has_no_english_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, monkeypatch)
    made = _invoke("translate", "--lang", "de")
    assert made.returncode == 0, made.stderr
    _fill(Path("source/mini.de.yaml"), "Auf Deutsch")
    built = _invoke("build", "--lang", "de")
    assert built.returncode == 0, built.stderr
    assert "label" not in built.stderr  # German labels ship: nothing fell back
    deck = "\n".join(deck_texts(Path("build/de/mini.pptx").read_bytes()))
    handout = _handout_text(Path("build/de/mini-handout.pdf"))
    for text, where in ((deck, "deck"), (handout, "handout")):
        for label in _english_labels():
            assert not re.search(rf"\b{re.escape(label)}\b", text, re.IGNORECASE), (label, where)
    assert "SPRACHE" in handout and "Deutsch" in handout and "BEGLEITMATERIAL" in handout
    assert "Teil 1" in deck and "Ablauf" in deck


def test_a_language_without_labels_warns_once_naming_each_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dutch ships no labels: one warning names each label in English, the language's name
    still comes from CLDR; a translator's labels.nl.yaml then replaces them, key by key."""
    _project(tmp_path, monkeypatch)
    shutil.copy(DATA / "mini.yaml", Path("source/other.yaml"))  # two classes, one warning
    edit = Path("source/other.yaml")
    edit.write_text(edit.read_text("utf-8").replace("id: mini", "id: other"), "utf-8")
    for klass in ("mini", "other"):
        assert main(["translate", f"source/{klass}.yaml", "--lang", "nl"]) == 0
    report = build([Path("source")], out=Path("build"), langs=["nl"], formats=["pdf"])
    fallback = [w for w in report.warnings if "English is used" in w.message]
    assert len(fallback) == 1
    assert fallback[0].loc is not None and fallback[0].loc.path.endswith("labels.nl.yaml")
    for key in ("agenda", "summary", "page-of", "section", "handout", "language", "site-search"):
        assert key in fallback[0].message
    assert "language-name" not in fallback[0].message
    assert "Nederlands" in _handout_text(Path("build/nl/mini-handout.pdf"))

    assert main(["i18n", "labels", "--lang", "nl"]) == 0
    scaffold = Path("source/labels.nl.yaml")
    text = scaffold.read_text("utf-8")
    assert "# en: Page {page} of {pages}" in text and 'language-name: "Nederlands"' in text
    text = text.replace('agenda: ""', 'agenda: "Programma"')
    text = text.replace('page-of: ""', 'page-of: "Pagina {page} van {pages}"')
    assert "# en: Search the course" in text  # the site's labels are in the same file
    text = text.replace('site-search: ""', 'site-search: "Zoek in de cursus"')
    scaffold.write_text(text, "utf-8")
    report = build([Path("source")], out=Path("build"), langs=["nl"], formats=["pdf"], site=True)
    (fallback,) = [w for w in report.warnings if "English is used" in w.message]
    assert "agenda" not in fallback.message and "page-of" not in fallback.message
    assert "site-search" not in fallback.message
    assert "summary" in fallback.message and "site-downloads" in fallback.message
    assert "Zoek in de cursus" in Path("build/site/nl/index.html").read_text("utf-8")
    handout = _handout_text(Path("build/nl/mini-handout.pdf"))
    assert "Pagina 2 van" in handout and "PROGRAMMA" in handout.upper()


def test_a_translators_labels_override_the_shipped_ones_and_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, monkeypatch)
    Path("source/labels.pt.yaml").write_text(
        "agenda: Roteiro\nsumary: Resumo\npage-of: Página {page}\n", "utf-8"
    )
    with pytest.raises(OutlineError) as err:
        load_labels("pt", Path("source"))
    (problem,) = err.value.problems
    assert str(problem.loc) == "source/labels.pt.yaml:3:10" and "{pages}" in problem.message
    Path("source/labels.pt.yaml").write_text("agenda: Roteiro\nsumary: Resumo\n", "utf-8")
    lab, problems = load_labels("pt-BR", Path("source"))  # pt's file serves pt-BR too
    assert lab.agenda == "Roteiro" and lab.summary == "Resumo"
    (typo,) = problems
    assert str(typo.loc) == "source/labels.pt.yaml:2:1" and "did you mean 'summary'" in str(typo)
