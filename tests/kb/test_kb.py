"""The built database: every listing, exact figures, contacts, and clear errors when missing."""

import json
import sqlite3

import pytest

from knowledge.__main__ import main as cli
from knowledge.kb import KnowledgeBase, KnowledgeBaseUnavailable


def test_every_listing_of_the_source_is_there(kb):
    counts = kb.counts()
    assert counts["listings"] == 88          # 82 circled lines + 6 「その他」 lines
    assert counts["aggregate_listings"] == 6
    assert counts["programs"] == 86          # 3 listed twice, + 中小企業制度融資 (detail page only)
    assert counts["contacts"] == 11
    topics = {t["name"]: t for t in kb.topics()}
    assert topics["中小企業支援パッケージによる地域経済の活性化"]["total_yen"] == 9_351_260_000
    assert topics["労働施策の推進"]["total_yen"] == 2_189_470_000


@pytest.mark.parametrize("name, kind, yen", [
    ("中小企業生産性向上促進事業費補助", "initial", 4_250_620_000),
    ("信用保証事業費補助（原油高騰対応小口分・伴走支援分）", "supplementary", 846_150_000),
    ("大型等運転免許取得促進事業費", "supplementary", 85_540_000),
    ("総合職業技術校における職業訓練の推進", "initial", 206_890_000),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金", "initial", 10_000_000),
    ("産業技術総合研究所交付金", "initial", 2_981_260_000),
])
def test_budgets_are_exact_integers_with_当初_and_補正_apart(kb, name, kind, yen):
    budgets = kb.program_by_name(name).budgets
    assert [b.yen for b in budgets if b.kind == kind] == [yen]
    assert all(b.kind != ("supplementary" if kind == "initial" else "initial") for b in budgets)


def test_a_program_listed_in_two_topics_is_one_program_with_two_listings(kb):
    program = kb.program_by_name("職場環境整備促進事業費")
    assert {l["topic_name"] for l in program.listings} == {"中小企業支援パッケージによる地域経済の活性化", "労働施策の推進"}
    assert program.contact.phone == "045-210-5730"


def test_detail_only_program_has_its_loan_frame(kb):
    program = kb.program_by_name("中小企業制度融資")
    frames = {b.label: b.yen for b in program.budgets}
    assert frames["融資枠"] == 260_000_000_000
    assert frames["うち緊急対応分"] == 90_000_000_000
    assert program.contact.display_name == "産業労働局中小企業部金融課"


@pytest.mark.parametrize("name, phone, bureau", [
    ("中小企業生産性向上促進事業費補助", "045-210-5550", "産業労働局"),
    ("産業技術総合研究所交付金（生成ＡＩ活用促進事業）", "045-210-5630", "産業労働局"),
    ("介護生産性向上推進事業費", "045-210-4801", "福祉子どもみらい局"),
    ("リハビリテーションロボット普及推進事業費", "045-210-5040", "健康医療局"),
    ("スタートアップ支援事業費", "045-285-0213", "産業労働局"),
    ("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助", "045-210-5670", "産業労働局"),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金", "045-210-5570", "産業労働局"),
    ("障害者雇用対策費", "045-210-5860", "産業労働局"),
    ("リスキリング人材育成事業費", "045-210-5700", "産業労働局"),
    ("事業協同組合物流効率化対応費補助", "045-210-5600", "産業労働局"),
])
def test_contacts_come_from_the_ranges_of_the_programs_own_topic(kb, name, phone, bureau):
    contact = kb.program_by_name(name).contact
    assert (contact.phone, contact.bureau) == (phone, bureau)


def test_every_numbered_program_has_exactly_one_contact_and_aggregates_none(kb):
    for program in kb.programs():
        if program.aggregate:
            assert program.contact is None, program.name
        else:
            assert program.contact is not None, program.name


def test_new_marks_only_where_the_source_is_certain(kb):
    assert {p.name: p.new_mark for p in kb.new_programs()} == {
        "中小企業生産性向上促進事業費補助": "新",
        "信用保証事業費補助（小口零細企業保証資金（ミニ）等）": "一部新",
        "脱炭素促進資産評価事業費補助（エコアセットかながわ）": "新",
        "ドローン開発支援事業費": "新",
        "介護ロボット実用化促進事業費": "新",
        "ロボット企業交流拠点事業費": "新",
        "セレクト神奈川ＮＥＸＴ第２ステージ補助金": "新",
        "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助": "新",
    }


def test_every_fact_row_has_a_page(kb_path):
    db = sqlite3.connect(kb_path)
    for table, column in [("listings", "pages"), ("budget_items", "pages"), ("amount_rules", "pages"),
                          ("requirement_sets", "pages"), ("contacts", "pages"), ("topics", "pages")]:
        assert db.execute(f"select count(*) from {table} where {column} is null or {column} = ''").fetchone()[0] == 0
    assert db.execute("select status from sources").fetchone()[0] == "予算案"


def test_missing_database_names_the_file_and_the_rebuild_command(tmp_path):
    with pytest.raises(KnowledgeBaseUnavailable, match=r"knowledge\.db does not exist; rebuild it with `make kb`"):
        KnowledgeBase(tmp_path / "knowledge.db")


def test_corrupt_database_names_the_file_and_the_rebuild_command(tmp_path):
    path = tmp_path / "knowledge.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(KnowledgeBaseUnavailable, match=r"is not readable .*make kb"):
        KnowledgeBase(path)


def test_truncated_database_is_refused(tmp_path, kb_path):
    path = tmp_path / "knowledge.db"
    data = kb_path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(KnowledgeBaseUnavailable, match="make kb"):
        KnowledgeBase(path)


def test_cli_prints_budget_amounts_eligibility_contact_and_pages(kb_path, capsys):
    assert cli(["生産性向上の補助金", "--db", str(kb_path)]) == 0
    out = capsys.readouterr().out
    for expected in ["中小企業生産性向上促進事業費補助", "42億5,062万円", "上限は、1事業者あたり500万円",
                     "県内の事業所で事業を実施する中小企業者等", "045-210-5550", "p.1-3, p.4"]:
        assert expected in out


def test_cli_calculates_with_facts(kb_path, capsys):
    assert cli(["男性育休", "--db", str(kb_path), "--fact", "size=中小企業", "--fact", "course=男性育休",
                "--fact", "days=30"]) == 0
    assert "奨励金の交付金額の目安は50万円" in capsys.readouterr().out


def test_cli_json_gives_the_same_facts(kb_path, capsys):
    assert cli(["セレクト神奈川ＮＥＸＴの融資", "--json", "--db", str(kb_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resolution"] == "several"
    loan = next(p for p in data["programs"] if p["name"] == "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助")
    assert loan["rules"][0]["max"]["yen"] == 1_000_000_000
    assert loan["contact"]["phone"] == "045-210-5670"


def test_cli_answers_for_every_program(kb_path, kb, capsys):
    for program in kb.programs():
        assert cli([program.name, "--db", str(kb_path), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert program.name in [p["name"] for p in data["programs"]], program.name


def test_cli_check_passes(capsys):
    assert cli(["--check"]) == 0
    assert "pass every check" in capsys.readouterr().out


def test_cli_reports_a_missing_database(tmp_path, capsys):
    assert cli(["創業", "--db", str(tmp_path / "none.db")]) == 2
    assert "make kb" in capsys.readouterr().err


def test_programs_using_a_fact(kb):
    assert [p.name for p in kb.programs_using("男性育休")] == ["職場環境整備促進事業費"]
    assert [p.name for p in kb.programs_using("横須賀三浦地域")] == ["セレクト神奈川ＮＥＸＴ第２ステージ補助金"]
    assert kb.programs_using("存在しない値") == []


def test_subsections_named_in_a_message(kb):
    assert [s["id"] for s in kb.subsections_in("障がい者の雇用促進の予算は")] == ["rodo(3)"]
    assert kb.subsections_in("セレクト神奈川NEXTの予算") == []


