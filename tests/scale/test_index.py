"""The resolver's and the respeller's indexes (issue 16) find exactly what a scan of every
name found: compared with the linear scans on every turn of the holdout sets, on the real
knowledge base and on a synthetic one three times its size."""

import re

import pytest

from coverage_report.conversations import load_set
from knowledge.build import build
from knowledge.dialogue import Dialogue
from knowledge.kb import KnowledgeBase
from knowledge.synthetic import write_synthetic
from knowledge.text import content_spans, english_normalized
from tests.conftest import PROJECT_ROOT, SOURCES
from tests.kb.test_fast_paths import _scanned_occurrences, _units

HOLDOUT = sorted((PROJECT_ROOT / "tests" / "holdout").glob("conversations_*.yml")) + \
    sorted((PROJECT_ROOT / "tests" / "holdout").glob("english_*.yml"))
TEXTS = [turn["text"] for path in HOLDOUT for conversation in load_set(path) for turn in conversation["turns"]]
# messages that name synthetic copies, misspell names, and mix languages
EXTRA = ["生産性向上補助金と信用保証料の補助の違い", "せいさんせいこうじょうの補助金", "セレクト神奈川の融資",
         "productivity subsidies and loans for smes", "the productivity subsidy's cap", "machine tools' subsidy"]


def linear_found(resolver, text):
    """The scan of every Japanese alias (knowledge/resolver.py before the index)."""
    spans = content_spans(text)
    key = "".join(form for form, _s, _e, _j in spans)
    owner = [i for i, (form, _s, _e, _j) in enumerate(spans) for _ in form]
    found = {}
    for alias in resolver._aliases:
        alias_key = alias["match_key"]
        if not alias_key:
            continue
        position = key.find(alias_key)
        while position >= 0:
            first, last = owner[position], owner[position + len(alias_key) - 1]
            starts_word = position == 0 or owner[position - 1] != first
            ends_word = position + len(alias_key) == len(key) or owner[position + len(alias_key)] != last
            unbroken = all(spans[i][3] for i in range(first + 1, last + 1))
            if starts_word and ends_word and unbroken:
                found.setdefault((first, last), []).append(alias)
            position = key.find(alias_key, position + 1)
    return found


def linear_english(resolver, text):
    normalized, _positions = english_normalized(text)
    found = []
    for key, pattern, _aliases in resolver._english_patterns:
        if key.split()[0] in normalized and pattern.search(normalized):
            found.append(key)
    return found


def linear_named_by_words(resolver, text, least):
    from knowledge.resolver import whole_words, words_matched
    terms = resolver.describing_terms(text)
    if len(whole_words(terms)) < least:
        return None
    # (among the programs holding one of the words, those of the kind spoken of, as the
    # resolver's named_by_words)
    holding = [pid for pid in resolver._program_ids if set(terms) & resolver.kb.name_terms(pid, resolver.index)]
    pids = [p.id for p in resolver.of_kind_spoken([resolver.kb.program(pid) for pid in holding], text)]
    counts = sorted(((words_matched(set(terms) & resolver.kb.name_terms(pid, resolver.index), terms), pid)
                     for pid in pids), reverse=True) + [(0, "")] * 2
    (best, best_id), (second, _) = counts[0], counts[1]
    if best < least or best < resolver.policy.name_words_lead * second:
        return None
    # (then the same check that another program's text does not describe the message better)
    found = resolver.named_unless_described_better(best_id, terms)
    return found.id if found else None


def linear_readings(respeller, text):
    """The readings a scan of every known reading finds, in its order (the reference scan of
    tests/kb/test_fast_paths.py)."""
    joined, starts, ends = _units(text)
    return _scanned_occurrences(respeller, joined, starts, ends)


@pytest.fixture(scope="module")
def dialogues(kb, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale-index")
    write_synthetic(SOURCES, folder / "x3", 3)
    build(folder / "x3", folder / "x3.db", PROJECT_ROOT)
    return {"x1": Dialogue(kb), "x3": Dialogue(KnowledgeBase(folder / "x3.db"))}


@pytest.mark.parametrize("size", ["x1", "x3"])
def test_the_alias_index_finds_what_the_scan_of_every_alias_found(dialogues, size):
    dialogue = dialogues[size]
    for language in ("ja", "en"):
        resolver = dialogue.understanding(language)[0].resolver
        for text in TEXTS + EXTRA:
            assert resolver._alias_index.find(content_spans(text)) == linear_found(resolver, text), text


@pytest.mark.parametrize("size", ["x1", "x3"])
def test_the_english_index_tries_every_name_that_can_match(dialogues, size):
    from knowledge.resolver import english_candidates
    resolver = dialogues[size].understanding("en")[0].resolver
    for text in TEXTS + EXTRA:
        normalized, _positions = english_normalized(text)
        tried = english_candidates(resolver._english_index, normalized)
        assert tried == sorted(tried)
        matching = [resolver._english_patterns[n][0] for n in tried if resolver._english_patterns[n][1].search(normalized)]
        assert matching == linear_english(resolver, text), text


@pytest.mark.parametrize("size", ["x1", "x3"])
def test_names_by_words_looks_only_at_programs_sharing_a_word_and_finds_the_same(dialogues, size):
    for language in ("ja", "en"):
        resolver = dialogues[size].understanding(language)[0].resolver
        for text in TEXTS + EXTRA:
            for least in (2, 3):
                found = resolver.named_by_words(text, least)
                assert (found.id if found else None) == linear_named_by_words(resolver, text, least), text


@pytest.mark.parametrize("size", ["x1", "x3"])
def test_the_respeller_finds_the_readings_the_scan_found(dialogues, size):
    respeller = dialogues[size].analyser.respeller
    if respeller is None:
        pytest.skip("no respeller")
    for text in TEXTS + EXTRA:
        if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
            continue
        joined, starts, ends = _units(text)
        assert respeller._occurrences(joined, starts, ends) == linear_readings(respeller, text), text
