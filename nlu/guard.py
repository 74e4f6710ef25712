"""``nlu.guard.UnknownWordsGuard``: no confident intent for words the bot has never seen.

DIET gives some intent a high confidence even for 「ぴよぴよもにゃもにゃ」: every message
lands somewhere. This component, placed after DIET and before FallbackClassifier, learns
the normalized forms of the content words in the training data; a message written without
kanji, none of whose content words was ever seen, and in which no entity was found, gets
its intent confidence set to 0, so FallbackClassifier turns it into ``nlu_fallback`` (ask
to rephrase, then hand off) instead of a confident wrong answer. "Seen" means in the
training examples or anywhere in the knowledge base's programs (names, aliases, needs,
descriptions). Real questions about
programs carry kanji (補助金, 事業, 予算…); nonsense typed at a bot seldom does, and a
question in unfamiliar but real words is left to DIET.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.analysis import language_of
from knowledge.kb import KnowledgeBase, database_path

KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "接頭辞", "接尾辞", "連体詞"}
VOCABULARY_FILE = "vocabulary.json"


def content_lemmas(message: Message) -> list[str]:
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return [t.lemma.lower() for t in tokens if t.get("pos") in CONTENT_POS]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[set[str]] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnknownWordsGuard":
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsGuard":
        with model_storage.read_from(resource) as path:
            vocabulary = set(json.loads((path / VOCABULARY_FILE).read_text(encoding="utf-8")))
        return cls(model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        for example in training_data.intent_examples:
            self.vocabulary.update(content_lemmas(example))
        # the knowledge base's own words too: 「かながわジョブテラスとは？」 is a real question
        kb = KnowledgeBase(database_path())
        for entry in kb.years():   # every fiscal year built (knowledge/build.py), not only the latest
            self.vocabulary.update(kb.for_year(entry["fiscal_year"]).vocabulary())
        with self._model_storage.write_to(self._resource) as path:
            (path / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary), ensure_ascii=False),
                                                encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            lemmas = content_lemmas(message)
            if language_of(message.get(TEXT) or "") == "en":
                continue   # English: the question analysis decided from its words
            if (not lemmas or message.get(ENTITIES) or KANJI.search(message.get(TEXT) or "")
                    or any(lemma in self.vocabulary for lemma in lemmas)):
                continue
            intent = message.get(INTENT) or {}
            if intent.get("name"):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
                ranking = message.get(INTENT_RANKING_KEY) or []
                message.set(INTENT_RANKING_KEY, [{**r, "confidence": 0.0} for r in ranking], add_to_output=True)
        return messages
