"""The Sudachi tokenizer as a Rasa 3.6 component."""

import threading

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.tokenizer import SudachiTokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return SudachiTokenizer(SudachiTokenizer.get_default_config())


def tokens(tokenizer, text):
    message = Message({TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def test_surface_offsets_lemma_and_pos(tokenizer):
    text = "セレクト神奈川ＮＥＸＴの申込み"
    result = tokens(tokenizer, text)
    assert [t.text for t in result] == ["セレクト", "神奈川", "ＮＥＸＴ", "の", "申込み"]
    for token in result:
        assert text[token.start:token.end] == token.text
    assert result[2].lemma == "ネクスト"
    assert result[4].lemma == "申し込み"
    assert result[0].get("pos") == "名詞" and result[3].get("pos") == "助詞"


def test_amounts_and_names_stay_whole_in_mode_c(tokenizer):
    assert [t.text for t in tokens(tokenizer, "小規模事業者で500万円")][:2] == ["小規模", "事業者"]
    assert "500万" in [t.text for t in tokens(tokenizer, "小規模事業者で500万円")]


def test_whitespace_is_dropped_and_offsets_count_code_points(tokenizer):
    text = "𣘺さん　 こんにちは\n育休"
    result = tokens(tokenizer, text)
    assert all(t.text.strip() for t in result)
    for token in result:
        assert text[token.start:token.end] == token.text
    assert result[-1].text == "育休" and result[-1].end == len(text)


def test_emoji_only_and_empty_messages(tokenizer):
    assert [t.text for t in tokens(tokenizer, "😀😀")]  # at least one token
    assert tokens(tokenizer, "") == []
    assert tokens(tokenizer, "   ") == []


def test_input_past_sudachis_limit_is_tokenized_without_error(tokenizer):
    text = "生産性向上の補助金。" * 6_000   # 180,000 bytes
    result = tokens(tokenizer, text)
    assert result[-1].end == len(text)
    assert all(text[t.start:t.end] == t.text for t in result[::997])


def test_one_tokenizer_per_thread(tokenizer):
    errors = []

    def work():
        try:
            for _ in range(50):
                assert tokens(tokenizer, "男性育休の奨励金はいくらですか")[0].text == "男性"
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
