"""The answer to a question, as codes and values: what to say, never how to word it.

:class:`Replies` takes an :class:`~knowledge.analysis.Analysis` (what is asked), resolves
the program once (:mod:`knowledge.resolver`), and returns :class:`Reply` objects: a
template key of ``knowledge/templates/<language>.yml`` and the values that fill it (yen as
:class:`Yen`, programs, contacts, pages, nested replies). :mod:`knowledge.render` words them.

Rules that hold for every kind of question:

* the point asked comes first (the cap when the cap is asked, the verdict of a yes/no);
* candidates that share the answer asked for are answered together; a question is asked
  back only when the answers differ and the evidence does not decide, with the
  candidates the evidence found;
* what the document does not say is said to be absent only when no statement and no
  sentence of the program's part of the document matches; then the division's phone;
* a budget is the prefecture's, never what one business receives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .analysis import QUESTION_KINDS, STATEMENT_KINDS, Analyser, Analysis
from .evaluator import (
    ALTERNATIVES,
    CASES,
    ELIGIBLE,
    NEEDS_INPUT,
    NOT_ELIGIBLE,
    UNKNOWN,
    Evaluation,
    evaluate,
    inputs_read,
    parse_rate,
    size_matches,
)
from .finder import NO_MEASURES, least_days
from .kb import Contact, KnowledgeBase, Program
from .money import find_amounts
from .resolver import WEAK_MENTIONS, Evidence, Resolution, State
from .text import blank, fold, search_terms

# A question asked again of another program (only its name said): as what (a calculation
# needs that program's own figures: its amount; a list of programs: what the one named is)
ASKED_AGAIN = {"calculation": "amount", "discovery": "overview"}

# Facts about the business that say nothing of which program (「小規模事業者なんだけど」 is
# not 小規模事業者デジタル化支援): left out of the words a program is searched by.
BLANKED_FACTS = ("company_size", "denied_size", "compared", "money", "people", "duration", "number", "tokku")
# A thing the message's writer says is theirs ("for our workshop"): a kind of business said so
# is the business's own, a fact (text_without_facts)
OWN = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# Facts about one project or situation: they belong to the program they were given for.
PER_PROGRAM_FACTS = ("money", "days", "measures", "course", "tokku")
SMALL_TALK = {"greet": "greet", "goodbye": "goodbye", "thank": "thank", "identity": "identity",
              "out_of_scope": "out_of_scope", "affirm": "anything_else", "deny": "anything_else",
              "stop": "anything_else"}
# What follows a topic written as the path to one of its subsections: 「…の推進の(5)」「…の（５）」.
SUBSECTION_PATH = re.compile(r"^の?\s*[(（]?\s*\d")
# Kinds a division named (not a program) answers with its phone.
DIVISION_KINDS = {"contact", "place", "procedure", "human", "period"}
# How many statements of one kind an answer quotes (those matching the question first)
STATEMENTS_SHOWN = 4
# How many programs a list shows, and how many of them with their summary.
LIST_SIZE = 5
# facts of a business that セレクト神奈川ＮＥＸＴ's requirements check
REQUIREMENT_FACTS = ("industry", "business_type", "region", "manufacturing_field", "facility", "tokku")
LIST_WITH_SUMMARY = 3
# How many candidates a question may be answered for at once, each named, when their
# answers are short (a phone number, a budget) rather than asked back.
ANSWER_EACH_UP_TO = 4
# Changes of the statements (statements.yml ``change``) that are of a sum: the answer to what
# changed gives the sum it is now too (予算額を1億円増額 → the budget, 5億円)
SUM_CHANGES = ("増額", "減額")


@dataclass(frozen=True)
class Yen:
    """An amount of money; worded by the renderer (500万円 / 5 million yen (500万円)).
    ``printed``: the document's own figure for it (５千万円), shown as printed."""

    value: int
    printed: str | None = None

    @staticmethod
    def as_printed(value: int, clause: str | None) -> Yen:
        """The amount, as the clause it comes from prints it when the clause holds it."""
        printed = next((m.text for m in find_amounts(clause or "") if m.yen == value), None)
        return Yen(value, printed)


@dataclass(frozen=True)
class Pages:
    """The pages of the document an answer comes from: worded as the source line."""

    refs: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """Words quoted from the document, as printed."""

    text: str


@dataclass
class Button:
    key: str                     # template key of the title (or "program" for a program's name)
    payload: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reply:
    """One message: a template key, its values, and what it is about (for the channels'
    cards, the review of conversations and the tests)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    programs: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    phone: str | None = None
    figure: Any = None           # the answer's main figure, for a card

    def meta(self) -> dict:
        return {"kind": self.kind, "programs": self.programs, "phone": self.phone, "key": self.key}


@dataclass
class Outcome:
    """A turn's replies, the conversation state after it, and what the turn leaves open."""

    replies: list[Reply]
    state: State
    pending: list[str] = field(default_factory=list)   # kinds waiting for a program choice
    before: State | None = None                        # the state the turn began with
    facts_for: str | None = None                       # the program earlier figures were given for
    given: set[str] = field(default_factory=set)       # the facts this message gives
    calculate: str | None = None                       # a program whose calculation needs the form
    answered: list[str] = field(default_factory=list)  # kinds answered with a fact


def program_button(program: Program, kind: str | None = None) -> Button:
    return Button("program", f'/choose_program{{"program":"{program.id}"}}', {"program": program})


def kind_buttons(program: Program) -> list[Button]:
    """What else can be asked about a program, as buttons."""
    buttons = []
    if program.rule_ids:
        buttons.append(Button("button.amount", "/ask_amount"))
    buttons += [Button("button.eligibility", "/ask_eligibility"), Button("button.budget", "/ask_budget"),
                Button("button.contact", "/ask_contact")]
    return buttons


def listed_state(ids: list[str]) -> State:
    """The state after a list of programs answered (the new ones, a budget table's lines): a
    follow-up may speak of any of them (「その中で一番予算が大きいのは？」); when they are few,
    one asked of them is of them, as after any list (「補助率は？」: those with a rate; "how
    much is that subsidy, and who do I talk to?"), and of the one listed alone, of it."""
    if len(ids) == 1:
        return State(program=ids[0], last_list=ids)
    return State(candidates=ids if len(ids) <= LIST_SIZE else [], last_list=ids)


class Replies:
    """Builds the replies of one turn (see the module docstring)."""

    def __init__(self, kb: KnowledgeBase, analyser: Analyser):
        self.kb = kb
        self.analyser = analyser
        self.resolver = analyser.resolver
        self._overview_words: dict[str, set[str]] = {}   # per program: the words its overview holds

    # ── the turn ────────────────────────────────────────────────────────
    def answer(self, analysis: Analysis, state: State, facts: dict | None = None,
               pending: list[str] | None = None, misunderstood: int = 0, facts_for: str | None = None,
               last_asked: list[str] | None = None) -> Outcome:
        """Replies to every question of the message. ``facts``: what the conversation
        knows about the business (slots), this message's facts on top. ``last_asked``: the kinds
        the last turn answered (「じゃあ海外駐在員派遣費は？」 asks them again). ``pending``: kinds
        asked earlier and waiting for a program to be chosen. ``misunderstood``: how many
        turns in a row were not understood before this one."""
        if analysis.kind in SMALL_TALK and not self.questions_the_program(analysis, state):
            return Outcome([self.small_talk(analysis.kind)], state)
        parts = self.analyser.parts(analysis)
        if len(parts) > 1:
            # each program named with what is asked of it, in the order asked
            outcomes = [self.answer(part, state, facts, pending, misunderstood, facts_for) for part in parts]
            last = outcomes[-1]
            replies = [r for o in outcomes for r in o.replies]
            # one hand-off line per division: the last of the same phone kept
            replies = [r for i, r in enumerate(replies) if not (r.kind == "handoff" and any(
                later.kind == "handoff" and later.phone == r.phone for later in replies[i + 1:]))]
            return Outcome(replies, last.state, last.pending, before=state,
                           facts_for=facts_for, given=set().union(*(o.given for o in outcomes)),
                           calculate=last.calculate, answered=[k for o in outcomes for k in o.answered])
        known = dict(facts or {})
        said = self.message_facts(analysis)
        facts = {**known, **said}
        if "size" not in said and any(
                size_matches(denied, facts.get("size")) for denied in facts.get("not_sizes", [])):
            del facts["size"]   # "and if we are no longer counted as small?": the size said before, denied
        counted = known.get("employees")
        if "size" not in said and "size" in known and counted is not None and said.get("employees", counted) != counted:
            # another head count ("and our sister company, a tiny 5-person workshop?" after an
            # SME of 80): the size said with the old one is not this business's
            del facts["size"]

        kinds = [k for k in analysis.kinds if k in QUESTION_KINDS]
        if analysis.kind == "choice" or (pending and analysis.only_names):
            kinds = list(pending or ["overview"])   # the answer to 「どの事業ですか？」
        elif self.asks_again(kinds, analysis, last_asked) or self.goes_on_asking(kinds, analysis, last_asked):
            # "What about the overseas representative dispatch?" after its neighbour's budget;
            # "What about women returning to work, anything for them?" after a budget
            kinds = [ASKED_AGAIN.get(k, k) for k in last_asked if ASKED_AGAIN.get(k, k) in QUESTION_KINDS]
        elif self.asks_under_a_condition(kinds, analysis, state, last_asked):
            # "and if we use the 特区 system?", 「小規模事業者だったら？」 after a program's rate:
            # the same amount again, under that condition (a calculation, if its sum is known)
            kinds = ["amount"]
        if not kinds and self.subsections_named(analysis) or self.topic_alone(kinds, analysis, last_asked):
            # 「ジェンダー平等の方は？」 after a subsection's budget; "and the labour policy area?"
            # after an area's
            kinds = ["budget"]
        if not kinds and self.continues_calculation(["unknown"], analysis, state, known):
            kinds = ["calculation"]   # 「45日だったら？」 after a calculation
        if self.asks_of_it_in_other_words(kinds, analysis, state):
            kinds = []
        if not kinds and (analysis.yes_no or analysis.text.rstrip().endswith(("?", "？"))) and state.program \
                and not analysis.mentions and analysis.kind not in ("choice", "affirm", "deny", "stop"):
            # "Is it free?" about the program under discussion, in words no kind's cue has:
            # what the document says in those words, else that it does not say (its division)
            program = self.kb.program(state.program)
            outcome = Outcome([self.statement(program, "other", analysis)], state, before=state,
                              facts_for=facts_for, given=set(self.message_facts(analysis)))
            self._remember(outcome, [program], "other")
            return outcome
        if not kinds:
            if analysis.mentions:
                kinds = ["overview"]   # a program named, the question unclear: what it is
            elif misunderstood or self.asks_of_one_divisions_list(analysis, state):
                return self.fallback_handoff(analysis, state)
            else:
                return Outcome([Reply("ask.rephrase", kind="unknown",
                                      buttons=[Button("button.find", "どんな支援がありますか"),
                                               Button("button.human", "/request_human")])], state)
        checked = bool(analysis.divisions and (state.program or state.candidates or analysis.mentions)
                       and self.analyser.handler_checked(analysis.text))
        if checked and "contact" not in kinds:
            kinds = ["contact"]   # "is that the employment policy division?" of the program under discussion
        if analysis.divisions and not analysis.mentions and not checked and (
                set(kinds) & DIVISION_KINDS or self.analyser.asks_programs_of(analysis.text)):
            # 「金融課の窓口の住所は？」: a division named, not a program: its phone (but 「担当は
            # 金融課？」 of the program under discussion checks its division: answered with its own)
            return self.division(analysis, kinds, state)
        if self.describes_a_need(kinds, analysis, state):
            kinds = ["discovery"]   # 「スタッフが足りない…手伝ってくれる事業ある？」
        elif self.asks_of_a_size(kinds, analysis, state):
            kinds = ["eligibility"]   # "what about for a large company?" after a program's rate
        kinds = self.settle_kinds(kinds, analysis)
        if self.continues_calculation(kinds, analysis, state, known):
            kinds = ["calculation"]
        elif self.amount_of_known_figures(kinds, analysis, state, known, facts_for):
            kinds = ["calculation" if k == "amount" else k for k in kinds]
        elif "calculation" in kinds and self.guessed("calculation", analysis):
            # the classifier's calculation without figures: the rule itself
            kinds = list(dict.fromkeys("amount" if k == "calculation" else k for k in kinds))
        if self.asks_what_a_size_is(analysis):
            kinds = ["definition"]   # 「従業員250人ですが中小企業に当たりますか」: no program's amount
        shown = self.share_of_table_asked(kinds, analysis, state, facts, last_asked)
        if shown is not None:
            # "how much of it goes to robots, and to ventures?", 「ロボットの部分だけだと？」 after a
            # topic's table: the budgets of the parts its words name (of the topic, if none)
            kinds = ["budget"]
            facts["table_parts"] = shown
        contact_like = any(k in ("contact", "procedure", "human") for k in kinds)
        resolution = self.resolve(analysis, state, kinds, contact_like)
        if self.asks_about_words(kinds, analysis, resolution):
            kinds = ["overview"]   # answered with what the document says in those words
        elif resolution.status == "none" and analysis.facts.get("need") and not analysis.has_figures \
                and all(self.guessed(k, analysis) for k in kinds):
            # no word asks what the classifier guessed, no program is found, and the business
            # describes a need (「会社の登記とかコンサルタントとか、お金かかります。県のたすけありますか？」):
            # it seeks programs
            kinds = ["discovery"]
        if "discovery" in kinds and resolution.status != "one" and resolution.how != "context":
            # no program settled yet: the list of programs first, the other questions about it
            kinds = ["discovery"] + [k for k in kinds if k != "discovery"]
        outcome = Outcome([], self._state_after(state, resolution), before=state, facts_for=facts_for,
                          given=set(self.message_facts(analysis)))
        for kind in kinds:
            if kind == "discovery" and resolution.status == "one" and len(kinds) > 1 and outcome.answered:
                continue   # the program found already answers what was described
            self._answer_kind(kind, analysis, resolution, facts, outcome)
            if resolution.status == "several" and outcome.calculate in resolution.ids:
                # of a name's candidates, the one the first question settled (its calculation)
                # is the one the next ask of (「セレクト神奈川NEXT…雇用40人…何が変わった？」)
                resolution = Resolution("one", [self.kb.program(outcome.calculate)], resolution.how,
                                        resolution.evidence, resolution.named_now)
            elif resolution.status != "one" and outcome.state.program:
                # a list just shown settled the program (or candidates) for the next question
                resolution = self.resolver.resolve("", {}, outcome.state)
            elif resolution.status == "none" and outcome.state.candidates:
                resolution = self.resolver.resolve("", {}, outcome.state)
        self.hand_off(outcome)
        return outcome

    def hand_off(self, outcome: Outcome) -> None:
        """An answer about one program ends with the division that answers its phone, unless
        a reply gives a phone number already or asks which program."""
        if not outcome.state.program or any(r.phone or r.key.startswith("ask.") for r in outcome.replies):
            return
        if outcome.state.program not in {pid for r in outcome.replies for pid in r.programs}:
            return
        program = self.kb.program(outcome.state.program)
        if program is None or program.contact is None:
            return
        outcome.replies.append(Reply("handoff.footer", {"program": program, "contact": program.contact},
                                     kind="handoff", programs=[program.id], phone=program.contact.phone))

    @staticmethod
    def guessed(kind: str, analysis: Analysis) -> bool:
        """Whether only the classifier chose this kind: no word of the message asks it (and,
        for a calculation, no figure is given)."""
        return kind not in analysis.cued and not (kind == "calculation" and analysis.has_calculation_facts)

    def continues_calculation(self, kinds: list[str], analysis: Analysis, state: State, known: dict) -> bool:
        """「特区制度を活用した場合は？」 after a calculation: a new fact for the program whose
        figures were given is the same calculation again, with it."""
        given = set(self.message_facts(analysis)) & {"size", "not_sizes", "tokku", "money", "employees", "days",
                                                      "course", "measures", "variant"}
        program = self.kb.program(state.program) if state.program else None
        # (and "does that change the number?" with a figure or scheme of the business, after its
        # own sum was computed; a size with a change asks how the program's rules changed:
        # "wasn't the requirement for large companies stricter before?")
        if not (given and program and program.rule_ids and not analysis.mentions
                and set(kinds) <= {"amount", "overview", "discovery", "unknown", "calculation", "eligibility"}
                | ({"change"} if known.get("money") and given - {"size"} else set())):
            return False
        # the figure the program's rules are of, given after its rules were shown (「45日」 after
        # the leave incentive's tiers), or any fact after the user's figures were given
        figure_of_rules = ("money" in given and any((self.kb.rule(r).get("base") or {}).get("input")
                                                    for r in program.rule_ids)) or \
            ("days" in given and any(c.get("tiers") for r in program.rule_ids for c in self.kb.rule(r).get("courses", [])))
        if self.aspect(analysis) and not (known.get("money") or "money" in given):
            return False   # (「その場合の補助率は？」 with no sum to compute from asks the rate)
        return bool(figure_of_rules or known.get("money") or known.get("days") or known.get("employees"))

    def asks_about_words(self, kinds: list[str], analysis: Analysis, resolution: Resolution) -> bool:
        """「面接会で採用したあとのフォローもしてもらえますか？」「育休あけてすぐ辞めた場合は？」:
        a yes/no or a case about the program under discussion, in words no kind's cue has:
        not what the classifier guessed (its eligibility, its amount) but what the document
        says in those words."""
        if not (len(kinds) == 1 and kinds[0] in ("eligibility", "amount", "discovery", "overview", "procedure")
                and self.guessed(kinds[0], analysis) and resolution.status == "one" and resolution.how == "context"
                and (analysis.yes_no or self.analyser.conditional(analysis.text)) and not analysis.has_calculation_facts):
            return False
        # (its words must be of that program: 「創業したい」 in the middle of its calculation is not)
        terms = self.resolver.describing_terms(self.text_without_facts(analysis))
        # (in English, its whole text by the dictionary English of its words too: "is it
        # online?" of the オンデマンド型オンライン講座 its page offers)
        return bool(self.kb.matched_terms(resolution.program.id, terms, self.resolver.index,
                                          glosses=self.resolver.index != "ja"))

    @staticmethod
    def asks_what_a_size_is(analysis: Analysis) -> bool:
        """「うちは中小企業に当たりますか」「Are we an SME?」: whether the business is of a size,
        no program named — what the document says a size is, not a program its facts fit."""
        return bool("definition" in analysis.cued and analysis.facts.get("company_size") and not analysis.mentions)

    def describes_a_need(self, kinds: list[str], analysis: Analysis, state: State) -> bool:
        """A message describing a need, with no word asking anything else and no program
        named or under discussion that meets it: what the classifier guessed (its
        eligibility, its amount) gives way to the programs for the need."""
        needs = analysis.facts.get("need") or []
        figures = any(analysis.facts.get(f) for f in ("money", "duration", "measure", "tokku", "variant", "course"))
        if not needs or analysis.mentions or figures \
                or not set(kinds) <= {"eligibility", "amount", "overview"} or any(k in analysis.cued for k in kinds):
            return False
        if state.program:
            # (the need's words are the program under discussion's own: 「伴走支援型のほうは？」 after
            # 信用保証事業費補助（原油高騰対応小口分・伴走支援分）)
            said = [e.get("text") or "" for e in analysis.entities if e["entity"] == "need"]
            name = fold(self.kb.program(state.program).name)
            if said and all(w and fold(w) in name for w in said):
                return False
        return not (state.program and state.program in {p.id for p in self.need_programs(needs)})

    def asks_again(self, kinds: list[str], analysis: Analysis, last_asked: list[str] | None) -> bool:
        """Only a program named after a question answered (「じゃあ介護の方は？」 "And the JETRO
        one?"): the same question of it, unless a word of the message asks something."""
        return bool(last_asked and analysis.only_names and not analysis.cued and len(analysis.mentions) == 1
                    and all(self.guessed(k, analysis) for k in kinds)
                    and any(ASKED_AGAIN.get(k, k) in QUESTION_KINDS for k in last_asked))

    def topic_alone(self, kinds: list[str], analysis: Analysis, last_asked: list[str] | None) -> bool:
        """Only an area of the bureau's policy named (a topic), nothing asked in words, after
        a budget or an overview was answered: the budget of that area."""
        return bool(analysis.facts.get("topic") and not analysis.mentions and not analysis.cued
                    and all(self.guessed(k, analysis) for k in kinds)
                    and set(last_asked or ()) & {"budget", "overview"})

    def goes_on_asking(self, kinds: list[str], analysis: Analysis, last_asked: list[str] | None) -> bool:
        """A follow-up starting as one that goes on with the same question (language data
        ``continuations``), asking nothing in words, after a budget: that budget again, of
        what it describes."""
        return bool(last_asked and "budget" in last_asked and not analysis.cued
                    and all(self.guessed(k, analysis) for k in kinds) and self.analyser.continues(analysis.text))

    @staticmethod
    def questions_the_program(analysis: Analysis, state: State) -> bool:
        """「それって無料？」 while a program is under discussion: a yes/no question, never the
        goodbye or thanks the classifier may take it for."""
        return bool(state.program and analysis.kind in ("goodbye", "thank", "greet")
                    and analysis.text.rstrip().endswith(("?", "？")))

    def asks_of_it_in_other_words(self, kinds: list[str], analysis: Analysis, state: State) -> bool:
        """"Is it online, so they can study whenever they have time?" of the program under
        discussion, which the classifier took for a search (find_by_need): no need, fact,
        division or program named, and the words find no other program clearly ("do you
        have staff in Singapore?" after the overseas expansion program does): no program is
        searched for by its incidental words; what the document says of it in those words,
        else its division."""
        if not (kinds == ["discovery"] and self.guessed("discovery", analysis) and analysis.yes_no and state.program
                and not analysis.mentions and not analysis.divisions and not analysis.facts.get("need")
                and not self.message_facts(analysis)):
            return False
        return self.keeps_the_program(analysis, state)

    def asks_under_a_condition(self, kinds: list[str], analysis: Analysis, state: State,
                               last_asked: list[str] | None) -> bool:
        """Only a condition of the business said (a size, a special zone, a course, a
        variant: no figure, no program named, no word asking anything, no yes/no: "we are a
        large company, can we borrow it?" asks whether) after an amount was
        answered for the program under discussion, whose words the message does not leave:
        the amount asked again, under that condition (a size it is not for: whether it is)."""
        conditions = {"size", "not_sizes", "tokku", "course", "variant"}
        said = self.message_facts(analysis)
        if not (state.program and last_asked and {"amount", "calculation"} & set(last_asked)
                and said and set(said) <= conditions and not analysis.mentions and not analysis.cued and not analysis.yes_no
                and set(kinds) <= {"amount", "calculation", "eligibility", "discovery", "overview", "unknown"}):
            return False
        program = self.kb.program(state.program)
        size = said.get("size")
        if size and any(self.kb.rule(r).get("sizes") and evaluate(self.kb.rule(r), {"size": size}).outcome
                        == NOT_ELIGIBLE for r in program.rule_ids):
            return False   # ("and for a large company?" of an SMEs' subsidy: whether it is eligible)
        return self.keeps_the_program(analysis, state)

    def keeps_the_program(self, analysis: Analysis, state: State) -> bool:
        """Whether the message's words leave the program under discussion where it is (they
        find no other program more clearly)."""
        resolution = self.resolver.resolve(analysis.text, {}, state)
        return resolution.status == "one" and resolution.program.id == state.program

    def asks_of_a_size(self, kinds: list[str], analysis: Analysis, state: State) -> bool:
        """A company size and nothing else said (no word asking anything, no program named)
        while a program is under discussion: whether it is for businesses of that size
        (「じゃあ大企業は？」, "what about for a large company?")."""
        sizes = [e for e in analysis.entities if e["entity"] == "company_size" and e["end"] > e["start"]]
        if not (sizes and state.program and not analysis.mentions and not analysis.cued
                and set(kinds) <= {"discovery", "unknown", "overview", "eligibility"}):
            return False
        text = blank(analysis.text, [(e["start"], e["end"]) for e in analysis.entities])
        return not self.resolver.describing_terms(text)

    def amount_of_known_figures(self, kinds: list[str], analysis: Analysis, state: State, known: dict,
                                facts_for: str | None) -> bool:
        """「その場合、補助金の額はいくらになりますか」: the amount, not a part of the rule, asked
        of the program the user's figures were given for: the calculation with them."""
        program = self.kb.program(state.program) if state.program else None
        if not ("amount" in kinds and program and program.rule_ids and self.aspect(analysis) is None):
            return False
        if analysis.has_calculation_facts or analysis.facts.get("course"):
            return False   # new facts of its own: what it asks is about them (another course…)
        named_elsewhere = analysis.mentions and not any(program.id in m.program_ids for m in analysis.mentions)
        return bool((known.get("money") or known.get("days")) and facts_for in (None, program.id)
                    and not named_elsewhere)

    def settle_kinds(self, kinds: list[str], analysis: Analysis) -> list[str]:
        """The kinds to answer, in order: a calculation or amount before a list of programs,
        a subsection's budget when a subsection is named, a yes/no about a company size as
        eligibility, and what the classifier alone guessed only where the program has it."""
        # (a calculation of the business's own share: the subsection's words name the program
        # to calculate for, "if we used the prefecture's productivity support, how much would
        # we get…"; 「1億3,121万円のうち重複を除くと」 calculates nothing of the business's)
        if self.subsections_named(analysis) and not set(kinds) & {"contact", "procedure", "human", "period", "change"} \
                and not ("calculation" in kinds and self.analyser.says_own_share(analysis.text)):
            return ["budget"]
        if self.analyser.superlative(analysis.text) and set(kinds) & {"budget", "amount", "discovery"}:
            kinds = ["comparison"]   # 「その中で一番予算が多いのは？」: the programs side by side
        if analysis.yes_no and analysis.fact("company_size") and analysis.mentions \
                and kinds[0] in ("amount", "overview", "discovery") and kinds[0] not in analysis.cued:
            kinds = ["eligibility"] + [k for k in kinds if k not in ("amount", "overview", "discovery")]
        if "discovery" in kinds and set(kinds) & {"calculation", "amount"} and analysis.mentions:
            kinds = [k for k in kinds if k != "discovery"] + ["discovery"]
        sizes = {e["value"] for e in analysis.entities if e["entity"] in ("company_size", "denied_size")}
        if "comparison" in kinds and len(sizes) > 1 and not analysis.mentions and self.aspect(analysis):
            # sizes compared, not programs ("the rates for a normal SME versus a small-scale
            # one?"): the part of the amount asked, which gives each size's
            kinds = list(dict.fromkeys("amount" if k == "comparison" else k for k in kinds))
        return kinds

    def share_of_table_asked(self, kinds: list[str], analysis: Analysis, state: State, facts: dict,
                             last_asked: list[str] | None) -> list[dict] | None:
        """After a topic's budget table (no program under discussion since), a question naming
        no program that names parts of that table by their words, or speaks of a share of it
        (「そのうち…」 "how much of that is …"): those parts (none: the topic's table again)."""
        topic_id = facts.get("topic")
        # (a program named is asked of, unless by other than its name with a part spoken of:
        # "and the part for business succession and startups?")
        parts_spoken = self.analyser.speaks_of_table_parts(analysis.text)
        named_now = [e for e in analysis.entities if e["entity"] == "topic"]
        if any(m.kind not in WEAK_MENTIONS and (m.kind == "name" or not parts_spoken) for m in analysis.mentions) \
                or not set(kinds) & {"amount", "calculation", "budget", "discovery", "overview"} \
                or self.subsections_named(analysis):   # (named by its whole name: answered as named)
            return None
        if named_now:
            # the table asked with a share of it ("total budget of … and how much for supporting
            # companies going overseas?"): the parts the words besides its name name
            if "budget" not in kinds or len(set(kinds)) < 2 or not set(kinds) <= {"budget", "amount", "calculation"} \
                    or len({e["value"] for e in named_now}) > 1:
                return None
            # (the words after its name: those before tell the business's story, "… wants to add
            # value to its catch … the growth-industries part")
            after = analysis.text[max(e["end"] for e in named_now):]
            return self.parts_of_table(after, named_now[0]["value"]) or None
        if not topic_id or "budget" not in (last_asked or []) or state.program:
            return None
        parts = self.parts_of_table(analysis.text, topic_id)
        if parts or self.analyser.speaks_of_share_of_shown(analysis.text) and not analysis.has_figures:
            return parts
        return None

    def parts_of_table(self, text: str, topic_id: str) -> list[dict]:
        """The subsections of a topic's table that words of the message name: each whose name
        (in English, its English names) holds a word of the message no other subsection's
        does ("how much goes to robots, and to ventures?": (1) and (2)); else those holding most
        of its words."""
        terms = set(self.resolver.describing_terms(text))
        subsections = self.kb.subsections(topic_id)
        words = [{t for name in (self.kb.english_names(sub) if self.resolver.index == "en" else [sub["name"]])
                  for t in self.resolver.describing_terms(name)} & terms for sub in subsections]
        own = [sub for sub, held in zip(subsections, words)
               if any(sum(t in other for other in words) == 1 for t in held)]
        if own:
            return own
        most = max(map(len, words), default=0)
        return [sub for sub, held in zip(subsections, words) if most and len(held) == most]

    def subsections_named(self, analysis: Analysis) -> list[dict]:
        """Subsections of the budget tables the message names: by their words when it names
        no program; by their whole name when it names programs only by other names
        (「商工会議所の職員です。…(5)外国人材の育成・活躍支援は」)."""
        language = self.resolver.index
        if not analysis.mentions:
            return self.kb.subsections_in(analysis.text, self.resolver.describing_terms(analysis.text), language)
        if all(m.kind != "name" for m in analysis.mentions):
            return self.kb.subsections_in(analysis.text, language=language)
        return []

    def small_talk(self, kind: str) -> Reply:
        if kind == "greet":
            return Reply("greet", {"status": self.kb.source["status_label"]}, kind="greet", buttons=[
                Button("starter.productivity", self.analyser.language_text("starter.productivity_question")),
                Button("starter.leave", self.analyser.language_text("starter.leave_question")),
                Button("starter.startup", self.analyser.language_text("starter.startup_question")),
                Button("starter.new", self.analyser.language_text("starter.new_question"))])
        return Reply(SMALL_TALK[kind], kind=kind)

    def division(self, analysis: Analysis, kinds: list[str], state: State) -> Outcome:
        """A division named: its phone; where, when or how it receives people the document
        does not say."""
        contact = self.kb.contact(analysis.divisions[0])
        if self.analyser.asks_programs_of(analysis.text):
            handled = [p for p in self.kb.programs() if p.contact and p.contact.id == contact.id and not p.aggregate]
            return Outcome([Reply("contact.division_programs", {
                "division": contact.division, "contact": contact, "count": len(handled),
                "items": [Reply("discovery.item", {"program": p, "summary": "", "with_summary": False})
                          for p in handled],
                "pages": Pages(tuple(dict.fromkeys(p.pages for p in handled if p.pages)))},
                kind="contact", programs=[p.id for p in handled], phone=contact.phone,
                buttons=[program_button(p) for p in handled[:LIST_SIZE]])],
                State(candidates=[p.id for p in handled], last_list=[p.id for p in handled]), answered=["contact"])
        return Outcome([Reply("contact.division", {"contact": contact, "division": contact.division,
                                                   "not_stated": bool(set(kinds) & {"place", "procedure"})},
                              kind="contact", phone=contact.phone)], state, answered=["contact"])

    def listed_contact(self, state: State) -> Contact | None:
        """With no program under discussion, the one division of every program just listed."""
        if state.program or not state.last_list:
            return None
        return self.shared_contact([self.kb.program(pid) for pid in state.last_list])

    def asks_of_one_divisions_list(self, analysis: Analysis, state: State) -> bool:
        """A question no kind's cue has ("is it free? which days are the classes?") right
        after a list whose programs are all one division's: that division knows."""
        return bool(analysis.text.rstrip().endswith(("?", "？")) and self.listed_contact(state))

    def fallback_handoff(self, analysis: Analysis, state: State) -> Outcome:
        """A second misunderstanding in a row, or a question not understood after a list of
        one division's programs: the division of the program under discussion, else that of
        the list, else the general contact."""
        program = self.kb.program(state.program) if state.program else None
        contact = program.contact if program and program.contact else \
            self.listed_contact(state) or self.kb.general_contact()
        return Outcome([Reply("fallback.handoff", {"program": program, "contact": contact},
                              kind="handoff", programs=[program.id] if program else [], phone=contact.phone)],
                       state)

    def message_facts(self, analysis: Analysis) -> dict:
        """The facts of the message as the evaluator names them."""
        found = {}
        mapping = {"company_size": "size", "people": "employees", "duration": "days", "course": "course",
                   "measure": "measures", "industry": "industry", "business_type": "business_type",
                   "region": "region", "manufacturing_field": "manufacturing_field", "facility": "facility",
                   "variant": "variant", "tokku": "tokku", "topic": "topic"}
        for entity, fact in mapping.items():
            value = analysis.fact(entity)
            if value is not None:
                found[fact] = analysis.facts[entity] if fact == "measures" else value
        money = analysis.fact("money")
        if money is not None:
            found["money"] = money
        denied = [e["value"] for e in analysis.entities if e["entity"] == "denied_size"]
        if denied and "size" not in found:
            found["not_sizes"] = list(dict.fromkeys(denied))
        return found

    def resolve(self, analysis: Analysis, state: State, kinds: list[str], contact: bool) -> Resolution:
        """The program the message means, once per turn, for every kind it asks."""
        needs = {"amount": lambda p: bool(p.rule_ids or self.related_for_amounts(p)),
                 "calculation": lambda p: bool(p.rule_ids or self.related_for_amounts(p)),
                 "eligibility": lambda p: bool(p.rule_ids or p.eligibility),
                 "new": lambda p: bool(p.new_mark)}
        for kind in STATEMENT_KINDS:
            needs.setdefault(kind, lambda p, kind=kind: bool(self.kb.statements(p.id, kind)
                                                             or (kind == "change" and p.new_mark)))
        tests = [needs[k] for k in kinds if k in needs]
        useful = (lambda p: any(test(p) for test in tests)) if tests else None
        facts = {name: values[0] if len(values) == 1 else values for name, values in analysis.facts.items()}
        of_amounts = bool(set(kinds) & {"amount", "calculation", "eligibility"})
        if "comparison" in kinds:
            text = analysis.text   # 「生産性向上の補助と小規模事業者のデジタル化の補助」: sizes name programs here
        elif of_amounts:
            # in a question about amounts or eligibility an industry or region is a fact of
            # セレクト神奈川ＮＥＸＴ's requirements, not words to search programs by
            text = self.text_without_facts(analysis, also=REQUIREMENT_FACTS)
        else:
            # in a description of a need it is words like any other
            facts = {k: v for k, v in facts.items() if k not in REQUIREMENT_FACTS}
            text = self.text_without_facts(analysis)
        mentions = analysis.mentions
        if of_amounts:
            # a special zone named as where the business is or the scheme it uses (「特区内の工場」,
            # "inside the Sagami robot special zone") is that fact, not the zone's publicity
            # program it is also a weaker name of
            zones = [(e["start"], e["end"]) for e in analysis.entities if e["entity"] == "tokku"]
            mentions = [m for m in mentions if not (m.kind in WEAK_MENTIONS and any(
                m.start < end and start < m.end for start, end in zones))]
        resolution = self.resolver.resolve(text, facts, state, contact=contact, useful=useful,
                                           reference=analysis.reference, mentions=mentions,
                                           compares="comparison" in kinds)
        if of_amounts and resolution.status == "several" and resolution.how == "search":
            # what a business of its size receives: of those found equally, the one only for
            # that size ("small shop … cashless POS … how much?": the small businesses' subsidy)
            sized = [p for p in resolution.programs if p.audience in (analysis.facts.get("company_size") or [])]
            if len(sized) == 1:
                resolution = Resolution("one", sized, "search", {sized[0].id: resolution.evidence.get(sized[0].id, [])},
                                        True)
        if state.program and resolution.status == "one" and resolution.how == "search" \
                and resolution.program.id != state.program and not analysis.mentions:
            # a fact only the rules of the program under discussion use is said of it ("and if
            # the project qualifies for the special-zone treatment?" after Select NEXT's amount
            # is not the fertility-treatment course for the word "treatment")
            used = (["tokku"] if analysis.facts.get("tokku") else []) + [
                v for name in ("course", "measure", "variant") for v in analysis.facts.get(name) or []
                if isinstance(v, str) and v != NO_MEASURES]
            users = [{p.id for p in self.kb.programs_using(value)} for value in used]
            if users and all(state.program in ids and resolution.program.id not in ids for ids in users):
                current = self.kb.program(state.program)
                return Resolution("one", [current], "context", {current.id: [Evidence("context", current.name)]})
        if of_amounts and state.program and resolution.status == "one" and resolution.how == "search" \
                and resolution.program.id != state.program:
            # figures given after a program's amount are for it: its words matched by another
            # program whose rules those figures fail (「設備費が1,200万円…いくら？」 after the
            # productivity subsidy is not セレクト神奈川ＮＥＸＴ, whose least investment is 5千万円)
            message_facts = self.message_facts(analysis)
            current = self.kb.program(state.program)
            if self.ruled_out(resolution.program, message_facts) and not self.ruled_out(current, message_facts):
                return Resolution("one", [current], "context", {current.id: [Evidence("context", current.name)]})
        return resolution

    def text_without_facts(self, analysis: Analysis, also: tuple[str, ...] = ()) -> str:
        """The message with the facts it states (sizes, amounts, days…) blanked, so that
        「小規模事業者なんだけど」 is not taken for 小規模事業者デジタル化支援事業費補助."""
        text = analysis.text
        audience = []
        # (in English, a kind of business said neither as what the business says it is nor as
        # its own, "our workshop", is what it seeks: "can a public research institute help?"
        # searches by those words)
        itself = self.resolver.said_of_itself(text) if self.resolver.index == "en" else None
        for entity in analysis.entities:
            if itself is not None and entity["entity"] == "business_type" \
                    and str(entity.get("text", "")).lower() not in itself \
                    and not OWN.search(text[:entity["start"]]) and not any(
                        other["entity"] == "need" and other["start"] == entity["start"] for other in analysis.entities):
                # (… and not a need's word too: "robots + software" are things bought, which
                # their need stands for)
                continue
            if entity.get("role") == "audience":
                # 「小さい店向け」: programs for 小規模事業者; "for a small business": in its English words
                audience.append(str(entity.get("text") if self.resolver.index == "en" else entity["value"]))
            elif (entity["entity"] in BLANKED_FACTS or entity["entity"] in also) and entity["end"] > entity["start"]:
                text = blank(text, [(entity["start"], entity["end"])])
        # (a division named, 「雇用労政課」, names the division, not a program by its words; so
        # does the bureau or department: 「産業労働局の予算で、漁業向けのもの」 is no labour program)
        names = [division for division, _cid in self.analyser.divisions] if analysis.divisions else []
        text = blank(text, self.analyser.office_spans(text, names + self.analyser.organisation, fold))
        return " ".join([text] + audience)

    @staticmethod
    def _state_after(state: State, resolution: Resolution) -> State:
        if resolution.status == "one":
            return State(program=resolution.program.id, candidates=[], last_list=state.last_list)
        if resolution.status == "several":
            return State(program=None, candidates=resolution.ids, last_list=resolution.ids)
        return State(program=state.program, candidates=state.candidates, last_list=state.last_list)

    def _answer_kind(self, kind: str, analysis: Analysis, resolution: Resolution, facts: dict,
                     outcome: Outcome) -> None:
        handler = getattr(self, f"kind_{kind}", None)
        if handler is None:
            handler = self.kind_statement if kind in STATEMENT_KINDS else self.kind_overview
        handler(kind, analysis, resolution, facts, outcome)

    # ── when the program is not settled ─────────────────────────────────
    def _one_or_ask(self, kind: str, analysis: Analysis, resolution: Resolution, outcome: Outcome,
                    useful=None) -> Program | None:
        """The program to answer for, or None after asking which (with the candidates the
        evidence found) or saying nothing fits."""
        if resolution.status == "one" and not (useful and resolution.how == "search" and not useful(resolution.program)
                                               and not self.meets_a_need(resolution.program, analysis)):
            return resolution.program
        candidates = resolution.programs
        if useful:
            holding = [p for p in candidates if useful(p)]
            if not holding and (candidates or analysis.facts.get("need")):
                # none of those the words found holds what is asked (an amount): the one
                # program meeting every need the message names that does, of the kind spoken
                # of and not ruled out by the business's figures ("buy a robot arm … how much
                # subsidy": 設備投資 and ロボット; "buy a laser cutter for 9 million yen": not
                # セレクト神奈川ＮＥＸＴ, whose least investment is 5千万円)
                holding = self.meeting_every_need(analysis, useful)[:2]
                holding = holding if len(holding) == 1 else []
            if resolution.status == "one" and not holding:
                return resolution.program
            if resolution.how == "context" and len(holding) == 1 and holding[0] is not candidates[0] \
                    and not self.words_only_in(holding[0], candidates[0], analysis) \
                    and not (kind == "calculation" and analysis.fact("money") is not None):
                # after a list, a program listed lower is not meant because it alone holds
                # what is asked ("How much could one company get?" after decarbonization
                # ventures' support, the eco-asset subsidy fourth), unless the question's
                # words are in its part of the document and not in the first's
                # (「その地域振興型の枠は使えますか」): which one. (A cost given to calculate with
                # needs a program whose amounts can: "the robot is about ¥9,000,000, how much would
                # we get back?" is the one listed that has them)
                holding = []
            candidates = holding or candidates
        if len(candidates) > 1:
            # (those the business's figures rule out are not meant: a 900万円 lathe is no
            # location subsidy's investment)
            facts = self.message_facts(analysis)
            kept = [p for p in candidates if not self.ruled_out(p, facts)]
            candidates = kept if len(kept) == 1 else candidates
        if len(candidates) == 1:
            return candidates[0]
        checking = self.checking_the_head_count(kind, analysis, candidates)
        if checking:
            return checking
        described = resolution.how in ("search", None, "context") and resolution.status != "several" \
            or resolution.how == "search"
        if not candidates:
            candidates = self.likely_programs(analysis, useful)
            needs = [v for v in analysis.facts.get("need") or [] if isinstance(v, str)]
            if useful and len(candidates) == 1 and needs and self.need_programs(needs) == candidates:
                # a need only one program meets, which holds what is asked (「男性社員が育休とったら
                # 奨励金ってでる？いくら？」): its answer, named, not a list of one (not so for a
                # need many meet, ロボット: the one holding what is asked is no more meant)
                return candidates[0]
        self.ask_which(kind, candidates, outcome, with_summaries=described)
        return None

    def words_only_in(self, program: Program, other: Program, analysis: Analysis) -> bool:
        """Whether the question's describing words are in ``program``'s part of the
        document and none in ``other``'s."""
        terms = self.resolver.describing_terms(self.text_without_facts(analysis))
        language = self.resolver.index
        return bool(self.kb.passages(program.id, terms, language=language)) \
            and not self.kb.passages(other.id, terms, language=language)

    def ask_which(self, kind: str, candidates: list[Program], outcome: Outcome, with_summaries: bool = False) -> None:
        """Ask which program, offering the candidates the evidence found: for a name several
        programs share, their names; for programs found by what the message describes, each
        with its summary (so the list itself answers 「何かある？」)."""
        if kind not in outcome.pending:
            outcome.pending.append(kind)
        if any(r.key.startswith("ask.which") for r in outcome.replies):
            return   # one question back per turn, for every kind waiting
        shown = [p.id for p in candidates[:LIST_SIZE]]
        if candidates and outcome.before and outcome.before.candidates == shown:
            # the same choice asked again: not the same words, the candidates numbered
            numbered = [Reply("ask.numbered_item", {"n": i + 1, "program": p}) for i, p in enumerate(candidates[:LIST_SIZE])]
            outcome.replies.append(Reply("ask.which_again", {"numbered": numbered}, kind="ask", programs=shown,
                                         buttons=[program_button(p) for p in candidates[:LIST_SIZE]]))
            outcome.state = State(program=None, candidates=shown, last_list=shown)
        elif candidates:
            items = [Reply("discovery.item", {"program": p, "summary": p.summary or "",
                                              "with_summary": with_summaries and i < LIST_WITH_SUMMARY})
                     for i, p in enumerate(candidates[:LIST_SIZE])]
            outcome.replies.append(Reply("ask.which_list" if with_summaries else "ask.which",
                                         {"programs": candidates[:LIST_SIZE], "items": items}, kind="ask",
                                         programs=[p.id for p in candidates[:LIST_SIZE]],
                                         buttons=[program_button(p) for p in candidates[:LIST_SIZE]]))
            outcome.state = State(program=None, candidates=[p.id for p in candidates[:LIST_SIZE]],
                                  last_list=[p.id for p in candidates[:LIST_SIZE]])
        else:
            outcome.replies.append(Reply("ask.which_unknown", kind="ask"))

    def likely_programs(self, analysis: Analysis, useful=None, limit: int = LIST_SIZE) -> list[Program]:
        """Programs a message most likely means when it names none: those meeting a need
        it names, then those its words match; only those holding what is asked."""
        found: list[Program] = self.need_programs(analysis.facts.get("need") or self.kb.needs_in(analysis.text))
        terms = self.resolver.describing_terms(analysis.text)
        found += [p for p, _s, _m in self.resolver.rank(terms, limit=limit * 2) if p not in found]
        if useful:
            found = [p for p in found if useful(p)]
        return found[:limit]

    def meeting_every_need(self, analysis: Analysis, useful) -> list[Program]:
        """The programs meeting every need the message names that hold what is asked
        (``useful``), of the kind of program spoken of, less those the business's figures
        rule out (one need alone: none unless the figures rule some out)."""
        needs = list(dict.fromkeys(v for v in analysis.facts.get("need") or [] if isinstance(v, str)))
        if not needs:
            return []
        every = set.intersection(*({p.id for p in self.kb.programs_for_need(n)} for n in needs))
        found = [p for p in self.need_programs(needs) if p.id in every and useful(p)]
        found = self.resolver.of_kind_spoken(found, analysis.text) or found
        facts = self.message_facts(analysis)
        kept = [p for p in found if not self.ruled_out(p, facts)]
        if len(needs) == 1 and len(kept) == len(found):
            return []   # (one need alone narrows enough only when the figures rule some out)
        return kept or found

    def checking_the_head_count(self, kind: str, analysis: Analysis, candidates: list[Program]) -> Program | None:
        """Whether a business of this many employees qualifies ("only 35 regular employees…
        can we still qualify for the location subsidy?"): the one program, among those found,
        those meeting the needs named and those the business's requirement facts (a lab)
        name, whose requirements check a head count."""
        if kind not in ("eligibility", "calculation") or "eligibility" not in analysis.cued \
                or analysis.fact("people") is None:
            return None
        pool = candidates + self.need_programs(analysis.facts.get("need") or []) + [
            p for name in REQUIREMENT_FACTS for value in analysis.facts.get(name) or [] if isinstance(value, str)
            for p in self.kb.programs_using(value)]
        checking = {p.id: p for p in pool if self.reads_head_count(p)}
        return next(iter(checking.values())) if len(checking) == 1 else None

    def meets_a_need(self, program: Program, analysis: Analysis) -> bool:
        """Whether the program meets one of the needs the message names."""
        needs = [v for v in analysis.facts.get("need") or [] if isinstance(v, str)]
        return any(program.id in {p.id for p in self.kb.programs_for_need(n)} for n in needs)

    def ruled_out(self, program: Program, facts: dict) -> bool:
        """Whether the business's figures fail every rule of the program, in every case
        (an investment below the least any company size may make)."""
        if not program.rule_ids or not facts:
            return False
        evaluator_facts = self.evaluator_facts(program, facts)
        for rule_id in program.rule_ids:
            evaluation = self.kb.evaluate(rule_id, evaluator_facts, cases=True)
            outcomes = [case.outcome for _when, case in evaluation.cases] if evaluation.outcome == CASES \
                else [evaluation.outcome]
            if any(outcome != NOT_ELIGIBLE for outcome in outcomes):
                return False
        return True

    def need_programs(self, needs: list[str]) -> list[Program]:
        """The programs meeting the needs named, once each; those meeting more of them first
        (a machine to save hands: 設備投資 and 人手不足), then those named after a need
        (人手不足業種就業支援 for 人手不足)."""
        met: dict[str, int] = {}
        found: dict[str, Program] = {}
        for need in dict.fromkeys(needs):
            for p in self.kb.programs_for_need(need):
                if not p.aggregate:
                    found.setdefault(p.id, p)
                    met[p.id] = met.get(p.id, 0) + 1
        return sorted(found.values(), key=lambda p: (-met[p.id], not any(fold(need) in fold(p.name) for need in needs)))

    @staticmethod
    def _remember(outcome: Outcome, programs: list[Program], kind: str) -> None:
        """A kind answered; answered for one program, that program is now under discussion."""
        if kind not in outcome.answered:
            outcome.answered.append(kind)
        if len(programs) == 1 and programs[0] is not None:
            outcome.state = State(program=programs[0].id, last_list=outcome.state.last_list)

    # ── what a program is ───────────────────────────────────────────────
    def kind_overview(self, kind, analysis, resolution, facts, outcome) -> None:
        if self.asks_about_words([kind], analysis, resolution):
            # 「費用はかかりますか？」 about the program under discussion: the document's words on
            # it, or that it does not say (the division's phone)
            outcome.replies.append(self.statement(resolution.program, "other", analysis))
            self._remember(outcome, [resolution.program], kind)
            return
        if resolution.status == "several" and resolution.how == "search" or resolution.status == "none":
            # what is it, with no program named: the programs its words describe
            self.kind_discovery("discovery", analysis, resolution, facts, outcome)
            return
        program = self._one_or_ask(kind, analysis, resolution, outcome)
        if program is None:
            return
        passages = self.passages_beyond_overview(program, analysis)
        outcome.replies.append(self.quote(program, passages, kind, program.summary) if passages
                               else self.overview(program))
        self._remember(outcome, [program], kind)

    def passages_beyond_overview(self, program: Program, analysis: Analysis) -> list[dict]:
        """「職場環境整備の相談窓口の設置について教えて」: a question about a program in words of
        its part of the document that its overview does not hold: the sentences with them."""
        if program.aggregate:
            return []
        names = self.kb.name_terms(program.id, self.resolver.index)
        said = self.overview_words(program)
        asked = [t for t in self.resolver.describing_terms(self.text_without_facts(analysis)) if t not in names]
        if not said or all(self.kb.matching([t], said) for t in asked):
            return []
        return self.kb.passages(program.id, asked)

    def overview_words(self, program: Program) -> set[str]:
        """The normalized words of what the overview shows of a program (none in English,
        whose overview is not searched this way), worked out once per program."""
        if program.id not in self._overview_words:
            overview = " ".join(filter(None, (program.summary, program.purpose, program.content, program.eligibility,
                                              *(program.examples or []))))
            self._overview_words[program.id] = set(search_terms(overview)) if self.resolver.index == "ja" else set()
        return self._overview_words[program.id]

    def quote(self, program: Program, passages: list[dict], kind: str, summary: str | None = None) -> Reply:
        """The sentences of a program's part of the document, quoted with their pages; a
        sentence that is the note (※) of one of its budget figures with that figure (「緊急の
        融資枠」: うち緊急対応分 900億円)."""
        lines = []
        for passage in passages:
            lines.append(Reply("statement.line", {"text": Quote(passage["text"]), "page": passage["page"]}))
            lines.extend(self.figures_noted(program, passage["text"]))
        return Reply("statement.quote", {"program": program, "summary": summary, "passages": lines,
            "contact": program.contact, "pages": self.pages(program)},
            kind=kind, programs=[program.id], phone=program.contact.phone if program.contact else None)

    @staticmethod
    def figures_noted(program: Program | None, text: str) -> list[Reply]:
        """The budget figures of the program whose note (※) the sentence is."""
        return [Reply("budget.item", {"label": b.label, "kind": b.kind, "yen": Yen(b.yen), "note": "",
                                      "part": bool(b.part_of)})
                for b in (program.budgets if program else []) if b.note and fold(b.note) in fold(text)]

    def overview(self, program: Program) -> Reply:
        if program.aggregate:
            return Reply("overview.aggregate", {"program": program, "budget": [Yen(b.yen) for b in program.budgets],
                                                "topic": program.topic or "", "pages": Pages((program.pages,))},
                         kind="overview", programs=[program.id])
        details = []
        if program.purpose and program.purpose != program.summary:
            details.append(Reply("line.purpose", {"text": program.purpose}))
        if program.content and program.content not in (program.summary, program.purpose):
            details.append(Reply("line.content", {"text": program.content}))
        target = program.eligibility or (program.audience if program.audience != "資料に記載なし" else None)
        if target:
            details.append(Reply("line.target", {"text": target}))
        if program.examples:
            details.append(Reply("line.examples", {"items": program.examples}))
        if program.related:
            details.append(Reply("line.related", {"program": program.related["program"],
                                                  "why": program.related["why"]}))
        return Reply("overview.program", {"program": program, "mark": program.new_mark or "",
                                          "summary": program.summary or program.purpose or "", "details": details,
                                          "pages": self.pages(program)},
                     kind="overview", programs=[program.id], buttons=kind_buttons(program))

    # ── what one business receives ──────────────────────────────────────
    def kind_amount(self, kind, analysis, resolution, facts, outcome) -> None:
        if resolution.status == "several":
            sources = {(self.related_for_amounts(p) or p).id for p in resolution.programs}
            if len(sources) == 1:
                # candidates whose amounts are the same rules (one quotes the other's): one answer
                program = self.kb.program(sources.pop())
                outcome.replies.extend(self.amount(program, analysis))
                outcome.state = State(program=program.id, last_list=outcome.state.last_list)
                self._remember(outcome, [program], kind)
                return
            giving = [p for p in resolution.programs if p.rule_ids]
            if len(giving) == 2 and self.shared_contact(giving) and (
                    resolution.how == "ambiguous" or self.resolver.siblings(*giving)):
                # two programs of one name giving amounts, one division (the credit-guarantee-fee
                # subsidies of the system loans): each one's, named, rather than a question back
                for p in giving:
                    outcome.replies.extend(self.amount(p, analysis))
                self._remember(outcome, giving, kind)
                return
            if not any(p.rule_ids or self.related_for_amounts(p) for p in resolution.programs):
                if len(resolution.programs) <= ANSWER_EACH_UP_TO and \
                        self.asks_budget_instead(resolution.programs, analysis):
                    # "how much is the AI part of the KISTEC grant, and how much is the whole
                    # grant?": each one's budget
                    outcome.replies.extend(self.budget(p) for p in resolution.programs)
                    self._remember(outcome, resolution.programs, "budget")
                    return
                if len({p.contact.id if p.contact else None for p in resolution.programs}) == 1:
                    outcome.replies.extend(self.not_stated(p, "amount") for p in resolution.programs[:1])
                    self._remember(outcome, resolution.programs, kind)
                    return
        program = self._one_or_ask(kind, analysis, resolution, outcome,
                                   useful=lambda p: bool(p.rule_ids or self.related_for_amounts(p)))
        if program is None:
            return
        gives_none = not (program.rule_ids or self.related_for_amounts(program))   # no per-business amount
        if gives_none and self.asks_budget_instead([program], analysis):
            outcome.replies.append(self.budget(program))
            self._remember(outcome, [program], "budget")
            return
        if gives_none and (
                analysis.yes_no or self.guessed(kind, analysis) and not self.analyser.asks_money(analysis.text)):
            # the classifier's guess of an amount for a program with none, or 「お金出る？」 of
            # it: what it is (the division's phone follows)
            outcome.replies.append(self.overview(program))
            self._remember(outcome, [program], "overview")
            return
        if gives_none and (program.sole_recipient or self.names_a_body_funded(program, analysis)):
            # 「ジェトロ横浜に県はいくら出してる？」: what its one recipient receives is its budget
            outcome.replies.append(self.budget(program))
            self._remember(outcome, [program], "budget")
            return
        outcome.replies.extend(self.amount(program, analysis))
        self._remember(outcome, [program], kind)

    def names_a_body_funded(self, program: Program, analysis: Analysis) -> bool:
        """Whether the message names the program by a body it funds (「商工会議所」, "my local
        chamber of commerce … does the prefecture fund that? how much?": what the bodies
        receive, its budget)."""
        words = set(self.analyser.language.get("body_words") or [])
        return any(program.id in m.program_ids and (m.kind == "body" or words & set(m.text.lower().split()))
                   for m in analysis.mentions)

    def amount(self, program: Program, analysis: Analysis | None = None) -> list[Reply]:
        replies = []
        source = program
        if not program.rule_ids:
            related = self.related_for_amounts(program)
            if related is None:
                return [self.not_stated(program, "amount")]
            replies.append(Reply("amount.using_related", {"program": program, "related": related,
                                                          "why": program.related["why"]}, kind="amount",
                                 programs=[program.id]))
            source = related
        aspect = self.aspect(analysis)
        courses = (analysis.facts.get("course") or []) if analysis else []
        for rule_id in source.rule_ids:
            replies.append(self.rule_reply(source, self.kb.rule(rule_id), aspect, courses))
        return replies

    def aspect(self, analysis: Analysis | None) -> str | None:
        """Which part of an amount is asked: cap, rate, floor, term (language data)."""
        if analysis is None:
            return None
        return self.analyser.aspect(analysis.text)

    def rule_reply(self, program: Program, rule: dict, aspect: str | None, courses: list[str] | None = None) -> Reply:
        kind = rule["kind"]
        values: dict[str, Any] = {"program": program, "label": rule.get("label", ""), "pages": Pages((rule["page"],)),
                                  "contact": program.contact}
        figure = None
        if kind == "rate_of_base":
            values["base"] = rule["base"]["label"]
            values["rates"] = (self._grouped(rule["rates"], lambda r: r["rate"]) if not rule.get("alternatives") else
                               [Reply("rule.alternatives", {"items": [r["rate"] for r in rule["rates"]]})])
            values["caps"] = self._grouped(rule.get("caps") or [], lambda c: Yen(c["yen"]))
            values["floor"] = Yen(rule["floor"]["yen"]) if rule.get("floor") else None
            values["until"] = Quote(rule["applies_until"]) if rule.get("applies_until") else None
            values["applies_to"] = Quote(rule["applies_to"]) if rule.get("applies_to") else None
            values["alternatives"] = bool(rule.get("alternatives"))
            if aspect == "floor" and rule.get("floor"):
                key = "amount.floor_first"
                figure = Yen(rule["floor"]["yen"])
            elif aspect in ("cap", None) and rule.get("caps"):
                key = "amount.cap_first"
                figure = Yen(min(c["yen"] for c in rule["caps"]))
            else:
                key = "amount.rate_first"
        elif kind == "loan_limit":
            values.update(max=Yen(rule["max"]["yen"]), share=rule["share"]["rate"], term=rule["term"]["years"],
                          grace=rule["grace"]["years"], base=rule["base"]["label"])
            key = "amount.loan_term_first" if aspect == "term" else "amount.loan"
            figure = Yen(rule["max"]["yen"])
        elif kind == "fixed_by_course":
            chosen = [c for c in rule["courses"] if c["key"] in (courses or [])] or rule["courses"]
            values["courses"] = [self._course_reply(c, inline=len(chosen) == 1) for c in chosen]
            key = "amount.course" if len(chosen) == 1 else "amount.courses"
            if len(chosen) == 1 and chosen[0].get("yen"):
                figure = Yen(chosen[0]["yen"])
        elif kind == "base_plus_addon":
            values.update(base_yen=Yen(rule["base"]["yen"]), addon_yen=Yen(rule["addon"]["yen"]),
                          total=Yen(rule["base"]["yen"] + rule["addon"]["yen"]), measures=rule["addon"]["any_of"],
                          requirements=rule["base"].get("requirements") or [])
            key = "amount.base_plus_addon"
            figure = Yen(rule["base"]["yen"] + rule["addon"]["yen"])
        else:
            raise ValueError(f"rule {rule['id']}: no reply for kind {kind!r}")
        # the amount depends on the business's own figures: offer to work it out
        figures = kind in ("rate_of_base", "loan_limit") or any(c.get("tiers") for c in rule.get("courses", []))
        buttons = [Button("button.calculate", "/calculate_amount")] if figures else []
        phone = program.contact.phone if rule.get("alternatives") and program.contact else None
        return Reply(key, values, kind="amount", programs=[program.id], figure=figure, buttons=buttons, phone=phone)

    @staticmethod
    def _grouped(entries: list[dict], value) -> list[Reply]:
        """Rates or caps grouped by their condition other than size: 「中小企業は6%・大企業は3%」,
        then 「特区制度活用などの場合は…」; within a group the case without a size first."""
        groups: dict[tuple, list[dict]] = {}
        for entry in entries:
            when = entry.get("when") or {}
            key = tuple(sorted((k, v) for k, v in when.items() if k != "size"))
            groups.setdefault(key, []).append(entry)
        replies = []
        for key, members in sorted(groups.items(), key=lambda item: len(item[0])):
            members = sorted(members, key=lambda e: "size" in (e.get("when") or {}))
            items = [Reply("rule.sized", {"size": (e.get("when") or {}).get("size"), "value": value(e)})
                     for e in members]
            replies.append(Reply("rule.group", {"when": dict(key), "items": items}))
        return replies

    @staticmethod
    def _course_reply(course: dict, inline: bool = False) -> Reply:
        key = "rule.course_inline" if inline else "rule.course"
        requirements = [Quote(r) for r in course.get("requirements") or []] if inline else []
        if course.get("tiers"):
            return Reply(key, {"course": course["course"], "requirements": requirements, "yen": [
                Reply("rule.tier", {"min": t["min_days"], "below": t.get("below_days"), "yen": Yen(t["yen"])})
                for t in course["tiers"]]})
        return Reply(key, {"course": course["course"], "yen": Yen(course["yen"]), "requirements": requirements})

    def related_for_amounts(self, program: Program) -> Program | None:
        """The program whose per-business amounts answer for this one (programs.yml related.amounts)."""
        related = program.related or {}
        if related.get("amounts"):
            other = self.kb.program_by_name(related["program"])
            if other and other.rule_ids:
                return other
        return None

    def not_stated(self, program: Program, kind: str, what: str | None = None) -> Reply:
        """The document does not say it: the division's phone. (Never the budget for an
        amount per business: a reader takes it for what one business receives.)"""
        return Reply(f"not_stated.{kind}" if kind in ("amount", "eligibility", "contact") else "not_stated.other",
                     {"program": program, "contact": program.contact, "what": what or kind,
                      "summary": program.summary if kind == "amount" else None, "pages": self.pages(program)},
                     kind=kind, programs=[program.id], phone=program.contact.phone if program.contact else None)

    # ── the user's own figures ──────────────────────────────────────────
    def kind_calculation(self, kind, analysis, resolution, facts, outcome) -> None:
        program = self._one_or_ask(kind, analysis, resolution, outcome, useful=lambda p: bool(p.rule_ids))
        if program is None:
            return
        source = program if program.rule_ids else self.related_for_amounts(program)
        if source is None:
            outcome.replies.append(self.overview(program) if self.guessed(kind, analysis) or analysis.yes_no
                                   else self.not_stated(program, "amount"))
            self._remember(outcome, [program], kind)
            return
        if source is not program:
            outcome.replies.append(Reply("amount.using_related", {"program": program, "related": source,
                                                                  "why": program.related["why"]},
                                         kind="amount", programs=[program.id]))
            outcome.state = State(program=source.id, last_list=outcome.state.last_list)
        if outcome.facts_for not in (None, source.id):
            # figures given for another program do not count for this one
            facts = {k: v for k, v in facts.items() if k not in PER_PROGRAM_FACTS or k in outcome.given}
        evaluator_facts = self.evaluator_facts(source, facts)
        if self.missing_facts(source, evaluator_facts):
            if "eligibility" in analysis.cued and "amount" not in analysis.cued and not analysis.fact("money") \
                    and not analysis.fact("duration") and not self.reads_head_count(source):
                # 「従業員300人でも対象？」: whether it may apply, which a head count its rules
                # do not read cannot settle: what the document says of who is eligible
                self.kind_eligibility("eligibility", analysis, resolution, facts, outcome)
                return
            if resolution.named_now:
                # the rule first (unless the program was already under discussion, when it
                # was just shown), then the form asks for what the calculation lacks
                outcome.replies.extend(self.amount(source, analysis)[-len(source.rule_ids):])
            outcome.calculate = source.id
            return
        outcome.replies.extend(self.calculation(source, evaluator_facts))
        self._remember(outcome, [source], kind)

    def reads_head_count(self, program: Program) -> bool:
        """Whether the program's rules or requirements read the number of employees."""
        return any("employees" in inputs_read(self.kb.rule(r)) for r in program.rule_ids) or \
            any("employees" in inputs_read(s) for s in self.kb.requirement_sets_for(program.id))

    def evaluator_facts(self, program: Program, facts: dict) -> dict:
        """The facts under the names the program's rules read (money is 対象経費, 投資額 or
        事業費, whichever the rule uses)."""
        found = {k: v for k, v in facts.items() if k != "money" and v is not None}
        money = facts.get("money")
        if money is not None:
            for rule_id in program.rule_ids:
                base_input = (self.kb.rule(rule_id).get("base") or {}).get("input")
                if base_input:
                    found[base_input] = money
        if isinstance(found.get("days"), str):
            # 「1か月半」 is at least 42 days, past every threshold; 「1か月」 is asked again in days
            settled = self.settled_days(program, found.pop("days"))
            if settled is not None:
                found["days"] = settled
        if found.get("days") is not None and not found.get("course"):
            # days of leave given: the one course paid by days taken is the one meant
            by_days = [c["key"] for rule_id in program.rule_ids for c in self.kb.rule(rule_id).get("courses", [])
                       if c.get("tiers")]
            if len(by_days) == 1:
                found["course"] = by_days[0]
        return found

    def settled_days(self, program: Program | None, duration) -> int | None:
        """Days for a duration in months when the fewest days it can be are past every day
        boundary of the program's tiers (so the amount is the same however long the months)."""
        least = least_days(duration)
        boundaries = [day for rule_id in (program.rule_ids if program else []) for course in
                      self.kb.rule(rule_id).get("courses", []) for tier in course.get("tiers", [])
                      for day in (tier.get("min_days"), tier.get("below_days")) if day]
        return least if least is not None and boundaries and least >= max(boundaries) else None

    def missing_facts(self, program: Program, facts: dict) -> list[str]:
        """Facts the program's rules still need, in the order to ask them. Size and 特区
        are not asked: the answer shows each case side by side."""
        missing: list[str] = []
        for rule_id in program.rule_ids:
            if self.kb.evaluate(rule_id, facts, cases=True).outcome == CASES:
                continue
            for fact in self.kb.evaluate(rule_id, facts).missing:
                if fact not in ("size", "tokku") and fact not in missing:
                    missing.append(fact)
        return missing

    def case_facts(self, program: Program, facts: dict) -> list[str]:
        """The facts (size, 特区) a calculation shows case by case, which the user can settle."""
        found: list[str] = []
        for rule_id in program.rule_ids:
            evaluation = self.kb.evaluate(rule_id, facts, cases=True)
            if evaluation.outcome == CASES:
                found += [fact for fact in evaluation.missing if fact not in found]
        return found

    def calculation(self, program: Program, facts: dict) -> list[Reply]:
        replies = []
        for rule_id in program.rule_ids:
            evaluation = self.kb.evaluate(rule_id, facts, cases=True)
            replies.append(self.evaluation_reply(program, evaluation))
        return replies

    def evaluation_reply(self, program: Program, evaluation: Evaluation) -> Reply:
        values = {"program": program, "evaluation": evaluation, "pages": Pages((evaluation.page,))}
        key = {ELIGIBLE: "calculation.eligible", ALTERNATIVES: "calculation.alternatives",
               CASES: "calculation.cases", NOT_ELIGIBLE: "calculation.not_eligible",
               UNKNOWN: "calculation.unknown", NEEDS_INPUT: "calculation.needs_input"}[evaluation.outcome]
        phone = program.contact.phone if program.contact and evaluation.outcome in (
            NOT_ELIGIBLE, UNKNOWN, ALTERNATIVES) else None
        values["contact"] = program.contact
        return Reply(key, values, kind="calculation", programs=[program.id], phone=phone,
                     figure=Yen(evaluation.amount_yen) if evaluation.amount_yen is not None else None)

    # ── who is eligible ─────────────────────────────────────────────────
    def kind_eligibility(self, kind, analysis, resolution, facts, outcome) -> None:
        program = self._one_or_ask(kind, analysis, resolution, outcome,
                                   useful=lambda p: bool(p.rule_ids or p.eligibility))
        if program is None:
            return
        terms = self.resolver.describing_terms(self.text_without_facts(analysis))
        # what the document says of whom the program serves: all of it for 「誰向け？」 or a
        # yes/no, else what matches the question's words
        targets = self.kb.statements(program.id, "target", terms,
                                     matching_only=not (kind == "target" or analysis.yes_no))
        if analysis.yes_no:
            # 「講座はオンラインで受けられますか」: the document's sentences with the words asked
            # about (not the program's own name), when the statements of whom it serves lack them
            said = {w for t in targets for w in (t.get("words") or "").split()}
            asked = [t for t in terms if t not in self.kb.name_terms(program.id, self.resolver.index)
                     and not self.kb.matching([t], said)]
            targets = targets + [{"text": p["text"], "page": p["page"]} for p in self.kb.passages(program.id, asked)]
        reply = self.eligibility(program, facts.get("size"), analysis.yes_no, targets[:STATEMENTS_SHOWN])
        related = None if program.rule_ids else self.related_for_amounts(program)
        if related:
            # its per-business requirements are on the page of the program it points to, as
            # its amounts are (programs.yml related.amounts): those too, said to be that one's
            reply = [reply] if not reply.key.startswith("not_stated") else []
            outcome.replies.extend(reply + [
                Reply("eligibility.using_related", {"program": program, "related": related,
                                                    "why": program.related["why"]}, kind="eligibility",
                      programs=[program.id]),
                self.eligibility(related, facts.get("size"), analysis.yes_no)])
            self._remember(outcome, [program], kind)
            return
        if reply.key.startswith("not_stated") and self.guessed(kind, analysis):
            reply = self.overview(program)
        outcome.replies.append(reply)
        self._remember(outcome, [program], kind)

    kind_target = kind_eligibility

    def eligibility(self, program: Program, size: str | None, yes_no: bool = False,
                    targets: list[dict] | None = None) -> Reply:
        """Who is eligible: a verdict for a size given, the document's eligibility, covered
        costs, requirements, and what it says of whom the program serves (``targets``)."""
        lines: list[Reply] = []
        verdict = None
        for rule_id in program.rule_ids:
            rule = self.kb.rule(rule_id)
            if rule.get("sizes") and size:
                result = evaluate(rule, {"size": size})
                verdict = Reply("eligibility.size_" + ("no" if result.outcome == NOT_ELIGIBLE else
                                                       "unknown" if result.outcome == UNKNOWN else "yes"),
                                {"size": size, "eligible": rule["sizes"].get("eligible", []),
                                 "clause": Quote(rule["sizes"]["clause"])})
                break
        target = program.eligibility or (program.audience if program.audience not in (None, "資料に記載なし") else None)
        if target:
            lines.append(Reply("line.target", {"text": target}))
        if program.covered_costs:
            lines.append(Reply("line.covered", {"text": program.covered_costs}))
        for rule_id in program.rule_ids:
            rule = self.kb.rule(rule_id)
            for course in rule.get("courses", []):
                if course.get("requirements"):
                    lines.append(Reply("line.course_requirements", {"course": course["course"],
                                                                    "items": course["requirements"]}))
            if (rule.get("base") or {}).get("requirements"):
                lines.append(Reply("line.requirements", {"items": rule["base"]["requirements"]}))
            if rule.get("addon"):
                lines.append(Reply("line.addon", {"items": rule["addon"]["any_of"]}))
        for requirement_set in self.kb.requirement_sets_for(program.id):
            lines.append(Reply("line.requirement_set", {"items": [self._requirement_item(i)
                                                                  for i in requirement_set.get("items", [])]}))
        if not lines and verdict is None:
            return self.not_stated(program, "eligibility")
        lines.extend(Reply("statement.item", {"text": Quote(t["text"]), "page": t["page"]}) for t in targets or [])
        if yes_no and verdict is None and program.summary:
            lines.insert(0, Reply("line.summary", {"text": program.summary}))
        return Reply("eligibility.program", {"program": program, "verdict": verdict, "lines": lines,
                                             "pages": self.pages(program)},
                     kind="eligibility", programs=[program.id])

    @staticmethod
    def _requirement_item(item: dict) -> Reply:
        if item["kind"] == "minimum":
            return Reply("requirement.minimum", {"item": item["item"], "input": item["input"], "thresholds": [
                Reply("requirement.threshold", {"when": t.get("when") or {},
                                                "min": Yen.as_printed(t["min"], t.get("clause"))
                                                if item["input"].endswith("_yen") else t["min"],
                                                "people": not item["input"].endswith("_yen")})
                for t in item["thresholds"]]})
        if item["kind"] == "confirm":
            return Reply("requirement.confirm", {"item": item["item"], "text": item["text"]})
        return Reply("requirement.clause", {"text": Quote(item.get("clause", ""))})

    # ── budgets ─────────────────────────────────────────────────────────
    def kind_budget(self, kind, analysis, resolution, facts, outcome) -> None:
        named = bool(analysis.mentions)
        subsections = self.subsections_named(analysis) or facts.get("table_parts")
        if subsections:
            # a topic named besides (「成長産業の創出・育成の全体と、そのうちロボットの…」): its total first
            # (a topic written as the subsection's path, 「労働施策の推進の(5)…」, is not asked)
            named_topics = [e["value"] for e in analysis.entities if e["entity"] == "topic"
                            and not any(fold(e.get("text") or "") in fold(sub["name"]) for sub in subsections)
                            and not SUBSECTION_PATH.match(fold(analysis.text[e["end"]:]))]
            outcome.replies.extend(self.topic_budget(t, self.analyser.initial_only(analysis.text))
                                   for t in dict.fromkeys(named_topics))
            outcome.replies.extend(self.subsection_budget(sub) for sub in subsections[:ANSWER_EACH_UP_TO])
            self._remember(outcome, [], kind)
            outcome.state = self.listed_in(subsections[:ANSWER_EACH_UP_TO])
            return
        topics = analysis.facts.get("topic") or ([facts["topic"]] if facts.get("topic") and resolution.status == "none"
                                                 else [])
        if topics and not named:
            # a topic named now, or the topic of the last answer (「そのうち当初予算分は？」); each
            # topic named ("the other three: growth industries, business attraction and labour policy")
            outcome.replies.extend(self.topic_budget(t, self.analyser.initial_only(analysis.text))
                                   for t in dict.fromkeys(topics))
            self._remember(outcome, [], kind)
            # (the tables, not a program, are now under discussion: "how much of that is …")
            outcome.state = State()
            return
        if analysis.facts.get("topic") and named:
            # a topic named with a program (「…の促進の予算総額と、そのうち海外展開支援の分」):
            # the topic's table, its parts' totals with it, then the program's budget
            outcome.replies.append(self.topic_budget(analysis.facts["topic"][0],
                                                     self.analyser.initial_only(analysis.text)))
        if resolution.status == "several" and len(resolution.programs) <= ANSWER_EACH_UP_TO:
            # a budget is a fact of each program: give each, named
            outcome.replies.extend(self.budget(p) for p in resolution.programs)
            self._remember(outcome, resolution.programs, kind)
            return
        if resolution.status == "none" and not analysis.facts.get("need"):
            outcome.replies.append(self.topic_budget(None))
            self._remember(outcome, [], kind)
            return
        theme = self.subsection_of_needs(analysis.facts.get("need") or []) if resolution.status != "one" else None
        if theme:
            # 「ロボットの予算は全部で？」 "robot total budget": the budget table's part that lists
            # most of the need's programs, with each of its programs
            outcome.replies.append(self.subsection_budget(theme))
            self._remember(outcome, [], kind)
            outcome.state = self.listed_in([theme])
            return
        program = self._one_or_ask(kind, analysis, resolution, outcome)
        if program is None:
            return
        outcome.replies.append(self.budget(program))
        if self.analyser.asks_section_of_program(analysis.text):
            # "… and of the whole robot section it belongs to?": the part of the tables listing it
            outcome.replies.extend(self.subsection_budget(sub) for sub in self.subsections_listing(program))
        self._remember(outcome, [program], kind)

    def subsections_listing(self, program: Program) -> list[dict]:
        """The subsections of the budget tables whose lines list the program (each, where
        it is listed in two: リスキリング人材育成事業費), from its listings."""
        listed = {row["subsection_id"] for row in program.listings}
        return [sub for topic_id in dict.fromkeys(row["topic_id"] for row in program.listings)
                for sub in self.kb.subsections(topic_id) if sub["id"] in listed]

    def listed_in(self, subsections: list[dict]) -> State:
        """The programs the subsections' budget lines list, as the list a follow-up speaks of
        (「その中で一番予算が大きいのは？」)."""
        return listed_state(list(dict.fromkeys(row["program_id"] for sub in subsections
                                               for row in self.kb.subsection_listings(sub["id"])
                                               if row["program_id"] and not row["aggregate"])))

    def subsection_of_needs(self, needs: list[str]) -> dict | None:
        """The subsection of the budget tables that lists most of the programs meeting the
        needs named, when it lists more than half of them (and there are several)."""
        programs = {p.id for need in needs for p in self.kb.programs_for_need(need) if not p.aggregate}
        if len(programs) < 3:
            return None
        counts: dict[str, int] = {}
        subsections = {}
        for topic in self.kb.topics():
            for sub in self.kb.subsections(topic["id"]):
                subsections[sub["id"]] = sub
                listed = {row["program_id"] for row in self.kb.subsection_listings(sub["id"])}
                counts[sub["id"]] = len(programs & listed)
        best = max(counts, key=counts.get, default=None)
        return subsections[best] if best and counts[best] * 2 > len(programs) else None

    def asks_budget_instead(self, programs: list[Program], analysis: Analysis) -> bool:
        """Whether an amount asked of programs with no per-business amount asks their budgets:
        the whole program's size ("how big is the total loan framework?", "how much is the
        whole grant?") or, of each, a line of its budget named (「災害時の緊急用の枠はどれくらい？」:
        うち緊急対応分, for natural disasters), no part of an amount (a rate, a cap) asked."""
        if self.aspect(analysis) is not None:
            return False
        if self.analyser.asks_whole_program(analysis.text):
            return True
        terms = self.resolver.describing_terms(analysis.text)
        return bool(terms) and all(self.names_budget_line(p, terms) for p in programs)

    @staticmethod
    def names_budget_line(program: Program, terms: list[str]) -> bool:
        """Whether the message's describing ``terms`` are of a line of the program's budget
        other than its sums (a lending frame's part kept for emergencies: its label or note)."""
        lines = [b for b in program.budgets if b.kind not in ("initial", "supplementary")]
        words = " ".join(f"{b.label or ''} {b.note or ''}" for b in lines)
        english = {stem for b in lines for stem in b.words_en.split()}   # (their dictionary English)
        return bool(words.strip()) and any(term in words or term in english for term in terms)

    def budget(self, program: Program) -> Reply:
        lines = []
        seen = set()
        main = None
        for budget in program.budgets:
            if budget.kind in ("initial", "supplementary"):
                if (budget.kind, budget.yen) in seen:
                    lines.append(Reply("budget.repeated", {"topic": budget.topic or ""}))
                    continue
                seen.add((budget.kind, budget.yen))
                if main is None and budget.kind == "initial":
                    main = Yen(budget.yen)
                    continue
                lines.append(Reply(f"budget.{budget.kind}", {"yen": Yen(budget.yen), "topic": budget.topic or ""}))
            else:
                lines.append(Reply("budget.item", {"label": budget.label, "kind": budget.kind, "yen": Yen(budget.yen),
                                                   "note": budget.note or "", "part": bool(budget.part_of)}))
        lines.extend(Reply("budget.extra", {"label": label, "value": value}) for label, value in program.extra.items())
        key = "budget.program" if main else "budget.program_lines"
        return Reply(key, {"program": program, "yen": main, "lines": lines, "pages": self.pages(program)},
                     kind="budget", programs=[program.id], figure=main)

    def topic_budget(self, topic_id: str | None, initial_only: bool = False) -> Reply:
        topics = [t for t in self.kb.topics() if topic_id in (None, t["id"])]
        lines = []
        for topic in topics:
            lines.append(Reply("budget.topic_line", {"name": topic["name"], "total": Yen(topic["total_yen"]),
                                                     "initial": Yen(topic["initial_yen"]),
                                                     "supplementary": Yen(topic["supplementary_yen"])
                                                     if topic["supplementary_yen"] else None,
                                                     "initial_only": initial_only}))
            if topic_id:
                for sub in self.kb.subsections(topic["id"]):
                    lines.append(Reply("budget.subsection_line", {
                        "label": sub["label"], "name": sub["name"], "english": next(iter(self.kb.english_names(sub)), None),
                        "yen": Yen(sub["net_initial_yen"] or sub["initial_yen"]),
                        "supplementary": Yen(sub["supplementary_yen"]) if sub["supplementary_yen"] else None}))
        return Reply("budget.topics" if topic_id is None else "budget.topic",
                     {"name": topics[0]["name"] if topic_id else None, "lines": lines, "count": len(topics),
                      "pages": Pages(tuple(t["pages"] for t in topics))}, kind="budget")

    def subsection_budget(self, subsection: dict) -> Reply:
        topic = next(t for t in self.kb.topics() if t["id"] == subsection["topic_id"])
        lines = []
        for listing in self.kb.subsection_listings(subsection["id"]):
            lines.append(Reply("budget.listing_line", {
                "number": listing["number_printed"] or "・", "name": listing["printed_name"],
                "yen": Yen(listing["initial_yen"]) if listing["initial_yen"] is not None else None,
                "supplementary": Yen(listing["supplementary_yen"]) if listing["supplementary_yen"] else None}))
        net = subsection["net_initial_yen"]
        return Reply("budget.subsection_net" if net else "budget.subsection", {
            "topic": topic["name"], "label": subsection["label"], "name": subsection["name"],
            "english": next(iter(self.kb.english_names(subsection)), None),
            "yen": Yen(subsection["initial_yen"]), "net": Yen(net) if net else None,
            "supplementary": Yen(subsection["supplementary_yen"]) if subsection["supplementary_yen"] else None,
            "lines": lines, "pages": Pages((subsection["pages"],))},
            kind="budget", figure=Yen(net or subsection["initial_yen"]))

    # ── whom to call ────────────────────────────────────────────────────
    def kind_contact(self, kind, analysis, resolution, facts, outcome) -> None:
        programs = resolution.programs if resolution.status != "none" else []
        if (resolution.how == "context" or resolution.how == "list" and analysis.reference is None) \
                and analysis.named_needs and not any(self.meets_a_need(p, analysis) for p in programs):
            # whom to call for a need named by its own word that the program under discussion
            # does not meet (「障がい者雇用の担当課の電話番号も」 after the foreign-worker
            # incentive): the division of that need's programs
            resolution = Resolution("several", self.need_programs(analysis.named_needs), "need", {})
            programs = resolution.programs
        elif resolution.how == "search" and analysis.named_needs \
                and self.resolver.only_of_kind_spoken(programs, analysis.text) == []:
            # the kind of program spoken of ("what loan support…, and where do I ask?") is not
            # that of the program the other words found, and one division answers for that
            # kind among the programs of the needs named: that division
            of_kind = self.resolver.only_of_kind_spoken(self.need_programs(analysis.named_needs), analysis.text)
            if self.shared_contact(of_kind):
                resolution = Resolution("several", of_kind, "need", {})
                programs = resolution.programs
        if resolution.status == "one":
            program = resolution.program
            # (a division named to check it, "is that the employment policy division?": whether it is)
            checked = self.kb.contact(analysis.divisions[0]) \
                if analysis.divisions and self.analyser.handler_checked(analysis.text) else None
            outcome.replies.append(self.procedure(program) if kind == "procedure" else
                                   self.contact(program, kind, checked))
            self._remember(outcome, [program], kind)
            return
        likely = programs or self.likely_programs(analysis)
        # a sum of several programs (「…など３事業」) has no division of its own: the programs do
        likely = [p for p in likely if not p.aggregate] or likely
        if self.shared_contact(likely):
            # several programs fit, but one division answers for all of them
            outcome.replies.append(self.contact_shared(likely, kind))
            self._remember(outcome, likely, kind)
            return
        if likely and resolution.how == "context" and len(likely) <= ANSWER_EACH_UP_TO \
                and self.analyser.asks_each(analysis.text):
            # each asked for while a choice is open (「それぞれの担当は？」): each program's
            # division, named; not otherwise ("who should I call?" after a list of programs of
            # different divisions means one of them: which one is asked, not several phones given)
            outcome.replies.append(Reply("contact.each", {"procedure": kind == "procedure",
                                                          "lines": [self.contact_line(p) for p in likely]},
                                         kind=kind, programs=[p.id for p in likely]))
            self._remember(outcome, likely, kind)
            return
        if likely:
            self.ask_which(kind, likely, outcome)
            return
        # nothing to go on: what it is about is asked; no division is guessed (each program
        # has its own, and the document names no general window), unless already asked
        if not any(reply.key in ("ask.need", "ask.which_unknown") for reply in outcome.replies):
            outcome.replies.append(Reply("contact.unknown", {"procedure": kind == "procedure"}, kind=kind))
        self._remember(outcome, [], kind)

    kind_human = kind_contact
    kind_procedure = kind_contact

    def contact(self, program: Program, kind: str = "contact", checked: Contact | None = None) -> Reply:
        """Whom to call for ``program``; ``checked``: a division the user named to check it is
        the one (the answer says whether it is, naming it without its phone)."""
        if program.contact is None:
            return Reply("contact.not_stated", {"program": program, "pages": self.pages(program)},
                         kind="contact", programs=[program.id])
        same = bool(checked) and checked.id == program.contact.id
        # where the program is carried out, as the document names it (「神奈川リハビリテーション
        # 病院（厚木市七沢）」): whom to call and where to go are asked together
        places = [Reply("contact.place", {"text": Quote(s["text"]), "page": s["page"]})
                  for s in self.kb.statements(program.id, "place")]
        return Reply("contact.one", {"program": program, "contact": program.contact, "pages": self.pages(program),
                                     "same": same, "other": bool(checked) and not same, "places": places,
                                     "asked": self.analyser.division_name(checked) if checked else ""},
                     kind="contact", programs=[program.id], phone=program.contact.phone)

    def contact_line(self, program: Program) -> Reply:
        return Reply("contact.line_for", {"program": program, "contact": program.contact})

    @staticmethod
    def shared_contact(programs: list[Program]) -> Contact | None:
        """The one division every program has, if they all have the same."""
        if not programs or not all(p.contact for p in programs) or \
                len({p.contact.id for p in programs}) != 1:
            return None
        return programs[0].contact

    def contact_shared(self, programs: list[Program], kind: str, not_stated: bool = False) -> Reply:
        return Reply("contact.shared", {"programs": programs, "contact": programs[0].contact,
                                        "procedure": kind == "procedure", "not_stated": not_stated,
                                        "pages": Pages(tuple(p.pages for p in programs if p.pages))},
                     kind="contact", programs=[p.id for p in programs], phone=programs[0].contact.phone)

    def procedure(self, program: Program) -> Reply:
        return Reply("procedure.handoff", {"program": program, "contact": program.contact,
                                           "pages": self.pages(program)},
                     kind="procedure", programs=[program.id],
                     phone=program.contact.phone if program.contact else None)

    # ── programs for a need ─────────────────────────────────────────────
    def kind_discovery(self, kind, analysis, resolution, facts, outcome) -> None:
        if resolution.status == "one" and resolution.how in ("name", "alias", "ambiguous", "list", "fact"):
            # a program named outright: what it is, and, money asked for ("any help with the
            # guarantee fee on it?"), what it gives, as for a program found by the words below
            self.kind_overview("overview", analysis, resolution, facts, outcome)
            outcome.replies.extend(self.amount_if_money_asked(resolution.program, analysis))
            return
        programs, leads, leading = self.discover(analysis, outcome.before.program if outcome.before else None)
        if not programs:
            if resolution.status == "one":
                self.kind_overview("overview", analysis, resolution, facts, outcome)
                return
            if (analysis.intent == "find_by_need" or "overview" in analysis.cued) and not analysis.facts.get("need"):
                # 「補助金を探す」 (LINE's rich menu), 「どんな支援がありますか」: which need, with the starters
                outcome.replies.append(Reply("ask.need", kind="ask", buttons=self.small_talk("greet").buttons))
                outcome.answered.append(kind)   # understood: not a misunderstanding in a row
                return
            outcome.replies.append(Reply("ask.rephrase", kind="unknown"))
            return
        shown = programs[:LIST_SIZE]
        best = shown[0] if leads or len(shown) == 1 else None
        contact = self.shared_contact(shown)
        # the programs the words fit about equally well, first, all of one division: whom to call
        group = shown[:leading] if not best and not contact and len(shown[:leading]) > 1 else []
        group_contact = self.shared_contact(group)
        need = "・".join(dict.fromkeys(analysis.facts.get("need") or [])) or None
        outcome.replies.append(Reply("discovery.list", {
            "need": need, "count": len(programs), "best": best,
            "items": [Reply("discovery.item", {"program": p, "summary": p.summary or "",
                                               "with_summary": i < LIST_WITH_SUMMARY})
                      for i, p in enumerate(shown)],
            "contact": contact, "group": bool(group_contact), "group_count": len(group),
            "group_contact": group_contact,
            "pages": Pages(tuple(p.pages for p in shown if p.pages))},
            kind="discovery", programs=[p.id for p in shown],
            phone=(contact or group_contact).phone if contact or group_contact else None,
            buttons=[program_button(p) for p in shown]))
        outcome.state = State(program=best.id if best else None, candidates=[] if best else [p.id for p in shown],
                              last_list=[p.id for p in shown])
        if best and best.rule_ids and analysis.fact("money") is not None:
            # the sum of a project given with it ("an investment of 10 billion yen … what
            # incentive?"): what the program found gives for it
            self._remember(outcome, shown, kind)
            self.kind_calculation("calculation", analysis, Resolution("one", [best], "search", {}), facts, outcome)
            return
        if best:
            outcome.replies.extend(self.amount_if_money_asked(best, analysis))
        self._remember(outcome, shown, kind)

    def amount_if_money_asked(self, program: Program, analysis: Analysis) -> list[Reply]:
        """Money asked for (「奨励金ある？」 "is there any incentive?", a loan, help with a fee):
        what the program gives, if it gives amounts."""
        return self.amount(program, analysis) if program.rule_ids and self.resolver.category_spoken(analysis.text) \
            else []

    def discover(self, analysis: Analysis, current: str | None = None) -> tuple[list[Program], bool, int]:
        """Programs for what a message describes, best first: those its words match about
        as well as the best, then the programs of the needs it names; whether the first
        clearly leads (enough to give its phone number); and how many of the first are
        those the words match about as well as the best. ``current``: the program under
        discussion, first if its words match it as well as any."""
        text = self.text_without_facts(analysis)
        terms = self.resolver.describing_terms(text)
        found = self.resolver.rank(terms, limit=LIST_SIZE * 2, needs=analysis.facts.get("need"))
        if not found:   # (the words naming an office, when nothing else finds a program)
            terms = self.resolver.fuller_terms(text, terms)
            found = self.resolver.rank(terms, limit=LIST_SIZE * 2, needs=analysis.facts.get("need"))
        # (a sum of several programs only when the message names it: "fisheries" is only in
        # 漁業活性化促進事業費など13事業)
        mentioned = {pid for m in analysis.mentions for pid in m.program_ids}
        ranked = self.resolver.for_audiences_said([(p, score) for p, score, _m in found
                                                   if not p.aggregate or p.id in mentioned], analysis.text, mentioned)
        policy = self.resolver.policy
        leads = self.resolver.leads([score for _p, score in ranked])
        among = None if leads else self.resolver.holding_japanese_words(text)
        if among and len(among) <= policy.max_candidates:
            # Japanese words in an English question (「translate our 就業規則」) say which
            # programs it is about: the programs whose text holds them
            ids = {p.id for p, _score in among}
            ranked = [(p, score) for p, score in ranked if p.id in ids] or among
        close = [p for p, score in ranked if score * policy.search_lead >= ranked[0][1]] if ranked else []
        leads = self.resolver.leads([score for _p, score in ranked])
        if not leads:
            glossed = self.resolver.gloss_lead(analysis.text, terms, close)
            if glossed:
                # (said to fit, with its phone, only when it decided between programs the
                # English found: the dictionary alone never gives a phone number)
                close, leads = [glossed] + [p for p in close if p.id != glossed.id], bool(close)
        needs = self.need_programs(analysis.facts.get("need") or [])
        # the programs of a need the message names come first when the search found none of
        # them: its words then matched something incidental (「取引先」 in a question on 跡継ぎ);
        # when it found one alone among those it found equally that meets a need named by
        # its own word (not inferred from how it is said: "introduce a …"), that one is said
        # to fit (「従業員と揉めてて…」: 労働相談, not the training its 従業員 matched)
        named = self.need_programs(analysis.named_needs)
        meeting = [p for p in close if p.id in {n.id for n in named}]
        if len(meeting) == 1 and len(close) > 1:
            close, leads = meeting + [p for p in close if p is not meeting[0]], True
        ordered = needs + close if needs and not {p.id for p in close} & {p.id for p in needs} else close + needs
        if leads:
            ordered = close[:1] + ordered   # the words clearly name one program: it is the one said to fit
        elif current in {p.id for p in close}:
            ordered = [p for p in close if p.id == current] + ordered   # the program under discussion
        found = list({p.id: p for p in ordered}.values())
        # 「補助ってある？」 is not about loans: the kind of program spoken of narrows the list
        narrowed = self.resolver.of_kind_spoken(found, analysis.text)
        if narrowed and narrowed[0] is not found[0]:
            leads = False
        ids = {p.id for p in close}
        leading = next((i for i, p in enumerate(narrowed) if p.id not in ids), len(narrowed))
        return narrowed, leads and bool(close), leading

    # ── what is new ─────────────────────────────────────────────────────
    def kind_new(self, kind, analysis, resolution, facts, outcome) -> None:
        if resolution.status == "one" and resolution.how in ("name", "alias", "ambiguous", "list", "context", "fact"):
            outcome.replies.append(self.what_is_new(resolution.program))
            self._remember(outcome, [resolution.program], kind)
            return
        self._list_new_programs(kind, analysis, outcome)

    def _list_new_programs(self, kind, analysis, outcome) -> None:
        """The new programs listed, as the list a follow-up speaks of (:func:`listed_state`)."""
        reply = self.new_programs(analysis)
        outcome.replies.append(reply)
        outcome.state = listed_state(reply.programs)
        self._remember(outcome, [], kind)

    def new_programs(self, analysis: Analysis) -> Reply:
        """The programs the document marks new; those the message's words fit (ロボット
        関係, 企業誘致関係, 設備の補助) when it narrows them, else all of them."""
        programs = self.kb.new_programs()
        terms = self.resolver.describing_terms(self.text_without_facts(analysis))
        topics = analysis.facts.get("topic") or []
        matched = {p.id: len(self.kb.matched_terms(p.id, terms, self.resolver.index)) if terms else 0
                   for p in programs}
        # (of those the words fit, those they fit most: one word another new program happens to
        # share does not list it beside the one the message's words describe; in the message's
        # language's index, so English words fit too)
        most = max(matched.values(), default=0)
        fitting = [p for p in programs if (topics and any(l["topic_id"] in topics for l in p.listings))
                   or (most and matched[p.id] == most)]
        shown = fitting or programs
        return Reply("new.list", {
            "items": [Reply("new.item", {"program": p, "mark": p.new_mark,
                                         "evidence": p.new_evidence if p.new_mark == "一部新" else ""})
                      for p in shown], "pages": Pages(tuple(p.detail_pages for p in shown if p.detail_pages))},
            kind="new", programs=[p.id for p in shown], buttons=[program_button(p) for p in shown[:LIST_SIZE]])

    def what_is_new(self, program: Program) -> Reply:
        lines = []
        if program.new_mark:
            lines.append(Reply("new.new_program" if program.new_mark == "新" else "new.mark",
                               {"mark": program.new_mark, "evidence": Quote(program.new_evidence or "")}))
        for requirement_set in self.kb.requirement_sets_for(program.id):
            lines.extend(Reply("new.revision", {"text": change}) for change in requirement_set.get("revisions", []))
        lines.extend(Reply("statement.line", {"text": Quote(s["text"]), "page": s["page"]})
                     for s in self.kb.statements(program.id, "change")
                     if not (program.new_mark and s.get("change") == "新設"))
        if not lines:
            # nothing new of its own: what is new on the same detail page
            lines.extend(Reply("new.item", {"program": other, "mark": other.new_mark, "evidence": other.new_evidence or ""})
                         for other in self.kb.new_programs()
                         if other.id != program.id and program.detail_pages and other.detail_pages == program.detail_pages)
        return Reply("new.program" if lines else "new.none", {"program": program, "lines": lines,
                                                               "pages": self.pages(program)},
                     kind="new", programs=[program.id])

    # ── the document's other statements ─────────────────────────────────
    def kind_statement(self, kind, analysis, resolution, facts, outcome) -> None:
        if kind in ("change", "new") and resolution.status == "none" or \
                kind == "change" and resolution.status == "one" and resolution.how == "search" \
                and (self.resolver.index == "ja" or "new" in analysis.cued):
            # 「ロボット関係で新しく始まる事業」: which are new, not one program found by a word
            # (in English a program described is asked what changed: "the lending for machines
            # by installment … was that budget increased?"; new ones asked are new ones)
            self._list_new_programs(kind, analysis, outcome)
            return
        if kind == "change" and resolution.status == "one":
            new = self.what_is_new(resolution.program)
            related = self.related_for_amounts(resolution.program)
            if related and new.key == "new.none":
                # nothing new of its own, its amounts and requirements those of a program the
                # document states what changed for ("NEXT needed 50 employees: still so?"): that
                outcome.replies.append(Reply("new.using_related", {"program": resolution.program, "related": related,
                                                                  "why": resolution.program.related["why"]}))
                outcome.replies.append(self.what_is_new(related))
                self._remember(outcome, [related], kind)
                return
            outcome.replies.append(new)
            if any(s.get("change") in SUM_CHANGES for s in self.kb.statements(resolution.program.id, "change")) \
                    and "budget" not in analysis.kinds:
                outcome.replies.append(self.budget(resolution.program))
            self._remember(outcome, [resolution.program], kind)
            return
        if kind == "definition" and self.asks_what_a_size_is(analysis):
            # the document sets no size of its own (employees, capital): each program's own
            # eligibility decides, which its division explains
            outcome.replies.append(Reply("definition.size", {"size": analysis.facts["company_size"][0],
                                                             "contact": self.kb.general_contact()},
                                         kind=kind, phone=self.kb.general_contact().phone))
            self._remember(outcome, [], kind)
            return
        if self.resolver.index == "ja" and (
                resolution.status != "one" or kind == "definition" and resolution.how not in ("name", "alias")):
            # a term the document explains (ロボテラス) names its program better than a search
            by_term = self.kb.statements_about(analysis.text, kind)
            if by_term:
                program = self.kb.program(by_term[0]["program_id"]) if by_term[0].get("program_id") else None
                outcome.replies.append(self.statements_reply(program, kind, by_term))
                if program:
                    outcome.state = State(program=program.id, last_list=outcome.state.last_list)
                self._remember(outcome, [program] if program else [], kind)
                return
        topics = analysis.facts.get("topic") or []
        if topics and not analysis.mentions and kind in ("aim", "overview"):
            # 「中小企業支援パッケージは何を目指してるの？」: the topic's own 目的
            topic = next(t for t in self.kb.topics() if t["id"] == topics[0])
            outcome.replies.append(Reply("statement.topic_aim", {"name": topic["name"], "text": topic["purpose"],
                                                                  "pages": Pages((topic["pages"],))}, kind=kind))
            self._remember(outcome, [], kind)
            return
        if resolution.status == "several" and kind in DIVISION_KINDS and self.shared_contact(resolution.programs):
            # 「日本語教室はどこでやってる？」 of programs one division runs: what the first that
            # speaks of it says, with its (their) division; none saying it, that division
            terms = self.resolver.describing_terms(self.text_without_facts(analysis))
            saying = [p for p in resolution.programs
                      if self.kb.statements(p.id, kind) or self.kb.passages(p.id, terms, language=self.resolver.index)]
            if saying:
                outcome.replies.append(self.statement(saying[0], kind, analysis))
                self._remember(outcome, [saying[0]], kind)
                return
            outcome.replies.append(self.contact_shared(resolution.programs, kind, not_stated=True))
            self._remember(outcome, resolution.programs, kind)
            return
        program = self._one_or_ask(kind, analysis, resolution, outcome)
        if program is None:
            return
        outcome.replies.append(self.statement(program, kind, analysis))
        self._remember(outcome, [program], kind)

    def kind_count(self, kind, analysis, resolution, facts, outcome) -> None:
        """「総合職業技術校は何校ある？」: the document's sentences with a number of what is
        counted, those sharing the question's words first; else that it does not say."""
        program = self._one_or_ask(kind, analysis, resolution, outcome)
        if program is None:
            return
        counted = self.analyser.counted(analysis.text)
        terms = set(self.resolver.describing_terms(self.text_without_facts(analysis)))
        sentences = [{"text": program.summary, "page": program.pages}] if program.summary else []
        sentences += [{"text": row["text"], "page": row["page"], "words": row["words"]}
                      for row in self.kb.program_sentences(program.id)]
        found = [s for s in sentences if counted.search(s["text"])]
        # a sentence printed again inside a longer line (a listing's row) is shown once
        found = [s for s in found if not any(o["text"] != s["text"] and o["text"] in s["text"] for o in found)]
        found.sort(key=lambda s: -len(terms & set((s.get("words") or "").split())))
        found = list({s["text"]: s for s in found}.values())[:STATEMENTS_SHOWN]
        outcome.replies.append(self.statements_reply(program, "count", found) if found
                               else self.not_stated(program, "other"))
        self._remember(outcome, [program], kind)

    def statement(self, program: Program, kind: str, analysis: Analysis) -> Reply:
        """What the document says of one kind about a program: its statements of that kind
        that match the question, else the best matching sentences of its part of the
        document (quoted), else that the document does not say it (the division's phone)."""
        # a term asked to be defined may be one the finder reads as a fact (「大規模設備投資」とは)
        terms = self.resolver.describing_terms(analysis.text if kind == "definition"
                                               else self.text_without_facts(analysis))
        if kind == "definition":
            # in the document's words too (an English "large-scale equipment investment" is its
            # 大規模設備投資)
            terms += [t for e in analysis.entities if isinstance(e["value"], str) and e["end"] > e["start"]
                      for t in search_terms(e["value"]) if t not in terms]
        shown = STATEMENTS_SHOWN * 2 if kind == "example" else STATEMENTS_SHOWN   # 取組事例 are short items
        language = self.resolver.index
        found = self.kb.statements(program.id, kind, terms, matching_only=kind in ("other", "definition"),
                                   language=language)[:shown]
        summary = program.summary if analysis.yes_no else None
        if kind == "aim":
            # its 目的, and every sentence of its part of the document saying what it aims at
            markers = self.kb.aim_markers()
            found = ([{"text": program.purpose, "page": program.detail_pages or program.pages}] if program.purpose else []) \
                + found + [{"text": row["text"], "page": row["page"]} for row in self.kb.program_sentences(program.id)
                           if any(marker in row["text"] for marker in markers)]
            found = list({fold(s["text"]).rstrip("。"): s for s in found}.values())[:shown]
        if found:
            return self.statements_reply(program, kind, found, summary)
        passages = self.kb.passages(program.id, terms, language=language)
        if passages:
            return self.quote(program, passages, kind, summary)
        return self.not_stated(program, kind)

    def statements_reply(self, program: Program | None, kind: str, found: list[dict],
                         summary: str | None = None) -> Reply:
        items = []
        for s in found:
            items.append(Reply("statement.item", {"subject": s.get("subject") or "", "value": s.get("value") or "",
                                                  "text": Quote(s["text"]), "page": s["page"], "before": s.get("before"),
                                                  "after": s.get("after"), "term": s.get("term")}))
            items.extend(self.figures_noted(program, s["text"]))
        return Reply(f"statement.{kind}", {"program": program, "summary": summary, "items": items,
            "pages": Pages(tuple(dict.fromkeys(s["page"] for s in found))),
            # (sentences found for a question of no known kind may not hold what was asked)
            "contact": program.contact if program and kind == "other" else None},
            kind=kind, programs=[program.id] if program else [],
            phone=program.contact.phone if program and kind == "other" and program.contact else None)

    # ── several programs side by side ───────────────────────────────────
    def kind_comparison(self, kind, analysis, resolution, facts, outcome) -> None:
        programs = resolution.programs if resolution.status == "several" else []
        superlative = self.analyser.superlative(analysis.text)
        discussed = facts.get("topic") if resolution.status == "none" or (
            not analysis.mentions and self.analyser.speaks_of_table_parts(analysis.text)) else None
        if self.compare_budget_tables(analysis, superlative, outcome, discussed):
            return
        if len(programs) < 2 and analysis.reference is None and superlative and outcome.before \
                and outcome.before.last_list:
            # 「一番予算が多いのは？」 over the list just shown
            programs = [self.kb.program(pid) for pid in outcome.before.last_list]
        if len(programs) < 2 and resolution.program is not None and analysis.facts.get("need"):
            # 「ドローンとロボット、どっちの予算が多い？」: one program against the programs of a
            # need the message names beside it
            others = [p for p in self.need_programs(analysis.facts["need"]) if p.id != resolution.program.id]
            if others:
                programs = [resolution.program] + others[:LIST_SIZE - 1]
        if len(programs) < 2:
            program = resolution.program
            if program is not None and (program.rule_ids or self.related_for_amounts(program)):
                # courses or cases of one program side by side: its amounts, or the calculation
                handler = self.kind_calculation if analysis.has_figures else self.kind_amount
                handler("calculation" if analysis.has_figures else "amount", analysis, resolution, facts, outcome)
                return
            if program is not None:
                outcome.replies.append(self.statement(program, kind, analysis))
                return
            self.ask_which(kind, self.likely_programs(analysis), outcome)
            return
        leader = None
        budgets = {p.id: next((b.yen for b in p.budgets if b.kind == "initial"), None) for p in programs}
        known = [p for p in programs if budgets[p.id] is not None]
        if superlative and known and (self.aspect(analysis) is None or "budget" in analysis.cued):
            # the budgets compared (the figure the document gives for every program), unless
            # a part of the amounts is what is compared (「補助率はどっちが高い？」: the rows say)
            pick = max if superlative == "most" else min
            best = pick(known, key=lambda p: budgets[p.id])
            leader = Reply(f"comparison.{superlative}_budget", {"program": best, "yen": Yen(budgets[best.id])})
            programs = [best] + [p for p in programs if p is not best]
        rows = [self.comparison_row(p) for p in programs[:LIST_SIZE if superlative else ANSWER_EACH_UP_TO]]
        pages = [p.pages for p in programs if p.pages] + [self.kb.rule(r)["page"] for p in programs for r in p.rule_ids]
        outcome.replies.append(Reply("comparison.table", {"rows": rows, "leader": leader, "pages": Pages(tuple(pages))},
                                     kind="comparison", programs=[p.id for p in programs]))
        # the one a superlative picked is the one a follow-up speaks of (「それの担当は？」)
        outcome.state = State(program=programs[0].id if leader else None,
                              candidates=[] if leader else [p.id for p in programs],
                              last_list=[p.id for p in programs])
        self._remember(outcome, programs[:1] if leader else programs, kind)

    def compare_budget_tables(self, analysis: Analysis, superlative: str | None, outcome: Outcome,
                              topic_discussed: str | None = None) -> bool:
        """Two or more topics or subsections of the budget tables compared, and no program
        (「成長産業の創出・育成と企業誘致、どっちの予算が多い？」): each one's budget, the
        largest (or smallest) first when asked; a superlative naming nothing after a topic's
        table (``topic_discussed``: "which part of it gets the most money?"): its subsections.
        False when the message compares no such parts."""
        if analysis.mentions:
            return False
        subsections = self.subsections_named(analysis)
        topics = [t for t in self.kb.topics() if t["id"] in (analysis.facts.get("topic") or [])]
        if superlative and not subsections and not topics and topic_discussed:
            subsections = self.kb.subsections(topic_discussed)
        if len(subsections) >= 2:
            parts = [(s["name"], s["net_initial_yen"] or s["initial_yen"], self.subsection_budget(s)) for s in subsections]
        elif len(topics) >= 2 and not subsections:
            parts = [(t["name"], t["total_yen"], self.topic_budget(t["id"])) for t in topics]
        else:
            return False
        if superlative:
            pick = max if superlative == "most" else min
            name, yen, _reply = pick(parts, key=lambda part: part[1] or 0)
            outcome.replies.append(Reply(f"comparison.{superlative}_budget", {"program": name, "yen": Yen(yen)},
                                         kind="comparison"))
            parts.sort(key=lambda part: -(part[1] or 0) if superlative == "most" else part[1] or 0)
        outcome.replies.extend(reply for _name, _yen, reply in parts)
        self._remember(outcome, [], "comparison")
        return True

    def comparison_row(self, program: Program) -> Reply:
        initial = next((Yen(b.yen) for b in program.budgets if b.kind == "initial"), None)
        amounts = [self.rule_reply(program, self.kb.rule(r), None) for r in program.rule_ids]
        for amount in amounts:
            amount.values["pages"] = None   # the table cites its pages once
        target = program.eligibility or (program.audience if program.audience not in (None, "資料に記載なし") else None)
        return Reply("comparison.row", {"program": program, "summary": program.summary or "", "budget": initial,
                                        "amounts": amounts, "target": target, "contact": program.contact})

    # ── for staff ───────────────────────────────────────────────────────
    def program_card(self, program: Program, facts: dict | None = None) -> list[Reply]:
        """Everything the bot can say about one program (the staff command line)."""
        replies = [self.overview(program), self.budget(program)]
        if program.rule_ids or self.related_for_amounts(program):
            replies += self.amount(program)
        replies.append(self.eligibility(program, None))
        replies.append(self.contact(program))
        if facts and program.rule_ids:
            replies += self.calculation(program, self.evaluator_facts(program, facts))
        return replies

    # ── helpers ─────────────────────────────────────────────────────────
    @staticmethod
    def pages(program: Program) -> Pages:
        return Pages(tuple(p for p in (program.pages, program.detail_pages) if p))


def rate_value(text: str) -> float:
    return float(parse_rate(text))


__all__ = ["Replies", "Reply", "Outcome", "Button", "Yen", "Pages", "Quote", "Contact"]
