"""One turn of a conversation, without Rasa: message and state in, messages and state out.

:class:`Dialogue` puts the pieces together — :mod:`knowledge.analysis` (what is asked),
:mod:`knowledge.resolver` (which program), :mod:`knowledge.replies` (the answer as codes
and values) and :mod:`knowledge.render` (the answer in words). The bot's actions call it
with the tracker's slots; the staff command line and the coverage bank call it with a
:class:`Conversation` kept in memory, so all three answer a question the same way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .analysis import Analyser, Analysis, language_of
from .kb import KnowledgeBase
from .render import Message, Renderer
from .replies import Outcome, Replies
from .resolver import State


@dataclass
class Turn:
    analysis: Analysis
    outcome: Outcome
    messages: list[Message]
    language: str = "ja"

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)


@dataclass
class Conversation:
    """A conversation's state kept in memory (the bot keeps it in Rasa's slots)."""

    state: State = field(default_factory=State)
    facts: dict = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)     # the kinds the last turn answered
    misunderstood: int = 0
    language: str | None = None


class Dialogue:
    """Answers messages (see the module docstring). Build one per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.analyser = Analyser(kb, "ja")
        self.replies = Replies(kb, self.analyser)
        self._by_language: dict[str, tuple[Analyser, Replies]] = {"ja": (self.analyser, self.replies)}
        self._renderers: dict[str, Renderer] = {}

    def understanding(self, language: str) -> tuple[Analyser, Replies]:
        """The analyser and the replies of a language (built once, when first needed)."""
        if language not in self._by_language:
            analyser = Analyser(self.kb, language)
            self._by_language[language] = (analyser, Replies(self.kb, analyser))
        return self._by_language[language]

    def language(self, text: str, preferred: str | None = None) -> str:
        """The language to answer in: the message's own, else the conversation's (the
        widget's switch, LINE's profile, the last message's), else Japanese."""
        return language_of(text or "", self.analyser.resolver) or preferred or "ja"

    def renderer(self, language: str = "ja") -> Renderer:
        if language not in self._renderers:
            self._renderers[language] = Renderer(self.kb, language)
        return self._renderers[language]

    def turn(self, text: str, intent: str | None = None, state: State | None = None, facts: dict | None = None,
             pending: list[str] | None = None, misunderstood: int = 0, language: str | None = None,
             facts_for: str | None = None, entities: list[dict] | None = None,
             asked: list[str] | None = None) -> Turn:
        """One message answered. ``facts``: what earlier turns said about the business;
        ``facts_for``: the program its figures were given for (they count for no other);
        ``entities``: facts a button's payload gave; ``language``: the conversation's
        (the message's own language wins)."""
        language = self.language(text, language)
        analyser, replies = self.understanding(language)
        analysis = analyser.analyse(text, intent, entities)
        outcome = replies.answer(analysis, state or State(), facts, pending, misunderstood, facts_for, asked)
        renderer = self.renderer(language)
        return Turn(analysis, outcome, [renderer.render(reply) for reply in outcome.replies], language)

    def ask(self, conversation: Conversation, text: str, intent: str | None = None,
            language: str | None = None) -> Turn:
        """A turn of an in-memory conversation: the staff command line's and the tests'.
        A calculation whose facts are missing says which ones (the bot's form asks them)."""
        turn = self.turn(text, intent, conversation.state, conversation.facts, conversation.pending,
                         conversation.misunderstood, language or conversation.language, asked=conversation.asked)
        conversation.asked = list(turn.outcome.answered)
        conversation.language = turn.language
        _analyser, replies = self.understanding(turn.language)
        conversation.state = turn.outcome.state
        conversation.facts.update(replies.message_facts(turn.analysis))
        conversation.pending = turn.outcome.pending
        understood = bool(turn.outcome.answered or turn.outcome.pending or turn.outcome.calculate)
        conversation.misunderstood = 0 if understood else conversation.misunderstood + 1
        if turn.outcome.calculate:
            program = self.kb.program(turn.outcome.calculate)
            facts = replies.evaluator_facts(program, conversation.facts)
            for rule_id in program.rule_ids:
                evaluation = self.kb.evaluate(rule_id, facts)
                turn.messages.append(self.renderer(turn.language).render(
                    replies.evaluation_reply(program, evaluation)))
        return turn


@functools.lru_cache(maxsize=4)
def dialogue_for(path: str) -> Dialogue:
    """One :class:`Dialogue` per knowledge-base file and process."""
    return Dialogue(KnowledgeBase(path))
