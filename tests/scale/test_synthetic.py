"""The scale benchmark's synthetic catalogues (knowledge/synthetic.py, issue 16): renamed
copies of the real programs, marked synthetic, checked like the real ones except against
the document, and never in the real knowledge base."""

import shutil

import pytest

from knowledge.build import build, document_path
from knowledge.catalogue import is_synthetic, load_catalogue, real_part
from knowledge.checks import CheckFailed, run_checks
from knowledge.kb import KnowledgeBase
from knowledge.synthetic import rename_en, rename_ja, write_synthetic
from tests.conftest import PROJECT_ROOT, SOURCES


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale") / "x10"
    write_synthetic(SOURCES, folder, 10)
    return folder


@pytest.fixture(scope="module")
def ten_catalogue(ten):
    return load_catalogue(ten)


def test_the_real_catalogue_has_nothing_synthetic():
    catalogue = load_catalogue(SOURCES)
    assert not is_synthetic(catalogue)
    assert not any(p["synthetic"] for p in catalogue.programs)


def test_ten_times_has_ten_times_the_programs_with_distinct_names_aliases_and_phones(ten_catalogue):
    real = load_catalogue(SOURCES)
    programs = ten_catalogue.programs
    assert len(programs) == 10 * len(real.programs)
    assert sum(not p["synthetic"] for p in programs) == len(real.programs)
    assert len({p["name"] for p in programs}) == len(programs)
    assert len({p["id"] for p in programs}) == len(programs)
    assert len(ten_catalogue.aliases) == 10 * len(real.aliases)
    assert len({a["alias"] for a in ten_catalogue.aliases}) == 10 * len({a["alias"] for a in real.aliases})
    english = [p["english"].get("name") for p in programs if p["english"].get("name")]
    assert len(set(english)) == len(english)
    phones = [c["phone"] for c in ten_catalogue.contacts]
    assert len(ten_catalogue.contacts) == 10 * len(real.contacts) and len(set(phones)) == len(phones)
    real_phones = {c["phone"] for c in real.contacts}
    assert not real_phones & {c["phone"] for c in ten_catalogue.contacts if c["synthetic"]}


def test_the_real_part_of_a_synthetic_catalogue_is_the_real_catalogue(ten_catalogue):
    real = load_catalogue(SOURCES)
    part = real_part(ten_catalogue)
    assert [p["name"] for p in part.programs] == [p["name"] for p in real.programs]
    assert [l["id"] for l in part.listings] == [l["id"] for l in real.listings]
    assert [c["id"] for c in part.contacts] == [c["id"] for c in real.contacts]
    assert [r["id"] for r in part.amount_rules] == [r["id"] for r in real.amount_rules]


def test_checks_pass_and_skip_the_document_for_synthetic_rows(ten_catalogue):
    assert run_checks(ten_catalogue, document_path(ten_catalogue, PROJECT_ROOT)) == []


def test_checks_still_fail_a_wrong_real_figure_beside_synthetic_copies(ten, tmp_path):
    folder = tmp_path / "x10"
    shutil.copytree(ten, folder)
    topic = folder / "topics" / "chusho.yml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("total: ９３億５，１２６万円", "total: ９３億５，１２７万円"),
                     encoding="utf-8")
    catalogue = load_catalogue(folder)
    messages = [str(p) for p in run_checks(catalogue, document_path(catalogue, PROJECT_ROOT))]
    assert any("９３億５，１２７万円" in m and "does not occur in the document" in m for m in messages)


def test_synthetic_rows_are_refused_inside_knowledge_data(ten, tmp_path):
    folder = tmp_path / "knowledge" / "data" / "fy2099"
    shutil.copytree(ten, folder)
    catalogue = load_catalogue(folder)
    assert any("real data folder" in str(p) for p in run_checks(catalogue))
    with pytest.raises(ValueError):
        write_synthetic(SOURCES, tmp_path / "knowledge" / "data" / "fy2100", 2)


def test_a_synthetic_catalogue_is_never_built_into_the_real_knowledge_base(ten, tmp_path):
    fake_root = tmp_path / "root"
    (fake_root / "build").mkdir(parents=True)
    with pytest.raises(CheckFailed, match="synthetic"):
        build(ten, fake_root / "build" / "knowledge.db", fake_root)
    assert not (fake_root / "build" / "knowledge.db").exists()


def test_a_synthetic_knowledge_base_marks_its_copies(ten, tmp_path):
    db = tmp_path / "x10.db"
    counts = build(ten, db, PROJECT_ROOT)
    kb = KnowledgeBase(db)
    programs = kb.programs()
    assert counts["synthetic_programs"] == 9 * sum(not p.synthetic for p in programs)
    assert all(p.synthetic == (p.contact is not None and p.contact.phone.startswith("099-"))
               for p in programs if not p.aggregate and p.contact)


def test_renaming_keeps_generic_words_and_renames_the_rest():
    assert rename_ja("生産性向上の補助金", 1) != rename_ja("生産性向上の補助金", 2)
    assert rename_ja("生産性向上の補助金", 1).endswith("の補助金")
    assert "生産性" not in rename_ja("生産性向上の補助金", 1)
    assert rename_en("productivity subsidy", 3).endswith(" subsidy")
    assert "productivity" not in rename_en("productivity subsidy", 3)


def test_copies_meet_needs_of_their_own_unless_asked_to_share_the_real_ones(ten_catalogue, tmp_path):
    real = load_catalogue(SOURCES)
    assert len(ten_catalogue.needs) == 10 * len(real.needs)
    synthetic = {p["id"] for p in ten_catalogue.programs if p["synthetic"]}
    assert not {r["need"] for r in ten_catalogue.program_needs if r["program_id"] in synthetic} & set(real.needs)
    write_synthetic(SOURCES, tmp_path / "shared", 2, shared_needs=True)
    shared = load_catalogue(tmp_path / "shared")
    assert shared.needs == real.needs
    assert len(shared.program_needs) == 2 * len(real.program_needs)
