"""The embedded profile keeps conversations in SQLite: a restart resumes them."""

import uuid

import pytest

from ops.processes import free_port, start_rasa, stop

from .conftest import ACTION_PORT, Conversation, server_env

pytestmark = pytest.mark.slow


def test_a_restart_of_the_bot_resumes_the_conversation(trained_model, action_server, kb_path, tmp_path):
    trackers = tmp_path / "trackers.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{ACTION_PORT}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    port = free_port()
    sender = f"restart-{uuid.uuid4().hex}"
    rasa = start_rasa(trained_model, port, endpoints, tmp_path / "rasa-1.log", server_env(kb_path))
    try:
        chat = Conversation(f"http://localhost:{port}", sender)
        assert "【中小企業生産性向上促進事業費補助】" in chat.text("生産性向上の補助金について教えて")
    finally:
        stop(rasa)
    assert trackers.exists()
    rasa = start_rasa(trained_model, port, endpoints, tmp_path / "rasa-2.log", server_env(kb_path))
    try:
        # the program under discussion survived the restart
        assert "045-210-5550" in Conversation(f"http://localhost:{port}", sender).text("電話番号は？")
    finally:
        stop(rasa)


def test_info_logs_hold_no_user_message(rasa_server, tmp_path_factory):
    marker = f"秘密の相談{uuid.uuid4().hex[:8]}"
    Conversation(rasa_server, f"log-{uuid.uuid4().hex}").say(f"{marker}について教えて")
    logs = list(tmp_path_factory.getbasetemp().rglob("*.log"))
    assert logs
    for log in logs:
        assert marker not in log.read_text(errors="replace"), log
