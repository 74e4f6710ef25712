"""``nlu.analysis.QuestionAnalysis``: the intent that routes a turn, from the one question
analysis (:mod:`knowledge.analysis`).

Placed after DIET, it asks the analysis what the message asks: words that settle it
(様式, 電話番号, 予算, いつまで…) win over DIET's general guess, a message about the
programs is never small talk, and a message that is only a number answers the form's
question (``inform``). DIET's ranking is kept, the chosen intent first.
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

from knowledge.dialogue import dialogue_for
from knowledge.kb import database_path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionAnalysis(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge_db": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.dialogue = dialogue_for(str(config.get("knowledge_db") or database_path()))
        self.analyser = self.dialogue.analyser

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "QuestionAnalysis":
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            if any(e.get("entity") == "number" for e in message.get(ENTITIES) or []):
                # a message that is only a number answers a question of the form
                if intent.get("name") != "inform":
                    self._settle(message, "inform", intent)
                continue
            analyser, _replies = self.dialogue.understanding(self.dialogue.language(text))
            analysis = analyser.analyse(text, intent.get("name"))
            routed = analyser.routing_intent(analysis)
            if analyser.code != "ja" and routed is None and analysis.kind != "choice":
                # the classifier learned Japanese: in English a fact alone answers the form,
                # anything else is the analysis's to answer
                routed = "inform" if analysis.has_calculation_facts or analysis.fact("company_size") else "nlu_fallback"
            if routed and routed != intent.get("name"):
                self._settle(message, routed, intent)
        return messages

    @staticmethod
    def _settle(message: Message, chosen: str, intent: dict) -> None:
        confidence = max(intent.get("confidence") or 0.0, 0.9)
        message.set(INTENT, {"name": chosen, "confidence": confidence}, add_to_output=True)
        # the others halved, so that FallbackClassifier's ambiguity check sees the lead
        ranking = [{**r, "confidence": (r.get("confidence") or 0.0) / 2}
                   for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != chosen]
        message.set(INTENT_RANKING_KEY, [{"name": chosen, "confidence": confidence}] + ranking,
                    add_to_output=True)
