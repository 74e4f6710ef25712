"""The shortcuts taken for speed find exactly what the plain scans find (bench/PROFILE.md).

* :class:`knowledge.spelling.Respeller` looks up what a message holds between two unit
  boundaries instead of searching the message for every known reading;
* :meth:`knowledge.analysis.Analyser.cue_kinds` runs a cue pattern only when one of the
  words every match of it holds is in the message.

Each is compared with the scan it replaced, kept here as the reference, on every message
of the hold-out test sets and on generated text.
"""

import bisect
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.analysis import _required_words
from knowledge.text import reading_units

ROOT = Path(__file__).resolve().parents[2]
KANA_AND_KANJI = ("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
                  "ゃゅょっーアイカキサシタチナニ生産性向上補助金工場休業給業海外展開天海電話番号上限予算どんな"
                  "支援事業 、。？1２ab")


def _test_set_texts() -> list[str]:
    """Every message of the hold-out test sets (Japanese and English)."""
    texts = set()
    for path in sorted((ROOT / "tests" / "holdout").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for conversation in data.get("conversations") or []:
            texts.update(turn["text"] for turn in conversation.get("turns") or [] if turn.get("text"))
        for block in data.get("nlu") or []:
            texts.update(line.strip()[2:].strip() for line in (block.get("examples") or "").splitlines()
                         if line.strip().startswith("- "))
    return sorted(texts)


TEXTS = _test_set_texts()


# ── respelling ─────────────────────────────────────────────────────────────
def _units(text):
    units = reading_units(text)
    joined = "".join(unit[0] for unit in units)
    starts, position = [], 0
    for unit in units:
        starts.append(position)
        position += len(unit[0])
    return joined, starts, {start + len(unit[0]) for start, unit in zip(starts, units)}


def _scanned_occurrences(respeller, joined, starts, ends):
    """The first version's search: every known reading looked for in the message,
    longest first, each from the left."""
    found = []
    for key in respeller._readings:
        at = joined.find(key)
        while at >= 0:
            first = bisect.bisect_left(starts, at)
            if first < len(starts) and starts[first] == at and at + len(key) in ends:
                found.append((key, at))
            at = joined.find(key, at + 1)
    return found


def test_readings_looked_up_by_boundary_are_those_the_full_scan_finds(analyser):
    """Exactly the readings, at exactly the places and in the same order, on every
    message of the test sets."""
    respeller = analyser.respeller
    assert len(TEXTS) > 500
    respelled = 0
    for text in TEXTS + ["せいさんせいこうじょうのほじょってなんわりでるの", "海外天海したいんだけど"]:
        joined, starts, ends = _units(text)
        assert respeller._occurrences(joined, starts, ends) == _scanned_occurrences(respeller, joined, starts, ends)
        respelled += respeller.respell(text).text != text
    assert respelled > 10   # the texts do hold respellings: the lists compared are not all empty


@given(st.text(alphabet=KANA_AND_KANJI, max_size=40))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_readings_looked_up_agree_with_the_scan_on_any_kana_and_kanji(analyser, text):
    joined, starts, ends = _units(text)
    respeller = analyser.respeller
    assert respeller._occurrences(joined, starts, ends) == _scanned_occurrences(respeller, joined, starts, ends)


# ── cue words ───────────────────────────────────────────────────────────────
def _scanned_cue_kinds(analyser, folded):
    """cue_kinds with every pattern run on the message (the first version)."""
    original = analyser.__dict__.pop("_cue_index", None)
    try:
        analyser.__dict__["_cue_index"] = _EveryPattern(analyser.cues)
        return analyser.cue_kinds(folded)
    finally:
        analyser.__dict__["_cue_index"] = original


class _EveryPattern:
    """An index that offers every pattern (the scan), for comparison."""

    def __init__(self, cues):
        self.order = [(kind, pattern) for kind, patterns in cues.items() for pattern in patterns]

    def candidates(self, folded):
        return list(self.order)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_cue_kinds_with_the_index_are_those_of_every_pattern(dialogue, language):
    analyser, _replies = dialogue.understanding(language)
    asked = 0
    for text in TEXTS:
        folded = analyser.fold(analyser.respell(text).text)
        indexed = analyser.cue_kinds(folded)
        assert indexed == _scanned_cue_kinds(analyser, folded), text
        asked += bool(indexed)
    assert asked > 100   # many messages of the test sets ask something: the lists compared are not empty


@pytest.mark.parametrize("language", ["ja", "en"])
def test_most_cue_patterns_need_a_word(dialogue, language):
    """The index is worth having: nearly every cue pattern needs a word to be in the
    message (those that do not run on every message)."""
    analyser, _replies = dialogue.understanding(language)
    patterns = [pattern for patterns in analyser.cues.values() for pattern in patterns]
    needing = [pattern for pattern in patterns if _required_words(pattern)]
    assert len(needing) >= 0.9 * len(patterns)


@pytest.fixture(scope="module")
def needed_words(dialogue):
    return [(pattern, _required_words(pattern)) for patterns in dialogue.analyser.cues.values()
            for pattern in patterns]


@given(st.text(alphabet=KANA_AND_KANJI, max_size=30))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_pattern_matches_only_where_one_of_its_words_is(needed_words, text):
    for pattern, words in needed_words:
        if words is not None and pattern.search(text):
            assert any(word in text for word in words), (pattern.pattern, text)


@pytest.mark.parametrize("pattern, words", [
    ("上限", {"上限"}),
    (r"(?<![a-z0-9])cap(?![a-z0-9])", {"cap"}),
    (r"締め?切り", {"切り"}),
    (r"(どのような|どんな)(支援|事業)(を|が)", {"のような", "んな"}),   # the parser takes out the ど both begin with
    (r"いつ(?=$|[。？?！!\n.]|です)", {"いつ"}),
    (r"(a|bc)+x?", {"a", "bc"}),
    (r"(a|[bc])+x?", None),                   # one alternative is any of a set of characters
    (r"\d+万円", {"万円"}),
    (r"(?:補助|助成)?金", {"金"}),
    (r"(?i)cap", None),                        # case ignored: any spelling
    (r"x*", None),
])
def test_the_words_a_pattern_needs(pattern, words):
    found = _required_words(re.compile(pattern))
    assert (set(found) if found is not None else None) == words


def test_the_index_offers_the_patterns_that_may_match_in_their_order():
    from knowledge.analysis import _CueIndex

    figure, cap, rate, how = (re.compile(r"\d+"), re.compile("上限"), re.compile("補助率"),
                              re.compile("(どのような|どんな)支援"))
    index = _CueIndex({"amount": [figure, cap], "rate": [rate], "overview": [how]})
    assert index.candidates("上限は？") == [("amount", figure), ("amount", cap)]   # \d+ needs no word: always tried
    assert index.candidates("どんな支援の補助率") == [("amount", figure), ("rate", rate), ("overview", how)]
    assert index.candidates("こんにちは") == [("amount", figure)]
