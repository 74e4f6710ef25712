"""The review's parts without servers: masks, turns and their outcomes from stored events,
the questions file kept across runs, and reviewed questions in the coverage bank."""

from __future__ import annotations

import yaml

from review.privacy import hashed, mask
from review.report import Review, reviewed_entries, write_questions
from review.turns import read_conversation


def test_phone_numbers_e_mail_and_postal_codes_are_masked_and_figures_are_not():
    assert mask("電話は045-210-5550です") == "電話は［電話番号］です"
    assert mask("０９０－１２３４－５６７８まで") == "［電話番号］まで"
    assert mask("携帯09012345678") == "携帯［電話番号］"
    assert mask("(045)210-5550") == "［電話番号］"
    assert mask("+81 90 1234 5678") == "［電話番号］"
    assert mask("mail: taro.yamada@example.co.jp") == "mail: ［メール］"
    assert mask("〒231-0023 横浜市") == "［郵便番号］ 横浜市"
    assert mask("住所 231-0023") == "住所 ［郵便番号］"
    for kept in ("予算は1億7,760万円", "従業員50人で500万円", "2024年4月1日", "メールで問い合わせ", "2024-2025年度"):
        assert mask(kept) == kept


def test_ids_are_hashed():
    assert hashed("Uabcdef0123456789abcdef0123456789") != "Uabcdef0123456789abcdef0123456789"
    assert len(hashed("x")) == 12 and hashed("x") == hashed("x")


def user(text, intent, t, channel="line"):
    return {"event": "user", "text": text, "timestamp": t, "input_channel": channel,
            "parse_data": {"intent": {"name": intent}}}


def bot(text, t, kind=None, key=None, programs=(), buttons=None):
    data = {"buttons": buttons} if buttons else {}
    if kind:
        data["custom"] = {"answer": {"kind": kind, "programs": list(programs), "key": key}}
    return {"event": "bot", "text": text, "timestamp": t, "data": data}


def slot(name, value, t):
    return {"event": "slot", "name": name, "value": value, "timestamp": t}


def stored_events():
    return [
        {"event": "action", "name": "action_session_start", "timestamp": 1.0},
        user("生産性向上の補助金の上限は？", "ask_amount", 10.0),
        bot("上限は500万円です", 11.0, "amount", "amount.cap_first", ["chusho-01"]),
        bot("担当課：045-210-5550", 11.5, "handoff", "handoff.footer", ["chusho-01"]),
        user('/feedback{"rating":"down"}', "feedback", 20.0),
        {"event": "action", "name": "action_feedback", "timestamp": 20.5},
        bot("ご評価ありがとうございます。…どこが違っていたか…", 21.0),
        slot("feedback", {"rating": "down", "answer_at": 11.5, "kind": "amount", "programs": ["chusho-01"]}, 21.1),
        slot("feedback_comment_for", 11.5, 21.2),
        user("古い金額です。私の番号は 090-1111-2222", "nlu_fallback", 30.0),
        bot("ご意見ありがとうございました。", 31.0),
        slot("feedback_comment_for", None, 31.1),
        slot("feedback", {"rating": "down", "answer_at": 11.5, "comment": "古い金額です。私の番号は 090-1111-2222"}, 31.2),
        user("ほげほげ", "nlu_fallback", 40.0),
        bot("読み取れませんでした", 41.0, "unknown", "ask.rephrase"),
        user("計算して", "calculate_amount", 50.0),
        bot("どの事業について計算しますか？", 51.0, "ask", "ask.program_for_calculation"),
        user("うちの会社", "inform", 60.0),
        bot("どの事業についてのご質問ですか？", 61.0, "ask", "ask.which_unknown"),
        user("エコアセットの予算は？", "ask_budget", 70.0),
        bot("資料に記載がありません", 71.0, "budget", "not_stated.other", ["chusho-06"]),
    ]


def test_turns_outcomes_flags_and_the_rating_joined_to_the_answer_it_rates():
    conversation = read_conversation("U" + "0" * 32, stored_events())
    assert conversation.id == hashed("U" + "0" * 32) and conversation.channel == "line"
    outcomes = [t.outcome for t in conversation.turns]
    assert outcomes == ["fact", "rating", "rating", "fallback", "asked_back", "asked_back", "not_stated"]
    first = conversation.turns[0]
    assert first.rating == "down" and first.comment == "古い金額です。私の番号は ［電話番号］"
    assert first.flags == ["thumbs_down"] and first.kind == "amount" and first.programs == ["chusho-01"]
    assert [t.flags for t in conversation.turns[3:6]] == [["not_understood"], [], ["asked_back_twice"]]
    assert "090-1111-2222" not in conversation.turns[2].text


def test_the_review_counts_and_groups():
    review = Review()
    for number in range(3):
        review.add(read_conversation(f"sender-{number}", stored_events()))
    review.choose_transcripts()
    assert review.conversations == 3 and review.turns == 21 and review.ratings["down"] == 3
    [(text, count, example)] = review.groups("not_understood")
    assert (text, count) == ("ほげほげ", 3)
    assert example.conversation in review.transcripts
    assert review.by_program["chusho-06"] == 3 and review.by_kind["amount"] == 3


def test_questions_yml_keeps_what_staff_wrote_and_only_filled_ones_are_checked(tmp_path):
    review = Review()
    review.add(read_conversation("sender", stored_events()))
    path = tmp_path / "questions.yml"
    assert write_questions(review, path) == 3    # 「ほげほげ」, 「うちの会社」 and the 👎's question
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert reviewed_entries(path) == []
    data["questions"][0].update(program="chusho-01", kind="amount")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert write_questions(review, path) == 0
    [filled] = reviewed_entries(path)
    assert filled["program"] == "chusho-01" and filled["kind"] == "amount" and "expect" not in filled


def test_reviewed_questions_join_the_coverage_bank(kb, tmp_path):
    from coverage_report.__main__ import reviewed_questions

    path = tmp_path / "questions.yml"
    path.write_text(yaml.safe_dump({"questions": [
        {"text": "生産性向上の補助金の上限は？", "program": "生産性向上の補助金", "kind": "amount", "expect": None},
        {"text": "ほげほげ", "program": None, "kind": None, "expect": None},
        {"text": "締め切りは？", "program": None, "kind": None, "expect": ["045-210-5550"]}]},
        allow_unicode=True), encoding="utf-8")
    questions = reviewed_questions(kb, path)
    assert [q.text for q in questions] == ["生産性向上の補助金の上限は？", "締め切りは？"]
    assert reviewed_questions(kb, tmp_path / "none.yml") == []
