"""Odd and hostile input over REST: a clear reply or a 4xx, and the server stays up."""

import uuid

import pytest
import requests

from .conftest import Conversation

pytestmark = pytest.mark.slow


@pytest.fixture
def url(rasa_server):
    return f"{rasa_server}/webhooks/rest/webhook"


def say(url, message, sender=None):
    return requests.post(url, json={"sender": sender or f"h-{uuid.uuid4().hex}", "message": message}, timeout=60)


@pytest.mark.parametrize("message", ["", "   ", "\u3000\u3000", "\u200b\u200d\ufeff", "\x00\x07\x1b"])
def test_empty_messages_get_a_clear_reply(url, message):
    response = say(url, message)
    assert response.status_code == 200
    assert "メッセージが空" in response.json()[0]["text"]


@pytest.mark.parametrize("length", [2_001, 10_000])
def test_overlong_messages_get_a_clear_reply(url, length):
    response = say(url, "生産性向上の補助金" * (length // 9 + 1))
    assert response.status_code == 200
    assert "長すぎます" in response.json()[0]["text"]


def test_a_body_over_the_limit_is_a_413(url):
    # 100,000 characters: 600 KB as JSON, over the 64 KiB limit of a request body
    response = say(url, "生産性向上の補助金" * (100_000 // 9))
    assert response.status_code == 413


@pytest.mark.parametrize("message", ["😀😀😀", "🙏", "<img src=x onerror=alert(1)>", "<script>alert('x')</script>",
                                     "'; DROP TABLE events; --", "\" OR 1=1 --", "生産性\u200b向上の\u202e補助金",
                                     "{{7*7}} ${jndi:ldap://x}", "%s%s%s%n", "\\u0000"])
def test_odd_messages_get_a_reply(url, message):
    response = say(url, message)
    assert response.status_code == 200
    replies = response.json()
    assert replies and all(isinstance(r.get("text", ""), str) for r in replies)


def test_malformed_json_is_a_4xx(url):
    response = requests.post(url, data=b'{"sender": "x", "message": ', headers={"Content-Type": "application/json"},
                             timeout=30)
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("body", ['["a", "b"]', '"just a string"', "42", "null"])
def test_json_that_is_not_an_object_is_a_400(url, body):
    response = requests.post(url, data=body.encode(), headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400


def test_wrong_content_type_is_a_415(url):
    response = requests.post(url, data="sender=x&message=hello", headers={"Content-Type": "text/plain"}, timeout=30)
    assert response.status_code == 415


@pytest.mark.parametrize("sender", ["x" * 10_000, "../../etc/passwd", "", None, 42, "名前", "a b",
                                    "line:U4af4980629abcdef0123456789abcdef", "LINE:Uabc"])
def test_odd_sender_ids_are_a_400(url, sender):
    response = requests.post(url, json={"sender": sender, "message": "こんにちは"}, timeout=30)
    assert response.status_code == 400


def test_a_message_that_is_not_a_string_is_a_400(url):
    response = requests.post(url, json={"sender": "abc", "message": {"text": "x"}}, timeout=30)
    assert response.status_code == 400


def test_after_all_that_the_bot_still_answers_right(rasa_server):
    chat = Conversation(rasa_server, f"after-{uuid.uuid4().hex}")
    assert "045-210-5550" in chat.text("生産性向上の補助金の問い合わせ先は？")
