"""Cards (channels/line_flex.py): answers about one program as Flex bubbles within LINE's
documented limits, with a call button for the right division; a card that cannot be
built goes as the text. The answers come from the real dialogue over the knowledge base,
sent through the action's dispatcher as the bot sends them."""

import asyncio
import html
import json
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import send
from channels.line import LineCollectingOutputChannel, to_line_messages
from channels.line_flex import flex_message, palette, tel_uri
from knowledge.dialogue import Dialogue
from knowledge.kb import KnowledgeBase
from knowledge.resolver import State

from .flex_schema import flex_problems, flex_text
from .stand_in import problems_with

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "line"


@pytest.fixture(scope="module")
def dialogue(kb_path):
    return Dialogue(KnowledgeBase(str(kb_path)))


def line_messages(turn):
    """The turn's messages as the LINE channel sends them: through the action's
    dispatcher (text, buttons, custom), Rasa's output channel, then to_line_messages."""
    dispatcher = CollectingDispatcher()
    send(dispatcher, turn.messages)
    collector = LineCollectingOutputChannel()

    async def collect():
        for message in dispatcher.messages:
            response = {k: v for k, v in message.items() if v not in (None, [], {})}
            await collector.send_response("line:U1", response)
    asyncio.run(collect())
    return to_line_messages(collector.messages)


def ask(dialogue, text, intent=None, program=None, language=None):
    return dialogue.turn(text, intent, State(program=program) if program else State(), language=language)


def cards_of(messages):
    return [m for m in messages if m["type"] == "flex"]


def tel_actions(card):
    found = []

    def walk(node):
        if isinstance(node, dict):
            action = node.get("action") or {}
            if action.get("type") == "uri" and action.get("uri", "").startswith("tel:"):
                found.append(action)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(card["contents"])
    return found


# ── what becomes a card ──────────────────────────────────────────────────────

def test_an_amount_answer_is_a_card_with_its_figure_working_source_and_call_button(dialogue):
    messages = line_messages(ask(dialogue, "生産性向上の補助金の上限は？"))
    [card] = cards_of(messages)
    assert flex_problems(card) == []
    shown = flex_text(card["contents"])
    header = card["contents"]["header"]["contents"][0]
    assert header["text"] == "中小企業生産性向上促進事業費補助" and header["weight"] == "bold"
    figure = card["contents"]["body"]["contents"][1]
    assert figure["text"] == "500万円" and figure["size"] == "xxl" and figure["weight"] == "bold"
    assert "上限は、1事業者あたり500万円" in shown and "出典：" in shown and "p.4" in shown
    [call] = tel_actions(card)
    assert call == {"type": "uri", "label": "電話する 045-210-5550", "uri": "tel:045-210-5550"}
    assert card["altText"].startswith("【中小企業生産性向上促進事業費補助】の補助金額の上限は")
    assert "\n" not in card["altText"] and len(card["altText"]) <= 400
    # the button of the answer stays a quick reply, on the last message
    actions = [i["action"] for i in messages[-1]["quickReply"]["items"]]
    assert {"type": "postback", "label": "自社の場合を計算する", "data": "/calculate_amount",
            "displayText": "自社の場合を計算する"} in actions
    assert problems_with({"replyToken": "t", "messages": messages}, "/v2/bot/message/reply") == []


def test_a_calculation_shows_the_estimate_and_its_working(dialogue):
    conversation_turn = dialogue.turn("生産性向上の補助金で対象経費が800万円の小規模事業者ならいくら？", None, State(),
                                      {"money": 8_000_000, "size": "小規模事業者"})
    messages = line_messages(conversation_turn)
    cards = cards_of(messages)
    assert cards, [m.get("text") for m in messages]
    shown = "\n".join(flex_text(c["contents"]) for c in cards)
    assert all(flex_problems(c) == [] for c in cards)
    assert "500万円" in shown and "× 2/3" in shown


def test_prompts_and_small_talk_stay_texts_with_quick_replies(dialogue):
    for question in ("補助金を探す", "こんにちは", "金額を計算する"):
        messages = line_messages(ask(dialogue, question, "find_by_need" if question == "補助金を探す" else None))
        assert cards_of(messages) == [] and all(m["type"] == "text" for m in messages), question
    assert "quickReply" in line_messages(ask(dialogue, "こんにちは"))[-1]


@pytest.mark.parametrize("question", ["商店街の補助金について", "今年度の新しい事業は？", "人手不足で困っている"])
def test_a_list_of_programs_is_a_carousel_whose_buttons_choose_and_call(dialogue, question):
    turn = ask(dialogue, question)
    messages = line_messages(turn)
    [carousel] = cards_of(messages)
    assert flex_problems(carousel) == []
    bubbles = carousel["contents"]["contents"]
    listed = turn.messages[0].meta["programs"]
    assert 2 <= len(bubbles) <= 12 and len(bubbles) == min(len(listed), 12)
    kb = dialogue.kb
    for program_id, bubble in zip(listed, bubbles):
        program = kb.program(program_id)
        actions = [c["action"] for c in bubble["footer"]["contents"] if c["type"] == "button"]
        assert actions[0] == {"type": "postback", "label": "詳しく見る",
                              "data": f'/choose_program{{"program":"{program_id}"}}', "displayText": program.name}
        assert [a["uri"] for a in actions[1:]] == ([f"tel:{program.contact.phone}"] if program.contact else [])
        assert bubble["header"]["contents"][0]["text"] == program.name
    # the list's heading and source go first as a text; the quick replies stay on the last message
    assert messages[0]["type"] == "text" and messages[0]["text"].startswith(turn.messages[0].text.splitlines()[0])
    assert "出典" in messages[0]["text"] and messages[1] is carousel and "quickReply" in messages[-1]
    assert problems_with({"replyToken": "t", "messages": messages}, "/v2/bot/message/reply") == []


def test_english_cards_are_worded_from_the_english_templates(dialogue):
    messages = line_messages(ask(dialogue, "Who do I contact about the productivity subsidy?"))
    [card] = cards_of(messages)
    assert flex_problems(card) == []
    assert tel_actions(card)[0]["label"] == "Call 045-210-5550"
    assert "Subsidy for Promoting Productivity Improvement of SMEs" in flex_text(card["contents"])


# ── every program and every division ─────────────────────────────────────────

def test_every_contact_card_calls_the_right_division(dialogue):
    kb = dialogue.kb
    phones_seen = set()
    for program in kb.programs():
        messages = line_messages(ask(dialogue, "問い合わせ先は？", "ask_contact", program=program.id))
        cards = cards_of(messages)
        if program.contact is None:   # the document gives none: the text says so, no card
            assert cards == [] and messages, program.id
            continue
        assert len(cards) == 1, program.id
        assert flex_problems(cards[0]) == [], program.id
        assert [a["uri"] for a in tel_actions(cards[0])] == [f"tel:{program.contact.phone}"], program.id
        phones_seen.add(program.contact.phone)
    for contact in kb.contacts():
        if not contact.division:   # a 担当課長 without a division name: reached through its programs
            continue
        messages = line_messages(ask(dialogue, f"{contact.division}の電話番号は？", "ask_contact"))
        [card] = cards_of(messages)
        assert [a["uri"] for a in tel_actions(card)] == [f"tel:{contact.phone}"], contact.id
        phones_seen.add(contact.phone)
    assert phones_seen == {c.phone for c in kb.contacts()}


@pytest.mark.parametrize("question, intent", [("上限は？", "ask_amount"), ("予算は？", "ask_budget"),
                                              ("問い合わせ先は？", "ask_contact")])
def test_every_programs_cards_are_within_lines_limits(dialogue, question, intent):
    built = 0
    for program in dialogue.kb.programs():
        messages = line_messages(ask(dialogue, question, intent, program=program.id))
        assert messages, program.id   # never silence
        assert problems_with({"replyToken": "t", "messages": messages[:5]}, "/v2/bot/message/reply") == [], \
            program.id
        built += len(cards_of(messages))
    assert built >= 20


# ── a card that cannot be built goes as the text ─────────────────────────────

GOOD = {"program": "事業", "figure": "500万円", "figure_label": "上限", "working": ["上限は500万円です。"],
        "page": "出典：資料 p.4", "division": "担当：課", "phone": "045-210-5550", "call_label": "電話する",
        "alt": "上限は500万円です。"}


@pytest.mark.parametrize("broken", [
    {"working": []}, {"program": ""}, {"working": ["長い説明。" * 500]}, {"program": None}, {"working": "文"},
])
def test_a_card_that_cannot_be_built_falls_back_to_the_text(broken):
    card = {**GOOD, **broken}
    assert flex_message("上限は500万円です。", card) is None
    messages = to_line_messages([{"text": "上限は500万円です。", "custom": {"card": card}}])
    assert messages == [{"type": "text", "text": "上限は500万円です。"}]


def test_a_bad_phone_leaves_out_the_button_not_the_card():
    assert tel_uri("045-210-5550") == "tel:045-210-5550" and tel_uri("０４５－２１０－５５５０") == "tel:045-210-5550"
    assert tel_uri("javascript:alert(1)") is None and tel_uri("") is None and tel_uri(None) is None
    card = flex_message("x", {**GOOD, "phone": "tel:evil"})
    assert flex_problems(card) == [] and tel_actions(card) == []


def test_a_long_answer_keeps_its_alt_text_within_400_and_other_channels_ignore_the_card():
    card = flex_message("x", {**GOOD, "alt": "あ" * 1000, "working": ["い" * 1500]})
    assert card is not None and len(card["altText"]) == 400 and card["altText"].endswith("…")
    assert flex_problems(card) == []
    assert to_line_messages([{"text": "本文"}, {"custom": {"answer": {"kind": "amount"}}}]) == \
        [{"type": "text", "text": "本文"}]


@pytest.mark.parametrize("broken", [
    {"items": []}, {"items": [{"program": "A"}]}, {"heading": ""},
    {"items": [{"program": "A", "payload": "/x", "choose_label": "見る"}, {"program": "B", "payload": "",
                                                                         "choose_label": "見る"}]},
])
def test_a_carousel_that_cannot_be_built_falls_back_to_the_text(broken):
    good = {"heading": "関係しそうな事業です。", "page": "出典：p.1", "alt": "関係しそうな事業です。",
            "items": [{"program": n, "payload": f"/choose_program{{\"program\":\"{n}\"}}", "choose_label": "詳しく見る"}
                      for n in ("A", "B")]}
    assert to_line_messages([{"text": "一覧", "custom": {"cards": good}}])[1]["type"] == "flex"
    messages = to_line_messages([{"text": "一覧", "custom": {"cards": {**good, **broken}}}])
    assert messages == [{"type": "text", "text": "一覧"}]


# ── the picture of one card ──────────────────────────────────────────────────

def render_html(node) -> str:
    """A rough HTML picture of a bubble (the blocks, texts, separators and buttons)."""
    if isinstance(node, list):
        return "".join(render_html(n) for n in node)
    kind = node.get("type")
    colour = node.get("color", "#1a1a1a")
    sizes = {"xxs": 11, "xs": 12, "sm": 14, "md": 16, "lg": 18, "xl": 20, "xxl": 26}
    if kind == "text":
        weight = "700" if node.get("weight") == "bold" else "400"
        return (f'<div style="color:{colour};font-size:{sizes.get(node.get("size", "md"), 16)}px;'
                f'font-weight:{weight};white-space:pre-wrap;margin:2px 0">{html.escape(node["text"])}</div>')
    if kind == "separator":
        return f'<hr style="border:0;border-top:1px solid {node.get("color", "#ddd")};margin:8px 0">'
    if kind == "button":
        action = node["action"]
        return (f'<a href="{html.escape(action.get("uri", "#"))}" style="display:block;text-align:center;'
                f'background:{node.get("color", "#0b4d8c")};color:#fff;border-radius:6px;padding:8px;'
                f'text-decoration:none;margin-top:6px">{html.escape(action["label"])}</a>')
    if kind == "box":
        background = node.get("backgroundColor")
        style = f"background:{background};padding:12px;" if background else ""
        return f'<div style="{style}">{render_html(node["contents"])}</div>'
    return ""


def test_a_picture_of_one_card_is_saved(dialogue):
    [card] = cards_of(line_messages(ask(dialogue, "生産性向上の補助金の上限は？")))
    bubble = card["contents"]
    blocks = "".join(f'<div style="padding:{0 if b == "header" else 12}px">{render_html(bubble[b])}</div>'
                     for b in ("header", "body", "footer") if b in bubble)
    page = (f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>LINE card preview</title>'
            f'<body style="background:#8cabd9;font-family:\'Noto Sans CJK JP\',sans-serif;padding:24px">'
            f'<p style="color:#fff">altText: {html.escape(card["altText"])}</p>'
            f'<div style="width:300px;background:#fff;border-radius:16px;overflow:hidden">{blocks}</div>'
            f'<pre style="background:#fff;font-size:11px;white-space:pre-wrap">'
            f'{html.escape(json.dumps(card, ensure_ascii=False, indent=1))}</pre></body></html>')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "card.html").write_text(page, encoding="utf-8")
    (ARTIFACTS / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    assert "tel:045-210-5550" in page and palette()["kc-blue"] in page


def test_cards_beyond_five_messages_are_pushed_within_the_limits(api):
    """Five message objects go with the reply, the rest by push, cards among them."""
    import uuid

    from channels.line import LineClient

    from .conftest import ACCESS_TOKEN

    bot_messages = [{"text": f"上限は{i}00万円です。", "custom": {"card": {**GOOD, "figure": f"{i}00万円"}}}
                    for i in range(1, 8)]
    bot_messages[-1]["buttons"] = [{"title": "問い合わせ先", "payload": "/ask_contact"}]
    messages = to_line_messages(bot_messages)
    assert [m["type"] for m in messages] == ["flex"] * 7 and "quickReply" in messages[-1]
    to, token = "U" + uuid.uuid4().hex, uuid.uuid4().hex

    async def deliver():
        client = LineClient(ACCESS_TOKEN, api.url)
        try:
            return await client.deliver(to, token, messages)
        finally:
            await client.close()
    assert asyncio.run(deliver())
    reply, push = api.wait_for(lambda r: (r.body or {}).get("replyToken") == token or (r.body or {}).get("to") == to,
                               count=2)
    assert len(reply.body["messages"]) == 5 and len(push.body["messages"]) == 2
    assert reply.status == push.status == 200 and not reply.problems and not push.problems
    assert push.flex[-1]["quickReply"]["items"][0]["action"]["data"] == "/ask_contact"


def test_a_failing_card_leaves_the_text_answer_for_every_channel(dialogue, monkeypatch):
    from knowledge.render import Renderer

    def broken(self, reply, text):
        raise KeyError("card.call")
    monkeypatch.setattr(Renderer, "card", broken)
    turn = ask(dialogue, "生産性向上の補助金の上限は？")
    assert "500万円" in turn.messages[0].text and turn.messages[0].card is None
    messages = line_messages(turn)
    assert cards_of(messages) == [] and "500万円" in messages[0]["text"]


def test_a_picture_of_one_list_carousel_is_saved(dialogue):
    messages = line_messages(ask(dialogue, "商店街の補助金について"))
    [carousel] = cards_of(messages)
    bubbles = "".join(
        '<div style="width:260px;flex:none;background:#fff;border-radius:16px;overflow:hidden">'
        + "".join(f'<div style="padding:{0 if b == "header" else 12}px">{render_html(bubble[b])}</div>'
                  for b in ("header", "body", "footer") if b in bubble) + "</div>"
        for bubble in carousel["contents"]["contents"])
    page = (f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>LINE carousel preview</title>'
            f'<body style="background:#8cabd9;font-family:\'Noto Sans CJK JP\',sans-serif;padding:24px">'
            f'<div style="background:#fff;border-radius:16px;padding:12px;max-width:560px;white-space:pre-wrap">'
            f'{html.escape(messages[0]["text"])}</div><div style="display:flex;gap:8px;margin-top:12px">{bubbles}</div>'
            f'</body></html>')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "carousel.html").write_text(page, encoding="utf-8")
    assert page.count("詳しく見る") == len(carousel["contents"]["contents"]) == 2
