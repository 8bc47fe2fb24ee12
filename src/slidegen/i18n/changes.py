"""Exactly what changed in the source: each field's text as translated against today's, as a
word diff (the translation's `was:` records the source text each field was translated from)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["FieldChange", "changes", "word_diff", "same_text", "RECORD_KEY"]

#: The key of an entry's recorded source texts in a translation file.
RECORD_KEY = "was"

_WORDS = re.compile(r"\S+")


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same but for spacing and line breaks (re-wrapping)."""
    return a.split() == b.split()


def word_diff(old: str, new: str, context: int = 5) -> str:
    """The old text against the new, word by word: ``… the [-old-]{+new+} words …`` with a few
    words of context around each change."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for n, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal":
            words = a[a1:a2]
            first, last = n == 0, n == len(ops) - 1
            if len(words) > 2 * context or (first and len(words) > context) or (
                last and len(words) > context
            ):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            out += words
            continue
        if a1 < a2:
            out.append("[-" + " ".join(a[a1:a2]) + "-]")
        if b1 < b2:
            out.append("{+" + " ".join(b[b1:b2]) + "+}")
    return " ".join(out)


@dataclass(frozen=True)
class FieldChange:
    """One field whose source text is not the one it was translated from."""

    field: str
    #: The source text it was translated from (None: the field is new in the source).
    old: str | None
    #: Today's source text (None: the field is gone from the source).
    new: str | None

    @property
    def diff(self) -> str:
        """The change as a word diff."""
        if self.old is None:
            return "new in the source: " + (self.new or "")
        if self.new is None:
            return "no longer in the source: " + self.old
        return word_diff(self.old, self.new)

    def describe(self) -> str:
        """The field and its change, for a message."""
        return f"{self.field}: {self.diff}"


def changes(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[FieldChange]:
    """The fields whose current source text differs from the recorded one, in source order
    (then the recorded fields the source no longer has); a field without a record is not
    compared (a field new in the source shows as not translated)."""
    out = [
        FieldChange(f, recorded[f], text)
        for f, text in current.items()
        if f in recorded and not same_text(recorded[f], text)
    ]
    out += [FieldChange(f, old, None) for f, old in recorded.items() if f not in current]
    return out
