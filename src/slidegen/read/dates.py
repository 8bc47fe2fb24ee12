"""Dates as outlines and references write them: YYYY, YYYY-MM or YYYY-MM-DD, and real ones."""

from __future__ import annotations

import calendar
import re

__all__ = ["DATE_FORMAT", "date_problem", "parts_problem"]

DATE_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parts_problem(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Why (year, month, day) is not a real date, or None when it is."""
    if not 0 < year <= 9999:
        return f"year {year} is out of range"
    if month is None:
        return None
    if not 1 <= month <= 12:
        return f"month {month} does not exist (months are 1 to 12)"
    if day is None:
        return None
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{year:04d}-{month:02d} has no day {day} (it has {last} days)"
    return None


def date_problem(text: str) -> str | None:
    """Why `text` is not a date written YYYY, YYYY-MM or YYYY-MM-DD, or None when it is one."""
    m = _DATE.match(text)
    if not m:
        return f"'{text}' is not written {DATE_FORMAT}"
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    return parts_problem(year, month, day)
