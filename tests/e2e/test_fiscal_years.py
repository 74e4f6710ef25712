"""Two fiscal years over REST, with the model trained as usual (`make train`) and the
action server on a knowledge base built from FY2024 and the synthetic FY2025 sample
(tests/fixtures/fy2025-sample): the NLU does not change; the year is read by the
dialogue from the message and kept in slot ``fiscal_year``."""

import uuid

import pytest

from ops.processes import free_port, start_actions, start_rasa, stop

from .conftest import Conversation, server_env


@pytest.fixture(scope="module")
def two_year_bot(trained_model, two_year_kb_path, tmp_path_factory):
    # servers of their own (free ports): the session's servers serve the one-year KB
    rasa_port, action_port = free_port(), free_port()
    logs = tmp_path_factory.mktemp("logs-years")
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n')
    env = server_env(two_year_kb_path)
    actions = start_actions(action_port, logs / "actions.log", env)
    try:
        rasa = start_rasa(trained_model, rasa_port, endpoints, logs / "rasa.log", env)
    except Exception:
        stop(actions)
        raise
    yield f"http://localhost:{rasa_port}"
    stop(rasa)
    stop(actions)


def test_the_year_asked_the_default_and_a_year_not_loaded_over_rest(two_year_bot):
    user = Conversation(two_year_bot, f"years-{uuid.uuid4().hex[:8]}")
    latest = user.text("生産性向上の補助金の上限は？")
    assert "800万円" in latest and "令和7年度・試験用の合成データ（実在しない数値）" in latest
    asked = user.text("令和6年度の生産性向上の補助金の上限は？")
    assert "500万円" in asked and "令和6年度当初予算案" in asked and "800万円" not in asked
    follow_up = user.text("予算はいくら？")   # stays in FY2024 (slot fiscal_year)
    assert "42億5,062万円" in follow_up and "令和6年度当初予算案" in follow_up
    missing = user.text("令和8年度の生産性向上の補助金の上限は？")
    assert "令和8年度の資料はこのチャットボットにまだ読み込まれていない" in missing
    assert "令和6年度、令和7年度" in missing and "045-210-5550" in missing and "万円" not in missing
    older = user.text("男性育休の奨励金はいくら？")   # only FY2024 holds it
    assert "見当たらない" not in older   # FY2024 was asked for: answered from it, no note
    assert "50万円" in older and "令和6年度当初予算案" in older
    fresh = Conversation(two_year_bot, f"years-fresh-{uuid.uuid4().hex[:8]}")
    noted = fresh.text("男性育休の奨励金はいくら？")
    assert noted.startswith("令和7年度の資料には見当たらないため、令和6年度の資料からお答えします。")
    assert "50万円" in noted and "令和6年度当初予算案" in noted
    english = Conversation(two_year_bot, f"years-en-{uuid.uuid4().hex[:8]}")
    answer = english.text("What is the cap of the productivity subsidy in FY2024?")
    assert "5 million yen (500万円)" in answer and "(FY2024 initial budget proposal)" in answer
