"""Scaffold a translator's labels file (``labels.<lang>.yaml``): every label, English beside it."""

from __future__ import annotations

import json
from pathlib import Path

from slidegen.atomic import write_atomic
from slidegen.errors import Location, Problem, UsageError
from slidegen.i18n.labels import LABEL_DOCS, LABEL_KEYS, language_name, shipped_labels
from slidegen.i18n.locales import locale
from slidegen.read.sources import LANG_PATTERN

__all__ = ["labels_scaffold_text", "scaffold_labels"]


def labels_scaffold_text(lang: str) -> str:
    """The text of a new labels file for `lang`: each label under its meaning and its English
    text, filled in with slidegen's own label of that language where it ships one."""
    loc = locale(lang)
    own = {**shipped_labels(loc.labels), **shipped_labels(lang)}
    english = shipped_labels("en")
    name = language_name(lang)
    lines = [
        f"# The fixed labels of decks, handouts and the site in '{lang}' ({name}), for every",
        "# class in this folder. Each text here replaces slidegen's own; a label left \"\" uses",
        "# slidegen's (English when it has none for this language). Keep {page}, {pages},",
        "# {number}, {total}, {format} and {language} as they are: they are replaced.",
    ]
    for key in LABEL_KEYS:
        value = name if key == "language-name" else own.get(key, "")
        lines += ["", f"# {LABEL_DOCS[key]}"]
        if key in english:
            lines.append(f"# en: {english[key]}")
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def scaffold_labels(folder: Path, lang: str) -> Path:
    """Create ``labels.<lang>.yaml`` in the folder of the outlines; never overwrites."""
    if not LANG_PATTERN.match(lang):
        raise UsageError(f"'{lang}' is not a language code (use one such as pt, es, fr, pt-BR)")
    path = folder / f"labels.{lang}.yaml"
    if path.exists():
        raise UsageError(
            [
                Problem(
                    "the labels file already exists; it is not overwritten",
                    Location(str(path)),
                    "edit it: a label left \"\" uses slidegen's own",
                )
            ]
        )
    write_atomic(path, labels_scaffold_text(lang).encode("utf-8"))
    return path
