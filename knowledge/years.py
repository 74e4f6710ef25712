"""Which fiscal year a message asks about, and the years a knowledge base holds.

The year is a property of the data: each folder's ``source.yml`` says its
``fiscal_year`` (knowledge/build.py builds one database file per folder and records the
years in every file's ``meta``). The words that name a year (令和7年度, 2025年度, FY2025)
are language data: the ``fiscal_year`` section of ``knowledge/language/<code>.yml``.
Nothing here knows a particular year.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .finder import load_language
from .text import fold

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _era_count(text: str) -> int:
    """``"7"`` → 7, ``"元"`` → 1, ``"十二"`` → 12."""
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    tens, _, ones = text.rpartition("十")
    if "十" in text:
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)
    return _KANJI_DIGITS.get(text, 0)


@dataclass(frozen=True)
class YearWords:
    """A language's words for fiscal years (its ``fiscal_year`` section)."""

    patterns: tuple[re.Pattern, ...]
    era_base: int
    not_after: re.Pattern | None
    not_before: re.Pattern | None
    label_format: str

    def asked(self, text: str) -> list[int]:
        """The fiscal years (西暦) a message asks about, in the order written, each once.
        A year compared with, a date's year or a budget label's is not asked."""
        folded = fold(text or "")
        found: list[tuple[int, int]] = []
        taken: list[tuple[int, int]] = []
        for pattern in self.patterns:
            for match in pattern.finditer(folded):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                taken.append(match.span())
                if self.not_after and self.not_after.search(folded[match.end():]):
                    continue
                if self.not_before and self.not_before.search(folded[:match.start()]):
                    continue
                groups = match.groupdict()
                if groups.get("year"):
                    year = int(groups["year"])
                elif groups.get("era_year"):
                    year = self.era_base + _era_count(groups["era_year"])
                else:
                    continue
                found.append((match.start(), year))
        return list(dict.fromkeys(year for _start, year in sorted(found)))

    def label(self, year: int) -> str:
        """A year as this language names it (令和7年度, FY2025)."""
        return self.label_format.format(year=year, era_year=year - self.era_base)


@functools.lru_cache(maxsize=8)
def year_words(language: str = "ja") -> YearWords:
    data = load_language(language).get("fiscal_year") or {}

    def compiled(key: str) -> re.Pattern | None:
        return re.compile(data[key]) if data.get(key) else None

    return YearWords(patterns=tuple(re.compile(p) for p in data.get("patterns") or []),
                     era_base=int(data.get("era_base") or 0), not_after=compiled("not_after"),
                     not_before=compiled("not_before"), label_format=data.get("label") or "{year}")


def years_asked(text: str, language: str = "ja") -> list[int]:
    """The fiscal years a message asks about, read with its language's words (each
    language's patterns also read the other's usual forms: FY2025 in Japanese, 令和7年度
    in English)."""
    return year_words(language).asked(text)
