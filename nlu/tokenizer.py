"""SudachiPy tokenizer for Rasa 3.6 (``nlu.tokenizer.SudachiTokenizer`` in config.yml).

Rasa's default tokenizers split on whitespace, which Japanese does not have. This one
gives Sudachi's words with:

* ``Token.text``: the surface exactly as typed, ``start``/``end`` code-point offsets into
  the original message (so entity annotations and extracted spans line up);
* ``Token.lemma``: Sudachi's normalized form (申込み → 申し込み, ＮＥＸＴ → ネクスト), which
  the word-level CountVectorsFeaturizer uses;
* ``Token.data["pos"]``: the part of speech (名詞, 動詞…).

Whitespace tokens are dropped. Split mode C (longest units) keeps amounts such as
``500万`` and names such as ``小規模事業者`` whole, which is where annotations put their
boundaries. Each thread has its own Sudachi tokenizer (a shared one raises
"Already borrowed"), and text past Sudachi's 49,149-byte input limit is tokenized in
pieces (:func:`knowledge.text.morphemes`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import morphemes


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class SudachiTokenizer(Tokenizer):
    """Japanese word tokens from SudachiPy (dictionary: sudachidict_core, mode C)."""

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["ja"]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sudachipy", "sudachidict_core"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        tokens = [
            Token(surface, begin, end, data={"pos": pos}, lemma=normalized)
            for surface, normalized, pos, begin, end in morphemes(text)
            if pos != "空白" and surface.strip()
        ]
        if not tokens and text.strip():
            # Rasa's featurizers need at least one token for a non-empty message.
            tokens = [Token(text, 0, len(text), data={"pos": "記号"})]
        return self._apply_token_pattern(tokens)
