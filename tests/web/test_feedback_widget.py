"""👍 / 👎 in the chat widget (Chromium, the real bot over socket.io): the buttons of a
factual answer, the rating sent as its payload with the title shown, the comment after
a 👎 and 「スキップ」. Screenshots go to test-artifacts/web/."""

import pytest

pytestmark = pytest.mark.slow

QUESTION = "生産性向上の補助金の上限は？"


def thumbs(chat):
    return chat.page.locator(".kc-msg--bot").last.locator(".kc-reply")


def test_thumbs_up_is_a_quick_reply_of_the_answer(chat, artifacts):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    buttons = thumbs(chat)
    assert buttons.all_inner_texts()[-2:] == ["👍", "👎"]
    chat.screenshot(artifacts, "feedback-buttons")
    before = chat.bot_messages().count()
    buttons.filter(has_text="👍").click()
    assert chat.user_messages().last.inner_text() == "👍"   # the title, not the payload
    chat.wait_bot("ご評価ありがとうございます", before)
    assert chat.page.locator(".kc-reply:has-text('👍')").count() == 0, "answered buttons are removed"
    # the conversation goes on with the same program
    assert "045-210-5550" in chat.ask("問い合わせ先は？", "045-210-5550").inner_text()
    assert chat.errors == []


def test_thumbs_down_asks_what_was_wrong_then_the_comment_is_thanked(chat, artifacts):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    before = chat.bot_messages().count()
    thumbs(chat).filter(has_text="👎").click()
    asked = chat.wait_bot("どこが違っていた", before)
    assert "045-210-5550" in asked.inner_text()
    assert thumbs(chat).all_inner_texts() == ["スキップ"]
    chat.screenshot(artifacts, "feedback-down")
    chat.ask("上限額が古い気がします", "ご意見ありがとうございました")
    # a second answer, 👎 again, then 「スキップ」
    chat.ask("エコアセットかながわの予算は？", "エコアセット")
    before = chat.bot_messages().count()
    thumbs(chat).filter(has_text="👎").click()
    chat.wait_bot("どこが違っていた", before)
    before = chat.bot_messages().count()
    thumbs(chat).filter(has_text="スキップ").click()
    chat.wait_bot("承知しました", before)
    assert chat.errors == []
