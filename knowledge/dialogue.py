"""One turn of a conversation, without Rasa: message and state in, messages and state out.

:class:`Dialogue` puts the pieces together — :mod:`knowledge.analysis` (what is asked),
:mod:`knowledge.resolver` (which program), :mod:`knowledge.replies` (the answer as codes
and values) and :mod:`knowledge.render` (the answer in words). The bot's actions call it
with the tracker's slots; the staff command line and the coverage bank call it with a
:class:`Conversation` kept in memory, so all three answer a question the same way.

Fiscal years: a knowledge base built from several years' folders (knowledge/build.py)
answers each message from one year's catalogue (:meth:`Dialogue.turn`): the year the
message names (knowledge/years.py); else, for a program named, the year the
conversation asked for or the latest (a program only another year holds: that year, said
so); else, for a follow-up, the year of the program discussed. A year named but not built
gets the years that are, and the division to ask; never another year's figures.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from .analysis import Analyser, Analysis, language_of
from .kb import KnowledgeBase
from .render import Message, Renderer
from .replies import SMALL_TALK, Outcome, Replies, Reply
from .resolver import State
from .years import year_words, years_asked


@dataclass
class Turn:
    analysis: Analysis
    outcome: Outcome
    messages: list[Message]
    language: str = "ja"
    year: int | None = None        # the fiscal year answered from (the state's programs are of it)
    asked_year: int | None = None  # the fiscal year the conversation asked for, if it asked

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)


@dataclass
class Conversation:
    """A conversation's state kept in memory (the bot keeps it in Rasa's slots)."""

    state: State = field(default_factory=State)
    facts: dict = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    last_asked: list[str] = field(default_factory=list)   # the kinds the last turn answered
    misunderstood: int = 0
    language: str | None = None
    year: int | None = None
    asked_year: int | None = None


class Dialogue:
    """Answers messages (see the module docstring). Build one per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.analyser = Analyser(kb, "ja")
        self.replies = Replies(kb, self.analyser)
        self._by_language: dict[str, tuple[Analyser, Replies]] = {"ja": (self.analyser, self.replies)}
        self._renderers: dict[str, Renderer] = {}
        self._years: dict[int, Dialogue | None] = {kb.fiscal_year: self}   # shared by every year's dialogue

    def understanding(self, language: str) -> tuple[Analyser, Replies]:
        """The analyser and the replies of a language (built once, when first needed)."""
        if language not in self._by_language:
            analyser = Analyser(self.kb, language, japanese_respeller=self.analyser.respeller,
                                japanese=self.analyser if language != "ja" else None)
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

    # ── fiscal years ────────────────────────────────────────────────────
    def years(self) -> list[int]:
        """The fiscal years built with this knowledge base, oldest first."""
        return [entry["fiscal_year"] for entry in self.kb.years()]

    def of_year(self, year: int | None) -> "Dialogue | None":
        """The dialogue of fiscal year ``year`` (this one for None); None if not built."""
        if year is None:
            return self
        if year not in self._years:
            kb = self.kb.for_year(year)
            other = Dialogue(kb) if kb is not None else None
            if other is not None:
                other._years = self._years
            self._years[year] = other
        return self._years[year]

    def turn(self, text: str, intent: str | None = None, state: State | None = None, facts: dict | None = None,
             pending: list[str] | None = None, misunderstood: int = 0, language: str | None = None,
             facts_for: str | None = None, entities: list[dict] | None = None, year: int | None = None,
             asked_year: int | None = None, last_asked: list[str] | None = None) -> Turn:
        """One message answered from one fiscal year's catalogue: the year(s) the message
        names; else, for a program named, the year the conversation asked for
        (``asked_year``) or else the latest, or the newest year that holds the program; for a
        follow-up naming none, ``year`` (the year the conversation's state is of). ``last_asked``:
        the kinds the last turn answered (a program named alone asks them again)."""
        language = self.language(text, language)
        years = self.years()
        asked = years_asked(text, language)
        missing = [y for y in asked if y not in years]
        if missing:
            return self.year_not_loaded(text, intent, state or State(), missing, language, entities, year,
                                        asked_year)
        preferred = asked_year if asked_year in years else max(years)
        current = year if year in years else preferred   # the year the state's programs are of

        def answered_in(y: int, intent: str | None = intent) -> Turn:
            turn = self.of_year(y).answer(text, intent, self.state_in(state, current, y), facts, pending,
                                          misunderstood, language, self.program_in(facts_for, current, y),
                                          entities, last_asked)
            turn.asked_year = asked[-1] if asked else asked_year
            return turn

        if asked:
            turns = [answered_in(y) for y in asked]
            outcome = turns[-1].outcome
            if len(turns) == 1 and not (outcome.answered or outcome.pending or outcome.calculate) \
                    and outcome.state.program and turns[0].analysis.kind not in SMALL_TALK:
                # only a year (「令和6年度は？」): the program under discussion, in that year
                turns = [answered_in(asked[0], "ask_program_info")]
        else:
            turns = [answered_in(preferred)]
            if not names_something(turns[0].analysis) and len(years) > 1:
                holding = next((y for y in sorted(years, reverse=True) if y != preferred and names_something(
                    self.of_year(y).understanding(language)[0].analyse(text, intent, entities))), None)
                if holding is not None:
                    # a program (or topic) only another year holds: answered from that year, said first
                    turns = [answered_in(holding)]
                    words = year_words(language)
                    note = Reply("year.other", {"year": words.label(holding), "preferred": words.label(preferred)},
                                 kind="note")
                    turns[0].outcome.replies.insert(0, note)
                    turns[0].messages.insert(0, self.of_year(holding).renderer(language).render(note))
                elif current != preferred:
                    turns = [answered_in(current)]   # a follow-up: the year of the program discussed
        if len(turns) == 1:
            return turns[0]
        # several years asked (「令和6年度と令和7年度の予算」): each year's answer in turn
        last = turns[-1]
        outcome = Outcome([r for t in turns for r in t.outcome.replies], last.outcome.state, last.outcome.pending,
                          before=state, facts_for=facts_for, given=last.outcome.given,
                          calculate=last.outcome.calculate, answered=[k for t in turns for k in t.outcome.answered])
        return Turn(last.analysis, outcome, [m for t in turns for m in t.messages], language, last.year,
                    last.asked_year)

    def program_in(self, program_id: str | None, from_year: int, to_year: int) -> str | None:
        """The id in ``to_year`` of a program of ``from_year`` (matched by its name: the
        ids of two years' annexes need not agree); None if that year has no such program."""
        if program_id is None or from_year == to_year:
            return program_id
        source, target = self.of_year(from_year), self.of_year(to_year)
        program = source.kb.program(program_id) if source else None
        found = target.kb.program_by_name(program.name) if program and target else None
        return found.id if found else None

    def state_in(self, state: State | None, from_year: int, to_year: int) -> State | None:
        """A conversation's state carried from one fiscal year to another: the programs
        under discussion by name, those the other year lacks left out."""
        if state is None or from_year == to_year:
            return state

        def carried(ids: list[str]) -> list[str]:
            return [i for i in (self.program_in(p, from_year, to_year) for p in ids) if i]

        return State(program=self.program_in(state.program, from_year, to_year),
                     candidates=carried(state.candidates), last_list=carried(state.last_list))

    def year_not_loaded(self, text: str, intent: str | None, state: State, missing: list[int], language: str,
                        entities: list[dict] | None = None, year: int | None = None,
                        asked_year: int | None = None) -> Turn:
        """A fiscal year asked that is not built: the years that are, and the division of
        the program named or under discussion (as the conversation's year knows it), else
        the general contact. No figures."""
        current = year if year in self.years() else asked_year if asked_year in self.years() else max(self.years())
        bot = self.of_year(current)   # the programs as the conversation's year knows them
        analyser, replies = bot.understanding(language)
        analysis = analyser.analyse(text, intent, entities)
        resolution = replies.resolve(analysis, state, analysis.kinds, True)
        program = resolution.program   # named now, or the one the conversation is about
        contact = program.contact if program is not None and program.contact else bot.kb.general_contact()
        words = year_words(language)
        reply = Reply("year.not_loaded", {"asked": [words.label(y) for y in missing],
                                          "available": [words.label(y) for y in self.years()],
                                          "program": program, "contact": contact},
                      kind="handoff", programs=[program.id] if program else [], phone=contact.phone)
        outcome = Outcome([reply], state, before=state, answered=["contact"])
        return Turn(analysis, outcome, [bot.renderer(language).render(reply)], language, year, asked_year)

    def answer(self, text: str, intent: str | None = None, state: State | None = None, facts: dict | None = None,
               pending: list[str] | None = None, misunderstood: int = 0, language: str | None = None,
               facts_for: str | None = None, entities: list[dict] | None = None,
               last_asked: list[str] | None = None) -> Turn:
        """One message answered from this dialogue's fiscal year. ``facts``: what earlier
        turns said about the business; ``facts_for``: the program its figures were given
        for (they count for no other); ``entities``: facts a button's payload gave;
        ``language``: the conversation's (the message's own language wins)."""
        language = self.language(text, language)
        analyser, replies = self.understanding(language)
        analysis = analyser.analyse(text, intent, entities)
        outcome = replies.answer(analysis, state or State(), facts, pending, misunderstood, facts_for, last_asked)
        renderer = self.renderer(language)
        # (two kinds answered with the same words, 「担当者につないで」's person and contact: said once)
        messages = list({m.text: m for m in map(renderer.render, outcome.replies)}.values())
        return Turn(analysis, outcome, messages, language, self.kb.fiscal_year)

    def ask(self, conversation: Conversation, text: str, intent: str | None = None,
            language: str | None = None) -> Turn:
        """A turn of an in-memory conversation: the staff command line's and the tests'.
        A calculation whose facts are missing says which ones (the bot's form asks them)."""
        turn = self.turn(text, intent, conversation.state, conversation.facts, conversation.pending,
                         conversation.misunderstood, language or conversation.language, year=conversation.year,
                         asked_year=conversation.asked_year, last_asked=conversation.last_asked)
        conversation.last_asked = list(turn.outcome.answered)
        conversation.language = turn.language
        conversation.year = turn.year or conversation.year
        conversation.asked_year = turn.asked_year
        bot = self.of_year(turn.year) or self
        _analyser, replies = bot.understanding(turn.language)
        conversation.state = turn.outcome.state
        conversation.facts.update(replies.message_facts(turn.analysis))
        conversation.pending = turn.outcome.pending
        understood = bool(turn.outcome.answered or turn.outcome.pending or turn.outcome.calculate)
        conversation.misunderstood = 0 if understood else conversation.misunderstood + 1
        if turn.outcome.calculate:
            # the program calculated for is under discussion (as the bot's program slot says)
            conversation.state = replace(conversation.state, program=turn.outcome.calculate)
            program = bot.kb.program(turn.outcome.calculate)
            facts = replies.evaluator_facts(program, conversation.facts)
            for rule_id in program.rule_ids:
                evaluation = bot.kb.evaluate(rule_id, facts)
                turn.messages.append(bot.renderer(turn.language).render(
                    replies.evaluation_reply(program, evaluation)))
        return turn


def names_something(analysis: Analysis) -> bool:
    """Whether a message names something of a year's catalogue: a program or a topic."""
    return bool(analysis.mentions or analysis.facts.get("topic"))


@functools.lru_cache(maxsize=4)
def dialogue_for(path: str) -> Dialogue:
    """One :class:`Dialogue` per knowledge-base file and process."""
    return Dialogue(KnowledgeBase(path))
