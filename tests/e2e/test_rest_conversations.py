"""Multi-turn conversations with the trained bot over Rasa's REST channel."""

import uuid

import pytest

from .conftest import Conversation

pytestmark = pytest.mark.slow


@pytest.fixture
def chat(rasa_server):
    return Conversation(rasa_server, f"e2e-{uuid.uuid4()}")


def test_program_then_phone_then_budget_carry_the_program_over(chat):
    first = chat.text("セレクト神奈川ＮＥＸＴ第２ステージ補助金について教えて")
    assert "【セレクト神奈川ＮＥＸＴ第２ステージ補助金】" in first and "p.11-12, p.13-14" in first
    phone = chat.text("電話番号は？")
    assert "045-210-5570" in phone and "企業誘致・国際ビジネス課" in phone
    budget = chat.text("予算は？")
    assert "1,000万円" in budget and "1事業者が受け取れる金額ではありません" in budget


def test_productivity_calculation_in_one_message(chat):
    answer = chat.text("生産性向上の補助金で、小規模事業者が600万円の設備を入れたらいくら？")
    assert "600万円 × 2/3 = 400万円" in answer
    assert "補助金額の目安は400万円" in answer
    assert "令和6年度当初予算案" in answer


def test_calculation_asks_the_amount_then_shows_each_size_and_settles_with_a_button(chat):
    first = chat.say("生産性向上の補助金はいくらもらえる？")
    assert any("上限は、1事業者あたり500万円" in m.get("text", "") for m in first)
    asked = chat.text("計算して")
    assert "対象経費はいくらですか" in asked and "500万円" not in asked   # the rule was just shown
    cases = chat.say("40万円です")
    text = "\n".join(m.get("text", "") for m in cases)
    assert "中小企業の場合：補助金額 20万円 は下限額25万円に満たない" in text
    assert "小規模事業者の場合：対象経費 40万円 × 2/3 = 26万6,666円" in text
    assert [b["title"] for b in cases[-1]["buttons"]] == ["小規模事業者", "中小企業", "中堅企業", "大企業"]
    settled = chat.text(cases[-1]["buttons"][1]["payload"])
    assert "下限額25万円に満たないため、対象になりません" in settled and "045-210-5550" in settled


def test_select_next_facts_in_any_order(chat):
    chat.say("セレクト神奈川NEXT第2ステージ補助金で計算したい")
    chat.say("従業員は50人で、特区は使いません")
    chat.say("大企業です")
    answer = chat.text("投資額は30億円")
    assert "30億円 × 3% = 9,000万円" in answer and "補助金額の目安は9,000万円" in answer


def test_male_parental_leave_under_ten_days_is_not_eligible(chat):
    chat.say("男性育休の奨励金について")
    answer = chat.text("中小企業で、男性社員が育休を7日取りました。いくらもらえますか")
    assert "7日は10日未満" in answer and "045-210-5730" in answer
    thirty = chat.text("30日ならどうですか")
    assert "→ 50万円" in thirty


def test_ambiguous_name_asks_with_buttons_and_answers_after_the_choice(chat):
    asked = chat.say("ロボット導入の補助金の問い合わせ先は？")
    payloads = {b["title"]: b["payload"] for b in asked[0]["buttons"]}
    assert "介護生産性向上推進事業費" in payloads
    answer = chat.text(payloads["介護生産性向上推進事業費"])
    assert "045-210-4801" in answer and "福祉子どもみらい局" in answer


def test_ambiguous_name_with_one_division_gets_its_phone(chat):
    answer = chat.text("セレクト神奈川ＮＥＸＴの問い合わせ先は？")
    assert "045-210-5570" in answer


def test_procedure_question_hands_off_to_the_division(chat):
    chat.say("エコアセットかながわって何？")
    answer = chat.text("申請の締め切りはいつですか")
    assert "記載がないため" in answer and "045-210-5670" in answer


def test_foreign_worker_incentive_with_add_on(chat):
    answer = chat.text("外国人労働者の奨励金、中小企業で一時帰国休暇制度を作ったらいくら？")
    assert "20万円 + 20万円 = 40万円" in answer


def test_cancel_a_calculation(chat):
    chat.say("セレクト神奈川NEXT第2ステージ融資を計算したい")
    assert "取りやめました" in chat.text("キャンセル")


def test_two_misunderstandings_in_a_row_hand_off(chat):
    chat.say("ドローン開発支援事業費について")
    chat.say("ほげほげふがふが")
    answer = chat.text("ぴよぴよもにゃもにゃ")
    assert "045-210-5630" in answer


def test_bare_numbers_answer_the_forms_questions(chat):
    chat.say("男性育休の奨励金を計算したい")
    asked = chat.text("中小企業です")
    assert "何日ですか" in asked
    answer = chat.text("14")
    assert "育児休業期間14日（10日以上30日未満）→ 20万円" in answer


def test_a_bare_number_for_an_amount_is_asked_again_with_its_unit(chat):
    chat.say("生産性向上の補助金で計算したい")
    asked = chat.text("600")
    assert "単位をつけて" in asked and "600万円" in asked
    assert "600万円 × 2/3 = 400万円" in chat.text("600万円です")


def test_no_add_on_measure_in_words(chat):
    chat.say("外国人労働者の奨励金を計算したい")
    answer = chat.text("どれもやりません")
    assert "20万円" in answer and "40万円" not in answer


def test_another_question_in_the_middle_of_a_calculation_gets_its_own_answer(chat):
    chat.say("男性育休の奨励金を計算したい")
    answer = chat.text("創業したい")
    assert "創業支援融資" in answer and "記載がありません" not in answer
    # then the calculation goes on, for the program it was for, asked in other words
    assert "育児休業の期間" in answer and "計算の続き" in answer
    budget = chat.text("労働施策の予算は？")
    assert "21億8,947万円" in budget
