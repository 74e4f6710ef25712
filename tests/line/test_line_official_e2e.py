"""The official-account behaviour end to end: signed LINE events into the trained bot,
the loading animation, cards and the rich menu's areas seen at the Messaging API stand-in."""

import pytest

from channels.line_official import LOADING_PATH, MARK_AS_READ_PATH
from channels.line_richmenu import load
from knowledge.render import load_templates

from .conftest import LineUser
from .flex_schema import flex_problems

pytestmark = pytest.mark.slow


@pytest.fixture
def user(line_bot):
    return LineUser(line_bot["url"])


def test_a_one_to_one_message_gets_the_loading_animation_before_the_reply(api, user):
    since = len(api.requests())
    event = user.text("生産性向上の補助金の上限は？")
    event["message"]["markAsReadToken"] = "read-token-1"
    assert user.post([event]).status_code == 200
    [reply] = api.wait_for(user.owns)
    paths = [r.path for r in api.requests()[since:] if r.path in (LOADING_PATH, MARK_AS_READ_PATH)
             or r is reply]
    assert paths == [LOADING_PATH, "/v2/bot/message/reply"]   # LINE_MARK_AS_READ is not set: no read mark
    loading = next(r for r in api.requests()[since:] if r.path == LOADING_PATH)
    assert loading.body == {"chatId": user.user_id, "loadingSeconds": 20} and loading.status == 200


def test_a_group_gets_no_loading_animation(api, line_bot):
    group = LineUser(line_bot["url"], source={"type": "group", "groupId": "C" + "d" * 32, "userId": "U" + "c" * 32})
    since = len(api.requests())
    assert group.post([group.text("生産性向上の補助金の問い合わせ先は？")]).status_code == 200
    api.wait_for(group.owns)
    assert [r for r in api.requests()[since:] if r.path == LOADING_PATH] == []


def test_a_contact_answer_is_a_card_with_a_call_button(api, user):
    assert user.post([user.text("生産性向上の補助金の問い合わせ先は？")]).status_code == 200
    [reply] = api.wait_for(user.owns)
    assert reply.status == 200 and not reply.problems
    [card] = reply.flex
    assert flex_problems(card) == []
    footer = card["contents"]["footer"]["contents"]
    [button] = [c for c in footer if c["type"] == "button"]
    assert button["action"] == {"type": "uri", "label": "電話する 045-210-5550", "uri": "tel:045-210-5550"}
    assert "045-210-5550" in card["altText"]


def test_the_web_and_rest_answers_carry_the_same_text_and_ignore_the_card(line_bot):
    import requests

    from .conftest import RASA_URL

    answer = requests.post(f"{RASA_URL}/webhooks/rest/webhook",
                           json={"sender": "rest-card-check", "message": "生産性向上の補助金の問い合わせ先は？"},
                           timeout=60).json()
    texts = [m["text"] for m in answer if "text" in m]
    assert any("045-210-5550" in t for t in texts)
    assert all(set(m) <= {"recipient_id", "text", "buttons", "custom"} for m in answer)


@pytest.mark.parametrize("area", load()["areas"], ids=lambda a: a["label"])
def test_every_rich_menu_area_is_understood_by_the_bot(api, user, area):
    action = area["action"]
    event = user.text(action["text"]) if action["type"] == "message" else user.postback(action["data"])
    assert user.post([event]).status_code == 200
    [reply] = api.wait_for(user.owns)
    assert reply.status == 200 and not reply.problems
    shown = "\n".join(reply.texts)
    templates = load_templates("ja")
    not_understood = [templates["ask.rephrase"], templates["apology"].split("[[")[0],
                      templates["fallback.handoff"].split("[[")[0]]
    assert not any(sentence in shown for sentence in not_understood), shown
    assert shown.strip()
