"""The self-checks pass on the real sources and catch deliberately broken copies."""

import re
import shutil

import pytest

from knowledge.build import build
from knowledge.catalogue import CatalogueError, load_catalogue
from knowledge.checks import CheckFailed, run_checks, truncation_gap_ok

from ..conftest import PROJECT_ROOT, SEED, SOURCES


def test_real_sources_pass_every_check():
    catalogue = load_catalogue(SOURCES)
    assert run_checks(catalogue, SEED) == []


def test_the_document_is_there_so_the_document_checks_really_ran():
    # CI keeps shared/ beside the clone; without it the strongest checks would be skipped.
    assert SEED.exists(), SEED


@pytest.mark.parametrize("printed, lines, count, ok", [
    (519_433_0000, 519_431_0000, 9, True),    # 中小企業支援パッケージ (1): 2万円 under 9 lines
    (519_431_0000, 519_431_0000, 9, True),
    (519_439_0000, 519_431_0000, 9, True),    # 8万円 is the most 9 truncated lines can lose
    (519_440_0000, 519_431_0000, 9, False),
    (519_430_0000, 519_431_0000, 9, False),   # a total can never be below its lines
    (11_639_0000, 11_639_0000, 2, True),
    (11_641_0000, 11_639_0000, 2, False),
])
def test_truncation_tolerance_is_exact(printed, lines, count, ok):
    assert truncation_gap_ok(printed, lines, count) is ok


@pytest.fixture
def broken(tmp_path):
    """A copy of the sources to break; returns (folder, edit)."""
    folder = tmp_path / "fy2024"
    shutil.copytree(SOURCES, folder)

    def edit(relative, old, new, count=1):
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found: {old!r}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return path

    return folder, edit


def problems_of(folder):
    return [str(p) for p in run_checks(load_catalogue(folder), SEED)]


def line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_mistyped_budget_is_caught_by_the_totals_and_named_by_line(broken):
    folder, edit = broken
    path = edit("topics/chusho.yml", 'initial: "1億1,030万円"', 'initial: "1億1,300万円"')
    problems = problems_of(folder)
    assert any("chusho(1)" in p and "51億9,433万円" in p for p in problems), problems
    line = line_of(path, "小規模事業者デジタル化支援事業費補助")
    assert any(p.startswith(f"topics/chusho.yml:{line - 1}:") and "does not print" in p for p in problems), problems


def test_two_budgets_swapped_within_a_subsection_are_caught(broken):
    # The subsection total still adds up; only the name-to-figure check can see this.
    folder, edit = broken
    edit("topics/seicho.yml", 'initial: "5,014万円"', 'initial: "XSWAP"')
    edit("topics/seicho.yml", 'initial: "2,500万円"', 'initial: "5,014万円"')
    edit("topics/seicho.yml", 'initial: "XSWAP"', 'initial: "2,500万円"')
    problems = problems_of(folder)
    assert not any("seicho(1)" in p for p in problems)
    assert sum("does not print" in p for p in problems) == 2, problems


def test_a_wrong_phone_number_is_caught(broken):
    folder, edit = broken
    edit("contacts.yml", "phone: 045-210-5550", "phone: 045-210-5551")
    problems = problems_of(folder)
    assert any("contacts.yml:" in p and "'045-210-5551' does not occur" in p for p in problems), problems


def test_a_malformed_phone_number_is_caught(broken):
    folder, edit = broken
    edit("contacts.yml", "phone: 045-210-5630", "phone: 045-2105630")
    assert any("is not like 045-210-5550" in p for p in problems_of(folder))


def test_a_contact_range_mapped_to_the_wrong_division_is_caught(broken):
    folder, edit = broken
    edit("topics/chusho.yml", '{numbers: "③", contact: sangyo-shinko}', '{numbers: "③", contact: kinyu}')
    problems = problems_of(folder)
    assert any("【③】" in p and "金融課" in p for p in problems), problems


def test_a_listing_no_range_covers_is_caught(broken):
    folder, edit = broken
    edit("topics/rodo.yml", '{numbers: "⑪、⑫", contact: shogaisha-koyo}', '{numbers: "⑪", contact: shogaisha-koyo}')
    problems = problems_of(folder)
    assert any("⑫ 障害者雇用対策費: covered by 0 contact ranges" in p for p in problems), problems


def test_an_overlapping_range_gives_a_listing_two_contacts(broken):
    folder, edit = broken
    edit("topics/chusho.yml", '{numbers: "⑬、⑮", contact: sangyo-jinzai}', '{numbers: "⑬～⑮", contact: sangyo-jinzai}')
    problems = problems_of(folder)
    assert any("⑭" in p and "covered by 2 contact ranges" in p for p in problems), problems


def test_an_unquoted_amount_cut_by_yaml_is_caught(broken):
    folder, edit = broken
    edit("details.yml", 'amount: "2,600億円"', "amount: 2,600億円")
    problems = problems_of(folder)
    assert any("details.yml:" in p and "not a printed amount ending in 円" in p for p in problems), problems


def test_a_fact_without_a_page_is_caught(broken):
    folder, edit = broken
    edit("rules.yml", '    page: "4"\n', "")
    assert any("rules.yml:" in p and "no page reference" in p for p in problems_of(folder))


def test_an_alias_naming_two_programs_is_caught(broken):
    folder, edit = broken
    edit("programs.yml", "aliases: [エコアセットかながわ,", "aliases: [生産性向上の補助金, エコアセットかながわ,")
    problems = problems_of(folder)
    assert any("alias '生産性向上補助金' names several programs" in p for p in problems), problems


def test_an_alias_marked_ambiguous_is_allowed(broken):
    folder, edit = broken
    edit("programs.yml", "aliases: [エコアセットかながわ,", "aliases: [生産性向上の補助金, エコアセットかながわ,")
    edit("programs.yml", "ambiguous_aliases:\n",
         "ambiguous_aliases:\n  生産性向上の補助金: [中小企業生産性向上促進事業費補助, "
         "脱炭素促進資産評価事業費補助（エコアセットかながわ）]\n")
    assert problems_of(folder) == []


def test_a_new_mark_is_only_新_or_一部新(broken):
    folder, edit = broken
    edit("details.yml", "  new: 新\n", "  new: 新規\n")
    assert any("is not 新 or 一部新" in p for p in problems_of(folder))


def test_a_rate_above_one_is_caught(broken):
    folder, edit = broken
    edit("rules.yml", "rate: 2/3", "rate: 3/2")
    assert any("rate '3/2' is not in (0, 1]" in p for p in problems_of(folder))


def test_a_tier_gap_is_caught(broken):
    folder, edit = broken
    edit("rules.yml", "{min_days: 30, yen: 500000", "{min_days: 31, yen: 500000")
    assert any("tiers leave a gap" in p for p in problems_of(folder))


def test_a_failed_check_stops_the_build_and_keeps_the_old_database(broken, tmp_path):
    folder, edit = broken
    database = tmp_path / "knowledge.db"
    build(folder, database, PROJECT_ROOT)
    before = database.read_bytes()
    edit("contacts.yml", "phone: 045-210-5700", "phone: 045-210-5701")
    with pytest.raises(CheckFailed) as error:
        build(folder, database, PROJECT_ROOT)
    assert "045-210-5701" in str(error.value)
    assert database.read_bytes() == before


def test_broken_yaml_names_the_file(broken):
    folder, edit = broken
    edit("contacts.yml", "- id: kinyu", "- id: [kinyu")
    with pytest.raises(CatalogueError, match=re.escape("contacts.yml: not valid YAML")):
        load_catalogue(folder)


def test_a_rule_clause_that_is_not_a_quotation_is_caught(broken):
    folder, edit = broken
    edit("rules.yml", "エ 補助上限：５００万円（下限額は２５万円）}", "エ 補助上限：６００万円（下限額は２５万円）}")
    assert any("is not quoted from the document" in p and "６００万円" in p for p in problems_of(folder))


def test_a_gap_marked_clause_must_keep_its_parts_in_order(broken):
    folder, edit = broken
    # both parts occur in the document, but 主な交付要件 never after 一時帰国休暇制度の創設
    edit("rules.yml", "clause: 主な交付要件 … 20万円", "clause: 一時帰国休暇制度の創設 … 主な交付要件")
    assert any("一時帰国休暇制度の創設 … 主な交付要件" in p for p in problems_of(folder))
