"""Answer actions: each names the program, cites its page, says it is the FY2024 proposal."""

import pytest

from actions.answers import (ActionAmount, ActionBudget, ActionContact, ActionEligibility, ActionFindByNeed,
                             ActionNewPrograms, ActionProgramInfo)

from .conftest import make_tracker, render, run_action, slot_events

CITATION = "令和6年度当初予算案の数値です"


def answer(action, text, intent, **slots):
    messages, events = run_action(action, make_tracker(text, intent, slots=slots))
    return [render(m) for m in messages], messages, events


def test_program_info_names_program_cites_page_and_sets_context(kb):
    texts, messages, events = answer(ActionProgramInfo(), "生産性向上の補助金について教えて", "ask_program_info")
    assert "【中小企業生産性向上促進事業費補助】（新規事業）" in texts[0]
    assert "p.1-3, p.4" in texts[0] and CITATION in texts[0]
    assert slot_events(events)["program"] == kb.program_by_name("中小企業生産性向上促進事業費補助").id
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_amount", "/ask_eligibility", "/ask_budget",
                                                              "/ask_contact"]


def test_amount_comes_from_the_rule_never_the_budget():
    texts, _, _ = answer(ActionAmount(), "生産性向上の補助金の上限は？", "ask_amount")
    assert "補助上限：５００万円（下限額は２５万円）" in texts[0]
    assert "２／３（小規模事業者）" in texts[0]
    assert "42億" not in "".join(texts)
    assert "p.4" in texts[0]


def test_amount_for_a_program_without_per_business_figures_hands_off(kb):
    texts, _, _ = answer(ActionAmount(), "ドローン開発支援はいくらもらえる？", "ask_amount")
    assert "1事業者あたりの金額（補助率・上限額など）の記載がありません" in texts[0]
    assert "045-210-5630" in texts[0]
    assert "5,014万円" not in texts[0]


def test_amount_with_the_users_figures_switches_to_the_calculation():
    _, messages, events = answer(ActionAmount(), "生産性向上の補助金、600万円ならいくら？", "ask_amount")
    assert messages == []
    assert any(e["event"] == "followup" and e["name"] == "calculation_form" for e in events)


def test_amount_question_carries_the_program_over_from_the_slot(kb):
    program = kb.program_by_name("職場環境整備促進事業費")
    texts, _, _ = answer(ActionAmount(), "いくらもらえる？", "ask_amount", program=program.id)
    assert "【職場環境整備促進事業費】" in texts[0]
    assert "男性育児休業取得促進：10日以上30日未満：20万円、30日以上：50万円" in texts[0]


def test_an_ambiguous_name_asks_which_with_buttons_and_remembers_the_question(kb):
    _, messages, events = answer(ActionContact(), "ロボット導入の補助金の電話番号は？", "ask_contact")
    assert messages[0]["text"] == "どの事業についてのご質問ですか？"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0].startswith('/choose_program{"program":"')
    assert len(payloads) == 3
    assert slot_events(events)["pending_question"] == "ask_contact"


def test_an_ambiguous_name_whose_programs_share_a_division_gets_that_division():
    texts, _, _ = answer(ActionContact(), "セレクト神奈川ＮＥＸＴの電話番号は？", "ask_contact")
    assert "いずれも次の担当課です" in texts[0] and "045-210-5570" in texts[0]


def test_a_bare_scheme_name_in_an_amount_question_means_its_subsidy():
    texts, _, _ = answer(ActionAmount(), "セレクト神奈川NEXTの補助率は？", "ask_amount")
    assert "【セレクト神奈川ＮＥＸＴ第２ステージ補助金】" in texts[0]


def test_amounts_of_a_related_program_are_quoted_as_such():
    texts, _, _ = answer(ActionAmount(), "セレクト神奈川NEXT補助金はいくら出る？", "ask_amount")
    assert "【セレクト神奈川ＮＥＸＴ補助金】には、1事業者あたりの金額の記載がありません" in texts[0]
    assert "以下は【セレクト神奈川ＮＥＸＴ第２ステージ補助金】の記載です" in texts[0]
    assert "上限５億円" in texts[1]


def test_budget_of_an_ambiguous_name_gives_each_programs_budget():
    texts, _, _ = answer(ActionBudget(), "産総研の予算は？", "ask_budget")
    joined = "\n".join(texts)
    assert "29億8,126万円" in joined and "2,600万円" in joined


def test_eligibility_includes_the_courses_conditions():
    texts, _, _ = answer(ActionEligibility(), "男性育休の奨励金の要件は？", "ask_eligibility")
    assert "育児休業終了後に原職復帰して１か月以上雇用" in texts[0]


def test_what_is_new_for_a_named_program():
    texts, _, _ = answer(ActionNewPrograms(), "セレクト神奈川ＮＥＸＴは今年度から何が変わった？", "ask_new_programs")
    assert "支援対象産業に「脱炭素関連産業」を追加" in texts[0]
    assert "大企業の雇用要件を 50 人から 30 人に緩和" in texts[0]


@pytest.mark.parametrize("text, phone, bureau", [
    ("生産性向上の補助金の問い合わせ先", "045-210-5550", None),
    ("介護生産性向上推進事業費の問い合わせ先", "045-210-4801", "福祉子どもみらい局"),
    ("リハビリテーションロボット普及推進事業費の電話番号", "045-210-5040", "健康医療局"),
    ("スタートアップ支援事業費の連絡先", "045-285-0213", None),
    ("第2ステージ融資の電話番号", "045-210-5670", None),
])
def test_contact_gives_division_phone_and_other_bureaus(text, phone, bureau):
    texts, _, _ = answer(ActionContact(), text, "ask_contact")
    assert phone in texts[0]
    if bureau:
        assert f"この事業は{bureau}の担当です" in texts[0]


def test_contact_for_an_aggregate_line_says_the_source_gives_none():
    texts, _, _ = answer(ActionContact(), "漁業活性化促進事業費の問い合わせ先", "ask_contact")
    assert "問い合わせ先の記載がありません" in texts[0]
    assert "045-" not in texts[0]


def test_contact_without_a_program_offers_likely_ones():
    _, messages, events = answer(ActionContact(), "電話番号を教えて", "ask_contact")
    assert messages[0]["buttons"]
    assert slot_events(events)["pending_question"] == "ask_contact"


def test_budget_is_labelled_as_the_prefectures_budget(kb):
    texts, _, _ = answer(ActionBudget(), "予算は？", "ask_budget",
                         program=kb.program_by_name("中小企業生産性向上促進事業費補助").id)
    assert "県の予算額です（事業全体の額で、1事業者が受け取れる金額ではありません）" in texts[0]
    assert "６年度当初予算額：42億5,062万円" in texts[0]


def test_budget_keeps_当初_and_補正_apart():
    texts, _, _ = answer(ActionBudget(), "大型等運転免許取得促進事業費の予算", "ask_budget")
    assert "５年度12月補正予算額（６年度へ繰越）：8,554万円" in texts[0]
    assert "当初予算額" not in texts[0]


def test_budget_of_a_topic_lists_subsections_with_net_figures():
    texts, _, _ = answer(ActionBudget(), "労働施策の予算は？", "ask_budget")
    assert "労働施策の推進：21億8,947万円" in texts[0]
    assert "(5) 外国人材の育成・活躍支援：1,315万円" in texts[0]
    assert "p.15-16" in texts[0]


def test_budget_without_program_or_topic_lists_the_four_topics():
    texts, _, _ = answer(ActionBudget(), "予算は全体でいくら？", "ask_budget")
    for total in ("93億5,126万円", "48億4,595万円", "29億1,542万円", "21億8,947万円"):
        assert total in texts[0]


def test_eligibility_says_which_sizes_are_not_covered():
    texts, _, _ = answer(ActionEligibility(), "生産性向上の補助金は大企業でも使える？", "ask_eligibility")
    assert "大企業は対象外です" in texts[0]
    assert "県内の事業所で事業を実施する中小企業者等" in texts[0]


def test_eligibility_lists_the_select_next_requirements():
    texts, _, _ = answer(ActionEligibility(), "セレクト神奈川NEXT第2ステージ補助金の要件は", "ask_eligibility")
    assert "投資額：大規模設備投資 40億円以上、中小企業 5,000万円以上、大企業 20億円以上" in texts[0]
    assert "常用雇用者数：大規模設備投資 60人以上、中小企業 10人以上、大企業 30人以上" in texts[0]


def test_find_by_need_offers_programs_as_buttons():
    texts, messages, events = answer(ActionFindByNeed(), "創業を考えています", "find_by_need")
    assert "創業に関係する事業" in texts[0]
    assert len(messages[0]["buttons"]) == 5
    assert slot_events(events)["pending_question"] == "ask_program_info"


def test_new_programs_are_only_the_certain_ones(kb):
    texts, _, _ = answer(ActionNewPrograms(), "新しい事業は？", "ask_new_programs")
    assert texts[0].count("（新）") == 7 and texts[0].count("（一部新）") == 1


@pytest.mark.parametrize("text, program", [
    # a course, an add-on measure or a requirement names the program without its name
    ("男性の育休取得の奨励金、最高でいくらもらえますか", "職場環境整備促進事業費"),
    ("一時帰国休暇を作ったら奨励金はいくら？", "外国人労働者職場環境整備促進事業費"),
])
def test_facts_that_belong_to_one_program_name_it(text, program):
    texts, _, _ = answer(ActionAmount(), text, "ask_amount")
    assert texts[0].startswith(f"【{program}】")


def test_a_requirement_names_select_next_when_no_program_is_in_context():
    texts, _, _ = answer(ActionEligibility(), "地域振興型産業って県内どこでも対象なの？", "ask_eligibility")
    assert texts[0].startswith("【セレクト神奈川ＮＥＸＴ第２ステージ補助金】")
    assert "横須賀三浦地域" in texts[0] and "県西地域" in texts[0]


def test_a_business_type_does_not_switch_the_program_in_context(kb):
    productivity = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    texts, _, _ = answer(ActionAmount(), "製造業ですが上限は？", "ask_amount", program=productivity)
    assert texts[0].startswith("【中小企業生産性向上促進事業費補助】")


def test_one_shared_word_is_not_a_match():
    # 「産技総研」 shares a 技 with 高度職業訓練; it is the prefecture's research institute
    texts, messages, _ = answer(ActionBudget(), "産技総研への交付金って総額いくら？", "ask_budget")
    joined = "\n".join(texts)
    assert "29億8,126万円" in joined and "高度職業訓練" not in joined


def test_budget_of_a_subsection_lists_its_lines():
    texts, _, _ = answer(ActionBudget(), "ベンチャーなどの創出・育成の予算は総額いくら？", "ask_budget")
    assert "(2) ベンチャーなどの創出・育成：2億9,354万円" in texts[0]
    assert "⑭ 起業家創出促進事業費：1,420万円" in texts[0]
    assert "p.7-8" in texts[0] and CITATION in texts[0]


def test_budget_of_a_subsection_with_repeated_lines_gives_the_net_figure():
    texts, _, _ = answer(ActionBudget(), "外国人材の育成・活躍支援の予算は？", "ask_budget")
    assert "1,315万円（他の区分の再掲を除く。再掲を含めると 1億3,121万円）" in texts[0]


def test_topic_budget_without_the_supplementary_when_asked():
    texts, _, _ = answer(ActionBudget(), "中小企業支援パッケージの６年度当初予算額だけ教えて（補正は除いて）", "ask_budget")
    assert "６年度当初 83億6,456万円（このほか５年度12月補正 9億8,669万円）" in texts[0]
    assert "93億5,126万円" not in texts[0]


def test_a_need_with_one_division_gives_its_phone_when_asked_whom_to_call():
    texts, _, _ = answer(ActionFindByNeed(), "海外展開の相談をしたい", "find_by_need")
    assert "いずれも担当：" in texts[0] and "045-210-5570" in texts[0]


def test_a_need_spread_over_several_divisions_gives_no_phone_number():
    texts, _, _ = answer(ActionFindByNeed(), "障がい者雇用を進めたいので相談したい", "find_by_need")
    assert "障害者就労推進費" in texts[0] and "電話" not in texts[0]


def test_a_need_named_by_a_phrase_two_programs_share_lists_both():
    texts, messages, _ = answer(ActionFindByNeed(), "物流の2024年問題でドライバー不足が深刻です。県の支援で使えるものありますか",
                                "find_by_need")
    assert "大型等運転免許取得促進事業費" in texts[0] and "事業協同組合物流効率化対応費補助" in texts[0]
    assert len(messages[0]["buttons"]) == 2


def test_the_shared_phrase_with_a_word_of_one_name_is_that_program():
    texts, _, _ = answer(ActionFindByNeed(), "物流の2024年問題で事業協同組合向けの支援があるって聞いたんですが",
                         "find_by_need")
    assert texts[0].startswith("【事業協同組合物流効率化対応費補助】")
