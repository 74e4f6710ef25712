"""👍 / 👎 on LINE (the Messaging API stand-in): a factual answer's quick reply carries the
two ratings as postbacks with the exact payloads; a 👎 postback is answered with the
division's phone and the question of what was wrong; a typed comment is thanked."""

import pytest

from .conftest import LineUser

pytestmark = pytest.mark.slow

UP = '/feedback{"rating":"up"}'
DOWN = '/feedback{"rating":"down"}'


@pytest.fixture
def user(line_bot):
    return LineUser(line_bot["url"])


def quick_reply(recorded) -> list[dict]:
    return [item["action"] for item in recorded.body["messages"][-1]["quickReply"]["items"]]


def test_thumbs_are_postbacks_of_the_answer_and_a_thumbs_down_goes_on(api, user):
    assert user.post([user.text("生産性向上の補助金の上限は？")]).status_code == 200
    [answer] = api.wait_for(user.owns)
    assert answer.status == 200 and not answer.problems
    actions = {a["displayText"]: a for a in quick_reply(answer)}
    assert actions["👍"]["type"] == "postback" and actions["👍"]["data"] == UP
    assert actions["👎"]["type"] == "postback" and actions["👎"]["data"] == DOWN

    assert user.post([user.postback(DOWN)]).status_code == 200
    asked = api.wait_for(user.owns, count=2)[1]
    text = "\n".join(asked.texts)
    assert "045-210-5550" in text and "どこが違っていた" in text and not asked.problems
    assert [a["displayText"] for a in quick_reply(asked)] == ["スキップ"]

    assert user.post([user.text("上限額が古いと思います")]).status_code == 200
    thanks = api.wait_for(user.owns, count=3)[2]
    assert "ご意見ありがとうございました" in "\n".join(thanks.texts)

    assert user.post([user.postback(UP)]).status_code == 200   # the same answer, rated again
    again = api.wait_for(user.owns, count=4)[3]
    assert "\n".join(again.texts) == "ご評価ありがとうございます。"
