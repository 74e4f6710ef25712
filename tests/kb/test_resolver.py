"""The one resolver (knowledge/resolver.py): which program a message means, from names,
the last list, facts only one program uses, the program under discussion and the words
of each program's whole text."""

import dataclasses

import pytest

from knowledge.dialogue import Conversation
from knowledge.resolver import POLICY, State, list_reference


def name_of(resolution):
    return resolution.program.name if resolution.program else None


def ids(kb, *names):
    return [kb.program_by_name(name).id for name in names]


@pytest.mark.parametrize("text, position", [
    ("2つ目のはいくら？", 1), ("二番目の事業", 1), ("一番上のやつの問い合わせ先", 0), ("最後のやつ", -1),
    ("３つ目", 2), ("生産性向上の補助金", None)])
def test_references_to_the_list_just_shown(text, position):
    assert list_reference(text) == position


def test_a_reference_takes_the_program_from_the_last_list(kb, resolver):
    shown = ids(kb, "介護生産性向上推進事業費", "介護ロボット実用化促進事業費")
    resolution = resolver.resolve("2つ目の問い合わせ先", state=State(last_list=shown), reference=1)
    assert name_of(resolution) == "介護ロボット実用化促進事業費" and resolution.how == "list"


def test_a_fact_only_one_programs_rules_use_names_it(resolver):
    resolution = resolver.resolve("奨励金はいくら？", facts={"course": "男性育休"})
    assert name_of(resolution) == "職場環境整備促進事業費" and resolution.how == "fact"


def test_an_industry_names_select_next_only_without_a_clear_text_match(resolver):
    assert name_of(resolver.resolve("補助金額は？", facts={"business_type": "宿泊業"})) == \
        "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_the_program_under_discussion_stays_when_the_words_fit_it(kb, resolver):
    state = State(program=kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金").id)
    # 特区制度活用 is in its own text: not a reason to look elsewhere (it once went to 高年齢者労働能力活用)
    assert name_of(resolver.resolve("特区制度を活用した場合はどうなりますか？", state=state)) == \
        "セレクト神奈川ＮＥＸＴ第２ステージ補助金"
    # question words alone keep it too
    assert name_of(resolver.resolve("問い合わせ先は？", state=state)) == "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_one_shared_word_does_not_switch_away_from_the_program_under_discussion(kb, resolver):
    state = State(program=kb.program_by_name("神奈川産業振興センター事業費補助（フォローアップ）").id)
    # 費用 is in エコアセット's 資産評価費用, but one word is no reason to leave
    assert name_of(resolver.resolve("費用はかかりますか？", state=state)) == \
        "神奈川産業振興センター事業費補助（フォローアップ）"


def test_a_clearly_better_match_takes_over_from_the_program_under_discussion(kb, resolver):
    state = State(program=kb.program_by_name("総合職業技術校における職業訓練の推進").id)
    assert name_of(resolver.resolve("うちの社員のスキルアップ用の在職者向けの訓練もやってる？", state=state)) == \
        "在職者訓練の推進"


def test_a_program_every_name_in_the_message_can_mean_is_the_one(resolver):
    resolution = resolver.resolve("小口零細企業保証資金にミニ枠ができると聞きました。信用保証料の補助率は？")
    assert name_of(resolution) == "信用保証事業費補助（小口零細企業保証資金（ミニ）等）"


def test_two_programs_named_stay_two(resolver):
    resolution = resolver.resolve("介護ロボット実用化促進事業費と介護生産性向上推進事業費は、何が違うのでしょうか？")
    assert resolution.status == "several"
    assert {p.name for p in resolution.programs} == {"介護ロボット実用化促進事業費", "介護生産性向上推進事業費"}


def test_a_shared_name_is_narrowed_by_the_facts_the_message_gives(resolver):
    resolution = resolver.resolve("ホテルの新設でもセレクト神奈川ＮＥＸＴの対象業種に入ってる？",
                                  facts={"business_type": "宿泊業"})
    assert name_of(resolution) == "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_a_shared_name_is_narrowed_to_the_programs_that_hold_what_is_asked(resolver):
    resolution = resolver.resolve("セレクト神奈川NEXTって何が変わったの", useful=lambda p: p.new_mark == "新")
    assert name_of(resolution) == "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_search_finds_a_program_by_what_its_text_says(resolver):
    resolution = resolver.resolve("自動調理器を入れて作業の一部を省人化したい")
    assert name_of(resolution) == "中小企業生産性向上促進事業費補助" and resolution.how == "search"


def test_a_phone_number_needs_a_clearer_lead_than_other_answers(resolver):
    text = "ロボットを入れたい"
    ordinary, for_phone = resolver.resolve(text), resolver.resolve(text, contact=True)
    assert for_phone.status != "one" or ordinary.status == "one"


def test_one_shared_word_of_several_is_no_evidence(kb, resolver):
    # full-text search ranks 高度職業訓練の推進 first for its 技 alone
    assert kb.search("技総研の話")[0][0].name == "高度職業訓練の推進"
    assert resolver.resolve("技総研の話").status == "none"


def test_every_threshold_has_a_reason():
    source = open("knowledge/resolver.py", encoding="utf-8").read()
    for field in dataclasses.fields(POLICY):
        block = source[:source.index(f"    {field.name}:")]
        assert block.rstrip().splitlines()[-1].strip().startswith("#"), field.name


def test_a_loan_spoken_of_switches_to_the_loan_sharing_the_name(kb, resolver):
    state = State(program=kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金").id)
    resolution = resolver.resolve("同じ投資で低利の融資も受けられると聞きました。上限は？", state=state)
    # of the two loans named セレクト神奈川, the one sharing 第２ステージ
    assert name_of(resolution) == "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助"
    # a subsidy spoken of keeps the subsidy
    assert name_of(resolver.resolve("補助率は？", state=state)) == "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_a_program_is_named_by_its_words_in_any_order(resolver):
    resolution = resolver.resolve("前からある原油・原材料高騰の特別融資（小口）の保証料補助はどうなってますか？")
    assert name_of(resolution) == "信用保証事業費補助（原油高騰対応小口分・伴走支援分）"
    # a compound is one word: 「事業協同組合の理事長です」 does not name 事業協同組合物流効率化対応費補助
    assert resolver.named_by_words("事業協同組合の理事長です。") is None


def test_in_a_comparison_every_program_named_is_meant(kb, resolver):
    text = "原油高騰の小口の特別融資とミニ枠、保証料の補助率はどっちが高いの？"
    assert resolver.resolve(text).status == "one"   # the alias ミニ枠 alone
    compared = resolver.resolve(text, compares=True)
    assert set(compared.ids) == set(ids(kb, "信用保証事業費補助（小口零細企業保証資金（ミニ）等）",
                                        "信用保証事業費補助（原油高騰対応小口分・伴走支援分）"))


def test_a_word_of_one_listed_name_picks_it_from_the_list(kb, resolver):
    shown = ids(kb, "中小企業生産性向上促進事業費補助", "産業技術総合研究所交付金（生成ＡＩ活用促進事業）",
                "介護生産性向上推進事業費")
    resolution = resolver.resolve("その生成AIの事業の予算は？", state=State(candidates=shown, last_list=shown))
    assert name_of(resolution) == "産業技術総合研究所交付金（生成ＡＩ活用促進事業）"


def test_a_body_named_as_the_one_given_to_is_its_program(resolver):
    # 「事業協同組合」 in the message must not outvote the body the subsidy is paid to
    assert name_of(resolver.resolve("事業協同組合を作りたい。中小企業団体中央会への県の補助は？")) == "中小企業団体中央会補助金"


def test_a_program_named_with_words_of_one_of_its_parts_means_that_part(resolver):
    assert name_of(resolver.resolve("産業技術総合研究所の生成AIの支援について")) == \
        "産業技術総合研究所交付金（生成ＡＩ活用促進事業）"
    assert name_of(resolver.resolve("産業技術総合研究所の交付金について")) == "産業技術総合研究所交付金"


def test_the_kind_said_right_after_a_name_is_of_its_sibling(resolver):
    assert name_of(resolver.resolve("セレクト神奈川NEXT第2ステージの融資の限度額は？")) == \
        "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助"
    assert name_of(resolver.resolve("セレクト神奈川NEXT第2ステージの補助の上限は？")) == \
        "セレクト神奈川ＮＥＸＴ第２ステージ補助金"


def test_an_alias_other_programs_texts_use_is_shared_and_the_words_decide(kb, resolver):
    shared = {(row["program_id"], row["alias"]) for row in kb.aliases() if row["kind"] == "shared"}
    assert ("seicho-12", "さがみロボット産業特区") in shared
    assert ("yuchi-03", "セレクト神奈川100") not in shared   # one other program's text is not enough
    # the zone named as where a robot comes from, not its publicity program
    assert name_of(resolver.resolve("さがみロボット産業特区で商品化された生活支援ロボットを館内に導入したい。補助ある？")) == \
        "ロボット導入支援事業費補助"
    assert name_of(resolver.resolve("さがみロボット産業特区の広報について")) == "ロボット産業特区広報事業費"


@pytest.mark.parametrize("text, phone", [
    ("従業員と会社が揉めてる。どこに相談すればいい？", "045-210-5730"),
    ("残業代のことで従業員ともめてる。事業主側からでも県に相談できるところある？", "045-210-5730")])
def test_a_need_named_outweighs_words_that_matched_something_incidental(dialogue, text, phone):
    # 従業員 matches training programs' texts; the labour dispute described is 労働相談's need
    reply = dialogue.ask(Conversation(), text)
    assert "労働相談等事業費" in reply.text and phone in reply.text and "045-210-5700" not in reply.text


def test_a_budget_compared_with_last_fiscal_year_is_a_change(dialogue):
    reply = dialogue.ask(Conversation(), "小規模企業者等設備貸与事業資金貸付金の予算は、昨年度と比べてどう変わりましたか？")
    assert "1億円増額" in reply.text and "5億円" in reply.text


def test_a_weakly_named_program_never_gives_way_to_one_word_alone(dialogue):
    # 制度融資 is an alias other programs' texts use (weak); 金融 (the division mistyped as 金融化)
    # is one word of another program's name
    analyser, replies = dialogue.understanding("ja")
    analysis = analyser.analyse("制度融資のことで金融化に直接行って相談したい。住所どこ？")
    resolution = replies.resolver.resolve(analysis.text, analysis.facts, mentions=analysis.mentions)
    assert [p.name for p in resolution.programs] == ["中小企業制度融資"]


def test_a_need_the_program_under_discussion_does_not_meet_switches_a_search_for_a_program(kb, resolver):
    state = State(program=kb.program_by_name("地域就職氷河期世代支援加速化交付金事業費").id)
    # one word (シニア), but a need of the program it finds and not of the one under discussion
    assert name_of(resolver.resolve("60代のベテランも採りたい。シニア向けの県の窓口は？", facts={"need": "シニア"},
                                    state=state, contact=True)) == "中高年齢者雇用対策費"
    # a fact asked of a program is not a search for one: the need is no switch then
    assert name_of(resolver.resolve("シニアの場合の金額は？", facts={"need": "シニア"}, state=state,
                                    useful=lambda p: bool(p.rule_ids))) == "地域就職氷河期世代支援加速化交付金事業費"


def test_a_number_of_the_business_is_no_word_of_a_program(resolver):
    # 「50代」「60代」: the digits are in セレクト神奈川ＮＥＸＴ's figures, and say nothing of it
    assert "50" not in resolver.describing_terms("50代60代のシニアの人を探すならどこ？")
