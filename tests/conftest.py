"""Shared fixtures: the knowledge base built once per test session from the real sources."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = PROJECT_ROOT / "knowledge" / "data" / "fy2024"
SEED = (PROJECT_ROOT / "../shared/seed/000_7bb43451e7edafca.txt").resolve()
# .ci/run sets it: there a missing service or browser is a failure, not a reason to skip
SERVICES_REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip a test whose service or browser is not installed here; fail it in CI."""
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    from knowledge.build import build

    path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    build(SOURCES, path, PROJECT_ROOT)
    return path


@pytest.fixture(scope="session")
def kb(kb_path):
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(kb_path)


@pytest.fixture(scope="session")
def dialogue(kb):
    """The bot's turn without Rasa: analysis, resolver, replies and renderer on the test KB."""
    from knowledge.dialogue import Dialogue

    return Dialogue(kb)


@pytest.fixture(scope="session")
def analyser(dialogue):
    return dialogue.analyser


@pytest.fixture(scope="session")
def resolver(dialogue):
    return dialogue.analyser.resolver


# A synthetic second fiscal year (tests only: never in `make kb`), for the tests that prove
# a new year's annex is a data change (tests/kb/test_fiscal_years.py and others).
SAMPLE_YEAR = PROJECT_ROOT / "tests" / "fixtures" / "fy2025-sample"


@pytest.fixture(scope="session")
def two_year_kb_path(tmp_path_factory) -> Path:
    """FY2024 (real) and the synthetic FY2025 sample built together: knowledge.db holds the
    latest (2025), knowledge.fy2024.db the other."""
    from knowledge.build import build_years

    path = tmp_path_factory.mktemp("kb-years") / "knowledge.db"
    build_years([SOURCES, SAMPLE_YEAR], path, PROJECT_ROOT)
    return path
