"""Property-based tests (hypothesis): the tokenizer, the number parser and search take any text."""

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.money import find_amounts, format_yen, parse_yen
from knowledge.text import chunks_within_limit, morphemes

ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
JAPANESE = st.text(alphabet=st.sampled_from(list("生産性向上の補助金はいくら万億円千百十一二三四五六七八九〇0123456789０１２３"
                                                 "、。？！ 　ｾﾚｸﾄＮＥＸＴnext😀\u200b\n")), max_size=200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_tokenizer_offsets_always_point_at_their_surfaces(text):
    for surface, _normalized, _pos, begin, end in morphemes(text):
        assert text[begin:end] == surface


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=60_000), st.sampled_from(["あ", "a", "😀", "髙", "。"]))
def test_long_input_is_cut_within_sudachis_limit_and_loses_nothing(length, character):
    text = character * length
    pieces = chunks_within_limit(text)
    assert "".join(pieces) == text
    assert all(len(piece.encode("utf-8")) <= 49_149 for piece in pieces)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**13))
def test_formatted_yen_reads_back_to_the_same_amount(yen):
    assert parse_yen(format_yen(yen)) == yen


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=0, max_value=9_999))
def test_oku_man_amounts_in_full_width_and_kanji_man(oku, man):
    text = f"{oku}億{man}万円" if man else f"{oku}億円"
    full = unicodedata.normalize("NFKC", text).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_yen(text) == parse_yen(full) == oku * 10**8 + man * 10**4


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JAPANESE)
def test_find_amounts_never_fails_and_spans_are_in_the_text(text):
    for mention in find_amounts(text):
        assert text[mention.start:mention.end] == mention.text
        assert mention.yen >= 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(ANY_TEXT)
def test_analysis_search_and_resolve_take_any_text(kb, analyser, text):
    kb.search(text)
    analysis = analyser.analyse(text)
    assert analysis.kinds
    resolution = analyser.resolver.resolve(text)
    assert resolution.status in {"one", "several", "none"}
    for mention in analyser.resolver.mentions(text):
        assert text[mention.start:mention.end] == mention.text
    respelled = analyser.respell(text)
    for entity in analyser.finder.find(respelled.text):
        start, end = respelled.original_span(entity["start"], entity["end"])
        assert 0 <= start <= end <= len(text)
