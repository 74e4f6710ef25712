"""Which program a message means: the one resolver of the bot, the staff command line and
the coverage bank.

:meth:`Resolver.resolve` takes what the message says (its text, already respelled, and
the facts found in it), the question asked and the conversation so far, and returns the
program or the candidates, each with the :class:`Evidence` that points to it. Evidence
comes, strongest first, from:

1. **names and aliases** in the message, compared on Sudachi's normalized forms (and, by
   :mod:`knowledge.spelling`, on readings: kana-only input and wrong kanji);
2. **a reference to the list just shown** (「2つ目の」「一番上のやつ」);
3. **facts only one program's rules use** (a course, an add-on measure, a region…);
4. **the program under discussion**, unless the message's words clearly fit another
   better (it leads the search and matches more of them);
5. **the words of each program's whole text** (summary, purpose, content, 取組事例,
   target, the document's passages about it), ranked by full-text search.

Every threshold is in :class:`ResolverPolicy`, each with its reason. Whether candidates
that remain are asked back or answered together is decided where the answer is known
(:mod:`knowledge.replies`): candidates that share the answer asked for are answered
together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .kb import KnowledgeBase, Program
from .text import JAPANESE_RUN, blank, content_spans, english_normalized, english_terms, english_words, fold, search_terms


@dataclass(frozen=True)
class ResolverPolicy:
    """The thresholds of resolution, each with the reason for its value."""

    # A search result is taken as the program meant only when its score leads the next
    # one's this many times: below it, two programs fit about equally and the user is asked.
    search_lead: float = 1.5
    # Before a phone number is given for a program found only by search, it must lead
    # more clearly: a wrong phone number is the worst answer this bot can give.
    contact_search_lead: float = 2.5
    # A program matching one word of a long message is no evidence (「産技総研」 is not
    # 高度職業訓練 for sharing 技): it must match this many of the message's words …
    min_matched_terms: int = 2
    # … or at least this share of them (a one-word message matching its one word).
    min_matched_share: float = 0.5
    # A program whose name and aliases hold this many of the message's words, in any order
    # (「原油高騰の小口の特別融資」 for 原油・原材料高騰等対策特別融資), is named …
    name_words: int = 3
    # … when no other program's names hold more than half as many.
    name_words_lead: float = 2.0
    # In a comparison (「AとBの違い」) each side names a program: two words of a name do.
    compared_name_words: int = 2
    # Candidates offered when the evidence does not decide: those whose score is within
    # search_lead of the best, at most this many.
    max_candidates: int = 5
    # An English word in more programs' names and summaries than this ("employees",
    # "company") says little of which program: two such words never take a follow-up away
    # from the program under discussion (about a tenth of the catalogue).
    common_word_programs: int = 8


POLICY = ResolverPolicy()

# Ordinal references to the last list shown: 「2つ目」「二番目」「一番上」「最後の」.
_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ORDINAL = re.compile(r"([1-9１-９一二三四五六七八九])\s*(?:つ|個|番)\s*目")
_FIRST = re.compile(r"一番上|いちばん上|最初の|先頭の|1番上|上のやつ|トップの")
_LAST = re.compile(r"一番下|いちばん下|最後の|ラストの")


def list_reference(text: str) -> int | None:
    """The 0-based position in the last list a message refers to, -1 for the last, or None."""
    folded = fold(text)
    match = _ORDINAL.search(folded)
    if match:
        digit = match.group(1)
        return (int(digit) if digit.isdigit() else _ORDINALS[digit]) - 1
    if _FIRST.search(folded):
        return 0
    if _LAST.search(folded):
        return -1
    return None


@dataclass
class Evidence:
    """Why a program is a candidate: ``source`` (name, alias, ambiguous, list, fact,
    context, search) and what in the message pointed to it."""

    source: str
    detail: str
    score: float = 0.0


@dataclass
class Mention:
    """A program name or alias found in a message, with offsets into the message."""

    start: int
    end: int
    text: str
    alias: str
    kind: str  # "name", "alias", "ambiguous", or weak: "body" (a body a program funds: 商工会), "phrase" (English)
    program_ids: list[str]


@dataclass
class State:
    """What the conversation has established: the program under discussion, candidates
    offered, and the programs of the last list shown (in order)."""

    program: str | None = None
    candidates: list[str] = field(default_factory=list)
    last_list: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    """``one`` program, ``several`` candidates, or ``none``; with the evidence for each."""

    status: str
    programs: list[Program]
    how: str | None = None
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    named_now: bool = False   # found in this message (not carried over from before)

    @property
    def program(self) -> Program | None:
        return self.programs[0] if self.status == "one" else None

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.programs]


NONE = Resolution("none", [])

# Mentions that name a program less surely than its name or a Japanese alias: the body it
# funds (商工会), an English phrase for it. The message's words may outweigh them.
WEAK_MENTIONS = ("body", "phrase", "shared")

# Facts that only one program's rules use name it; industries, regions… name
# セレクト神奈川ＮＥＸＴ's requirements only when no other program is under discussion.
NAMING_FACTS = ("course", "measure", "variant")
CONTEXT_FREE_NAMING_FACTS = ("industry", "business_type", "region", "manufacturing_field", "facility")
NO_MEASURES = "なし"


class Resolver:
    """Finds the program a message means (see the module docstring)."""

    def __init__(self, kb: KnowledgeBase, question_words: frozenset[str] = frozenset(),
                 policy: ResolverPolicy = POLICY, category_words: dict[str, list[str]] | None = None,
                 index: str = "ja", stopwords: frozenset[str] = frozenset(), program_words: tuple[str, ...] = (),
                 name_variants: list[list[str]] | None = None, office_words: frozenset[str] = frozenset(),
                 audience_words: dict[str, list[str]] | None = None, self_description: list[str] | None = None,
                 continuations: tuple[str, ...] = (), seeking: tuple[str, ...] = (),
                 back_references: tuple[str, ...] = (), category_given: dict[str, list[str]] | None = None,
                 shares: tuple[str, ...] = ()):
        self.kb = kb
        # how a message speaks of a share of what it named (「そのうち」 "how much of it")
        self._shares = [re.compile(p, re.IGNORECASE) for p in shares]
        # how a message seeks a program rather than asks of one ("is there a …?")
        self._seeking = [re.compile(p, re.IGNORECASE) for p in seeking]
        # how it speaks of the program under discussion ("through it")
        self._back_references = [re.compile(p, re.IGNORECASE) for p in back_references]
        # the words a follow-up going on with the last question starts with (「じゃあ」 "what about")
        self.continuations = continuations
        # what a business says it is (「…を運営しています」, "we operate a …": language data)
        self._self_description = [re.compile(p) for p in self_description or []]
        # the kinds of body some programs are only for (介護施設, 商店街…) and the words that
        # say a message comes from one (language data ``audience_words``)
        self.audience_words = {kind: [fold(w).lower() for w in words] for kind, words in (audience_words or {}).items()}
        self._audiences: dict[str, tuple[str, ...]] = {}   # per program: the kinds of body it is only for
        self.policy = policy
        # the words programs are found by: Japanese (Sudachi's normalized forms) or English
        # (stems; ``stopwords``: the English words that say what is asked)
        self.index = index
        self.stopwords = stopwords
        # (English stems of the words naming an office: see :meth:`fuller_terms`)
        self.office_words = office_words
        # words that name a category of program (融資, 補助…: language data)
        # (``re:`` entries: phrases said around the category, "help with this cost")
        self.category_words = {category: [fold(w).lower() for w in words if not w.startswith("re:")]
                               for category, words in (category_words or {}).items()}
        self._category_patterns = {category: [re.compile(w[3:]) for w in words if w.startswith("re:")]
                                   for category, words in (category_words or {}).items()}
        # the words a program's summary says it gives a category with (「…に対して補助する」)
        self.category_given = {category: [fold(w).lower() for w in words]
                               for category, words in (category_given or {}).items()}
        self._english_aliases = kb.english_aliases() if index == "en" else []
        kind_words = sorted({w for words in self.category_words.values() for w in words}, key=len, reverse=True)
        self._japanese_kind = re.compile(rf"({JAPANESE_RUN.pattern})\s*({'|'.join(map(re.escape, kind_words))})\b",
                                         re.IGNORECASE) if kind_words else re.compile(r"(?!)")
        # words of a name said in other words (a "grant" is a subsidy, a "program" a project)
        self._name_variants = {w: group for group in name_variants or [] for w in group}
        self._english_patterns = self._compile_english(self._english_aliases, self._name_variants)
        self._english_index = english_pattern_index(self._english_patterns, self._name_variants)
        # words that say a phrase names a program (its kind: subsidy, loan, program…)
        self._program_words = {w for words in self.category_words.values() for w in words} | set(program_words)
        self.loans = set(kb.loan_categories())
        self.loan_needs = set(kb.loan_needs())
        # normalized words that say what is asked, not about what (予算, 電話番号…)
        self.question_words = question_words
        self._aliases = kb.aliases()
        self._alias_index = alias_index(self._aliases)
        self._program_ids = [p.id for p in kb.programs() if not p.aggregate]
        # a program's parts listed as programs of their own (part_of in programs.yml), and
        # the programs serving its users (related, not for its amounts: the guarantee-fee
        # subsidies of 中小企業制度融資)
        self._dependants: dict[str, list[Program]] = {}
        by_name = {p.name: p for p in kb.programs()}
        for p in kb.programs():
            whole = by_name.get((p.part_of or {}).get("program", ""))
            if whole:
                self._dependants.setdefault(whole.id, []).append(p)
            served = by_name.get((p.related or {}).get("program", ""))
            if served and not (p.related or {}).get("amounts"):
                self._dependants.setdefault(served.id, []).append(p)
        # name word → the programs whose names and aliases hold it (named_by_words looks at those only)
        self._named_by: dict[str, set[str]] = {}
        for pid in self._program_ids:
            for term in kb.name_terms(pid, index):
                self._named_by.setdefault(term, set()).add(pid)
        # programs that share a name (セレクト神奈川ＮＥＸＴ: its subsidies and its loan)
        sharing: dict[str, set[str]] = {}
        for alias in self._aliases:
            if alias["kind"] == "ambiguous":
                sharing.setdefault(alias["match_key"], set()).add(alias["program_id"])
        self._siblings: dict[str, set[str]] = {}
        self._holders: dict[str, int] = {}   # per word: how many programs have it (up to a bound)
        for ids in sharing.values():
            for pid in ids:
                self._siblings.setdefault(pid, set()).update(ids - {pid})

    def siblings(self, first: Program, second: Program) -> bool:
        """Whether two programs share a name (セレクト神奈川ＮＥＸＴ's subsidies and its loan)."""
        return second.id in self._siblings.get(first.id, ())

    # ── names and aliases ───────────────────────────────────────────────
    def mentions(self, text: str) -> list[Mention]:
        """Program names and aliases in a message: the Japanese ones (below), and in an
        English message its English names and aliases too (:meth:`english_mentions`)."""
        found = self.japanese_mentions(text)
        if self.index == "en":
            found += self._japanese_with_english_kind(text, found)
            taken = [(m.start, m.end) for m in found]
            found += [m for m in self.english_mentions(text)
                      if not any(m.start < end and start < m.end for start, end in taken)]
            found.sort(key=lambda m: m.start)
        return found

    def _japanese_with_english_kind(self, text: str, found: list[Mention]) -> list[Mention]:
        """Japanese words followed by the English word of a kind of program (「生産性向上
        subsidy」) name what 「生産性向上の補助金」 names: the kind's Japanese words are its
        category's name (補助金; 融資・信用保証: 融資, 信用保証)."""
        more: list[Mention] = []
        for match in self._japanese_kind.finditer(text):
            start, end = match.span()
            if any(start < m.end and m.start < end for m in found + more):
                continue
            spoken = fold(match.group(2)).lower()
            for category, words in self.category_words.items():
                if spoken not in words:
                    continue
                for word in category.split("・"):
                    named = [m for m in self.japanese_mentions(f"{match.group(1)}の{word}")
                             if m.start == 0 and m.end > len(match.group(1))]
                    if named:
                        more.append(Mention(start, end, text[start:end], named[0].alias, named[0].kind,
                                            named[0].program_ids))
                        break
                else:
                    continue
                break
        return more

    @staticmethod
    def _compile_english(english_aliases: list[dict], variants: dict[str, list[str]] | None = None
                         ) -> list[tuple[str, LazyPattern, list[dict]]]:
        """Each English name's pattern, compiled once, longest first (whole words, each or
        its ``variants``; spaces and apostrophes between them; a plural or possessive 's)."""
        variants = variants or {}
        by_key: dict[str, list[dict]] = {}
        for alias in english_aliases:
            if alias["match_key"]:
                by_key.setdefault(alias["match_key"], []).append(alias)

        def word(w: str) -> str:
            return "(?:" + "|".join(map(re.escape, sorted(variants[w], key=len, reverse=True))) + ")" \
                if w in variants else re.escape(w)
        def phrase(words: list[str]) -> str:
            return r"[\s'’]+".join(map(word, words)) + r"(?:'?s)?"

        def pattern(key: str) -> str:
            # a compound said with its head first ("foreign company office": "an office for
            # foreign companies", "startup loan": "a loan for a startup")
            words = key.split()
            said = [phrase(words)]
            if 2 <= len(words) <= 4 and not set(words) & _LINKING_WORDS:
                said.append(phrase(words[-1:]) + r"\s+(?:for|of|in)\s+(?:(?:a|an|the|our|my)\s+)?"
                            + phrase(words[:-1]))
            return r"(?<![a-z0-9])(?:" + "|".join(said) + r")(?![a-z0-9])"
        # (compiled when first tried: the index tries few of them, and 59,000 compiled at once
        # took 34 s of start-up at 100× the catalogue)
        return [(key, LazyPattern(pattern(key)), aliases)
                for key, aliases in sorted(by_key.items(), key=lambda item: len(item[0]), reverse=True)]

    def english_mentions(self, text: str) -> list[Mention]:
        """English names and aliases, as whole words, longest first, never overlapping."""
        normalized, positions = english_normalized(text)
        found: list[Mention] = []
        # only the names whose first word is a word of the message (english_pattern_index), in
        # the same order as the whole list: the result is the scan's, at a cost that does not
        # grow with the number of names
        for number in english_candidates(self._english_index, normalized):
            key, pattern, aliases = self._english_patterns[number]
            for match in pattern.finditer(normalized):
                start, end = positions[match.start()], positions[match.end() - 1] + 1
                if any(start < m.end and m.start < end for m in found):
                    continue
                ids = list(dict.fromkeys(a["program_id"] for a in aliases))
                # an English alias that says what kind of program it is (「productivity
                # subsidy」) names it; one that only says what it is about (「care robots」)
                # is a phrase people use, which the message's words may outweigh
                # (and one several other programs' summaries use too, "low-interest loan", is
                # a word of theirs as much as a name: shared)
                # (the program's own English name, or that name without the kind of program
                # it ends with, "Select Kanagawa 100", names it too)
                naming = set(key.split()) & self._program_words or self._is_english_name(key, ids)
                kind = "ambiguous" if len(ids) > 1 else "shared" if aliases[0]["kind"] == "shared" else \
                    "alias" if naming else "phrase"
                found.append(Mention(start, end, text[start:end], aliases[0]["alias"], kind, ids))
        return found

    def _is_english_name(self, key: str, ids: list[str]) -> bool:
        """Whether an alias (its lower-case words) is its one program's English name, or that
        name without the words for a kind of program it ends with (Subsidy)."""
        words = key.split()
        program = self.kb.program(ids[0]) if len(ids) == 1 and len(words) >= 2 else None
        name = english_words((program.english or {}).get("name") or "") if program else []
        if name == words:
            return True
        while name and name[-1] in self._program_words:
            name = name[:-1]
        return name == words

    def japanese_mentions(self, text: str) -> list[Mention]:
        """Program names and aliases in a message, longest first, never overlapping.

        Matching compares Sudachi's normalized forms of content words, so width, script,
        okurigana and particles do not matter; offsets point into ``text``.
        """
        spans = content_spans(text)
        if not spans:
            return []
        found = self._alias_index.find(spans)
        mentions: list[Mention] = []
        taken: set[int] = set()
        for (first, last), aliases in sorted(found.items(), key=lambda item: (-(item[0][1] - item[0][0]),
                                                                              -len(item[1][0]["match_key"]))):
            words = set(range(first, last + 1))
            if words & taken:
                continue
            taken |= words
            program_ids = list(dict.fromkeys(a["program_id"] for a in aliases))
            kinds = {a["kind"] for a in aliases}
            kind = "ambiguous" if "ambiguous" in kinds or len(program_ids) > 1 else aliases[0]["kind"]
            start, end = spans[first][1], spans[last][2]
            mentions.append(Mention(start, end, text[start:end], aliases[0]["alias"], kind, program_ids))
        mentions.sort(key=lambda m: m.start)
        return mentions

    # ── the whole decision ──────────────────────────────────────────────
    def resolve(self, text: str, facts: dict | None = None, state: State | None = None,
                contact: bool = False, useful: Callable[[Program], bool] | None = None,
                reference: int | None = None, mentions: list[Mention] | None = None,
                compares: bool = False) -> Resolution:
        """The program ``text`` means (see the module docstring for the order).

        ``facts``: entity values of the message (course, measure…); ``contact``: the answer
        will be a phone number (search must lead more clearly); ``useful``: whether a
        program holds what the question needs (narrows a name several programs share);
        ``reference``: a position in the last list (:func:`list_reference`); ``compares``:
        the question compares programs (each named is meant, however named).
        """
        facts = facts or {}
        state = state or State()
        mentions = self.mentions(text) if mentions is None else mentions
        if mentions and all(m.kind in WEAK_MENTIONS for m in mentions):
            # (a phrase some program's English uses, "driver shortage", is outweighed by the
            # document's own words the message writes, which only others hold: 「事業協同組合」)
            holding = {p.id for p, _score in self.holding_japanese_words(text) or []}
            if holding and not any(set(m.program_ids) & holding for m in mentions):
                mentions = []
            # (nor do words the names of the program under discussion have as well, which are
            # of it: "how much can one shotengai get from it?" after the shopping streets' appeal
            # subsidy)
            context = self._context(state)
            if self.index == "en" and mentions and context and context.status == "one" and all(
                    context.program.id not in m.program_ids and self.holds_words(context.program, m.text)
                    for m in mentions):
                return context
            # ("is there also a low-interest loan?" after セレクト神奈川ＮＥＸＴ's subsidy: its own
            # loan, not every program a low-interest loan describes)
            sibling = self._sibling_of_kind_spoken(context, text) if context else None
            if sibling:
                return sibling
        if mentions:
            return self._from_names(text, mentions, useful, facts, compares)
        by_words = self.named_by_words(text)
        if by_words:
            return Resolution("one", [by_words], "alias", {by_words.id: [Evidence("name_words", text)]}, True)
        in_japanese = self._from_japanese_words(text, contact, state.last_list + state.candidates)
        if in_japanese:
            return in_japanese
        in_passing = self.named_in_passing(text) if not (state.program or state.candidates) else None
        if in_passing:
            # ("I heard NEXT requires 50 employees for large companies": of the programs named
            # NEXT, not the large vehicles' licences the other words find)
            return self._search(text, self.describing_terms(text), contact,
                                among=[(self.kb.program(pid), 1.0) for pid in in_passing])
        if reference is not None and state.last_list:
            try:
                program = self.kb.program(state.last_list[reference])
            except IndexError:
                program = None
            if program:
                return Resolution("one", [program], "list", {program.id: [Evidence("list", str(reference))]}, True)
        in_context = bool(state.program or state.candidates)
        terms = self.describing_terms(text)
        implied = self._from_facts(facts, in_context)
        if implied and implied[2] == "strong":
            found = self._meeting_a_need_instead(implied[0], text, terms, facts, contact)
            return found or Resolution("one", [implied[0]], "fact", {implied[0].id: [Evidence("fact", implied[1])]},
                                       True)
        if implied and not in_context:
            # an industry or region names セレクト神奈川ＮＥＸＴ's requirements, unless the
            # message's words clearly describe another program
            found = self._search(text, terms, contact) if terms else NONE
            if found.status == "one" and found.program.id != implied[0].id:
                return found
            if implied[1] == "tokku" and found.status != "none":
                # (a special zone said alone names the rules that use it only when the words
                # find nothing else: 「特区で商品化されたロボを導入」 is about the robots)
                return found
            return Resolution("one", [implied[0]], "fact", {implied[0].id: [Evidence("fact", implied[1])]}, True)
        context = self._context(state)
        if context:
            sibling = self._sibling_of_kind_spoken(context, text)
            if sibling:
                return sibling
            holding = self.holding_japanese_words(text) if self.continues(text) and len(context.programs) == 1 else None
            if holding and context.programs[0].id not in {p.id for p, _score in holding}:
                # "and the one for 生活支援ロボット …?" after the productivity subsidy: the same
                # question of the programs whose text holds the document's words it writes
                return self._search(text, terms, contact, among=holding)
            if not terms:
                return context
            if context.status == "several":
                # 「その生成AIの事業は？」 after a list: the one listed whose name has the word;
                # 「1つの商店街で」: those whose names have it
                named = [p for p in context.programs if set(terms) & self.kb.name_terms(p.id, self.index)]
                if named and (len(named) > 1 or facts.get("money")) and useful and not any(map(useful, named)) \
                        and any(map(useful, context.programs)):
                    # (a word of several names, or one said with its price, that cannot answer what
                    # is asked is the thing the business speaks of: "the robot costs 800万円, how
                    # much can we get?" after a list headed by the productivity subsidy is not of
                    # the robot programs, none of which has amounts; 「そのデジタル化のやつの補助率は？」
                    # names the one it names)
                    named = []
                if len(named) == 1:
                    return Resolution("one", named, "list", {named[0].id: [Evidence("list", "、".join(
                        sorted(set(terms) & self.kb.name_terms(named[0].id, self.index))))]}, True)
                if named:
                    context = Resolution("several", named, "context", {p.id: context.evidence[p.id] for p in named})
                # of those listed, the one the message's words clearly rank first, as for any
                # answer (the conversation has narrowed the candidates): "a training school for
                # people with disabilities?" after the disability programs listed is their school
                # (more words than a search needs: 「導入費用の補助は？」 picks none; and not when the
                # words find another program, not listed, outright)
                listed = self._search(text, terms, False, among=[(p, 1.0) for p in context.programs]) \
                    if len(context.programs) <= self.policy.max_candidates else NONE
                listed_words = set(self.kb.matched_terms(listed.program.id, terms, self.index)) if listed.program else set()
                if listed.status == "one" and (useful is None or useful(listed.program)) \
                        and len(listed_words) > self.policy.min_matched_terms \
                        and len(self.telling(listed_words)) >= self.policy.min_matched_terms:
                    elsewhere = self._search(text, terms, contact)
                    if elsewhere.status != "one" or elsewhere.program.id == listed.program.id:
                        return listed
            # another program takes over only when its text clearly fits the message better:
            # it leads the search, matches two of its words or more, and more than the
            # program under discussion does (「従業員は50人」 must not switch through some
            # description's 従業員; 「社員のスキルアップの訓練も？」 after 総合職業技術校 does)
            # (or, in English, by a word no other program's English has: "staff in Singapore?"
            # after another overseas program names the overseas representatives; the English
            # is a name and a summary, where such a word is distinctive, while the Japanese
            # holds whole pages, where many incidental words occur once: 前提)
            switched = self._search(text, terms, contact)
            if switched.status == "several" and self.continues(text) and len(context.programs) == 1 \
                    and context.programs[0].id in switched.ids:
                # "and for women returning to work?" after the youth program: the same question of
                # something else, so not of the program under discussion, found about equally
                others = [p for p in switched.programs if p.id != context.programs[0].id]
                if len(others) == 1:
                    switched = Resolution("one", others, "search", {others[0].id: switched.evidence[others[0].id]}, True)
            subject_continues = False
            if switched.status == "several" and len(context.programs) == 1:
                # of those found about equally, the one that also has the telling words the
                # program under discussion has, and more: the conversation's subject continues
                # ("the vocational training school for people with disabilities" after the
                # disability employment program: the disabled people's school, not the others)
                kept = self.telling(self.kb.matched_terms(context.program.id, terms, self.index))
                wider = [p for p in switched.programs if p.id != context.program.id and kept
                         and kept < self.telling(self.kb.matched_terms(p.id, terms, self.index))]
                if len(wider) == 1:
                    switched = Resolution("one", wider, "search", {wider[0].id: switched.evidence[wider[0].id]}, True)
                    subject_continues = True
            if switched.status == "one" and useful and not useful(switched.program) \
                    and any(useful(p) for p in context.programs):
                # (never to a program that cannot answer what is asked from one that can: "and if
                # we choose the bigger model at 900万円?" after the productivity subsidy's amount)
                return context
            if switched.status == "one":
                # (in English, words many programs have count for neither: "people" of "people
                # with disabilities" does not keep the vocational schools under discussion)
                matched = self.telling(self.kb.matched_terms(switched.program.id, terms, self.index))
                kept = [self.telling(self.kb.matched_terms(p.id, terms, self.index)) for p in context.programs]
                in_context = max(len(k) for k in kept)
                # (… unless the one word is a name said, capitalised: "what is SHIN みなとみらい
                # and how much budget has it?")
                refers_back = any(p.search(text) for p in self._back_references) \
                    and not (matched - kept[0]) & (proper_names(text) | acronyms(text))
                # (… nor when every word describing it is the other program's and fewer are the
                # one under discussion's: "who is in charge of the vocational training school for
                # people with disabilities?" after the special subsidiaries' program)
                said = set(terms)
                described = len(said) > self.policy.min_matched_terms and not refers_back \
                    and said <= set(self.kb.matched_terms(switched.program.id, terms, self.index)) \
                    and not said <= set(self.kb.matched_terms(context.programs[0].id, terms, self.index))
                if self.index == "en" and len(context.programs) == 1 and not self.continues(text) \
                        and not subject_continues and not described \
                        and (refers_back or not any(p.search(text) for p in self._seeking)) \
                        and len(matched - kept[0]) < self.policy.min_matched_terms \
                        and (refers_back or not any(map(self.held_by_one, matched - kept[0]))):
                    # (in English, the words the program under discussion shares count for
                    # neither: "how much can one shopping street association get?" after the
                    # shopping streets' appeal subsidy does not switch for "association" alone;
                    # "what about women returning to work?" and "is there a training school for …?"
                    # speak of something else; but not when it is spoken of with a pronoun: "any
                    # follow-up after we hire someone through it?" asks of it, whichever
                    # program's name has "follow-up")
                    return context
                # (the one word must be of the other program's names: "sign them up" or
                # "communicate in English" are no name of the programs whose summaries hold them)
                named = matched & self.kb.name_terms(switched.program.id, self.index)
                # (for a phone, only a proper name: "who do I call to sign them up?" asks of the
                # programs under discussion; "staff in Singapore? how can I reach them?" does not)
                if contact:
                    named &= proper_names(text)
                elif len(context.programs) > 1:
                    # (after a list, a word of one other program's name said in passing is no
                    # switch unless a name: "is there support after they join?" after the
                    # recruiting programs listed is of them, not the robot industry's "join")
                    named &= proper_names(text) | acronyms(text)
                # (or, a program or its division sought, not a fact of it, a need named that it
                # meets and the program under discussion does not: 「50代60代のシニアの人を探すなら
                # どこ？」 after the 就職氷河期世代 program)
                needs = {v for v in _values(facts.get("need")) if isinstance(v, str)} if useful is None else set()
                of_need = bool(needs & set(self.kb.needs_of(switched.program.id))) and not any(
                    needs & set(self.kb.needs_of(p.id)) for p in context.programs)
                if len(matched) > in_context and (len(matched) >= self.policy.min_matched_terms or of_need
                                                  or self.index == "en" and any(map(self.held_by_one, named))):
                    return switched
            return context
        if terms:
            # (programs compared are several: the dictionary does not pick one of them)
            # (a need the message names counts for the programs meeting it, when the words
            # found none of them: 「従業員と揉めてる」)
            needs = [v for v in _values(facts.get("need")) if isinstance(v, str)]
            if compares:
                return self._search(text, terms, contact, needs=needs)
            found = self._search_or_glosses(text, terms, contact, needs)
            if found.status == "one" and self.only_common_words(found.program, terms, needs):
                return self._of_needs(needs, NONE, text) or NONE
            if found.status == "one" and needs and not set(self.kb.needs_of(found.program.id)) & set(needs) \
                    and len(self.telling(set(self.kb.matched_terms(found.program.id, terms, self.index)))) \
                    < self.policy.min_matched_terms:
                # one telling word of a program meeting none of the needs the message names is
                # no evidence against them ("my children live abroad and will not take over":
                # not the overseas dispatch)
                return self._of_needs(needs, NONE, text) or found
            if found.status != "several":
                return found
            # of those found about equally, the one meeting most (two or more) of the needs
            # the message names (a startup cutting CO2: the decarbonization ventures', not the growth-stage
            # ones), if it holds what is asked (an amount asked: not a program without amounts)
            met = {p.id: len(set(self.kb.needs_of(p.id)) & set(needs))
                   for p in found.programs if useful is None or useful(p)}
            most = max(met.values(), default=0)
            meeting = [p for p in found.programs if most > 1 and met.get(p.id) == most]
            if len(meeting) == 1:
                return Resolution("one", meeting, "search", {meeting[0].id: found.evidence.get(meeting[0].id, [])}, True)
            # … or, in English, when they all meet fewer, the one program meeting every need
            # named (a restaurant short of kitchen workers wanting a cooking machine: the
            # productivity subsidy, not the foreign workers' programs "enough workers" found;
            # the English is names and summaries, where such words are incidental. Not in
            # Japanese, whose whole pages say more: 「美容室…ネット予約とキャッシュレスのレジ」
            # is the small businesses' digitalization subsidy its words find)
            every = self._meeting_every(needs, useful) if self.index == "en" else None
            if every and most < len(set(needs)):
                return Resolution("one", [every], "need", {every.id: [Evidence("need", "、".join(dict.fromkeys(needs)))]},
                                  True)
            # (not when the needs' programs share no telling word with the message while the
            # words tell of one found: "transfer-assist robot … test it at care sites …
            # demonstrations" found the care-robot trials by four words; "sites" there names no
            # plant location)
            if any(len(self.telling(set(self.kb.matched_terms(p.id, terms, self.index))))
                   >= self.policy.min_matched_terms for p in found.programs) \
                    and not any(self.telling(set(self.kb.matched_terms(p.id, terms, self.index)))
                                for p in self._meeting_needs(needs, text)):
                return found
            return self._of_needs(needs, found, text) or found
        return NONE

    def named_by_words(self, text: str, least: int | None = None) -> Program | None:
        """The program whose name and aliases hold most of the message's words, in any
        order, when it holds enough of them (``least``, else :class:`ResolverPolicy`'s) and
        clearly more than any other."""
        least = least or self.policy.name_words
        terms = self.describing_terms(text)
        words = whole_words(terms)
        if len(words) < least:
            return None
        # a compound and its parts are one word (事業協同組合 is not three)
        # only the programs whose names hold one of the words (the others match none)
        candidates = {pid for term in terms for pid in self._named_by.get(term, ())}
        # among the programs of the kind spoken of (a subsidy, a loan)
        candidates = {p.id for p in self.of_kind_spoken([self.kb.program(pid) for pid in sorted(candidates)], text)}
        counts = sorted(((words_matched(set(terms) & self.kb.name_terms(pid, self.index), terms), pid)
                         for pid in candidates),
                        reverse=True) + [(0, "")] * 2
        (best, best_id), (second, _) = counts[0], counts[1]
        if best < least or best < self.policy.name_words_lead * second:
            return None
        return self.named_unless_described_better(best_id, terms)

    def named_unless_described_better(self, program_id: str, terms: list[str]) -> Program | None:
        """The program whose name holds the words, unless another program's text holds them
        all and more of the telling others: words a name holds scattered over a long message
        ("a startup developing a service that cuts CO2 … a demonstration project") name the
        growth-stage ventures' program ("startup demonstration", "new service development")
        less than the decarbonization ventures' text describes it."""
        named = set(terms) & self.kb.name_terms(program_id, self.index)
        own = len(self.telling(set(self.kb.matched_terms(program_id, terms, self.index))))
        if any(p.id != program_id and named <= matched and len(self.telling(matched)) > own
               for p, _score, matched in self.rank(terms, limit=self.policy.max_candidates)):
            return None
        return self.kb.program(program_id)

    def _from_japanese_words(self, text: str, contact: bool, listed: list[str] = ()) -> Resolution | None:
        """An English message naming a program by Japanese words that are not a whole name
        (「the 生産性向上 subsidy」): those words ranked on the Japanese index, among the
        programs of the kind spoken of (:meth:`of_kind_ranked`); when no program leads, the
        one leading among those the conversation ``listed`` ("and the one for 生活支援ロボット?")."""
        if self.index != "en":
            return None
        terms = japanese_terms(text)
        if len(whole_words(terms)) < self.policy.min_matched_terms:
            return None   # one word (「not 小規模」) is no evidence
        ranked = self.of_kind_ranked(self.rank(terms, limit=self.policy.max_candidates + 1, index="ja"), text)
        if not self.leads([score for _p, score, _m in ranked], contact):
            ranked = [entry for entry in ranked if entry[0].id in listed]
        if not self.leads([score for _p, score, _m in ranked], contact):
            return None
        best, _score, matched = ranked[0]
        return Resolution("one", [best], "search", {best.id: [Evidence("search", "、".join(sorted(matched)))]}, True)

    def holds_words(self, program: Program, text: str) -> bool:
        """Whether one of a program's English names or aliases says ``text``'s words in a row
        ("shotengai" of "shotengai appeal subsidy"; not "system loans" of a guarantee fee
        subsidy of "startup loans", whose words are only scattered over its names)."""
        said = english_terms(text)
        names = [program.english.get("name") or ""] + list(program.english.get("aliases") or [])
        return bool(said) and any(
            said == terms[i:i + len(said)]
            for terms in map(english_terms, names) for i in range(len(terms) - len(said) + 1))

    def named_in_passing(self, text: str) -> list[str] | None:
        """In English, the programs whose own names (English or Japanese) hold every word the
        message writes in capitals ("NEXT", "JETRO", the "AI" of 「生成AI」) that few
        programs' names hold, as the catalogue lists them: a name said, which outweighs the
        message's other words; None when it writes none (words many names hold, "SME", say
        nothing of which; nor do the words of aliases, "ICT" of some program's, which are as
        often the business's own, and nor do capitals in what the business says it is: "we're
        a Series A startup (AI for logistics)")."""
        if self.index != "en":
            return None
        text = self.without_self_description(text)
        held = [{pid for pid in self._named_by.get(t, ()) if t in self._own_name_words(self.kb.program(pid))}
                for t in acronyms(text) if len(self._named_by.get(t, ())) <= self.policy.max_candidates]
        held = [ids for ids in held if ids]
        if not held:
            return None
        return [pid for pid in self._program_ids if all(pid in ids for ids in held)] or None

    def _own_name_words(self, program: Program) -> set[str]:
        """The English words of a program's English name and of its Japanese name's Latin letters (ＮＥＸＴ)."""
        return set(english_terms(program.english.get("name") or "")) | set(english_terms(fold(program.name)))

    def leads(self, scores: list[float], contact: bool = False) -> bool:
        """Whether the first of ranked scores (best first) clearly leads the second, or is the
        only one (:class:`ResolverPolicy`: more clearly when the answer is a phone number)."""
        lead = self.policy.contact_search_lead if contact else self.policy.search_lead
        return bool(scores) and (len(scores) == 1 or scores[0] >= lead * scores[1])

    def fuller_terms(self, text: str, terms: list[str]) -> list[str]:
        """In English, when the message's describing ``terms`` find no program, those and the
        words naming an office, which usually ask whom to call ("which office handles it"):
        then they may be all that says what the business wants ("we want cheap office space";
        searched always, "our office staff" found the overseas offices' program)."""
        if not self.office_words or self.rank(terms, limit=1):
            return terms
        offices = [t for t in english_terms(text) if t in self.office_words and t not in terms]
        if not offices:
            return terms
        # (of those, the words some program's English has: the others would only dilute them)
        return [t for t in terms + offices if self.rank([t], limit=1)] or terms

    def continues(self, text: str) -> bool:
        """Whether a message starts as a follow-up going on with the last question, of
        something else (``continuations``: 「じゃあ」 "what about")."""
        folded = fold(text).lower().lstrip(" 、,.-")
        # (an English word whole: "and" does not start "android")
        return any(folded.startswith(word) and not (word[-1:].isascii() and folded[len(word):len(word) + 1].isalpha())
                   for word in self.continuations)

    def telling(self, terms: set[str]) -> set[str]:
        """The words that say which program: in English, those few programs have, a
        hyphenated word once (follow-up is "followup" and "follow", one word said)."""
        if self.index != "en":
            return terms
        kept = {t for t in terms if not self.common(t)}
        return {t for t in kept if not any(t != other and other.startswith(t) for other in kept)}

    def common(self, term: str) -> bool:
        """Whether more programs than :attr:`ResolverPolicy.common_word_programs` have the word."""
        return self._holding(term) > self.policy.common_word_programs

    def held_by_one(self, term: str) -> bool:
        """Whether one program's text alone has the word (a place, a thing only it names)."""
        return self._holding(term) == 1

    def _holding(self, term: str) -> int:
        """How many programs' text has the word, counted up to one more than
        :attr:`ResolverPolicy.common_word_programs` (once per word)."""
        if term not in self._holders:
            limit = self.policy.common_word_programs + 1
            self._holders[term] = len(self.kb.search_terms_ranked([term], limit=limit, index=self.index))
        return self._holders[term]

    def describing_terms(self, text: str) -> list[str]:
        """The message's normalized content words that say which program, not what is asked
        (one-character words such as 先 or 県 say too little to count; nor does a number, a
        figure of the business's own, 「50代」, as the English words leave digits out)."""
        if self.index == "en":
            return english_terms(text, self.stopwords)
        return [term for term in search_terms(text) if term not in self.question_words and len(term) > 1
                and not term.isdigit()]

    def _from_names(self, text: str, mentions: list[Mention], useful, facts: dict, compares: bool = False) -> Resolution:
        if self.index == "en" and not compares and all(m.kind == "phrase" for m in mentions) \
                and len({tuple(m.program_ids) for m in mentions}) > 1:
            # English phrases of different programs: those in the question asked ("… learn
            # digital tools. Does Kanagawa offer anything like reskilling?"), the others the
            # story around it
            asked = [m for m in mentions if self._in_question(text, m)]
            if asked and len(asked) < len(mentions):
                mentions = asked
        evidence: dict[str, list[Evidence]] = {}
        for mention in mentions:
            for pid in mention.program_ids:
                evidence.setdefault(pid, []).append(Evidence(mention.kind, mention.text))
        outside = blank(text, [(m.start, m.end) for m in mentions])
        named_ids = {pid for m in mentions for pid in m.program_ids}
        implied = self._from_facts(facts, in_context=False)
        # (two different weak mentions of one program agree: 「商工会」 and "management advice")
        agreeing = any(len({m.text for m in mentions if pid in m.program_ids}) > 1 for pid in named_ids)
        # (a Japanese name quoted inside English is the document's own word for what is asked
        # about: "retirees … through the シルバー人材センター" is its subsidy, whatever the rest finds)
        # (not a place many programs share, さがみロボット産業特区)
        quoted = self.index == "en" and all(JAPANESE_RUN.fullmatch(m.text) and m.kind != "shared" for m in mentions)
        if all(m.kind in WEAK_MENTIONS for m in mentions) and not agreeing and not quoted and not (
                implied and implied[2] == "strong" and implied[0].id in named_ids) and not any(
                self.kind_follows(text, m) for m in mentions):
            # 「商工会からは小規模事業者と言われています。旋盤を入れたい…」: a body the user names
            # of itself; the words of the message, when they clearly point to a program, decide
            # (unless a fact only the named program's rules use says it is meant: a course;
            # the words of an English alias other programs' summaries share, "low-interest
            # loan", describe them too: searched. A Japanese shared alias is a place others
            # only mention in passing, さがみロボット産業特区: not)
            searched = blank(text, [(m.start, m.end) for m in mentions if m.kind != "shared" or self.index != "en"])
            ranked = self.of_kind_ranked(self.rank(self.describing_terms(searched)), text)
            leads = self.leads([score for _p, score, _m in ranked])
            # (never to one word alone: 「制度融資のことで金融化に…」 is 制度融資, not the
            # program whose name has 金融, the division's name mistyped)
            # (an English phrase naming one program gives way only to as many words of
            # another's name or aliases, up to two: "generative AI … we lack know-how" stays
            # the AI program, and "issuing gift vouchers" the vouchers' for one word of "social issue")
            phrases_only = all(m.kind == "phrase" for m in mentions)
            phrase_words = min(max(len(english_terms(m.text)) for m in mentions), self.policy.min_matched_terms)
            # (nor to a program meeting none of the needs the message names that a named one
            # meets: "go digital … online shop" is not the shopping streets' subsidy)
            meeting = {p.id for need in _values(facts.get("need")) if isinstance(need, str)
                       for p in self.kb.programs_for_need(need)}
            # (nor when, the phrase's words counted too, the program it names leads: "an app
            # for elderly people … an intensive program for early-stage startups")
            whole = self.rank(self.describing_terms(text), limit=2) if phrases_only and self.index == "en" else []
            if whole and whole[0][0].id not in named_ids and self.leads([score for _p, score, _m in whole]) \
                    and set(english_terms(" ".join(m.text for m in mentions))) <= whole[0][2]:
                # the phrase said with words that narrow it, the whole message counted, leads
                # to another program holding the phrase's words ("the prefecture vocational
                # school for disabled people": the disabled people's vocational school)
                best = whole[0][0]
                return Resolution("one", [best], "search", {best.id: [Evidence("search", " ".join(sorted(whole[0][2])))]},
                                  True)
            if leads and ranked[0][0].id not in named_ids and len(ranked[0][2]) >= self.policy.min_matched_terms and (
                    not phrases_only or len(ranked[0][2] & self.kb.name_terms(ranked[0][0].id, self.index))
                    >= phrase_words) and (
                    ranked[0][0].id in meeting or not meeting & named_ids) and not (
                    whole and whole[0][0].id in named_ids):
                best = ranked[0][0]
                return Resolution("one", [best], "search", {best.id: [Evidence("search", outside.strip())]}, True)
            if phrases_only and self.index == "en":
                # an English phrase said with words that narrow it ("the vocational school for
                # people with disabilities"): the program whose text has the phrase's words
                # and more of the telling others than the program the phrase names alone
                terms = self.describing_terms(text)
                said = set(english_terms(" ".join(m.text for m in mentions)))
                best = next(iter(self.rank(terms, limit=1)), None)
                if best and best[0].id not in named_ids and said <= best[2] and len(self.telling(best[2])) > max(
                        len(self.telling(self.kb.matched_terms(pid, terms, self.index))) for pid in named_ids):
                    return Resolution("one", [best[0]], "search",
                                      {best[0].id: [Evidence("search", " ".join(sorted(best[2])))]}, True)
        described = self._described_instead_of_alias(text, mentions) if not compares else None
        if described:
            return described
        groups = []
        for mention in mentions:
            group = [self.kb.program(pid) for pid in mention.program_ids]
            if len(group) > 1:
                group = self.narrow(group, outside, useful, facts)
            group = self._part_named(group, outside, evidence)
            groups.append(group)
        # (a comparison names its programs: two of a name's words do)
        by_words = self.named_by_words(outside, least=self.policy.compared_name_words) if compares else None
        if by_words and not any(by_words in group for group in groups):
            # another program named by its words, outside the names found (「原油高騰の小口の
            # 特別融資とミニ枠」): both are meant
            groups.append([by_words])
            evidence.setdefault(by_words.id, []).append(Evidence("name_words", outside.strip()))
        # a program every mention can mean is the one meant (「小口零細企業保証資金」 and
        # 「信用保証料の補助」 both fit the ミニ枠 guarantee-fee subsidy)
        common = set.intersection(*({p.id for p in group} for group in groups))
        if len(common) == 1:
            program = self.kb.program(common.pop())
            found = Resolution("one", [program], "name", {program.id: evidence[program.id]}, True)
            # 「…第2ステージの融資」 "NEXT stage 2 loan": the kind said right after a name that
            # its program is not of is its sibling's (the one sharing the name, of that kind)
            after = "".join(text[m.end:m.end + 12] for m in mentions if program.id in m.program_ids)
            return self._sibling_of_kind_spoken(found, after) or found
        programs = list({p.id: p for group in groups for p in group}.values())
        how = "name" if all(m.kind == "name" for m in mentions) else "alias"
        if len(programs) > 1 and useful:
            kept = [p for p in programs if useful(p)]
            programs = kept or programs
        wholes = any(e.source == "whole" for found in evidence.values() for e in found)
        if len(programs) > 1 and any(len(group) > 1 for group in groups) and not wholes:
            narrowed = self.narrow(programs, outside, useful, facts)
            if len(narrowed) == 1 or len(mentions) == 1:
                programs = narrowed
        if len(programs) == 1:
            return Resolution("one", programs, how, {programs[0].id: evidence.get(programs[0].id, [])}, True)
        return Resolution("several", programs, "ambiguous" if len(mentions) == 1 else how,
                          {p.id: evidence.get(p.id, []) for p in programs}, True)

    def _described_instead_of_alias(self, text: str, mentions: list[Mention]) -> Resolution | None:
        """A program the message describes, instead of the one an alias names that
        the message says nothing else of: "employ people released from prison … any follow-up
        support after hiring, such as workplace visits?" is the released prisoners' employment
        program, whose text holds the telling words, not the program an alias calls "follow-up
        support" (its name is not said, and none of the other words are its); 「障がい者の就労支援を
        しているNPO法人です。求職中の障がい者向けの短期間の訓練を…」 the training NPOs are
        commissioned for, not the program called 障がい者の就労支援. The program described must
        hold twice :attr:`ResolverPolicy.min_matched_terms` telling words the alias does not
        say, and lead clearly (as for a phone number)."""
        if any(m.kind != "alias" or len(m.program_ids) != 1 or (self.index == "en" and self._is_english_name(
                " ".join(english_words(m.alias)), m.program_ids)) for m in mentions):
            return None
        said = set(self.describing_terms(" ".join(m.text for m in mentions)))
        terms = self.describing_terms(text)
        named_ids = {m.program_ids[0] for m in mentions}
        if any(self.telling(set(self.kb.matched_terms(pid, terms, self.index))) - said for pid in named_ids):
            return None   # the other words are of the named program too
        ranked = self.rank(terms, limit=2)
        if not ranked or ranked[0][0].id in named_ids:
            return None
        best, _score, matched = ranked[0]
        if len(self.telling(matched) - said) < 2 * self.policy.min_matched_terms or not self.leads(
                [score for _p, score, _m in ranked], contact=True):
            return None
        return Resolution("one", [best], "search", {best.id: [Evidence("search", " ".join(sorted(matched)))]}, True)

    def official_name_terms(self, program: Program) -> set[str]:
        """The words of a program's own name (in English, its English name's), not its aliases'."""
        return set(english_terms(program.english.get("name") or "")) if self.index == "en" \
            else set(search_terms(program.name))

    @staticmethod
    def _in_question(text: str, mention: Mention) -> bool:
        """Whether a mention is in a sentence of the message that ends with a question mark."""
        end = min((i for i in (text.find("?", mention.end), text.find("？", mention.end)) if i >= 0), default=-1)
        if end < 0:
            return False
        return not any(mark in text[mention.end:end] for mark in ".!。！\n")

    def _part_named(self, group: list[Program], outside: str, evidence: dict) -> list[Program]:
        """A program named with words that only the names of the programs depending on it
        add means those: its parts (「産業技術総合研究所で生成AIの支援」: 産業技術総合研究所交付金
        （生成ＡＩ活用促進事業）) or the programs serving its users (related in programs.yml:
        "a small loan through the system loan … help with the guarantee fee" is the
        guarantee-fee subsidy for small loans). Of several, those the message's words rank
        first."""
        if len(group) != 1:
            return group
        dependants = self._dependants.get(group[0].id, [])
        if not dependants:
            return group
        terms = self.describing_terms(outside)
        own = self.kb.name_terms(group[0].id, self.index)
        # (two words at least: 「融資枠」 or "the emergency portion" of 制度融資 are its own)
        # (a part by one word of its own name, not of its aliases: "a parts manufacturer … a
        # public research institute" is not the generative-AI part for its alias "AI in manufacturing")
        named = [p for p in dependants if (
            len(set(terms) & (self.official_name_terms(p) - own)) >= 1
            if (p.part_of or {}).get("program") == group[0].name else
            len(set(terms) & (self.kb.name_terms(p.id, self.index) - own)) >= self.policy.min_matched_terms)]
        if len(named) > 1:
            ids = {p.id for p in named}
            ranked = [(p, score) for p, score, _m in self.rank(terms, limit=len(self._program_ids)) if p.id in ids]
            if ranked and self.leads([score for _p, score in ranked]):
                named = [ranked[0][0]]
            else:
                named = [p for p, _score in ranked] or named
        for program in named:
            evidence.setdefault(program.id, []).append(Evidence("part", group[0].name))
        if named and self.speaks_of_share(outside):
            # the whole named, then a share of it (「交付金は全体でいくら？そのうち生成AIの分は？」):
            # both
            evidence.setdefault(group[0].id, []).append(Evidence("whole", named[0].name))
            return group + named
        return named or group

    def speaks_of_share(self, text: str) -> bool:
        """Whether a text speaks of a share of what it named or was shown (「そのうち」 "of it")."""
        folded = fold(text)
        return any(p.search(folded) for p in self._shares)

    def kind_follows(self, text: str, mention: Mention) -> bool:
        """A body named as the one the program gives to (「中小企業団体中央会への県の補助」): the
        kind of program said right after its name."""
        after = fold(text[mention.end:mention.end + 8]).lower()
        return self.category_spoken(after) is not None and self.index == "ja" and after[:1] in "へにのだ"

    def narrow(self, candidates: list[Program], text: str, useful=None, facts: dict | None = None) -> list[Program]:
        """Fewer candidates for a name they share: the message's other words found in only
        one candidate's name, the facts only some candidates' rules use (宿泊業, a course),
        the kind of program spoken of (融資 or 補助), then whether a candidate holds what the
        question needs."""
        def by_facts(kinds: tuple[str, ...]) -> None:
            nonlocal candidates
            values = [v for kind in kinds for v in _values((facts or {}).get(kind)) if isinstance(v, str) and v != NO_MEASURES]
            using = {p.id for value in values for p in self.kb.programs_using(value)}
            candidates = [c for c in candidates if c.id in using] or candidates

        by_facts(NAMING_FACTS)
        # a kind of program spoken of (「…の融資」) before an industry, which names only
        # セレクト神奈川ＮＥＸＴ's subsidy requirements
        spoken = self.category_spoken(text)
        if spoken:
            candidates = [c for c in candidates if c.category == spoken] or candidates
        by_facts(CONTEXT_FREE_NAMING_FACTS)
        words = set(self.describing_terms(text))
        named = [c for c in candidates if words & (set(search_terms(c.name)) if self.index == "ja"
                                                   else self.kb.name_terms(c.id, self.index))]
        if len(named) == 1 and len(candidates) > 1:
            return named
        # … the one only for a kind of body the business says it is (「特別養護老人ホームを運営
        # しています…ロボットを導入」: the care facilities' subsidy)
        of_itself = self.said_of_itself(text)
        for_said = [c for c in candidates if self.audience_said(c, of_itself)]
        if len(for_said) == 1 and len(candidates) > 1:
            return for_said
        if not spoken and len(candidates) > 1 and any(c.category not in self.loans for c in candidates):
            # a bare scheme name (セレクト神奈川ＮＥＸＴ) means its subsidy unless a loan is spoken of
            candidates = [c for c in candidates if c.category not in self.loans]
        if useful:
            kept = [c for c in candidates if useful(c)]
            if kept:
                candidates = kept
        return candidates

    def for_audiences_said(self, ranked: list, text: str, named: set[str] = frozenset()) -> list:
        """Ranked programs (tuples, the program first) less those only for a kind of body
        (a care facility, a shopping street, a cooperative, a freight carrier) that the
        message does not say it is or speaks of, when others remain: a workshop buying robots
        is not sent to the care facilities' subsidy, nor a small enterprise to the
        cooperatives'. (Programs the message names, ``named``, stay: 物流の2024年問題.)"""
        said = fold(text).lower()
        kept = [entry for entry in ranked if entry[0].id in named or self.audience_said(entry[0], said) is not False]
        return kept or ranked

    def audience_said(self, program: Program, said: str) -> bool | None:
        """Whether ``said`` (lower-cased words of the message) names the kind of body the
        program is only for (None: the program is for no such kind)."""
        kinds = self._audience_kinds(program)
        return any(word in said for kind in kinds for word in self.audience_words[kind]) if kinds else None

    def _audience_kinds(self, program: Program) -> tuple[str, ...]:
        """The kinds of body (``audience_words``) a program is only for; none when one of its
        audiences, 「ロボットを導入する施設、ロボットを開発する企業」, is of no such kind."""
        if program.id not in self._audiences:
            parts = [part for part in re.split(r"[、,]", program.audience or "") if part.strip()]
            kinds_of = [[kind for kind in self.audience_words if kind in part] for part in parts]
            self._audiences[program.id] = tuple(kind for found in kinds_of for kind in found) \
                if parts and all(kinds_of) else ()
        return self._audiences[program.id]

    def _self_described(self, folded: str) -> list[re.Match]:
        """Where a folded, lower-cased message says what the business is."""
        return [m for pattern in self._self_description for m in pattern.finditer(folded)]

    def said_of_itself(self, text: str) -> str:
        """What a business says it is in a message (lower-cased): 「…を運営しています」."""
        return " ".join(m.group(0) for m in self._self_described(fold(text).lower()))

    def without_self_description(self, text: str) -> str:
        """The text with what the business says it is blanked out (the text unchanged when
        folding it changes its length, as the spans are found on the folded text)."""
        folded = fold(text).lower()
        if len(folded) != len(text):
            return text
        for m in self._self_described(folded):
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
        return text

    def category_spoken(self, text: str) -> str | None:
        """The category of program a message speaks of (融資, 補助, 奨励金), if any."""
        folded = fold(text).lower()
        return next((category for category, words in self.category_words.items()
                     if any(word in folded for word in words)
                     or any(pattern.search(folded) for pattern in self._category_patterns[category])), None)

    def only_of_kind_spoken(self, programs: list[Program], text: str) -> list[Program] | None:
        """The programs of the kind of program spoken of (a loan: loans and the subsidies
        that go with loans), or None when the message speaks of no kind."""
        spoken = self.category_spoken(text)
        return None if spoken is None else [p for p in programs if self.of_kind(p, spoken)]

    def of_kind_spoken(self, programs: list[Program], text: str) -> list[Program]:
        """Programs for a need, narrowed by the category spoken of: a subsidy spoken of
        leaves out loans; a loan spoken of puts loans first but keeps the subsidies that go
        with loans (保証料, 資産評価の補助)."""
        spoken = self.category_spoken(text)
        if spoken is None:
            return programs
        if spoken not in self.loans:
            # a subsidy or an incentive spoken of: programs of that kind first, then the others
            # that are no loans (a restaurant asking for a subsidy for a machine is not first
            # sent to a recruiting service)
            programs = [p for p in programs if p.category not in self.loans] or programs
        return sorted(programs, key=lambda p: not self.of_kind(p, spoken))

    def of_kind(self, program: Program, spoken: str) -> bool:
        """Whether a program is of a category spoken of: its own, or one its summary says it
        gives (a subsidy whose summary speaks of loans is of a loan; 障害者就労推進費, which
        「…コミュニケーションツールの導入に対して補助する」, of a subsidy)."""
        if spoken in self.loans:
            return program.category in self.loans or any(w in self.summary_words(program)
                                                          for w in self.category_words[spoken])
        return program.category == spoken or program.category not in self.loans and any(
            w in self.summary_words(program) for w in self.category_given.get(spoken, []))

    def summary_words(self, program: Program) -> str:
        """A program's summary in the resolver's language, folded (English: lower-cased)."""
        if self.index == "en":
            return fold((program.english or {}).get("summary") or "").lower()
        return fold(program.summary or "")

    def of_kind_ranked(self, ranked: list[tuple[Program, float, set[str]]], text: str
                       ) -> list[tuple[Program, float, set[str]]]:
        """Ranked programs (:meth:`rank`) left of the kind of program spoken of, in their
        order (:meth:`of_kind_spoken`: a subsidy said leaves out loans)."""
        kept = {p.id for p in self.of_kind_spoken([p for p, _s, _m in ranked], text)}
        spoken = self.category_spoken(text)
        if spoken in self.loans:
            # a loan spoken of: the loans and the subsidies that go with loans, when any is found
            words = self.category_words[spoken]
            kept = {p.id for p, _s, _m in ranked if p.id in kept and (
                p.category in self.loans or any(word in self.summary_words(p) for word in words))} or kept
        return [r for r in ranked if r[0].id in kept]

    def _sibling_of_kind_spoken(self, context: Resolution, text: str) -> Resolution | None:
        """「融資も受けられる？」 after セレクト神奈川ＮＥＸＴ's subsidy: the one program sharing
        its name that is of the kind of program spoken of, when the one under discussion
        is not; with no such name, the one of that kind meeting the same need whose name
        has the message's words ("a bank loan for the takeover … help with the guarantee
        fee?" after the succession subsidy: the guarantee-fee subsidy of succession loans)."""
        spoken = self.category_spoken(text)
        if context.status != "one" or spoken is None or context.program.category == spoken:
            return None
        siblings = [p for p in (self.kb.program(pid) for pid in sorted(self._siblings.get(context.program.id, ())))
                    if p and p.category == spoken]
        if not siblings:
            terms = set(self.describing_terms(text))
            own = self.kb.name_terms(context.program.id, self.index)
            serving = {p.id: p for need in self.kb.needs_of(context.program.id) for p in self.kb.programs_for_need(need)
                       if p.category == spoken and not p.aggregate}
            siblings = [p for p in serving.values() if terms & (self.kb.name_terms(p.id, self.index) - own)]
            if len(siblings) == 1:
                return Resolution("one", siblings, "search", {siblings[0].id: [Evidence("sibling", context.program.name)]},
                                  True)
            return None
        if len(siblings) > 1:
            # the one sharing most of the name of the program under discussion (第２ステージ)
            own = set(search_terms(context.program.name))
            shared = sorted(((len(own & set(search_terms(p.name))), p) for p in siblings), key=lambda x: -x[0])
            siblings = [p for n, p in shared if n == shared[0][0]]
        if len(siblings) != 1:
            return None
        return Resolution("one", siblings, "name", {siblings[0].id: [Evidence("sibling", context.program.name)]}, True)

    def _from_facts(self, facts: dict, in_context: bool) -> tuple[Program, str, str] | None:
        """The one program whose rules use every naming fact of the message, the facts, and
        whether they are strong (a course, an add-on: nothing else has them)."""
        strong = [v for kind in NAMING_FACTS for v in _values(facts.get(kind)) if isinstance(v, str) and v != NO_MEASURES]
        weak = [] if in_context or facts.get("need") else \
            [v for kind in CONTEXT_FREE_NAMING_FACTS for v in _values(facts.get(kind)) if isinstance(v, str)]
        # (a special-zone scheme used, 「特区を活用」, is a condition of the rules that have one)
        weak += ["tokku"] if not in_context and True in _values(facts.get("tokku")) else []
        values = strong + weak
        if not values:
            return None
        programs = set.intersection(*({p.id for p in self.kb.programs_using(value)} for value in values))
        if len(programs) != 1:
            return None
        return self.kb.program(programs.pop()), "、".join(values), "strong" if strong else "weak"

    def _meeting_a_need_instead(self, implied: Program, text: str, terms: list[str], facts: dict,
                                contact: bool) -> Resolution | None:
        """A requirement of one program said in passing ("multilingual signs") gives way to a
        need the message names that the program does not meet, when the message's words
        find one program that meets it ("a 商店街 … attract foreign tourists with
        multilingual signs": the shopping-street programs, not the foreign-worker incentive)."""
        needs = [n for n in _values(facts.get("need")) if isinstance(n, str)]
        meeting = {p.id for need in needs for p in self.kb.programs_for_need(need)}
        if not meeting or implied.id in meeting or not terms:
            return None
        found = self._search(text, terms, contact)
        return found if found.status == "one" and found.program.id in meeting else None

    def _context(self, state: State) -> Resolution | None:
        if state.program:
            program = self.kb.program(state.program)
            if program:
                return Resolution("one", [program], "context", {program.id: [Evidence("context", program.name)]})
        programs = [p for p in (self.kb.program(pid) for pid in state.candidates) if p]
        if len(programs) == 1:
            return Resolution("one", programs, "context", {programs[0].id: [Evidence("context", programs[0].name)]})
        if programs:
            return Resolution("several", programs, "context",
                              {p.id: [Evidence("context", p.name)] for p in programs})
        return None

    def _meeting_every(self, needs: list[str], useful=None) -> Program | None:
        """The one program meeting every one of two or more needs, if it holds what is asked."""
        if len(set(needs)) < 2:
            return None
        ids = set.intersection(*({p.id for p in self.kb.programs_for_need(need) if not p.aggregate}
                                 for need in set(needs)))
        programs = [p for p in map(self.kb.program, sorted(ids)) if useful is None or useful(p)]
        return programs[0] if len(programs) == 1 else None

    def _meeting_needs(self, needs: list[str] | None, text: str) -> list[Program]:
        """The programs meeting the needs a message names; their loans only when money lent
        is asked (a loan spoken of, or a loan need: programs.yml's loan_needs)."""
        meeting = list({p.id: p for need in needs or [] for p in self.kb.programs_for_need(need)
                        if not p.aggregate}.values())
        if self.category_spoken(text) not in self.loans and not self.loan_needs & set(needs or []):
            meeting = [p for p in meeting if p.category not in self.loans] or meeting
        return meeting

    def _of_needs(self, needs: list[str] | None, found: Resolution, text: str) -> Resolution | None:
        """The programs meeting the needs a message names, when the programs its words found
        are none of them (the words matched something incidental: 「従業員と揉めてる」 is no
        training question) and they are few enough to be meant. Their loans only when money
        lent is asked (a loan spoken of, or a loan need: programs.yml's loan_needs): a business
        handed on is the succession subsidy, not the loans for it."""
        meeting = self._meeting_needs(needs, text)
        if not meeting or len(meeting) > self.policy.max_candidates or {p.id for p in meeting} & set(found.ids):
            return None
        # (in English, the document's own Japanese words quoted outweigh a need the English
        # words make: "an app for 未病 … for elderly people" is no older workers' program)
        holding = self.holding_japanese_words(text)
        if holding and not {p.id for p, _score in holding} & {p.id for p in meeting}:
            return None
        evidence = {p.id: [Evidence("need", "、".join(needs))] for p in meeting}
        return Resolution("one" if len(meeting) == 1 else "several", meeting, "need", evidence, True)

    def _search_or_glosses(self, text: str, terms: list[str], contact: bool, needs: list[str] = ()) -> Resolution:
        """The programs the message's words find; of several found about equally, those
        meeting a need the message names when some do (an HR manager "hiring international
        students … advice": the foreign workers' programs, not JETRO's, which "Japanese
        subsidiary … Yokohama" also find); in English, when they find none or several,
        those of them whose text holds the Japanese words it has (「translate our 就業規則」),
        else the one the dictionary English of the programs' Japanese clearly leads with."""
        found = self._search(text, terms, contact)
        if found.status == "several" and needs:
            ids = {p.id for p in self._meeting_needs(needs, text)}
            meeting = [p for p in found.programs if p.id in ids]
            if meeting and len(meeting) < len(found.programs):
                found = Resolution("one" if len(meeting) == 1 else "several", meeting, "search",
                                   {p.id: found.evidence[p.id] for p in meeting}, True)
        if found.status == "one":
            return found
        among = self.holding_japanese_words(text)
        if among:
            found = self._search(text, terms, contact, among=among)
            if found.status == "one":
                return found
        fuller = self.fuller_terms(text, terms) if found.status == "none" and not contact else terms
        if fuller != terms:
            found = self._search(text, fuller, contact)
            if found.status != "none":
                return found
        glossed = self.gloss_lead(text, terms, found.programs, contact, needs)
        if glossed:
            return Resolution("one", [glossed], "search", {glossed.id: [Evidence("glosses", " ".join(terms))]}, True)
        return found

    def only_common_words(self, program: Program, terms: list[str], needs: list[str] = (),
                          glosses: bool = False) -> bool:
        """In English, whether a program found for a longer message shares with it only the
        fewest words a search accepts (min_matched_terms), each of which many programs have,
        and meets no need it names: no evidence ("sales are ok … key staff tired … catching
        problems early" is no overseas program for sharing "sales" and "staff" with its
        summary; three such words together are: "hire foreign students … consultation")."""
        if self.index != "en":
            return False
        matched = self.kb.matched_terms(program.id, terms, self.index, glosses)
        return 0 < len(matched) <= self.policy.min_matched_terms and not self.telling(matched) \
            and len(matched) < self.policy.min_matched_share * len(terms) \
            and not set(self.kb.needs_of(program.id)) & set(needs)

    def gloss_lead(self, text: str, terms: list[str], found: list[Program], contact: bool = False,
                   needs: list[str] = ()) -> Program | None:
        """English words no program's English has ("appraisal", "fertility"): the program
        the dictionary English of the programs' Japanese (knowledge/glossary.py) gives them,
        when it clearly leads, among the programs ``found`` equally by their English (or
        when it found none): the dictionary decides between them, never against the English."""
        if self.index != "en" or not terms:
            return None
        glossed = self._search(text, terms, contact, glosses=True)
        if glossed.status != "one" or self.only_common_words(glossed.program, terms, needs, glosses=True):
            return None
        if found:
            return glossed.program if glossed.program.id in {p.id for p in found} else None
        # (alone, the dictionary needs two of the message's words: one gloss is too often
        # another sense, "fix" or "sale" of some program's Japanese; and it never alone gives
        # a phone number)
        matched = self.kb.matched_terms(glossed.program.id, terms, self.index, True)
        return glossed.program if len(matched) >= self.policy.min_matched_terms and not contact else None

    def holding_japanese_words(self, text: str) -> list[tuple[Program, float]] | None:
        """In English, the programs whose Japanese text holds every Japanese word of the
        message (whole words of two characters or more), best first; None when it has none
        or no program holds them all."""
        if self.index != "en":
            return None
        words = whole_words(japanese_terms(text))
        if not words:
            return None
        holding = [(p, score) for p, score in self.kb.search_terms_ranked(words, limit=100)
                   if len(self.kb.matched_terms(p.id, words)) == len(words)]
        return holding or None

    def _search(self, text: str, terms: list[str], contact: bool, names_only: bool = False,
                glosses: bool = False, needs: list[str] | None = None,
                among: list[tuple[Program, float]] | None = None) -> Resolution:
        """``among``: programs the message names otherwise (by Japanese words its English
        has), best first: the words rank those; none matching them, those are the ones."""
        limit = self.policy.max_candidates + 1
        ranked = self.of_kind_ranked(self.rank(terms, limit=limit * 5 if among else limit, names_only=names_only,
                                               glosses=glosses, needs=needs), text)
        if among and len(among) <= self.policy.max_candidates:
            ids = {p.id for p, _score in among}
            ranked = ([item for item in ranked if item[0].id in ids] or
                      self.of_kind_ranked([(p, score, set()) for p, score in among], text))[:limit]
        if not ranked:
            return NONE
        evidence = {p.id: [Evidence("search", "、".join(sorted(matched)), score)] for p, score, matched in ranked}
        if self.leads([score for _p, score, _m in ranked], contact):
            best = ranked[0][0]
            return Resolution("one", [best], "search", {best.id: evidence[best.id]}, True)
        close = [p for p, score, _ in ranked[:self.policy.max_candidates] if score * self.policy.search_lead >= ranked[0][1]]
        # of those found about equally, the one loan when a loan is spoken of ("the Select NEXT
        # 2nd stage loan": the loan, not the subsidy of the same name)
        spoken = self.category_spoken(text)
        of_spoken = [p for p in close if spoken in self.loans and p.category == spoken]
        if len(of_spoken) == 1 and len(close) > 1:
            return Resolution("one", of_spoken, "search", {of_spoken[0].id: evidence[of_spoken[0].id]}, True)
        close = self._shortest_names(close, terms)
        # (the one only for the kind of body the business says it is, when the others are
        # only for other kinds: "we operate a nursing home … care robots" is the care
        # facilities' subsidy, not the robot makers' trials; a care facility asking about
        # hiring students is not sent to the care facilities' subsidy by what it is)
        of_itself = self.said_of_itself(text)
        said = [self.audience_said(p, of_itself) for p in close] if of_itself else []
        if said.count(True) == 1 and said.count(False) == len(said) - 1:
            close = [close[said.index(True)]]
        if len(close) == 1:
            return Resolution("one", close, "search", {close[0].id: evidence[close[0].id]}, True)
        return Resolution("several", close, "search", {p.id: evidence[p.id] for p in close}, True)

    def _shortest_names(self, candidates: list[Program], terms: list[str]) -> list[Program]:
        """Of candidates found equally, one whose name is another's with more words the
        message does not say is not meant: 「NEXT stage 2 subsidy」 is セレクト神奈川ＮＥＸＴ
        第２ステージ補助金, not its …融資事業費補助 (who means that says loan)."""
        said = set(terms)
        names = {p.id: self.official_name_terms(p) for p in candidates}
        # … and, in English, of programs sharing a name (one scheme's), one whose name holds
        # fewer of the words said than its sibling's ("Select NEXT 2nd stage subsidy": the
        # Select Kanagawa NEXT Subsidy lacks the stage said). Not in Japanese: the parts of its
        # names (小規模, 事業者) are words people describe themselves with. (A sibling whose own
        # text has the words only the other's name holds stays: "care robots" are in the
        # care-productivity subsidy's text as in the care-robot tests' name)
        if self.index == "en":
            covered = {p.id: names[p.id] & said for p in candidates}
            candidates = [p for p in candidates if not any(
                q.id in self._siblings.get(p.id, ()) and covered[p.id] < covered[q.id]
                and self.kb.matched_terms(p.id, sorted(covered[q.id] - covered[p.id]), self.index)
                != covered[q.id] - covered[p.id] for q in candidates)]
        return [p for p in candidates
                if not any(q.id != p.id and names[q.id] < names[p.id] and not (names[p.id] - names[q.id]) & said
                           for q in candidates)]

    def rank(self, terms: list[str], limit: int = 10, names_only: bool = False,
             needs: list[str] | None = None, index: str | None = None,
             glosses: bool = False) -> list[tuple[Program, float, set[str]]]:
        """Programs whose text matches the terms, best first, with the terms each matches;
        only those matching enough of them (:class:`ResolverPolicy`). ``needs``: needs the
        message names (needs.yml); meeting one counts as one more word matched. ``index``:
        the words' language when it is not the resolver's (Japanese words in English).
        ``glosses``: English words match the dictionary English of the programs' Japanese."""
        index = index or self.index
        meeting = {p.id for need in needs or [] for p in self.kb.programs_for_need(need)}
        ranked = []
        for program, score in self.kb.search_terms_ranked(terms, limit=max(limit * 4, 30), names_only=names_only,
                                                          index=index, glosses=glosses):
            matched = self.kb.matched_terms(program.id, terms, index, glosses)
            if len(matched) >= self.policy.min_matched_terms or \
                    len(matched) >= self.policy.min_matched_share * len(terms):
                # more of the message's words matched counts above how often one word occurs,
                # and a word of the program's name or alias counts twice
                named = matched & self.kb.name_terms(program.id, index)
                ranked.append((program, score * (len(matched) + len(named) + (program.id in meeting)) ** 2, matched))
        ranked.sort(key=lambda item: -item[1])
        return ranked[:limit]


class LazyPattern:
    """A regular expression compiled when first used."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str):
        self.source = source
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def search(self, text: str):
        return self.compiled.search(text)

    def finditer(self, text: str):
        return self.compiled.finditer(text)


class AliasIndex:
    """The Japanese names and aliases by match key, to find those in a message without
    scanning every one (:meth:`Resolver.japanese_mentions`).

    A name is found where its key is exactly the normalized forms of consecutive content
    words of the message, joined by nothing but particles: so only the runs of the
    message's words, up to the longest key's length, are looked up."""

    def __init__(self, aliases: list[dict]):
        self.by_key: dict[str, list[tuple[int, dict]]] = {}
        for number, alias in enumerate(aliases):
            if alias["match_key"]:
                self.by_key.setdefault(alias["match_key"], []).append((number, alias))
        self.longest = max((len(key) for key in self.by_key), default=0)

    def find(self, spans: list[tuple[str, int, int, bool]]) -> dict[tuple[int, int], list[dict]]:
        """(first word, last word) → the aliases whose key those words make, in the order
        of the list (and the pairs in the order a scan of every alias would meet them)."""
        hits = []
        for first in range(len(spans)):
            key = ""
            for last in range(first, len(spans)):
                if last > first and not spans[last][3]:
                    break   # a name never runs across anything but particles (see content_spans)
                key += spans[last][0]
                if len(key) > self.longest:
                    break
                found = self.by_key.get(key)
                if found:
                    hits.append((found[0][0], first, last, [alias for _n, alias in found]))
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        return {(first, last): aliases for _n, first, last, aliases in hits}


def alias_index(aliases: list[dict]) -> AliasIndex:
    return AliasIndex(aliases)


_ENGLISH_RUN = re.compile(r"[a-z0-9]+")
# words that join the words of an English name ("Support for Foreign Companies"): such a name
# is said in its own order only
_LINKING_WORDS = frozenset({"for", "of", "in", "and", "to", "the", "a", "an", "on", "with", "by", "from", "at"})


def english_pattern_index(patterns: list[tuple[str, LazyPattern, list[dict]]],
                          variants: dict[str, list[str]] | None = None) -> tuple[dict[str, list[int]], list[int]]:
    """The English names' patterns by the rarest of their words (every word of a name must be
    a word of the message, or one of its ``variants``: :meth:`Resolver.english_mentions`), and
    those with no plain word of letters and digits (always tried)."""
    variants = variants or {}
    frequency: dict[str, int] = {}
    for key, _pattern, _aliases in patterns:
        for word in set(key.split()):
            frequency[word] = frequency.get(word, 0) + 1
    by_word: dict[str, list[int]] = {}
    always = []
    for number, (key, _pattern, _aliases) in enumerate(patterns):
        plain = [word for word in key.split() if _ENGLISH_RUN.fullmatch(word)]
        if plain:
            rarest = min(plain, key=lambda word: (frequency[word], word))
            for word in variants.get(rarest, [rarest]):
                by_word.setdefault(word, []).append(number)
        else:
            always.append(number)
    return by_word, always


def english_candidates(index: tuple[dict[str, list[int]], list[int]], normalized: str) -> list[int]:
    """The patterns that can match ``normalized``, in the order of the whole list. Each word
    of a pattern stands between word boundaries (spaces or apostrophes between them), the last
    one maybe before a plural s: so each word is a run of the message's letters and digits,
    or that run less its final s."""
    by_word, always = index
    numbers = set(always)
    for run in set(_ENGLISH_RUN.findall(normalized)):
        numbers.update(by_word.get(run, ()))
        if run.endswith("s"):
            numbers.update(by_word.get(run[:-1], ()))
    return sorted(numbers)


def proper_names(text: str) -> set[str]:
    """The stems of the capitalised English words a text has inside its sentences (a
    sentence's first word is capitalised whatever it is)."""
    return set(english_terms(" ".join(re.findall(r"(?<![.?!:]\s)(?<!^)(?<=\s)[A-Z][a-z]+", text.strip()))))


def acronyms(text: str) -> set[str]:
    """The stems of the words a text writes in capitals ("SHIN", "JETRO")."""
    return set(english_terms(" ".join(re.findall(r"(?<![A-Za-z0-9])[A-Z]{2,}(?![A-Za-z0-9])", text))))


def japanese_terms(text: str) -> list[str]:
    """The search terms (two characters or more) of the Japanese runs of a message."""
    return [t for run in JAPANESE_RUN.findall(text) for t in search_terms(run) if len(t) > 1]


def whole_words(terms: list[str]) -> list[str]:
    """The message's words among its search terms: a compound's parts (生成 and ai of
    生成ai) are not words of their own."""
    return [t for t in terms if not any(t != other and t in other for other in terms)]


def words_matched(matched: set[str], terms: list[str]) -> int:
    """How many of the message's words are matched, by the word or one of its parts."""
    return sum(1 for word in whole_words(terms)
               if word in matched or any(part in matched for part in terms if part != word and part in word))


def _values(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
