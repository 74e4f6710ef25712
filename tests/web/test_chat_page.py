"""The help-desk page in Debian's Chromium: the chat widget talking to the real bot over
Rasa's socket.io channel. Screenshots go to test-artifacts/web/."""

import json
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

QUESTION = "生産性向上の補助金の上限は？"
INJECTION = "<img src=x onerror=alert(1)>"


def test_page_is_a_prefecture_page_and_loads_nothing_from_outside(chat, page_url, rasa_url, artifacts):
    chat.goto()
    assert "産業労働局" in chat.page.title()
    assert chat.page.locator("h1").inner_text() == "令和6年度 事業者向けの主な支援事業（産業労働局）"
    assert chat.page.locator(".topic").count() == 9
    chat.screenshot(artifacts, "page-desktop")
    chat.open_chat()
    chat.ask(QUESTION, "500万円")

    allowed = {urlsplit(page_url).netloc, urlsplit(rasa_url).netloc}
    hosts = {urlsplit(url).netloc for url in chat.requests}
    assert hosts <= allowed, f"requests outside the project: {hosts - allowed}"
    assert any(url.endswith("/vendor/socket.io.min.js") for url in chat.requests)
    assert any(url.startswith("ws://") and "/socket.io/" in url for url in chat.requests)
    assert chat.errors == []


def test_a_question_gets_the_figure_from_the_bot(chat, artifacts):
    chat.goto().open_chat()
    welcome = chat.bot_messages().first
    assert "産業労働局" in welcome.inner_text()

    answer = chat.ask(QUESTION, "500万円")

    assert "中小企業生産性向上促進事業費補助" in answer.inner_text()
    assert chat.user_messages().last.inner_text() == QUESTION
    assert chat.input.input_value() == ""
    chat.screenshot(artifacts, "answer-desktop")


def test_quick_reply_sends_the_payload_and_shows_the_title(chat, artifacts):
    chat.goto().open_chat()
    chat.ask("こんにちは", "チャットボットです")
    buttons = chat.page.locator(".kc-msg--bot").last.locator(".kc-reply")
    assert buttons.all_inner_texts() == ["生産性向上の補助金", "男性育休の奨励金", "創業したい", "今年度の新しい事業"]
    chat.screenshot(artifacts, "quick-replies")
    before = chat.bot_messages().count()

    buttons.filter(has_text="男性育休の奨励金").click()

    # The user sees the title; the bot got the payload 「男性育休の奨励金はいくら？」 and answers it.
    assert chat.user_messages().last.inner_text() == "男性育休の奨励金"
    answer = chat.wait_bot("男性育児休業取得促進", before)
    assert "職場環境整備促進事業費" in answer.inner_text() and "出典" in answer.inner_text()
    assert chat.page.locator(".kc-reply:has-text('創業したい')").count() == 0, "answered buttons are removed"


def test_intent_payload_button_starts_the_calculation(chat):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    button = chat.page.locator(".kc-reply", has_text="自社の場合を計算する")
    before = chat.bot_messages().count()

    button.click()

    assert chat.user_messages().last.inner_text() == "自社の場合を計算する"  # not "/calculate_amount"
    chat.next_bot_message(before)
    assert "/calculate_amount" not in chat.log.inner_text()


def test_user_html_is_shown_as_text_and_never_runs(chat, artifacts):
    chat.goto().open_chat()
    before = chat.bot_messages().count()
    chat.input.fill(INJECTION)
    chat.input.press("Enter")
    chat.next_bot_message(before)
    chat.page.wait_for_timeout(500)

    assert chat.user_messages().last.inner_text() == INJECTION
    assert chat.log.locator("img").count() == 0
    assert chat.dialogs == []
    chat.screenshot(artifacts, "injection-as-text")


def test_bot_html_is_shown_as_text_and_only_web_and_phone_links_are_made(chat, browser):
    """A bot message with markup, injected into the real socket (Playwright's WebSocket route)."""
    sockets = []

    def route(ws):
        ws.connect_to_server()
        sockets.append(ws)

    chat.page.route_web_socket("**/socket.io/**", route)
    chat.goto().open_chat()
    hostile = {
        "text": '<img src=x onerror=alert(2)><script>alert(3)</script> <a href="javascript:alert(4)">x</a>\n'
                "詳しくは https://www.pref.kanagawa.jp/ または javascript:alert(5) 電話 045-210-5550",
        "quick_replies": [{"content_type": "text", "title": "<b>太字</b>", "payload": "こんにちは"}],
    }
    sockets[-1].send("42" + json.dumps(["bot_uttered", hostile], ensure_ascii=False))
    bubble = chat.bot_messages().filter(has_text="詳しくは").last
    bubble.wait_for()

    assert bubble.inner_text() == hostile["text"]
    assert chat.log.locator("img, script, b").count() == 0
    links = bubble.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "https://www.pref.kanagawa.jp/", "tel:045-210-5550"]
    assert links.first.get_attribute("rel") == "noopener noreferrer"
    assert chat.page.locator(".kc-reply").last.inner_text() == "<b>太字</b>"
    assert chat.dialogs == []


def test_reload_keeps_the_conversation_and_the_session(chat, artifacts):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    chat.page.locator(".kc-reply", has_text="自社の場合を計算する").wait_for()  # the answer's last message
    session = chat.session_id()
    shown = chat.log.inner_text()

    chat.page.reload()
    chat.wait_connected()

    assert chat.page.locator("#kc-panel").is_visible(), "the open chat stays open"
    assert chat.log.inner_text() == shown
    assert chat.session_id() == session
    # Rasa kept the tracker: 「問い合わせ先は？」 is answered for the program asked about before the reload.
    # (every answer about a program ends with its phone: the contact answer's own words)
    answer = chat.ask("問い合わせ先は？", "のお問い合わせ先は、")
    assert "中小企業生産性向上促進事業費補助" in answer.inner_text() and "045-210-5550" in answer.inner_text()
    chat.screenshot(artifacts, "after-reload")


def test_restart_begins_a_new_session(chat):
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    first = chat.session_id()

    chat.page.click("#kc-reset")
    chat.wait_connected()

    assert chat.session_id() not in (first, None)
    assert chat.status.inner_text() == "新しい会話を始めました。"
    assert chat.user_messages().count() == 0
    assert "500万円" not in chat.log.inner_text()


def test_enter_that_confirms_an_ime_conversion_does_not_send(chat):
    chat.goto().open_chat()
    chat.input.focus()
    cdp = chat.page.context.new_cdp_session(chat.page)

    # A real IME composition in Chromium: the Enter pressed while it is open confirms it.
    cdp.send("Input.imeSetComposition", {"text": "せいさんせい", "selectionStart": 6, "selectionEnd": 6})
    chat.page.keyboard.press("Enter")
    cdp.send("Input.insertText", {"text": "生産性向上の補助金の上限は？"})
    # Safari's order: compositionend first, then the Enter keydown with keyCode 229.
    chat.input.dispatch_event("keydown", {"key": "Enter", "keyCode": 229, "bubbles": True, "cancelable": True})
    chat.input.dispatch_event("keydown", {"key": "Enter", "isComposing": True, "bubbles": True, "cancelable": True})
    chat.page.wait_for_timeout(300)

    assert chat.user_messages().count() == 0
    # (CDP's composition lets the Enter's line break through, which a real IME swallows)
    assert chat.input.input_value().strip() == QUESTION

    chat.input.press("Shift+Enter")  # a line break, not a send
    assert chat.user_messages().count() == 0
    chat.input.fill(QUESTION)
    chat.input.press("Enter")
    chat.wait_bot("500万円", 1)


def test_keyboard_only_use_and_announcements(chat):
    chat.goto()
    assert chat.log.get_attribute("role") == "log"
    assert chat.log.get_attribute("aria-live") == "polite"
    assert chat.status.get_attribute("role") == "status"

    chat.page.focus("#kc-launcher")
    chat.page.keyboard.press("Enter")
    chat.wait_connected()
    assert chat.page.evaluate("document.activeElement.id") == "kc-input"
    assert chat.page.get_attribute("#kc-launcher", "aria-expanded") == "true"

    chat.page.keyboard.type("こんにちは")
    chat.page.keyboard.press("Enter")
    chat.wait_bot("チャットボットです", 1)
    # the quick replies are reachable with Shift+Tab from the input and pressed with Enter
    for _ in range(12):
        chat.page.keyboard.press("Shift+Tab")
        if chat.page.evaluate("document.activeElement.textContent") == "今年度の新しい事業":
            break
    assert chat.page.evaluate("document.activeElement.className") == "kc-reply"
    chat.page.keyboard.press("Enter")
    assert chat.user_messages().last.inner_text() == "今年度の新しい事業"
    assert chat.page.evaluate("document.activeElement.id") == "kc-input"
    # every message is inside the live region (both counted at one moment: the bot's answer to
    # the quick reply may arrive between two separate counts)
    inside, everywhere = chat.page.evaluate(
        "[document.querySelectorAll('#kc-log > li.kc-msg').length, document.querySelectorAll('.kc-msg').length]")
    assert inside == everywhere and inside >= 3

    chat.page.keyboard.press("Escape")
    assert chat.page.locator("#kc-panel").is_hidden()
    assert chat.page.evaluate("document.activeElement.id") == "kc-launcher"


def test_phone_width_layout(phone_chat, artifacts):
    chat = phone_chat
    chat.goto()
    assert chat.page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    chat.screenshot(artifacts, "page-phone")
    chat.open_chat()
    answer = chat.ask(QUESTION, "500万円")

    panel = chat.page.locator("#kc-panel").bounding_box()
    assert panel["x"] == 0 and panel["width"] == 375 and panel["height"] == 667, "the chat fills the screen"
    for selector in ("#kc-input", "#kc-send", "#kc-close", ".kc-reply"):
        box = chat.page.locator(selector).last.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
        assert box["height"] >= 36, f"{selector} is big enough to tap"
    assert answer.bounding_box()["width"] <= 375
    assert chat.page.evaluate("getComputedStyle(document.querySelector('#kc-input')).fontSize") == "16px"
    chat.screenshot(artifacts, "chat-phone")


def test_unreachable_server_is_said_and_the_chat_reconnects(chat, artifacts):
    """The socket refused (server down), then let through: the widget says so, keeps what
    was typed meanwhile, and reconnects by itself."""
    server_up = {"value": False}

    def route(ws):
        if server_up["value"]:
            ws.connect_to_server()
        else:
            ws.close()

    chat.page.route_web_socket("**/socket.io/**", route)
    chat.goto()
    chat.page.click("#kc-launcher")
    chat.page.wait_for_selector("#kc-status.kc-status--error", timeout=20_000)
    status = chat.status.inner_text()
    assert "接続できません" in status and "045-210-5550" in status
    assert chat.status.locator("a[href='tel:045-210-5550']").count() == 1
    chat.input.fill(QUESTION)
    chat.input.press("Enter")
    assert chat.page.locator(".kc-msg--pending").count() == 1
    assert "接続できません" in chat.status.inner_text(), "the outage stays said while the message waits"
    chat.screenshot(artifacts, "server-unreachable")

    server_up["value"] = True
    chat.wait_connected(timeout=30_000)
    answer = chat.wait_bot("500万円", 1)
    assert chat.page.locator(".kc-msg--pending").count() == 0
    assert "中小企業生産性向上促進事業費補助" in answer.inner_text()


def test_dropped_connection_resumes_the_same_conversation(chat):
    sockets = []

    def route(ws):
        ws.connect_to_server()
        sockets.append(ws)

    chat.page.route_web_socket("**/socket.io/**", route)
    chat.goto().open_chat()
    chat.ask(QUESTION, "500万円")
    session = chat.session_id()

    sockets[-1].close()
    chat.page.wait_for_selector("#kc-chat[data-connection=offline]", state="attached")
    chat.wait_connected(timeout=30_000)

    assert len(sockets) == 2 and chat.session_id() == session
    answer = chat.ask("問い合わせ先は？", "のお問い合わせ先は、")
    assert "中小企業生産性向上促進事業費補助" in answer.inner_text() and "045-210-5550" in answer.inner_text()


def test_an_example_question_on_the_page_opens_the_chat_and_asks_it(chat):
    chat.goto()
    chat.page.click("button[data-chat-ask]:has-text('小規模事業者が400万円')")

    # sent as soon as the session is confirmed (it waits, shown as 送信待ち, until then)
    answer = chat.wait_bot("266万6,666円", 1)
    assert "中小企業生産性向上促進事業費補助" in answer.inner_text()
    assert chat.user_messages().last.inner_text() == "生産性向上の補助金で、小規模事業者が400万円の設備を入れたらいくら？"
    assert chat.page.locator(".kc-msg--pending").count() == 0


def test_the_language_switch_answers_in_english_and_is_kept(chat, artifacts):
    chat.goto().open_chat()
    switch = chat.page.locator("#kc-lang")
    assert switch.inner_text() == "English"
    switch.click()
    assert chat.page.locator("#kc-input").get_attribute("placeholder") == "Type your question"
    assert switch.inner_text() == "日本語"
    # a program's name alone says nothing of its language: the switch decides
    chat.ask("中小企業生産性向上促進事業費補助", "unofficial translation")
    answer = chat.ask("What is the cap of the productivity improvement subsidy?", "5 million yen (500万円)")
    assert "unofficial translation" in answer.inner_text() and "045-210-5550" in chat.page.locator("#kc-log").inner_text()
    chat.screenshot(artifacts, "english-answer")
    chat.page.reload()
    assert chat.page.locator("#kc-lang").inner_text() == "日本語", "the language survives a reload"
    # a Japanese message is answered in Japanese whatever the switch says
    chat.ask("男性育休の奨励金はいくら？", "50万円")
    assert "職場環境整備促進事業費" in chat.bot_messages().last.inner_text()
