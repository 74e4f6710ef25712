"""👍 / 👎 in the chat widget (Chromium, the real bot over socket.io): the buttons of a
factual answer, the rating sent as its payload with the title shown, the comment after
a 👎 and 「スキップ」. Screenshots go to test-artifacts/web/."""

import time

import pytest

pytestmark = pytest.mark.slow

QUESTION = "生産性向上の補助金の上限は？"


def thumbs(chat):
    return chat.page.locator(".kc-msg--bot").last.locator(".kc-reply")


def new_bot_text(chat, before: int, expect: str, timeout: float = 30) -> str:
    """The bot's messages after the first ``before``, once they contain ``expect``."""
    deadline = time.monotonic() + timeout
    while True:
        text = "\n".join(chat.bot_messages().all_inner_texts()[before:])
        if expect in text:
            chat.page.wait_for_selector("#kc-typing", state="hidden")
            return text
        assert time.monotonic() < deadline, f"no {expect!r} in the new messages: {text!r}"
        time.sleep(0.2)


def click(chat, title: str, expect: str) -> str:
    before = chat.bot_messages().count()
    thumbs(chat).filter(has_text=title).click()
    return new_bot_text(chat, before, expect)


def say(chat, text: str, expect: str) -> str:
    before = chat.bot_messages().count()
    chat.input.fill(text)
    chat.input.press("Enter")
    return new_bot_text(chat, before, expect)


def test_thumbs_up_is_a_quick_reply_of_the_answer(chat, artifacts):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    assert thumbs(chat).all_inner_texts()[-2:] == ["👍", "👎"]
    chat.screenshot(artifacts, "feedback-buttons")
    click(chat, "👍", "ご評価ありがとうございます")
    assert chat.user_messages().last.inner_text() == "👍"   # the title, not the payload
    assert chat.page.locator(".kc-reply:has-text('👍')").count() == 0, "answered buttons are removed"
    # the conversation goes on with the same program
    assert "045-210-5550" in say(chat, "問い合わせ先は？", "045-210-5550")
    assert chat.errors == []


def test_thumbs_down_asks_what_was_wrong_then_the_comment_is_thanked(chat, artifacts):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    asked = click(chat, "👎", "どこが違っていた")
    assert "045-210-5550" in asked
    assert thumbs(chat).all_inner_texts() == ["スキップ"]
    chat.screenshot(artifacts, "feedback-down")
    say(chat, "上限額が古い気がします", "ご意見ありがとうございました")
    # a second answer, 👎 again, then 「スキップ」
    say(chat, "エコアセットかながわの予算は？", "予算")
    click(chat, "👎", "どこが違っていた")
    click(chat, "スキップ", "承知しました")
    assert chat.errors == []
