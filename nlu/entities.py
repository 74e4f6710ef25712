"""Rasa component around :mod:`knowledge.analysis`: the facts of a message, resolved to
knowledge-base values (see :mod:`knowledge.finder` for the values).

The facts are found in the respelled message (kana and wrong kanji written as the
knowledge base writes them, :mod:`knowledge.spelling`); their offsets point into the
message as typed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.dialogue import dialogue_for
from knowledge.kb import database_path


def facts_of(analyser, text: str) -> list[dict]:
    """Entities of ``text`` with offsets into it (found in its respelling)."""
    respelled = analyser.respell(text)
    found = []
    for entity in analyser.finder.find(respelled.text):
        start, end = respelled.original_span(entity["start"], entity["end"])
        found.append({"entity": entity["entity"], "start": start, "end": end, "value": entity["value"]})
    return found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts programs, amounts, counts and form facts, resolved to knowledge-base values."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # knowledge_db: None means $KNOWLEDGE_DB or build/knowledge.db
        return {"knowledge_db": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        # Raises KnowledgeBaseUnavailable, naming the file and `make kb`, at start-up.
        self.dialogue = dialogue_for(str(self._config["knowledge_db"] or database_path()))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "KnowledgeEntityExtractor":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            # the facts as the message's language writes them (「300万円」, 「3 million yen」)
            analyser, _replies = self.dialogue.understanding(self.dialogue.language(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(facts_of(analyser, text)),
                        add_to_output=True)
        return messages
