"""Rasa component around :class:`nlu.finder.EntityFinder` (see there for the values)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.kb import KnowledgeBase, database_path
from nlu.finder import EntityFinder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts programs, amounts, counts and form facts, resolved to knowledge-base values."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # knowledge_db: None means $KNOWLEDGE_DB or build/knowledge.db
        return {"knowledge_db": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        path = self._config["knowledge_db"] or database_path()
        # Raises KnowledgeBaseUnavailable, naming the file and `make kb`, at start-up.
        self.finder = EntityFinder(KnowledgeBase(path))

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
            found = [{k: v for k, v in e.items() if k != "text"} for e in self.finder.find(text)]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found),
                        add_to_output=True)
        return messages
