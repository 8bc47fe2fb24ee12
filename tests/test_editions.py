"""Each edition is entirely in its language: no English text of the class left in pt, es, fr."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import deck_texts, require
from slidegen.read.model import Outline
from slidegen.read.outline import read_outline
from slidegen.read.walk import iter_slide_texts, iter_texts

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "source" / "inter-american-cooperation.yaml"
LANGUAGES = ["pt", "es", "fr"]


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"\*\*|\*", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def english_phrases(outline: Outline) -> set[str]:
    """Every English sentence or point of four words or more (names of people, institutions
    and works are single texts of their own, so they never count as a phrase here)."""
    texts = [*iter_texts(outline)]
    for slide in outline.slides():
        texts.extend(iter_slide_texts(slide))
    phrases = set()
    for text in texts:
        for part in re.split(r"(?<=[.;:])\s+|\n\n", text):
            norm = normalize(part)
            if len(norm.split()) >= 4:
                phrases.add(norm)
    return phrases


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from slidegen.build.run import build

    out = tmp_path_factory.mktemp("editions")
    build([SOURCE], out=out, formats=("pptx", "pdf"))
    return out


def deck_text(path: Path) -> str:
    return normalize("\n".join(deck_texts(path.read_bytes())))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_sentence_is_left_in_the_deck(lang: str, built: Path) -> None:
    text = deck_text(built / lang / "inter-american-cooperation.pptx")
    left = sorted(p for p in english_phrases(read_outline(SOURCE)) if p in text)
    assert left == [], f"English left in the {lang} deck: {left}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_sentence_is_left_in_the_handout(lang: str, built: Path) -> None:
    pdf = built / lang / "inter-american-cooperation-handout.pdf"
    require("pdftotext")
    raw = subprocess.run(
        ["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    text = normalize(raw.stdout.replace("-\n", ""))
    left = sorted(p for p in english_phrases(read_outline(SOURCE)) if p in text)
    assert left == [], f"English left in the {lang} handout: {left}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fixed_labels_are_in_the_edition_language(lang: str, built: Path) -> None:
    text = deck_text(built / lang / "inter-american-cooperation.pptx")
    for english in ("class summary", "references", "section 1", "continued"):
        assert english not in text, (lang, english)
