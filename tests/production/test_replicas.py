"""A conversation whose turns alternate between two replicas over PostgreSQL and Redis."""

import json
import uuid

import pytest

from ops.processes import psql

from ..e2e.conftest import Conversation

pytestmark = pytest.mark.slow


def test_turns_alternating_between_replicas_keep_the_context_and_every_event_once(replicas, postgres):
    sender = f"replica-{uuid.uuid4().hex}"
    first, second = (Conversation(url, sender) for url in replicas)
    turns = [
        (first, "セレクト神奈川ＮＥＸＴ第２ステージ補助金について教えて", "【セレクト神奈川ＮＥＸＴ第２ステージ補助金】"),
        (second, "電話番号は？", "045-210-5570"),
        (first, "予算は？", "1,000万円"),
        (second, "計算して", "投資額はいくらですか"),
        (first, "中小企業です", "投資額はいくらですか"),
        (second, "10億円", "特区制度活用などに当たらない場合"),
        (first, "特区は使いません", "補助金額の目安は6,000万円"),
    ]
    for chat, text, expected in turns:
        assert expected in chat.text(text), text
    rows = psql(postgres, f"select data from events where sender_id = '{sender}' and type_name = 'user' order by id")
    stored = [json.loads(row)["text"] for row in rows]
    assert stored == [text for _, text, _ in turns]   # every turn once, in order
    duplicates = psql(postgres, f"select count(*) - count(distinct (type_name, timestamp, data)) from events "
                                f"where sender_id = '{sender}'")
    assert duplicates == ["0"]
