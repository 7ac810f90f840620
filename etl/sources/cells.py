"""One spreadsheet cell as a value: text, number, whole number, date or one of a list, as Dutch municipal exports
write them (decimal commas, Excel serial dates, day-first dates, percentages). Pure functions that raise
``ValueError`` with words for the person who wrote the cell; :mod:`etl.sources.spreadsheet` names the row."""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Callable

EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = (10_000, 100_000)        # 1927 … 2173: a bare number outside this is no date


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_text(value) -> str | None:
    """Cell text, stripped; whole numbers without ``.0`` (an id typed as 7 in Excel is ``"7"``).

    Text is kept verbatim otherwise (HTML included: escaping is the dashboard's job).

    >>> parse_text(7.0), parse_text(" Café "), parse_text(datetime(2024, 3, 1))
    ('7', 'Café', '2024-03-01')
    """
    value = plain(value)
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value) -> float:
    """A number from a cell: decimal comma or point, thousands separators, a trailing ``%``.

    >>> [parse_number(v) for v in ("52,0877", "4.8945", "155.000,5", "1,234.5", "45%", 3)]
    [52.0877, 4.8945, 155000.5, 1234.5, 45.0, 3.0]
    """
    value = plain(value)
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = re.sub(r"\s", "", str(value)).removesuffix("%")
        if "," in text and "." in text:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        elif text.count(",") > 1 or text.count(".") > 1:
            text = text.replace(",", "").replace(".", "") if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text) else "x"
        try:
            number = float(text)
        except ValueError:
            raise ValueError("not a number") from None
    if not math.isfinite(number):
        raise ValueError("not a number")
    return number


def parse_int(value) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def parse_date(value) -> date:
    """A date from a date cell, an Excel serial number or text (``2024-03-01``, ``01-03-2024``, ``1-3-2024``).

    >>> [parse_date(v).isoformat() for v in (45292, "45292", "2024-03-01", "01-03-2024", "1-3-2024", "1/3/2024")]
    ['2024-01-01', '2024-01-01', '2024-03-01', '2024-03-01', '2024-03-01', '2024-03-01']
    """
    value = plain(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = parse_text(value)
    if isinstance(value, (int, float)) or re.fullmatch(r"\d+([.,]0+)?", text or ""):
        serial = parse_number(value)
        if not (EXCEL_SERIALS[0] <= serial < EXCEL_SERIALS[1]) or not serial.is_integer():
            raise ValueError("not a date")
        return EXCEL_EPOCH + timedelta(days=int(serial))
    try:
        if match := _ISO.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_FIRST.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError("not a valid date") from None
    raise ValueError("not a date (write 2024-03-01 or 01-03-2024)")


def parse_choice(allowed, aliases: dict | None = None) -> Callable:
    """A parser accepting one of ``allowed`` (case-insensitive) or an alias of one."""
    def parse(value) -> str:
        text = re.sub(r"\s+", " ", parse_text(value).casefold())
        if text in allowed:
            return text
        if aliases and text in aliases:
            return aliases[text]
        raise ValueError(f"not one of: {', '.join(allowed)}")
    return parse


def plain(value):
    """numpy / pandas scalars as plain Python values."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def shown(value):
    """A raw cell as the user wrote it, for a problem's value."""
    value = plain(value)
    if isinstance(value, (datetime, date)):
        return parse_text(value)
    return value
