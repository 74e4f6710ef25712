"""The one question analysis (knowledge/analysis.py): what a message asks."""

import pytest


@pytest.mark.parametrize("text, intent, kinds", [
    # two questions in one message, answered in the order asked
    ("エコアセットかながわの補助率と、問い合わせ先の電話番号を教えてください。", None, ["amount", "contact"]),
    ("男性が育休を１か月とったら奨励金はいくら？あと問い合わせ先も知りたい", None, ["calculation", "contact"]),
    # words of one question, not two: 「予算の上限」 asks a budget
    ("予算の上限は？", None, ["budget"]),
    # a word inside a longer word of another kind does not count (期間 in 返済期間)
    ("第2ステージ融資の返済期間は？", None, ["amount"]),
    # an application's period is a procedure, which the document does not state
    ("申請受付はいつから始まりますか？", None, ["procedure"]),
    ("伴走支援型特別融資の保証料補助の拡充っていつまで？", None, ["period"]),
    # a kind another drops drops none: the change in the period's words leaves the rate asked
    ("伴走支援型特別融資の保証料補助の拡充はいつまでで、拡充後の補助率は？", None, ["period", "amount"]),
    ("ロボテラスって何？", None, ["definition"]),
    ("って何割出るの", None, ["amount"]),          # 「って何」 only at a clause's end
    ("仕事と育児の両立コースと介護の両立コース、奨励金はどっちが高い？", None, ["comparison"]),
    # contact in any phrasing
    ("リハビリのロボットについて相談したい", None, ["contact"]),
    # the classifier decides when no word does
    ("エコアセットかながわ", "ask_program_info", ["overview"]),
    # figures turn an amount question into a calculation
    ("生産性向上の補助金、600万円の機械ならいくら？", "ask_amount", ["calculation"]),
    # a budget figure of the document named asks a budget, a requirement eligibility
    ("県の制度融資って融資枠は全体でいくら？", None, ["budget"]),
    ("ホテルもセレクト神奈川ＮＥＸＴの対象業種に入る？", None, ["eligibility"]),
    # a cue starts where a word starts (「名前と予算」 holds no 前と); a change the user wants is no question
    ("支援する事業の名前と予算を教えてください。", None, ["budget"]),
    # the business's own first time is no change; a program done for the first time is
    ("留学生の採用は初めてなので何から始めればよいかわかりません。相談窓口はありますか", "find_by_need", ["discovery"]),
    ("今年度初めて実施される事業は？", None, ["change"]),
    ("悪くなる前に経営を見直したいです。早めに相談できる支援はありますか。", None, ["discovery"]),
    # the user's own new business asks nothing of what is new; where staff are sent is a place
    ("去年補助金をもらって新しい事業を始めたんだけど、そのあとのサポートってあるの？", None, ["discovery"]),
    ("今年の新しい事業を教えて", None, ["new"]),
    ("県の海外駐在員ってどこに派遣されてるの？", None, ["place"]),
    # the classifier's calculation, with nothing to calculate with and the words asking for programs
    ("ビル清掃の会社で従業員80人。人が足りない。県で人集めを手伝ってくれるような事業ある？", "calculate_amount",
     ["discovery"]),
])
def test_kinds_of_question(analyser, text, intent, kinds):
    assert analyser.analyse(text, intent).kinds == kinds


def test_a_message_about_the_programs_is_never_small_talk(analyser):
    # DIET once took this kana-only question for thanks, and 「大連にも事務所？」 for 「あなたは誰」
    assert analyser.analyse("だいがくせいむけのびじねすあいであこんてすとってけんでやってる？", "thank").kind != "thank"
    assert analyser.analyse("中国の大連にも事務所あるってほんと？", "bot_challenge").kind != "identity"
    assert analyser.analyse("こんにちは", "greet").kinds == ["greet"]
    assert analyser.analyse("ありがとう", "thank").kinds == ["thank"]


@pytest.mark.parametrize("text, yes_no", [
    ("県外の会社でも応募できますか？", True), ("普通免許でも大型免許の奨励金は出る？", True),
    ("上限は？", False), ("それの担当は？", False), ("いくらもらえますか", False)])
def test_yes_no_questions(analyser, text, yes_no):
    assert analyser.analyse(text).yes_no is yes_no


def test_a_size_stated_only_to_deny_it_is_no_fact(analyser):
    assert analyser.analyse("従業員45人で、小規模事業者には当たりません").fact("company_size") is None
    assert analyser.analyse("うちは小規模事業者です").fact("company_size") == "小規模事業者"
    # (「該当しません」 denies as 「当たりません」 does)
    assert analyser.analyse("従業員80名で、小規模事業者には該当しません").fact("company_size") is None


def test_the_course_is_found_inside_a_program_name_and_across_a_duration(analyser):
    assert analyser.analyse("男性育休の奨励金はいくら").fact("course") == "男性育休"
    assert analyser.analyse("男性社員が来月から40日育休取る予定").fact("course") == "男性育休"


def test_routing_intent_follows_the_first_kind(analyser):
    assert analyser.routing_intent(analyser.analyse("そこの電話番号を教えて", "find_by_need")) == "ask_contact"
    # a need described and a contact asked: whom to call, then (the classifier's guess) the programs
    assert analyser.analyse("海外展開支援の担当はどこですか", "find_by_need").kinds == ["contact", "discovery"]
    assert analyser.routing_intent(analyser.analyse("こんにちは", "greet")) == "greet"


@pytest.mark.parametrize("text, intent, kind", [
    ("違います", "deny", "deny"), ("ストップ", "stop", "stop"), ("ロボットと話してるの？", "bot_challenge", "identity"),
    ("これって前からある補助？", "bot_challenge", "change"), ("ロボット導入支援事業費補助の担当は？", "greet", "contact")])
def test_small_talk_the_classifier_is_sure_of_stays_unless_programs_are_spoken_of(dialogue, text, intent, kind):
    assert dialogue.analyser.analyse(text, intent).kind == kind


def test_a_fact_answering_the_form_keeps_its_intent(dialogue):
    analysis = dialogue.analyser.analyse("600万円", "inform")
    assert dialogue.analyser.routing_intent(analysis) == "inform"


@pytest.mark.parametrize("language, text, needs", [
    ("ja", "うちは従業員8人の町工場です。古くなった旋盤を買い替えたいんですが、使える補助金ありますか？", ["設備投資"]),
    ("ja", "工場を県内に建てたい。", ["企業立地"]),   # wanted, not described: stays
    # a first sentence saying what the business is, with no うちは; a machine replaced, with its count
    ("ja", "横浜市で金属加工をしている従業員8名の町工場です。古くなったNC旋盤を1台入れ替えたいと考えています。", ["設備投資"]),
    ("ja", "新しい工場を建てたいです。", ["企業立地"]),   # 〜たいです is a want
    ("en", "We are a small factory. We want to replace an old lathe. Any subsidy?", ["設備投資"]),
    # a machine's replacement said as a noun is the want (c22-001: not the 工場 the business is)
    ("ja", "うち町工場で従業員8人、小規模事業者ってやつです。"
           "NC旋盤の入れ替えで600万円くらいかかるんだけど、県の補助使ったらいくら出る？", ["設備投資"]),
    # what the business is ends where what it wants starts, after "and"
    ("en", "We're a trucking company and want to sell our know-how overseas. Any support?", ["海外展開"]),
])
def test_a_need_word_in_what_the_business_says_it_is_is_no_need(dialogue, language, text, needs):
    analyser, _replies = dialogue.understanding(language)
    assert analyser.analyse(text).facts.get("need") == needs


def test_a_procedure_paid_for_is_no_question_about_the_application(dialogue):
    analyser, _replies = dialogue.understanding("ja")
    paid_for = "会社設立の手続きやコンサルティングの費用を補助してもらえる制度はありますか。"
    assert "procedure" not in analyser.analyse(paid_for).cued
    assert "procedure" in analyser.analyse("生産性向上の補助金の手続きを教えて").cued


@pytest.mark.parametrize("language, text, need", [
    ("ja", "菓子メーカーです。海外に販路を広げたいのですが、県の支援は？", "海外展開"),
    ("ja", "取引先を増やしたい。何かある？", "販路開拓"),
    ("en", "We want to sell our sake in Europe. Any support?", "海外展開"),
    ("en", "We need to find new customers for our parts.", "販路開拓"),
])
def test_a_need_said_as_a_verb_phrase(dialogue, language, text, need):
    analyser, _replies = dialogue.understanding(language)
    assert need in analyser.analyse(text).facts.get("need", [])


def test_where_a_business_is_located_is_no_need_to_locate(dialogue):
    analyser, _replies = dialogue.understanding("en")
    assert not analyser.analyse("We are located in Yokohama and sell cakes.").facts.get("need")
    assert analyser.analyse("We plan to locate our new plant in Kanagawa.").facts.get("need") == ["企業立地"]


def test_staff_of_a_nationality_are_foreign_employment_and_our_factory_a_description(dialogue):
    analyser, _replies = dialogue.understanding("en")
    facts = analyser.analyse("We have 12 Vietnamese staff in our food factory. If we translate our work rules, "
                             "is there any money?").facts
    assert facts.get("need") == ["外国人雇用"]


def test_mid_career_staff_are_no_company_size(analyser):
    assert "company_size" not in analyser.analyse("ベテランの技を中堅に継がせたい。県の訓練で使えるのある？").facts


def test_money_asked_of_a_program_named_in_a_need_gives_what_it_pays(dialogue):
    # a program named by its description (動産の資産評価) with a subsidy asked for: its rate, not only what it is
    from knowledge.dialogue import Conversation
    turn = dialogue.ask(Conversation(), "脱炭素の設備を入れる会社です。"
                                        "融資を受けるときの動産の資産評価の費用に補助はありますか？")
    assert "脱炭素促進資産評価事業費補助" in turn.text and "1/2" in turn.text
