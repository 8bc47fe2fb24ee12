"""One locale table: the deck, the handout and the references name each language alike."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from slidegen.bib.format import csl_locale
from slidegen.cli import main
from slidegen.i18n.labels import format_date
from slidegen.i18n.locales import locale
from slidegen.layout.slides import language_tag

DATA = Path(__file__).parent / "data" / "i18n"


@pytest.mark.parametrize(
    ("lang", "tag", "babel"),
    [
        ("en", "en-US", "en_US"),
        ("pt", "pt-BR", "pt_BR"),
        ("pt-PT", "pt-PT", "pt_PT"),
        ("es", "es-ES", "es_ES"),
        ("fr", "fr-FR", "fr_FR"),
        ("de", "de-DE", "de_DE"),
        ("nl", "nl-NL", "nl_NL"),  # not in the table: CLDR's likely region
        ("zh-Hant", "zh-Hant", "zh_Hant"),
    ],
)
def test_the_table_gives_one_tag_to_every_use(lang: str, tag: str, babel: str) -> None:
    loc = locale(lang)
    assert (loc.tag, loc.csl, loc.babel) == (tag, tag, babel)
    assert language_tag(lang) == csl_locale(lang) == tag


def test_a_language_cldr_does_not_know_still_gets_dates() -> None:
    assert locale("xx").tag == "xx"
    assert format_date("2026-11-29", "xx") == "November 29, 2026"


def _deck_tags(deck: Path) -> set[str]:
    with zipfile.ZipFile(deck) as z:
        core = z.read("docProps/core.xml").decode()
        slides = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/s"))
    tags = set(re.findall(r"<dc:language>([^<]*)</dc:language>", core))
    return tags | set(re.findall(r' lang="([^"]+)"', slides))


def test_deck_handout_and_references_agree_on_the_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built as a user builds, from the project folder: en (source), pt, es and a German
    scaffold; every output of a language carries that language's one tag."""
    src = tmp_path / "source"
    src.mkdir()
    for name in ("mini.yaml", "mini.pt.yaml"):
        shutil.copy(DATA / name, src / name)
    spanish = (DATA / "mini.pt.yaml").read_text("utf-8").replace("language: pt", "language: es")
    (src / "mini.es.yaml").write_text(spanish, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["translate", "source", "--lang", "de"]) == 0
    assert main(["build", "source", "--quiet"]) == 0
    for lang in ("en", "pt", "es", "de"):
        tag = locale(lang).tag
        out = Path("build", lang)
        assert _deck_tags(out / "mini.pptx") == {tag}, lang
        pdf = PdfReader(out / "mini-handout.pdf")
        assert pdf.trailer["/Root"]["/Lang"] == tag, lang
        html = (out / "mini-references.html").read_text("utf-8")
        assert re.findall(r'<html lang="([^"]+)"', html) == [tag], lang
