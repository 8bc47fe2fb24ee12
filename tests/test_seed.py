"""Nothing of the seed transcript is lost: every sentence is in the English deck or its notes."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import deck_texts

ROOT = Path(__file__).parent.parent
SEED_TEXT = ROOT / "tests" / "data" / "seed-transcript.txt"
OUTLINE = ROOT / "source" / "inter-american-cooperation.yaml"

#: Lines of the transcript that are labels of its page design, not sentences of the class.
LABELS = {"Course on", "Class"}


def normalize(text: str) -> str:
    """Lower case, markup and punctuation removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"</?u>|\*\*", "", text)
    text = re.sub(r"[^\w]+", " ", text.lower())
    return " ".join(text.split())


def seed_sentences() -> list[str]:
    out = []
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    refs = lines.index("Reference")
    for line in lines[:refs]:
        line = line.strip().removeprefix("- ").strip()
        if not line or line in LABELS:
            continue
        out.extend(s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", line) if s.strip())
    return out


def deck_text() -> str:
    from slidegen.layout.slides import layout
    from slidegen.read.outline import read_outline
    from slidegen.read.theme import load_theme
    from slidegen.resolve.edition import resolve
    from slidegen.write.deck import deck_bytes

    outline = read_outline(OUTLINE)
    edition = resolve(outline, OUTLINE)
    plan = layout(edition, load_theme(outline.theme, OUTLINE.parent))
    parts = deck_texts(deck_bytes(plan))
    return normalize("\n".join(parts))


@pytest.fixture(scope="module")
def english_deck() -> str:
    return deck_text()


@pytest.mark.parametrize("sentence", seed_sentences())
def test_every_seed_sentence_is_in_the_english_deck(sentence: str, english_deck: str) -> None:
    assert normalize(sentence) in english_deck


def test_seed_references_are_in_the_deck(english_deck: str) -> None:
    for part in (
        "ARRIGHI, Jean Michel",
        "De algunas desigualdades en el derecho interamericano",
        "BLACKWELL, Adam",
        "DUARTE, Paulina",
        "Violência, Crimen y Exclusión Social",
        "Desigualdad e inclusión social en las Américas",
        "OEA/Ser.D/XV.10",
        "HERZ, Monica",
        "Global governance away from the media",
        "Taylor & Francis",
    ):
        assert normalize(part) in english_deck, part
