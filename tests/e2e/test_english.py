"""English conversations with the trained bot over Rasa's REST channel: the message's
language, or the channel's choice (metadata), decides the answer's language; the facts
are the same as in Japanese."""

import uuid

import pytest
import requests

from .conftest import Conversation

pytestmark = pytest.mark.slow


class EnglishChat(Conversation):
    """A REST conversation that may send the channel's language choice as metadata."""

    def say(self, text: str, language: str | None = None) -> list[dict]:
        body = {"sender": self.sender, "message": text}
        if language:
            body["metadata"] = {"language": language}
        response = requests.post(self.url, json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def text(self, message: str, language: str | None = None) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message, language))


@pytest.fixture
def chat(rasa_server):
    return EnglishChat(rasa_server, f"e2e-en-{uuid.uuid4()}")


def test_an_english_question_gets_an_english_answer_with_both_forms_of_figures(chat):
    answer = chat.text("What is the maximum amount of the productivity improvement subsidy?")
    assert "5 million yen (500万円)" in answer
    assert "【中小企業生産性向上促進事業費補助】 (" in answer and "unofficial translation" in answer
    assert "045-210-5550" in answer and "may answer in Japanese" in answer


def test_an_english_calculation_through_the_form(chat):
    # (a calculation asked for in words; "how much can we get?" alone asks the rate and the cap)
    first = chat.text("Can you calculate how much we can get from the productivity improvement subsidy?")
    assert "How much is the eligible expenses" in first or "eligible expenses" in first
    answer = chat.text("6 million yen, we are an SME")
    assert "3 million yen (300万円)" in answer


def test_a_follow_up_keeps_the_program_and_the_language(chat):
    first = chat.text("How much is the paternity leave incentive?")
    assert "200,000 yen (20万円)" in first and "500,000 yen (50万円)" in first
    # a bare figure says nothing of its language: the conversation's stays
    leave = chat.text("45日")
    assert "500,000 yen (50万円)" in leave
    phone = chat.text("Who should I call?")
    assert "045-210-5730" in phone and "please contact" in phone


def test_the_channel_choice_decides_when_the_message_does_not(chat):
    answer = chat.text("セレクト神奈川ＮＥＸＴ第２ステージ補助金", language="en")
    assert "unofficial translation" in answer
    japanese = chat.text("セレクト神奈川ＮＥＸＴ第２ステージ補助金の上限は？", language="en")
    assert "上限は、1事業者あたり5億円" in japanese, "a Japanese sentence is answered in Japanese"


def test_deadlines_are_handed_off_in_english(chat):
    answer = chat.text("When is the application deadline for the Select Kanagawa NEXT stage 2 subsidy?")
    assert "not in this document" in answer and "045-210-5570" in answer
