"""QuestionAnalysis (the routing intent from knowledge/analysis.py) and UnknownWordsGuard
(no confident intent for words never seen), on messages tokenized and extracted as the
pipeline does."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.analysis import QuestionAnalysis
from nlu.entities import facts_of
from nlu.guard import UnknownWordsGuard
from nlu.tokenizer import SudachiTokenizer


@pytest.fixture(scope="module")
def prepare(analyser):
    tokenizer = SudachiTokenizer(SudachiTokenizer.get_default_config())

    def message(text, intent, confidence=0.8):
        msg = Message({TEXT: text})
        tokenizer.process([msg])
        msg.set(ENTITIES, facts_of(analyser, text))
        msg.set(INTENT, {"name": intent, "confidence": confidence})
        other = "ask_program_info" if intent != "ask_program_info" else "find_by_need"
        msg.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}, {"name": other, "confidence": 0.1}])
        return msg

    return message


@pytest.fixture(scope="module")
def component(kb_path):
    return QuestionAnalysis({"knowledge_db": str(kb_path)})


@pytest.mark.parametrize("text, predicted, expected", [
    ("外国人従業員むけの日本語教室、何曜日の何時からやってますか", "out_of_scope", "ask_procedure"),
    ("障がい者の補助について誰に聞けばいいですか", "find_by_need", "ask_contact"),
    ("商店街魅力アップの補助金って1件あたりの上限ある？", "ask_program_info", "ask_amount"),
    ("50", "greet", "inform"),
    ("予算600万円で設備を入れたい", "calculate_amount", "calculate_amount"),   # the user's own budget
    ("一時帰国休暇制度も作りました。奨励金いくらもらえますか？", "calculate_amount", "calculate_amount"),
    ("だいがくせいむけのびじねすあいであこんてすとってけんでやってる？", "thank", "ask_eligibility"),
    ("こんにちは", "greet", "greet"),
])
def test_the_routing_intent(prepare, component, text, predicted, expected):
    message = prepare(text, predicted)
    component.process([message])
    assert message.get(INTENT)["name"] == expected
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == expected and len({r["name"] for r in ranking}) == len(ranking)


def test_entity_offsets_point_into_the_message_as_typed(analyser):
    text = "しょうきぼじぎょうしゃです。せいさんせいこうじょうのほじょはいくら"
    for entity in facts_of(analyser, text):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
    assert {"entity": "company_size", "start": 0, "end": 11, "value": "小規模事業者"} in facts_of(analyser, text)


@pytest.mark.parametrize("text, guarded", [
    ("ぴよぴよもにゃもにゃ", True),
    ("かながわジョブテラスとは？", False),   # a word of the knowledge base, not of the training data
])
def test_guard_knows_the_knowledge_bases_words(prepare, kb, text, guarded):
    guard = UnknownWordsGuard(None, None, vocabulary={"こんにちは"} | kb.vocabulary())
    message = prepare(text, "ask_program_info", confidence=0.9)
    guard.process([message])
    assert (message.get(INTENT)["confidence"] == 0.0) is guarded
