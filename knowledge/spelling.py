"""Respelling by reading: words typed in kana or with the wrong kanji, written as the
knowledge base writes them.

People type on phones without converting (「せいさんせいこうじょうのほじょ」) or accept the
wrong candidate of their input method (生産性**工場**, 育児**給業**, 信用**保障**料, 海外**天海**).
Each of these reads exactly like a word the knowledge base knows. :class:`Respeller`
compares the reading of a message (:func:`knowledge.text.reading_units`) with the
readings of known words and writes the known word in place of what was typed, so that
every later step (names, facts, question words, search) sees 生産性向上の補助.

It changes only what reads like a known word and is written otherwise, and only where a
match is long enough not to be chance (:class:`SpellingPolicy`). A reading shared by two
known words written differently (工場 / 向上) is never respelled.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from .text import fold, is_kana, match_key, morphemes, reading, reading_units


@dataclass(frozen=True)
class SpellingPolicy:
    """How long a reading must be before a respelling is trusted."""

    # Kana typed for a word (しょうきぼじぎょうしゃ): 4 kana are rarely chance inside a question.
    min_kana_reading: int = 4
    # ... or 3 (じょうげん is 5, かげん 3) when the kana is a whole word as Sudachi cuts it.
    min_kana_reading_whole_word: int = 3
    # Kanji typed wrong (工場 for 向上): only inside longer words, so that a real word
    # (工場) is never replaced on its own.
    min_kanji_reading: int = 6
    # One character typed wrong or left out in a long name (職場環境製備, リスキング): a run of
    # kanji or katakana this long, as similar as this to one known word of about its length
    # (rapidfuzz's ratio, 0–100), and to no other.
    min_fuzzy_chars: int = 5
    min_fuzzy_score: float = 88.0
    max_fuzzy_length_difference: int = 2


SPELLING_POLICY = SpellingPolicy()


@dataclass(frozen=True)
class Respelling:
    """A message with some words respelled; ``changes`` as (start, end) in the new text,
    (start, end) in the original, and the word written."""

    original: str
    text: str
    changes: tuple[tuple[int, int, int, int, str], ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where a span of the respelled text lies in the original message."""
        shift = 0
        new_start = new_end = None
        for n_start, n_end, o_start, o_end, _word in self.changes:
            if new_start is None and start < n_end:
                new_start = o_start if start >= n_start else start - shift
            if new_end is None and end <= n_end:
                new_end = o_end if end > n_start else end - shift
            shift += (n_end - n_start) - (o_end - o_start)
        return (start - shift if new_start is None else new_start, end - shift if new_end is None else new_end)


_KATAKANA_WORD = __import__("re").compile(r"[\u30a0-\u30ff]+")


class Respeller:
    """Respells the words of a message that read like known words (see the module doc)."""

    def __init__(self, words: Iterable[str], policy: SpellingPolicy = SPELLING_POLICY,
                 names: Iterable[str] = ()):
        """``words``: everything a message may mean (read and compared by reading);
        ``names``: long names and aliases, also compared character by character."""
        self.policy = policy
        self._names = sorted({fold(n) for n in names if len(n) >= policy.min_fuzzy_chars})
        self._name_set = set(self._names)
        by_reading: dict[str, set[str]] = {}
        for word in words:
            word = word.strip()
            if not word:
                continue
            key = reading(word)
            if len(key) >= policy.min_kana_reading_whole_word:
                by_reading.setdefault(key, set()).add(word)
        # a reading two different words share is no evidence for either
        self._words = {key: next(iter(found)) for key, found in by_reading.items()
                       if len({match_key(word) for word in found}) == 1}
        self._readings = sorted(self._words, key=len, reverse=True)
        # the readings tried in this order (longest first); looked up by what the message
        # holds between two unit boundaries rather than searched for one by one
        self._rank = {key: rank for rank, key in enumerate(self._readings)}
        self._longest = len(self._readings[0]) if self._readings else 0
        self._joined_names = "\n".join(self._names)
        self._names_by_length: dict[int, list[str]] = {}
        for name in self._names:
            self._names_by_length.setdefault(len(name), []).append(name)

    def __len__(self) -> int:
        return len(self._words)

    def respell(self, text: str) -> Respelling:
        units = reading_units(text)
        if not units:
            return Respelling(text, text)
        joined = "".join(unit[0] for unit in units)
        starts = []
        position = 0
        for unit in units:
            starts.append(position)
            position += len(unit[0])
        ends = {start + len(unit[0]) for start, unit in zip(starts, units)}
        taken = [False] * len(units)
        found: list[tuple[int, int, str]] = []   # (first unit, last unit, word)
        for key, at in self._occurrences(joined, starts, ends):
            first = bisect.bisect_left(starts, at)
            last = bisect.bisect_left(starts, at + len(key)) - 1
            if not any(taken[first:last + 1]) and self._acceptable(text, units, first, last, key):
                found.append((first, last, self._words[key]))
                for i in range(first, last + 1):
                    taken[i] = True
        spans = [(units[first][1], units[last][2], word) for first, last, word in found]
        spans += self._fuzzy(text, spans)
        if not spans:
            return Respelling(text, text)
        spans.sort()
        pieces, changes, cursor, shift = [], [], 0, 0
        for start, end, word in spans:
            pieces.append(text[cursor:start])
            pieces.append(word)
            new_start = start + shift
            changes.append((new_start, new_start + len(word), start, end, word))
            shift += len(word) - (end - start)
            cursor = end
        pieces.append(text[cursor:])
        return Respelling(text, "".join(pieces), tuple(changes))

    def _occurrences(self, joined: str, starts: list[int], ends: set[int]) -> list[tuple[str, int]]:
        """The known readings that ``joined`` holds from a unit's start to a unit's end, as
        (reading, position): longest reading first, then by position. Every stretch between
        two unit boundaries is looked up (a few hundred per message, whatever the number of
        known words) instead of every known reading being searched for in the message."""
        boundaries = sorted(ends)
        found = []
        for at in sorted(set(starts)):
            low = bisect.bisect_right(boundaries, at)
            high = bisect.bisect_right(boundaries, at + self._longest)
            for end in boundaries[low:high]:
                rank = self._rank.get(joined[at:end])
                if rank is not None:
                    found.append((rank, at, joined[at:end]))
        return [(key, at) for _rank, at, key in sorted(found)]

    _RUN = __import__("re").compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u30a0-\u30ffA-Za-zＡ-Ｚａ-ｚ]+")

    def _fuzzy(self, text: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Runs of kanji and katakana one typo away from exactly one long known name, and
        katakana words one typo away from one (リスキング → リスキリング)."""
        if not self._names:
            return []
        candidates = [(m.start(), m.end()) for m in self._RUN.finditer(text)]
        candidates += [(b, e) for surface, _n, _pos, b, e in morphemes(text) if self._RUN.fullmatch(surface)]
        found: list[tuple[int, int, str]] = []
        policy = self.policy
        for start, end in sorted(set(candidates), key=lambda span: span[0] - span[1]):
            segment = fold(text[start:end])
            if len(segment) < policy.min_fuzzy_chars or segment in self._name_set:
                continue
            if any(s < end and start < e for s, e, _w in taken + found):
                continue
            if segment in self._joined_names or any(
                    segment[i:j] in self._name_set for i in range(len(segment)) for j in range(i + 1, len(segment) + 1)):
                continue   # a longer phrase holding a name, or part of a name: no typo
            difference = policy.max_fuzzy_length_difference
            near = sorted(n for length in range(len(segment) - difference, len(segment) + difference + 1)
                          for n in self._names_by_length.get(length, ()))
            matches = process.extract(segment, near, scorer=fuzz.ratio, score_cutoff=policy.min_fuzzy_score, limit=2)
            if len(matches) == 1 or (len(matches) == 2 and matches[0][1] > matches[1][1]):
                found.append((start, end, matches[0][0]))
        return found

    def _acceptable(self, text: str, units, first: int, last: int, key: str) -> bool:
        surface = text[units[first][1]:units[last][2]]
        word = self._words[key]
        if fold(surface) == fold(word):
            return False   # already written as known
        if is_kana(surface):
            whole = units[first][3] and (last + 1 == len(units) or units[last + 1][3])
            # a loanword typed in hiragana (しにあ, りーす) has one writing, its katakana
            loanword = _KATAKANA_WORD.fullmatch(word) is not None
            return len(key) >= (self.policy.min_kana_reading_whole_word if whole or loanword
                                else self.policy.min_kana_reading)
        return len(key) >= self.policy.min_kanji_reading


class EnglishRespeller:
    """Typos in English questions (investmnt, eligable, subsidey): a word that neither an
    English dictionary (pyspellchecker's word frequencies, shipped in its package) nor the
    bot's own English knows is written as the bot's word one edit away, the commonest if
    several. A word the dictionary knows (export, bakery) or no bot's word is near stays."""

    _WORD = __import__("re").compile(r"[A-Za-z]{4,}|\b[A-Z]{2,3}\b|[\u3040-\u30ff\u3400-\u9fff\u30fc々]+")

    def __init__(self, known: Iterable[str], japanese: "Respeller | None" = None,
                 variants: dict[str, str] | None = None, capitals: dict[str, str] | None = None):
        """``japanese``: the Japanese respeller, for Japanese words inside an English
        message (「リスキング」 in "What is the リスキング program?"); ``variants``: words spelt
        the British way, as the bot's English spells them (licence: license); ``capitals``:
        short words that mean something else written in capitals ("US" is the country, "us" a
        pronoun), as the rest of the analysis, lower-cased, reads them."""
        from spellchecker import SpellChecker
        self._checker = SpellChecker(distance=1)
        self._known = {word.lower() for word in known}
        self._japanese = japanese
        self._variants = {k.lower(): v for k, v in (variants or {}).items()}
        self._capitals = dict(capitals or {})

    def _respelled(self, written: str) -> str | None:
        if not written.isascii():
            if self._japanese is None:
                return None
            respelled = self._japanese.respell(written).text
            return respelled if respelled != written else None
        if len(written) < 4:
            return self._capitals.get(written)
        word = written.lower()
        if word in self._variants:
            return self._variants[word]
        if word in self._known or word in self._checker:
            return None
        candidates = (self._checker.candidates(word) or set()) & self._known
        return max(sorted(candidates), key=self._checker.word_usage_frequency) if candidates else None

    def respell(self, text: str) -> Respelling:
        pieces, changes, cursor, shift = [], [], 0, 0
        for match in self._WORD.finditer(text):
            best = self._respelled(match.group(0))
            if best is None:
                continue
            start, end = match.span()
            pieces += [text[cursor:start], best]
            changes.append((start + shift, start + shift + len(best), start, end, match.group(0)))
            shift += len(best) - (end - start)
            cursor = end
        if not changes:
            return Respelling(text, text)
        pieces.append(text[cursor:])
        return Respelling(text, "".join(pieces), tuple(changes))
