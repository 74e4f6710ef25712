"""Respelling by reading and by one typo (knowledge/spelling.py): kana-only input and IME
mistakes written as the knowledge base writes them — and nothing else."""

import pytest

from knowledge.spelling import Respeller


@pytest.mark.parametrize("typed, written", [
    ("せいさんせいこうじょうのほじょってなんわりでるの", "生産性向上の補助"),        # kana only
    ("しょうきぼじぎょうしゃです", "小規模事業者"),
    ("じょうげんは？", "上限"),
    ("かげんもある？", "下限"),                                              # a whole word of 3 kana
    ("生産性工場の補助金って", "生産性向上の補助金"),                          # IME: 工場 for 向上
    ("男性社員が育児給業を20日とったら", "育児休業"),                          # IME: 給業 for 休業
    ("海外天海したいんだけど", "海外展開"),
    ("そこのでんわばんごうおしえて", "電話番号"),
    ("びじねすあいであこんてすとって", "ビジネスアイデアコンテスト"),            # a word of a program's text
    ("職場環境製備促進事業費の問い合わせ先", "職場環境整備促進事業費"),          # one wrong character
    ("リスキング人材育成の電話番号", "リスキリング"),                            # one left out
    ("しにあのひとをやといたい", "シニア"),          # a loanword in hiragana: one writing, even inside a run
    ("せつびをりーすでいれたい", "リース"),
])
def test_kana_and_typos_become_the_known_word(analyser, typed, written):
    assert written in analyser.respell(typed).text


@pytest.mark.parametrize("text", [
    "町工場を経営しています",          # 工場 is a word of its own: never 向上
    "生産性向上の補助金の上限は？",      # already written as known
    "小規模企業者等設備貸与事業ってなに？",  # a longer phrase holding a name is no typo
    "こんにちは",
])
def test_what_is_written_right_is_left_alone(analyser, text):
    assert analyser.respell(text).text == text or analyser.respell(text).text.replace("教え", "おしえ") == text


def test_a_reading_two_words_share_is_never_respelled():
    respeller = Respeller(["工場", "向上"])
    assert respeller.respell("こうじょう").text == "こうじょう"


def test_offsets_map_back_to_what_was_typed(analyser):
    typed = "そこのでんわばんごうおしえて上限"
    respelled = analyser.respell(typed)
    start = respelled.text.index("電話番号")
    assert respelled.original_span(start, start + 4) == (3, 10)
    end_word = respelled.text.index("上限")
    assert typed[slice(*respelled.original_span(end_word, end_word + 2))] == "上限"
