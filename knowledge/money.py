"""Yen amounts: reading them as printed or typed, and writing them for people.

Inside the project money is always an ``int`` number of yen. Text forms exist only at
the edges: the document's printed figures (``42億5,062万円``, ``４２億５，０６２万円``,
``4億   65万円``) and what users type (``500万円``, ``５００万``, ``1億5千万円``,
``三百万円``, ``2億``, ``1.5億``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kanjize import kanji2number

from .text import fold_in_place

_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}
_KANJI_DIGITS = "〇零一二三四五六七八九十百千壱弐参"
_NUMBER_CHARS = "0-9.," + _KANJI_DIGITS

# A money expression: numerals with at least one large unit or a trailing 円.
MONEY_PATTERN = re.compile(
    rf"(?:[{_NUMBER_CHARS}]+\s*[兆億万]\s*)+(?:[{_NUMBER_CHARS}]+\s*)?円?"
    rf"|[{_NUMBER_CHARS}]+\s*円"
)


NEGATIVE_MARKS = ("-", "−", "▲", "△", "マイナス")


class MoneyFormatError(ValueError):
    """Raised when a text is not an amount of yen; the message quotes the text."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("，", ",")


def _coefficient(part: str, original: str) -> Decimal:
    """The number before a unit: arabic (with commas or a decimal point) or kanji."""
    plain = part.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", plain):
        return Decimal(plain)
    if plain and re.fullmatch(rf"[{_KANJI_DIGITS}\d]+", plain):
        try:
            return Decimal(kanji2number(plain))
        except (ValueError, KeyError, IndexError, InvalidOperation):
            pass
    raise MoneyFormatError(f"金額の数字が読めません: {original!r}")


def parse_yen(text: str) -> int:
    """Read one amount of yen, as printed or typed, and return it as an int.

    ``"42億5,062万円"`` → 4_250_620_000; ``"1億5千万"`` → 150_000_000;
    ``"1.5億"`` → 150_000_000; ``"三百万円"`` → 3_000_000; ``"25万"`` → 250_000.
    A fraction of a yen is an error, as is text with no number.
    """
    value = _normalise(text)
    if value.endswith("円"):
        value = value[:-1]
    if not value:
        raise MoneyFormatError(f"金額がありません: {text!r}")
    total = Decimal(0)
    rest = value
    for unit, size in _UNITS.items():
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += _coefficient(head, text) * size
    if rest:
        total += _coefficient(rest, text)
    if total != total.to_integral_value():
        raise MoneyFormatError(f"1円未満の端数がある金額です: {text!r}")
    return int(total)


@dataclass(frozen=True)
class MoneyMention:
    """An amount found in a message: where it is and how many yen it means."""

    start: int
    end: int
    text: str
    yen: int


def find_amounts(message: str) -> list[MoneyMention]:
    """Every amount of yen in a message, in order (offsets into the original text)."""
    folded = fold_in_place(message)
    found = []
    for match in MONEY_PATTERN.finditer(folded):
        if folded[: match.start()].rstrip().endswith(NEGATIVE_MARKS):
            continue   # 「-100万円」「▲100万円」: a loss, not an amount a business spends or gets
        raw = message[match.start() : match.end()]
        try:
            yen = parse_yen(match.group())
        except MoneyFormatError:
            continue
        found.append(MoneyMention(match.start(), match.end(), raw, yen))
    return found


def format_yen(yen: int) -> str:
    """Write yen the way the document does: 500万円, 1億5,000万円, 42億5,062万円, 66万6,666円."""
    if yen < 0:
        return "−" + format_yen(-yen)
    if yen == 0:
        return "0円"
    parts = []
    remaining = yen
    for unit, size in _UNITS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if remaining:
        parts.append(f"{remaining:,}")
    return "".join(parts) + "円"


# Amounts as English speakers write them: ¥3,000,000 / JPY 3 million / 3.5 million yen /
# 30,000,000 yen / 500k yen. Japanese forms (300万円) in an English message are found by
# find_amounts.
_EN_SCALE = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mil": 10**6, "m": 10**6, "mn": 10**6,
             "billion": 10**9, "bn": 10**9, "b": 10**9}
ENGLISH_MONEY_PATTERN = re.compile(
    r"(?:(?P<pre>¥|jpy|yen)\s*)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|mil|mn|bn|k|m|b)?\b\s*(?P<post>yen|jpy)?",
    re.IGNORECASE)


def find_english_amounts(message: str) -> list[MoneyMention]:
    """Amounts of yen written the English way: a number with ¥, yen or JPY, or with a
    scale word (million, billion)."""
    found = []
    folded = fold_in_place(message)
    for match in ENGLISH_MONEY_PATTERN.finditer(folded):
        scale_word = (match.group("scale") or "").lower() in ("thousand", "million", "billion")
        if not (match.group("pre") or match.group("post") or scale_word):
            continue   # money here is yen: 「3 million」 is, 「40 employees」 is not
        number = Decimal(match.group("number").replace(",", ""))
        scale = _EN_SCALE.get((match.group("scale") or "").lower(), 1)
        yen = number * scale
        if yen != yen.to_integral_value() or yen <= 0:
            continue
        start, end = match.span()
        raw = message[start:end].rstrip()
        found.append(MoneyMention(start, start + len(raw), raw, int(yen)))
    return found


def format_yen_english(yen: int) -> str:
    """Yen in English words: 5 million yen, 1.5 billion yen, 1,454.64 million yen, 250,000 yen,
    666,666 yen."""
    for word, size in (("billion", 10**9), ("million", 10**6)):
        if yen >= size and (yen * 100) % size == 0:
            value = Decimal(yen) / size
            text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,f}"
            return f"{text} {word} yen"
    return f"{yen:,} yen"
