"""IntentCues (words that settle what is asked) and UnknownWordsGuard (no confident intent
for words never seen), on messages tokenized and extracted as the pipeline does."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.cues import IntentCues
from nlu.finder import EntityFinder
from nlu.guard import UnknownWordsGuard
from nlu.tokenizer import SudachiTokenizer


@pytest.fixture(scope="module")
def prepare(kb):
    tokenizer = SudachiTokenizer(SudachiTokenizer.get_default_config())
    finder = EntityFinder(kb)

    def message(text, intent, confidence=0.8):
        msg = Message({TEXT: text})
        tokenizer.process([msg])
        msg.set(ENTITIES, [{k: v for k, v in e.items() if k != "text"} for e in finder.find(text)])
        msg.set(INTENT, {"name": intent, "confidence": confidence})
        msg.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "ask_program_info", "confidence": 0.1}])
        return msg

    return message


def cued(message):
    IntentCues().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text, predicted, expected", [
    ("外国人従業員むけの日本語教室、何曜日の何時からやってますか", "out_of_scope", "ask_procedure"),
    ("障がい者の補助について誰に聞けばいいですか", "find_by_need", "ask_contact"),
    ("商店街魅力アップの補助金って1件あたりの上限ある？", "ask_program_info", "ask_amount"),
    ("50", "greet", "inform"),
    ("国の予算はどうなってる", "out_of_scope", "out_of_scope"),   # only procedure and contact overturn it
    ("予算600万円で設備を入れたい", "calculate_amount", "calculate_amount"),   # the user's own budget
    ("一時帰国休暇制度も作りました。奨励金いくらもらえますか？", "calculate_amount", "calculate_amount"),
])
def test_cues(prepare, text, predicted, expected):
    assert cued(prepare(text, predicted)) == expected


@pytest.mark.parametrize("text, guarded", [
    ("ぴよぴよもにゃもにゃ", True),
    ("かながわジョブテラスとは？", False),   # a word of the knowledge base, not of the training data
])
def test_guard_knows_the_knowledge_bases_words(prepare, kb, text, guarded):
    guard = UnknownWordsGuard(None, None, vocabulary={"こんにちは"} | kb.vocabulary())
    message = prepare(text, "ask_program_info", confidence=0.9)
    guard.process([message])
    assert (message.get(INTENT)["confidence"] == 0.0) is guarded
