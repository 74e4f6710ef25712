"""``nlu.cues.IntentCues``: words that settle what is asked.

A long description of a program (「障がい者とのコミュニケーションツール導入の補助、申請の様式は
ありますか」) can sway DIET towards a general intent such as ``ask_program_info``. Some words
leave no doubt about what is asked — 様式, 締め切り (a procedure), 電話番号 (a contact),
予算 (a budget). Placed after DIET, this component replaces a general prediction by the
intent such a word names (``intent_cues`` in nlu/vocabulary.yml), keeping DIET's ranking.
A message that is only a number (the ``number`` entity) is the answer to a form's question:
``inform``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.text import fold
from nlu.finder import load_vocabulary

# Predictions a cue may replace: the general ones a description of a program pulls towards,
# and any but small talk when the message names a program.
REPLACEABLE = {"ask_program_info", "find_by_need", "ask_eligibility", "ask_amount", "calculate_amount", "inform",
               "ask_budget", "ask_contact", "ask_procedure"}
SMALL_TALK = {"greet", "goodbye", "thank", "bot_challenge", "affirm", "deny", "stop", "choose_program"}
# Cues that may also overturn out_of_scope: 「日本語教室、何曜日の何時からやってますか」 is a
# question for a division; these hand over its phone, or ask which program.
OVERTURN_OUT_OF_SCOPE = {"ask_procedure", "ask_contact"}


def cue_intent(text: str, cues: dict[str, list[str]], has_money: bool) -> str | None:
    folded = fold(text)
    for intent, words in cues.items():
        if intent == "ask_budget" and has_money:
            continue
        if any(fold(word) in folded for word in words):
            return intent
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentCues(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self) -> None:
        self.cues = load_vocabulary().get("intent_cues", {})

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "IntentCues":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            entities = message.get(ENTITIES) or []
            if any(e.get("entity") == "number" for e in entities) and intent.get("name") != "inform":
                # a message that is only a number answers a question of the form
                self._settle(message, "inform", intent)
                continue
            names_program = any(e.get("entity") == "program" for e in entities)
            if not isinstance(text, str) or not (intent.get("name") in REPLACEABLE | {"out_of_scope"}
                                                 or (names_program and intent.get("name") not in SMALL_TALK)):
                continue
            has_money = any(e.get("entity") == "money" for e in entities)
            cued = cue_intent(text, self.cues, has_money)
            if intent.get("name") == "out_of_scope" and cued not in OVERTURN_OUT_OF_SCOPE:
                continue
            if cued == "ask_amount" and intent.get("name") == "calculate_amount":
                continue   # 「…作りました。奨励金いくらもらえますか？」: the facts given ask for the calculation
            if cued and cued != intent.get("name"):
                self._settle(message, cued, intent)
        return messages

    @staticmethod
    def _settle(message: Message, cued: str, intent: dict) -> None:
        confidence = max(intent.get("confidence") or 0.0, 0.9)
        message.set(INTENT, {"name": cued, "confidence": confidence}, add_to_output=True)
        # the others halved, so that FallbackClassifier's ambiguity check sees the cue lead
        ranking = [{**r, "confidence": (r.get("confidence") or 0.0) / 2}
                   for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != cued]
        message.set(INTENT_RANKING_KEY, [{"name": cued, "confidence": confidence}] + ranking,
                    add_to_output=True)
