"""Bypasses found in the adversarial pass (issue 15, part B), against the real servers:
Rasa's ``/intent{json}`` shortcut only for the bot's own buttons, entity values type-checked
in the actions, nothing typed echoed back but digits, sender ids ASCII and whole, the JSON
media type exact, ``/restart`` answered, no version on ``/``, and action-server errors that
do not echo the request."""

import json
import uuid

import pytest
import requests

from .conftest import ACTION_PORT

pytestmark = pytest.mark.slow

ACTION_URL = f"http://localhost:{ACTION_PORT}/webhook"


@pytest.fixture
def url(rasa_server):
    return f"{rasa_server}/webhooks/rest/webhook"


def post(url, message, sender):
    response = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
    assert response.status_code == 200
    return response.json()


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def answers(replies) -> list[dict]:
    return [r["custom"]["answer"] for r in replies if isinstance(r.get("custom"), dict) and "answer" in r["custom"]]


# ── payloads only from buttons ──────────────────────────────────────────────────
def test_a_payload_the_bot_did_not_offer_is_read_as_text(url):
    sender = f"p-{uuid.uuid4().hex}"
    replies = post(url, '/ask_amount{"program":"chusho-16"}', sender)
    # as a payload it would answer chusho-16's amounts; as text it names no program
    assert not any("chusho-16" in a.get("programs", []) for a in answers(replies))
    assert "万円" not in texts(replies)


def test_a_payload_the_bot_offered_is_taken_as_an_intent(url):
    sender = f"p-{uuid.uuid4().hex}"
    asked = post(url, "ロボット導入の補助金の問い合わせ先は？", sender)
    payloads = [b["payload"] for r in asked for b in r.get("buttons") or [] if b["payload"].startswith("/")]
    assert payloads, texts(asked)
    chosen = json.loads(payloads[0][payloads[0].index("{"):])["program"]
    replies = post(url, payloads[0], sender)
    assert any(chosen in a.get("programs", []) for a in answers(replies)), texts(replies)


def test_a_safe_payload_needs_no_button(url):
    replies = post(url, "/greet", f"p-{uuid.uuid4().hex}")
    assert any(a.get("kind") == "greet" for a in answers(replies))


@pytest.mark.parametrize("message", ['/ask_amount{"program":{"x":1}}', '/ask_amount{"program":["a",{"x":1}]}',
                                     '/inform{"money":[1]}', '/inform{"number":{"x":1}}',
                                     '/choose_program{"program":{"id":"chusho-16"}}'])
def test_odd_payloads_get_a_reply_not_a_fault(url, message):
    sender = f"p-{uuid.uuid4().hex}"
    post(url, "生産性向上の補助金でいくらもらえるか計算したい", sender)
    replies = post(url, message, sender)
    assert replies and "システムの不具合" not in texts(replies)
    assert "0円" not in texts(replies)


def test_what_the_user_typed_is_not_echoed(url):
    sender = f"p-{uuid.uuid4().hex}"
    post(url, "生産性向上の補助金でいくらもらえるか計算したい", sender)
    replies = post(url, '/inform{"number":"<b>600</b>"}', sender)
    assert "<b>" not in texts(replies) and "システムの不具合" not in texts(replies)


# ── the actions check the values they are given (the action server, directly) ────
def action_call(next_action: str, slots: dict, entities: list, intent: str = "inform",
                text: str = "", active_loop: str | None = None) -> dict:
    sender = f"a-{uuid.uuid4().hex}"
    return {
        "next_action": next_action, "sender_id": sender, "version": "3.6.21",
        "domain": {"forms": {"calculation_form": {"required_slots": ["company_size", "amount_yen"]}},
                   "slots": {name: {"type": "any"} for name in slots}},
        "tracker": {"sender_id": sender, "slots": {"requested_slot": slots.get("requested_slot"), **slots},
                    "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0},
                                       "entities": entities},
                    "latest_event_time": 0, "followup_action": None, "paused": False, "events": [],
                    "latest_input_channel": "rest", "active_loop": {"name": active_loop} if active_loop else {},
                    "latest_action": {"action_name": "action_listen"}, "latest_action_name": "action_listen"},
    }


ODD_VALUES = [{"x": 1}, ["a", {"x": 1}], "<b>600</b>", True, -5, 1e300, None]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_action_answer_takes_odd_entity_values_and_slots(action_server, value):
    call = action_call("action_answer", {"program": value, "amount_yen": value, "employees": value,
                                         "company_size": value, "measures": value, "leave": value,
                                         "last_list": value, "pending_question": value,
                                         "fallback_streak": 0},
                       [{"entity": e, "value": value} for e in ("program", "money", "number", "company_size",
                                                                "duration", "measure", "tokku")],
                       intent="ask_amount", text="/ask_amount")
    response = requests.post(ACTION_URL, json=call, timeout=30)
    assert response.status_code == 200, response.text[:300]


@pytest.mark.parametrize("value", ODD_VALUES + ["600"])
def test_the_form_takes_odd_values_and_echoes_digits_only(action_server, value):
    call = action_call("validate_calculation_form",
                       {"facts_program": "chusho-16", "program": "chusho-16", "amount_yen": value,
                        "requested_slot": "amount_yen", "company_size": value},
                       [{"entity": "number", "value": value}], active_loop="calculation_form")
    call["tracker"]["events"] = [{"event": "active_loop", "name": "calculation_form"},
                                 {"event": "slot", "name": "requested_slot", "value": "amount_yen"},
                                 {"event": "user", "text": "", "parse_data": {}},
                                 {"event": "slot", "name": "amount_yen", "value": value},
                                 {"event": "slot", "name": "company_size", "value": value}]
    response = requests.post(ACTION_URL, json=call, timeout=30)
    assert response.status_code == 200, response.text[:300]
    said = " ".join(r.get("text") or "" for r in response.json()["responses"])
    assert "<b>" not in said and "{" not in said
    if value == "600":
        assert "「600」" in said  # digits are shown back, to ask for the unit


def test_the_action_servers_error_answer_does_not_echo_the_request(action_server):
    marker = f"echo{uuid.uuid4().hex[:10]}"
    call = action_call("action_answer", {}, [])
    call["tracker"]["latest_message"] = marker  # not an object: the action fails
    call["tracker"]["slots"] = [marker]
    response = requests.post(ACTION_URL, json=call, timeout=30)
    assert response.status_code == 500
    assert marker not in response.text and "request_body" not in response.text


# ── sender ids, content type, /restart, / ─────────────────────────────────────
@pytest.mark.parametrize("sender", ["abc\n", "abc\r\n", "\u212a", "\u0131", "\u017f", "a\u212ab", "\u017fender"])
def test_sender_ids_are_ascii_and_whole(url, sender):
    response = requests.post(url, json={"sender": sender, "message": "こんにちは"}, timeout=30)
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain; x=application/json", "text/plain;application/json",
                                          "application/jsonx", "application/json-patch+json"])
def test_only_the_json_media_type_is_json(url, content_type):
    response = requests.post(url, data=json.dumps({"sender": "ct-test", "message": "こんにちは"}),
                             headers={"Content-Type": content_type}, timeout=30)
    assert response.status_code == 415


def test_json_with_a_charset_is_json(url):
    response = requests.post(url, data=json.dumps({"sender": "ct-ok", "message": "こんにちは"}).encode(),
                             headers={"Content-Type": "Application/JSON; charset=utf-8"}, timeout=60)
    assert response.status_code == 200


def test_restart_is_answered_as_a_restart(url):
    sender = f"r-{uuid.uuid4().hex}"
    post(url, "生産性向上の補助金の上限は？", sender)
    replies = post(url, "/restart", sender)
    said = texts(replies)
    assert "やり直します" in said and "システムの不具合" not in said


def test_the_root_does_not_tell_the_version(rasa_server):
    import rasa

    response = requests.get(f"{rasa_server}/", timeout=10)
    assert response.status_code == 200
    assert rasa.__version__ not in response.text and "3.6" not in response.text
