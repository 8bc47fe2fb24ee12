"""gettext PO files of translation units, written and read with polib.

Each unit is an entry whose `msgctxt` is the unit id (so equal source texts stay apart); inline
markup becomes numbered braces — ``{1}`` a citation or web address, ``{2}…{/2}`` bold, italic or a
link's text — explained in the entry's comment. A stale unit is `#, fuzzy` with the previous
source as `#| msgid`; a missing one has an empty `msgstr`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polib

from slidegen.errors import Location, OutlineError, Problem
from slidegen.i18n.catalog import Catalog
from slidegen.i18n.changes import word_diff
from slidegen.i18n.exchange import Incoming, context_note, length_note, outgoing
from slidegen.i18n.inline import describe_codes, to_braces

__all__ = ["write_po", "read_po", "PO_CODES_NOTE"]

#: The header comment that explains the braces to a translator.
PO_CODES_NOTE = (
    "Inline markup and citations are numbered braces: {1} stands for a citation or a web "
    "address, {2}…{/2} around words for bold, italic or a link. Keep each one, in the order your "
    "sentence needs; the comment of each entry says what its braces stand for."
)


def write_po(catalogs: Sequence[Catalog], hints: Mapping[str, int] | None = None) -> bytes:
    """A PO file of every unit of the catalogs (with each unit's length hint, if given)."""
    hints = hints or {}
    if not catalogs:
        raise OutlineError([Problem("nothing to export: no class found")])
    first = catalogs[0]
    po = polib.POFile(wrapwidth=0)
    po.header = "Translation of " + ", ".join(c.class_id for c in catalogs) + ".\n" + PO_CODES_NOTE
    po.metadata = {
        "Project-Id-Version": ", ".join(c.class_id for c in catalogs),
        "Language": first.language,
        "X-Source-Language": first.source_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "slidegen",
    }
    for cat in catalogs:
        for out in outgoing(cat):
            unit = out.unit
            comment = [context_note(unit)]
            codes = describe_codes(out.codes)
            if codes:
                comment.append(codes)
            size = length_note(hints.get(unit.id))
            if size:
                comment.append(size)
            entry = polib.POEntry(
                msgctxt=unit.id,
                msgid=to_braces(out.source),
                msgstr=to_braces(out.target) if out.target is not None else "",
                comment="\n".join(comment),
            )
            if unit.state == "stale":
                entry.flags.append("fuzzy")
                if out.previous is not None and unit.previous is not None:
                    entry.previous_msgid = to_braces(out.previous)
                    diff = word_diff(unit.previous, unit.source)
                    entry.comment += "\nchanged in the source: " + diff
            po.append(entry)
    return str(po).encode("utf-8")


def read_po(data: bytes, path: str) -> tuple[str, list[Incoming]]:
    """The target language and the units of a PO file."""
    try:
        po = polib.pofile(data.decode("utf-8"), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise OutlineError(
            [Problem(f"not a PO file: {exc}", Location(path, 1, 1), "export one first")]
        ) from None
    lang = str(po.metadata.get("Language", ""))
    lines = data.decode("utf-8").splitlines()
    incoming = []
    for entry in po:
        if entry.obsolete:
            continue
        text = entry.msgstr if entry.msgstr.strip() else None
        loc = Location(path, _msgstr_line(entry, lines), 1)
        incoming.append(Incoming(entry.msgctxt or "", None, "fuzzy" not in entry.flags, loc, text))
    return lang, incoming


def _msgstr_line(entry: polib.POEntry, lines: list[str]) -> int:
    """The line of an entry's msgstr: the first after where polib saw the entry start."""
    start = int(getattr(entry, "linenum", 0) or 0)
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return start
