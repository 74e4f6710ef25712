"""The LINE webhook end to end: signed LINE events into the trained bot (Rasa + action
server), answers out to the Messaging API stand-in."""

import json
import time

import pytest
import requests

from channels.line import NON_TEXT_REPLY, line_length, signature

from .conftest import CHANNEL_SECRET, RASA_URL, LineUser

pytestmark = pytest.mark.slow

QUIET_SECONDS = 3  # how long "nothing arrives" is watched for


@pytest.fixture
def user(line_bot):
    return LineUser(line_bot["url"])


def test_a_text_message_is_answered_with_the_reply_token(api, user):
    started = time.monotonic()
    answer = user.post([user.text("生産性向上の補助金の問い合わせ先は？")])
    assert answer.status_code == 200 and time.monotonic() - started < 2  # within LINE's limit, before the bot
    [reply] = api.wait_for(user.owns)
    assert reply.path == "/v2/bot/message/reply" and reply.body["replyToken"] == user.tokens[0]
    assert reply.status == 200 and not reply.problems
    assert reply.headers["Authorization"] == "Bearer test-channel-access-token"
    assert "045-210-5550" in "\n".join(reply.texts)


def test_missing_or_wrong_signatures_are_refused_and_nothing_is_sent(api, user, line_bot):
    event = user.text("生産性向上の補助金の問い合わせ先は？")
    body = user.body([event])
    assert user.post([event], sign=False).status_code == 401
    assert user.post([event], secret="not-the-channel-secret").status_code == 401
    tampered = body.replace("問い合わせ先".encode(), "上限".encode())
    signed_original = {"Content-Type": "application/json", "X-Line-Signature": signature(CHANNEL_SECRET, body)}
    assert requests.post(line_bot["url"], data=tampered, headers=signed_original, timeout=10).status_code == 401
    time.sleep(QUIET_SECONDS)
    assert api.requests(user.owns) == []
    # the refused event was not remembered either: once signed, it is answered
    assert user.post([event]).status_code == 200
    assert "045-210-5550" in "\n".join(api.wait_for(user.owns)[0].texts)


def test_malformed_requests_get_4xx_and_the_server_stays_up(api, user, line_bot):
    assert user.post([], body=b'{"events": [').status_code == 400
    assert user.post([], body=b'["events"]').status_code == 400
    assert user.post([], body=b'{"events": "none"}').status_code == 400
    assert user.post([user.text("こんにちは")], content_type="text/plain").status_code == 415
    assert requests.get(line_bot["url"].rsplit("/", 1)[0] + "/", timeout=5).json() == {"status": "ok"}
    assert requests.get(f"{RASA_URL}/", timeout=5).status_code == 200
    time.sleep(QUIET_SECONDS)
    assert api.requests(user.owns) == []


def test_the_console_verify_request_and_ignored_events_send_nothing(api, user):
    assert user.post([]).status_code == 200  # "Verify" in the LINE Developers Console: no events
    events = [user.event("unfollow"), user.event("memberJoined", joined={"members": []}),
              user.event("unsend", unsend={"messageId": "1"}), {"type": "message", "message": {"type": "text"}},
              dict(user.text("こんにちは"), mode="standby"), "not an event"]
    assert user.post(events).status_code == 200
    time.sleep(QUIET_SECONDS)
    assert api.requests(user.owns) == []


def test_a_redelivered_event_is_answered_once(api, user):
    event = user.text("生産性向上の補助金の問い合わせ先は？")
    assert user.post([event]).status_code == 200
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert user.post([redelivered]).status_code == 200
    assert user.post([event, event]).status_code == 200
    api.wait_for(user.owns)
    time.sleep(QUIET_SECONDS)
    assert len(api.requests(user.owns)) == 1


def test_a_failing_reply_falls_back_to_push(api, user):
    api.fail_replies = True
    assert user.post([user.text("生産性向上の補助金の問い合わせ先は？")]).status_code == 200
    reply, push = api.wait_for(user.owns, count=2)
    assert reply.path.endswith("/reply") and reply.status == 400
    assert push.path == "/v2/bot/message/push" and push.status == 200 and push.body["to"] == user.user_id
    assert "045-210-5550" in "\n".join(push.texts)


def test_a_group_conversation_is_answered_in_the_group(api, line_bot):
    group = LineUser(line_bot["url"], source={"type": "group", "groupId": "C" + "f" * 32, "userId": "U" + "e" * 32})
    api.fail_replies = True
    assert group.post([group.text("生産性向上の補助金の問い合わせ先は？")]).status_code == 200
    push = api.wait_for(lambda r: r.path.endswith("/push") and group.owns(r))[0]
    assert push.body["to"] == "C" + "f" * 32 and "045-210-5550" in "\n".join(push.texts)


@pytest.mark.parametrize("message", [
    {"type": "sticker", "id": "1", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC"},
    {"type": "image", "id": "2", "contentProvider": {"type": "line"}},
    {"type": "location", "id": "3", "latitude": 35.44, "longitude": 139.64, "address": "横浜市中区"},
])
def test_stickers_images_and_other_messages_get_a_polite_text_reply(api, user, message):
    assert user.post([user.event("message", message=message)]).status_code == 200
    [reply] = api.wait_for(user.owns)
    assert reply.body["messages"] == [{"type": "text", "text": NON_TEXT_REPLY}]


def test_follow_gets_the_greeting_with_starter_quick_replies(api, user):
    assert user.post([user.event("follow", follow={"isUnblocked": False})]).status_code == 200
    [reply] = api.wait_for(user.owns)
    assert reply.status == 200 and not reply.problems
    last = reply.body["messages"][-1]
    assert "こんにちは" in "\n".join(reply.texts)
    actions = [item["action"] for item in last["quickReply"]["items"]]
    assert {"type": "message", "label": "生産性向上の補助金", "text": "生産性向上の補助金について教えて"} in actions
    assert all(line_length(a["label"]) <= 20 for a in actions) and len(actions) == 4


def test_quick_reply_postbacks_carry_the_rasa_payload_back(api, user):
    """A name that fits two programs is asked back with buttons; the postback of one
    answers for that program, and its own buttons lead on to the division's phone."""
    assert user.post([user.text("商店街の補助金について")]).status_code == 200
    [asked] = api.wait_for(user.owns)
    assert asked.status == 200 and not asked.problems
    actions = [item["action"] for item in asked.body["messages"][-1]["quickReply"]["items"]]
    [chosen] = [a for a in actions if a.get("displayText") == "商店街魅力アップ事業費補助"]
    assert chosen["type"] == "postback" and chosen["label"] == "商店街魅力アップ事業費補助"
    assert chosen["data"].startswith("/choose_program{")
    json.loads(chosen["data"][len("/choose_program"):])  # the entities arrive as intact JSON

    assert user.post([user.postback(chosen["data"])]).status_code == 200
    answer = api.wait_for(user.owns, count=2)[1]
    assert answer.body["replyToken"] == user.tokens[1] and not answer.problems
    assert answer.texts[0].startswith("【商店街魅力アップ事業費補助】")
    follow_ups = {item["action"]["displayText"]: item["action"]["data"]
                  for item in answer.body["messages"][-1]["quickReply"]["items"]}
    assert follow_ups["問い合わせ先"] == "/ask_contact"

    assert user.post([user.postback("/ask_contact")]).status_code == 200
    contact = api.wait_for(user.owns, count=3)[2]
    assert "045-210-5600" in "\n".join(contact.texts)


def test_logs_hold_no_user_text(api, user, line_bot):
    secret_text = "株式会社ログ確認用テストの問い合わせ先は？"
    assert user.post([user.text(secret_text)]).status_code == 200
    api.wait_for(user.owns)
    log = line_bot["log"].read_text(errors="replace")
    assert "LINE message from" in log and secret_text not in log and user.user_id not in log


def test_a_line_users_conversation_cannot_be_continued_over_rest(api, user):
    user.post([user.text("セレクト神奈川ＮＥＸＴ第２ステージ補助金について教えて")])
    api.wait_for(user.owns)
    rest = f"{RASA_URL}/webhooks/rest/webhook"
    # the same id over REST is another conversation: no program in its context
    answer = requests.post(rest, json={"sender": user.user_id, "message": "電話番号は？"}, timeout=60).json()
    assert "045-210-5570" not in "\n".join(m.get("text", "") for m in answer)
    # and the LINE channel's own ids are refused
    refused = requests.post(rest, json={"sender": "line:" + user.user_id, "message": "電話番号は？"}, timeout=60)
    assert refused.status_code == 400


def test_the_profile_language_answers_where_the_message_shows_none(api, user):
    api.languages[user.user_id] = "en-US"
    user.post([user.text("セレクト神奈川ＮＥＸＴ第２ステージ補助金")])
    [reply] = api.wait_for(user.owns)
    assert "unofficial translation" in "\n".join(reply.texts)
    assert any(r.path == f"/v2/bot/profile/{user.user_id}" for r in api.requests())
    # a Japanese sentence is answered in Japanese whatever the profile says
    user.post([user.text("生産性向上の補助金の上限は？")])
    replies = api.wait_for(user.owns, count=2)
    assert "上限は、1事業者あたり500万円" in "\n".join(replies[-1].texts)
