"""Every text that enters slidegen, in one Unicode form: NFC, TeX's dotless i and j made plain."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["nfc", "nfc_data"]

#: A dotless i or j under a combining accent: TeX's ``{\'\i}`` for "í". NFC has no composed
#: form for them (renderers then draw the accent off the letter, and "García" is not found).
_DOTLESS = re.compile("[\u0131\u0237](?=[\u0300-\u036f])")


def nfc(text: str) -> str:
    """`text` in Unicode normalization form C, with ``ı́`` (U+0131 U+0301) as ``í``."""
    if text.isascii():
        return text
    text = _DOTLESS.sub(lambda m: "i" if m.group(0) == "\u0131" else "j", text)
    return unicodedata.normalize("NFC", text)


def nfc_data(value: Any) -> Any:
    """Parsed JSON data (CSL-JSON) with every string, key or value, in `nfc` form."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_data(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k) if isinstance(k, str) else k: nfc_data(v) for k, v in value.items()}
    return value
