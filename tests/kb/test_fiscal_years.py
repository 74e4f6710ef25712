"""A second fiscal year beside FY2024 is a data change (issue 16): the build of two folders,
the year asked, the default (the latest), a year not loaded, and the year named in every
factual answer. The second year is the synthetic sample of tests/fixtures/fy2025-sample."""

import shutil

import pytest

from knowledge.build import build_years, discover_sources, year_database
from knowledge.checks import CheckFailed
from knowledge.dialogue import Conversation, Dialogue
from knowledge.kb import KnowledgeBase
from knowledge.years import years_asked

from ..conftest import PROJECT_ROOT, SAMPLE_YEAR, SOURCES

FY2024_CITATION = "令和6年度当初予算案"
FY2025_CITATION = "令和7年度・試験用の合成データ（実在しない数値）"


@pytest.fixture(scope="module")
def bot(two_year_kb_path):
    return Dialogue(KnowledgeBase(two_year_kb_path))


def chat(bot, *messages):
    conversation = Conversation()
    return [bot.ask(conversation, message) for message in messages]


# ── the build ───────────────────────────────────────────────────────────────
def test_two_folders_build_one_file_per_year_listed_in_each(two_year_kb_path):
    latest = KnowledgeBase(two_year_kb_path)
    older = KnowledgeBase(year_database(two_year_kb_path, 2024))
    assert latest.fiscal_year == 2025 and older.fiscal_year == 2024
    for kb in (latest, older):
        assert [(y["fiscal_year"], y["label"], y["synthetic"]) for y in kb.years()] == [
            (2024, "令和6年度", False), (2025, "令和7年度", True)]
    assert latest.for_year(2024).fiscal_year == 2024 and latest.for_year(2026) is None
    assert len(older.programs()) == 86 and len(latest.programs()) == 2


def test_the_production_build_discovers_only_the_real_folders():
    # the synthetic sample lives under tests/ and is never built into the bot
    assert discover_sources(PROJECT_ROOT / "knowledge" / "data") == [SOURCES]


def test_one_folder_alone_is_unchanged(kb):
    assert [y["fiscal_year"] for y in kb.years()] == [2024]


def test_each_folder_is_checked_against_its_own_document(tmp_path):
    sample = tmp_path / "fy2025-sample"
    shutil.copytree(SAMPLE_YEAR, sample)
    topic = sample / "topics" / "chusho.yml"
    # FY2024's figure for the program is printed in FY2024's document, not in the sample's
    topic.write_text(topic.read_text(encoding="utf-8").replace("initial: 45億円", "initial: 42億5,062万円"),
                     encoding="utf-8")
    database = tmp_path / "knowledge.db"
    with pytest.raises(CheckFailed) as error:
        build_years([SOURCES, sample], database, PROJECT_ROOT)
    assert "fy2025-sample/topics/chusho.yml" in str(error.value)
    assert "42億5,062万円" in str(error.value)
    assert not database.exists() and not year_database(database, 2024).exists()   # nothing written


def test_two_folders_of_the_same_year_are_refused(tmp_path):
    copy = tmp_path / "fy2024-copy"
    shutil.copytree(SOURCES, copy)
    with pytest.raises(CheckFailed, match="fiscal_year 2024 is also that of fy2024"):
        build_years([SOURCES, copy], tmp_path / "knowledge.db", PROJECT_ROOT)


# ── the year words (knowledge/language/*.yml) ─────────────────────────────────
@pytest.mark.parametrize("text, language, years", [
    ("令和6年度の生産性向上の補助金の上限は？", "ja", [2024]),
    ("令和７年度の予算は？", "ja", [2025]),
    ("2025年度の予算", "ja", [2025]),
    ("R7年度の補助率", "ja", [2025]),
    ("FY2024の予算", "ja", [2024]),
    ("令和6年度と令和7年度の予算", "ja", [2024, 2025]),
    ("令和5年度から変わった点は？", "ja", []),          # the year compared with
    ("5年度12月補正の額は？", "ja", []),                # a budget label
    ("令和5年度12月補正予算額", "ja", []),
    ("令和9年度末まで延長されますか", "ja", []),        # a date
    ("期間：令和６年度～令和25年度", "ja", []),         # a range
    ("今年度の新しい事業", "ja", []),                   # relative words choose none
    ("What is the FY2024 budget?", "en", [2024]),
    ("subsidies in fiscal year 2025", "en", [2025]),
    ("What changed in FY2025 compared with FY2024?", "en", [2025]),
    ("What changed from FY2024?", "en", []),
])
def test_the_year_asked(text, language, years):
    assert years_asked(text, language) == years


# ── answers ─────────────────────────────────────────────────────────────────
def test_the_year_asked_is_the_year_answered(bot):
    fy2024, = chat(bot, "令和6年度の生産性向上の補助金の上限は？")
    assert fy2024.year == 2024 and "500万円" in fy2024.text and FY2024_CITATION in fy2024.text
    assert "800万円" not in fy2024.text
    fy2025, = chat(bot, "令和7年度の生産性向上の補助金の上限は？")
    assert fy2025.year == 2025 and "800万円" in fy2025.text and FY2025_CITATION in fy2025.text
    by_western_year, = chat(bot, "2025年度の生産性向上の補助金の予算は？")
    assert "45億円" in by_western_year.text and FY2025_CITATION in by_western_year.text
    english, = chat(bot, "What is the cap of the productivity subsidy in FY2024?")
    assert "5 million yen (500万円)" in english.text and "(FY2024 initial budget proposal)" in english.text


def test_no_year_asked_is_the_latest_and_says_so(bot):
    turn, = chat(bot, "生産性向上の補助金の上限は？")
    assert turn.year == 2025 and "800万円" in turn.text and FY2025_CITATION in turn.text
    english, = chat(bot, "What is the cap of the productivity subsidy?")
    assert "8 million yen (800万円)" in english.text
    assert "(FY2025, synthetic test data (not real figures))" in english.text   # source.yml english_terms


def test_a_follow_up_stays_in_the_year_asked(bot):
    first, follow_up = chat(bot, "令和6年度の生産性向上の補助金の上限は？", "予算は？")
    assert follow_up.year == 2024 and "42億5,062万円" in follow_up.text and FY2024_CITATION in follow_up.text
    _, other_year = chat(bot, "生産性向上の補助金の上限は？", "令和6年度の予算は？")
    # the same program, carried to the other year by its name
    assert "42億5,062万円" in other_year.text and "45億円" not in other_year.text


def test_only_a_year_asks_about_the_program_discussed_in_that_year(bot):
    _, fy2024 = chat(bot, "生産性向上の補助金の上限は？", "令和6年度は？")
    assert fy2024.year == 2024 and "【中小企業生産性向上促進事業費補助】" in fy2024.text
    assert FY2024_CITATION in fy2024.text and FY2025_CITATION not in fy2024.text


def test_a_program_only_an_older_year_holds_is_answered_from_that_year_which_is_said(bot):
    found, follow_up, latest = chat(bot, "男性育休の奨励金はいくら？", "上限は？", "生産性向上の補助金の上限は？")
    assert found.year == 2024 and "50万円" in found.text and FY2024_CITATION in found.text
    assert found.text.startswith("令和7年度の資料には見当たらないため、令和6年度の資料からお答えします。")
    assert follow_up.year == 2024 and "40万円" in follow_up.text   # the program discussed, in its year
    # a program named without a year: the latest again (FY2024 was never asked for)
    assert latest.year == 2025 and "800万円" in latest.text and FY2025_CITATION in latest.text


def test_a_topic_only_an_older_year_has_is_answered_from_it(bot):
    turn, = chat(bot, "労働施策の推進の予算総額は？")
    assert turn.text.startswith("令和7年度の資料には見当たらないため、令和6年度の資料からお答えします。")
    assert "労働施策の推進：21億8,947万円" in turn.text and FY2024_CITATION in turn.text


def test_the_totals_count_the_year_s_own_topics(bot):
    latest, = chat(bot, "各分野の予算の合計は？")
    assert "産業労働局の主な事業（1分野）" in latest.text and FY2025_CITATION in latest.text
    fy2024, = chat(bot, "令和6年度の各分野の予算の合計は？")
    assert "産業労働局の主な事業（4分野）" in fy2024.text


def test_a_year_asked_for_holds_for_the_programs_named_later(bot):
    _, later = chat(bot, "令和6年度の生産性向上の補助金の上限は？", "デジタル化の補助金の予算は？")
    assert later.year == 2024 and "令和6年度当初予算案" in later.text
    _, only_later_year = chat(bot, "令和6年度の生産性向上の補助金の上限は？", "省エネ設備の補助金の予算は？")
    assert only_later_year.text.startswith("令和6年度の資料には見当たらないため、令和7年度の資料からお答えします。")
    assert "15億円" in only_later_year.text


def test_a_year_not_loaded_says_which_are_and_hands_off(bot):
    turn, = chat(bot, "令和8年度の生産性向上の補助金の上限は？")
    assert turn.outcome.replies[0].key == "year.not_loaded"
    assert "令和8年度の資料はこのチャットボットにまだ読み込まれていない" in turn.text
    assert "令和6年度、令和7年度" in turn.text
    assert "【中小企業生産性向上促進事業費補助】" in turn.text and "045-210-5550" in turn.text
    assert "万円" not in turn.text and "億円" not in turn.text   # no figure of another year
    english, = chat(bot, "What is the FY2023 budget of the productivity subsidy?")
    assert "The FY2023 document is not loaded" in english.text and "FY2024, FY2025" in english.text
    assert "million yen" not in english.text and "045-210-5550" in english.text


def test_a_year_not_loaded_with_one_folder(dialogue):
    turn = dialogue.ask(Conversation(), "令和7年度の予算はいくら？")
    assert "令和7年度の資料はこのチャットボットにまだ読み込まれていない" in turn.text
    assert "ご案内できるのは令和6年度の資料です" in turn.text and "億円" not in turn.text


def test_two_years_asked_are_both_answered_each_with_its_year(bot):
    turn, = chat(bot, "令和6年度と令和7年度の生産性向上の補助金の予算は？")
    first, second = turn.text.split("令和6年度当初予算案")
    assert "42億5,062万円" in first and "45億円" in second and FY2025_CITATION in second


@pytest.mark.parametrize("message", [
    "生産性向上の補助金の上限は？", "生産性向上の補助金の予算は？", "生産性向上の補助金の対象は？",
    "生産性向上の補助金の問い合わせ先は？", "生産性向上の補助金について教えて", "省エネ設備の補助金の予算は？",
    "令和6年度の生産性向上の補助金の対象は？", "令和6年度の男性育休の奨励金の問い合わせ先は？",
    "令和6年度の創業支援融資の融資限度額は？", "令和6年度の新しい事業は？", "男性育休の奨励金はいくら？",
    "What is the cap of the productivity subsidy?", "Who is the FY2024 productivity subsidy for?",
])
def test_every_factual_answer_names_its_year(bot, message):
    turn, = chat(bot, message)
    label = {2024: FY2024_CITATION, 2025: FY2025_CITATION}[turn.year] if turn.language == "ja" else \
        {2024: "FY2024 initial budget proposal", 2025: "FY2025, synthetic test data"}[turn.year]
    for message_out, reply in zip(turn.messages, turn.outcome.replies):
        if reply.kind not in ("handoff", "note") and (reply.programs or turn.outcome.answered):
            assert label in message_out.text, (reply.key, message_out.text)


def test_one_year_alone_answers_as_before(dialogue):
    with_year = dialogue.ask(Conversation(), "令和6年度の生産性向上の補助金の上限は？")
    without = dialogue.ask(Conversation(), "生産性向上の補助金の上限は？")
    assert with_year.text == without.text and with_year.year == without.year == 2024
