"""Finding programs from free text (knowledge/resolver.py), tolerant of width, script,
okurigana and punctuation."""

import pytest

from knowledge.text import chunks_within_limit, match_key, morphemes


@pytest.mark.parametrize("text, program", [
    ("生産性向上の補助金について教えて", "中小企業生産性向上促進事業費補助"),
    ("生産性向上補助金", "中小企業生産性向上促進事業費補助"),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金", "セレクト神奈川ＮＥＸＴ第２ステージ補助金"),
    ("セレクト神奈川NEXT第2ステージ補助金", "セレクト神奈川ＮＥＸＴ第２ステージ補助金"),
    ("ｾﾚｸﾄ神奈川ﾈｸｽﾄ第2ｽﾃｰｼﾞ補助金", "セレクト神奈川ＮＥＸＴ第２ステージ補助金"),
    ("セレクト神奈川ネクスト第2ステージ補助金の上限", "セレクト神奈川ＮＥＸＴ第２ステージ補助金"),
    ("セレクト神奈川next補助金", "セレクト神奈川ＮＥＸＴ補助金"),
    ("セレクト神奈川１００", "セレクト神奈川１００補助金"),
    ("男性育休の奨励金", "職場環境整備促進事業費"),
    ("男性育休は何日から？", "職場環境整備促進事業費"),
    ("エコアセット", "脱炭素促進資産評価事業費補助（エコアセットかながわ）"),
    ("ＪＥＴＲＯ", "日本貿易振興機構補助金"),
    ("ＨＡＴＳＵ鎌倉", "イノベーション人材交流拠点事業費"),
    ("小口零細企業保証資金の申込み", "信用保証事業費補助（小口零細企業保証資金（ミニ）等）"),
    ("小口零細企業保証資金の申し込み", "信用保証事業費補助（小口零細企業保証資金（ミニ）等）"),
    ("「リスキリング」！！", "リスキリング人材育成事業費"),
    ("人手不足業種就業支援事業費（再掲）", "人手不足業種就業支援事業費"),
    ("制度融資", "中小企業制度融資"),
])
def test_resolve_finds_the_one_program(resolver, text, program):
    resolution = resolver.resolve(text)
    assert resolution.status == "one", (text, [p.name for p in resolution.programs])
    assert resolution.program.name == program


@pytest.mark.parametrize("text, expected", [
    # a bare scheme name means its subsidies, not its loan, unless a loan is spoken of
    ("セレクト神奈川ＮＥＸＴ", {"セレクト神奈川ＮＥＸＴ第２ステージ補助金", "セレクト神奈川ＮＥＸＴ補助金"}),
    ("セレクト神奈川ＮＥＸＴの融資", {"セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助", "セレクト神奈川融資事業費補助"}),
    ("信用保証料の補助", {"信用保証事業費補助（小口零細企業保証資金（ミニ）等）",
                       "信用保証事業費補助（原油高騰対応小口分・伴走支援分）",
                       "信用保証事業費補助（事業承継関連融資・創業支援融資）"}),
    ("職場環境整備", {"職場環境整備促進事業費", "外国人労働者職場環境整備促進事業費"}),
])
def test_ambiguous_names_give_the_candidates(resolver, text, expected):
    resolution = resolver.resolve(text)
    assert resolution.status == "several" and resolution.how == "ambiguous"
    assert {p.name for p in resolution.programs} == expected


def test_the_longest_name_wins_over_an_ambiguous_part(resolver):
    assert resolver.resolve("セレクト神奈川NEXTの第2ステージ融資について").program.name == \
        "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助"


@pytest.mark.parametrize("text", ["こんにちは", "", "   ", "😀😀", "!!!???"])
def test_text_naming_nothing_resolves_to_none(resolver, text):
    assert resolver.resolve(text).status == "none"


@pytest.mark.parametrize("text, need", [
    ("人手が足りなくて困っています", "人手不足"),
    ("海外に進出したい", "海外展開"),
    ("カーボンニュートラルに取り組みたい", "脱炭素"),
    ("起業を考えています", "創業"),
    ("新しい機械を導入したい、設備投資の支援は？", "設備投資"),
    ("資金繰りが苦しい", "資金繰り"),
    ("後継者がいない", "事業承継"),
    ("ロボットを使いたい", "ロボット"),
    ("障害者雇用を進めたい", "障がい者雇用"),
    ("社員のリスキリングをしたい", "人材育成"),
])
def test_needs_are_found_in_plain_words(kb, text, need):
    assert need in kb.needs_in(text)


def test_programs_for_a_need_put_what_businesses_apply_for_first(kb):
    programs = kb.programs_for_need("資金繰り")
    names = [p.name for p in programs]
    assert "中小企業制度融資" in names
    assert programs[0].category in {"補助金", "奨励金", "融資・信用保証"}


def test_two_character_words_are_found_by_full_text_search(kb):
    # SQLite 3.40's trigram tokenizer cannot match 2 characters; the Sudachi column can.
    names = [p.name for p, _ in kb.search("育休")]
    assert names and names[0] == "職場環境整備促進事業費"
    assert any(p.name == "産業技術総合研究所交付金" for p, _ in kb.search("産総研"))


def test_search_ignores_fts_syntax_in_user_text(kb):
    for text in ['"', 'NEAR(a b)', "a OR", "*", "ロボット AND", "'; drop table programs; --"]:
        kb.search(text)  # must not raise
    assert kb.search("ロボット AND")[0][0].name


def test_match_key_folds_width_script_and_okurigana():
    assert match_key("セレクト神奈川ＮＥＸＴの申込み") == match_key("ｾﾚｸﾄ神奈川next申し込み")
    assert match_key("生産性向上の補助金") == match_key("生産性向上補助金")


def test_sudachi_input_limit_is_handled_by_chunking():
    text = "あ" * 30_000 + "。" + "生産性向上" * 2_000
    pieces = chunks_within_limit(text)
    assert all(len(p.encode("utf-8")) <= 49_149 for p in pieces)
    assert "".join(pieces) == text
    tokens = morphemes(text)
    assert tokens[-1][4] == len(text)
    for surface, _normalized, _pos, begin, end in tokens[:50] + tokens[-50:]:
        assert text[begin:end] == surface


@pytest.mark.parametrize("verb, noun", [("引き継ぎたい", "引き継ぎ"), ("取り組みたい", "取り組み"), ("申し込む", "申し込み")])
def test_a_compound_verb_also_searches_as_its_noun(verb, noun):
    from knowledge.text import search_terms

    assert noun in search_terms(verb)
    assert not {"出し", "分かり"} & set(search_terms("求人を出しても分かる？"))   # simple verbs stay verbs


def test_a_need_said_with_a_verb_finds_the_program_named_with_its_noun(dialogue):
    from knowledge.dialogue import Conversation

    turn = dialogue.ask(Conversation(), "事業をたたむ前に第三者に引き継ぎたい。使える支援は？", "find_by_need")
    assert "事業承継事業費補助" in turn.text
