"""What a message asks: the one question analysis of the bot.

:meth:`Analyser.analyse` turns a message into an :class:`Analysis`:

* the text **respelled** where kana or wrong kanji read like a known word
  (:mod:`knowledge.spelling`);
* the **facts** it states (sizes, amounts, days, courses…: :mod:`knowledge.finder`) and
  the program names in it (:mod:`knowledge.resolver`);
* the **kinds of question** asked, in order — several when a message asks several
  things (「いくら？あと問い合わせ先も」). The words that ask each kind are language data
  (``kind_cues`` in ``knowledge/language/ja.yml``); the classifier's intent (DIET) decides
  when no such word occurs;
* whether it is a **yes/no** question, and a **reference** to the list just shown.

Rasa's NLU (``nlu.analysis.QuestionAnalysis``) calls it to set the intent that routes the
turn; the actions call it again for the whole analysis. Nothing else decides what is asked.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Iterable

from .finder import finder_for, load_language
from .kb import KnowledgeBase
from .resolver import JAPANESE_RUN, Mention, Resolver, list_reference
from .spelling import EnglishRespeller, Respeller, Respelling
from .text import blank, closed_up, english_terms, english_words, fold, morphemes, search_terms

try:   # the regular-expression parser (re._parser from Python 3.11, sre_parse before)
    from re import _parser as _re_parser
except ImportError:   # pragma: no cover - Python 3.10
    import sre_parse as _re_parser

# Kinds of question about the programs (the others are small talk or the form's).
QUESTION_KINDS = ("overview", "amount", "calculation", "eligibility", "budget", "contact", "procedure", "human",
                  "discovery", "new", "period", "change", "comparison", "definition", "example", "aim", "place",
                  "operator", "target", "count")
# Kinds answered from the document's statements and passages (knowledge/replies.py);
# 「target」 (whom a program serves) is answered with its eligibility.
STATEMENT_KINDS = ("period", "change", "definition", "example", "aim", "place", "operator")
# Facts of a business that turn a question about amounts or eligibility into a calculation.
FIGURES = ("money", "people", "duration")
# ... and those that make a calculation the classifier chose worth doing (an add-on done, 特区).
CALCULATION_FACTS = FIGURES + ("measure", "tokku", "variant")
# Facts naming a part of a program's amount rule: a course paid a fixed sum, an add-on measure.
PART_FACTS = ("course", "measure")


@dataclass
class Analysis:
    """What one message asks (see the module docstring)."""

    original: str
    text: str                                   # respelled
    kinds: list[str]
    intent: str | None = None                   # the classifier's, after the guard
    facts: dict[str, list] = field(default_factory=dict)
    entities: list[dict] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    yes_no: bool = False
    reference: int | None = None
    describes: bool = False                     # says something about which program
    cued: list[str] = field(default_factory=list)   # kinds found by their words
    only_names: bool = False                    # nothing but program names (a choice typed)
    divisions: list[str] = field(default_factory=list)   # contact ids of divisions named (金融課)

    @property
    def kind(self) -> str:
        return self.kinds[0]

    def fact(self, name: str):
        values = self.facts.get(name) or []
        return values[0] if values else None

    @property
    def named_needs(self) -> list[str]:
        """The needs the message names by their own words (not inferred from how it is said:
        "introduce a …")."""
        return [e["value"] for e in self.entities if e["entity"] == "need" and not e.get("inferred")]

    @property
    def has_figures(self) -> bool:
        return any(self.facts.get(name) for name in FIGURES)

    @property
    def has_calculation_facts(self) -> bool:
        return any(self.facts.get(name) is not None for name in CALCULATION_FACTS)


class Analyser:
    """Builds the respeller, the fact finder and the resolver once, from the knowledge base
    and the language data, and analyses messages with them."""

    def __init__(self, kb: KnowledgeBase, language: dict | str | None = None,
                 japanese_respeller: Respeller | None = None, japanese: "Analyser | None" = None):
        """``japanese_respeller``: the Japanese analyser's, which an English one uses for the
        Japanese words of its messages (built here when not given); ``japanese``: the Japanese
        analyser, whose cues an English one reads in those words."""
        self.kb = kb
        self.japanese = japanese
        self.language = load_language(language) if isinstance(language, str) else (language or load_language())
        self.code = self.language.get("code", "ja")
        english = self.code == "en"
        # English is matched lower-cased and word by word
        self.fold = (lambda text: fold(text).lower()) if english else fold
        # words that say what is asked, not about what: the question words and every cue word
        cue_words = [word.rstrip("$") for words in self.language["kind_cues"].values() for word in words
                     if not word.startswith("re:")]
        asked = " ".join(self.language.get("question_words", []) + self.language.get("function_words", []) + cue_words)
        self.question_words = frozenset(search_terms(asked)) if not english else frozenset()
        stopwords = frozenset(english_words(asked)) if english else frozenset()
        # (a word said for a question word is one: "project" is "program", which says no program)
        stopwords |= {w for group in self.language.get("name_variants", []) if stopwords & set(group)
                      for w in english_words(" ".join(group))}
        self.resolver = Resolver(kb, self.question_words, category_words=self.language.get("category_words"),
                                 index=self.code, stopwords=stopwords,
                                 program_words=tuple(self.language.get("program_words", [])),
                                 name_variants=self.language.get("name_variants"),
                                 office_words=frozenset(english_terms(" ".join(
                                     self.language.get("office_words", [])))) if english else frozenset(),
                                 audience_words=self.language.get("audience_words"),
                                 self_description=self.language.get("self_description"),
                                 continuations=tuple(self.fold(w) for w in self.language.get("continuations", [])),
                                 seeking=tuple(self.language.get("seeking", [])),
                                 back_references=tuple(self.language.get("back_references", [])),
                                 category_given=self.language.get("category_given"),
                                 shares=tuple(self.language.get("share_of_shown", [])))
        self.finder = finder_for(kb, self.language, mentions=self.resolver.mentions)
        variants = [[self.fold(w) for w in group] for group in self.language.get("cue_variants", [])]
        self.cues = {kind: [_cue_pattern(variant, english) for word in words
                            for variant in _variants(self.fold(word), variants)]
                     for kind, words in self.language["kind_cues"].items()}
        # a figure of the document's budget tables named (融資枠, 緊急対応分) asks a budget;
        # a requirement named (対象業種, 常用雇用者数) asks eligibility (in an English message
        # too: "the total 融資枠 of …")
        self.cues["budget"] += [_cue_pattern(fold(label)) for label in kb.budget_item_labels()]
        self.cues["eligibility"] += [_cue_pattern(fold(item)) for item in kb.requirement_items()]
        self._cue_index = _CueIndex(self.cues)
        # what a program is compared with ("the same office as …": language data, see analyse)
        self.compared_with = [re.compile(p, re.IGNORECASE) for p in self.language.get("compared_with", [])]
        # the size of a whole program asked, unless the business's own share is (asks_whole_program)
        self.whole_program, self.own_share = ([_cue_pattern(w if w.startswith("re:") else self.fold(w), english)
                                               for w in self.language.get(key, [])]
                                              for key in ("whole_program_words", "own_share_words"))
        # parts of a budget table spoken of, not programs (speaks_of_table_parts), and the part
        # listing a program asked with it (asks_section_of_program)
        self.table_parts = [_cue_pattern(w if w.startswith("re:") else self.fold(w), english)
                            for w in self.language.get("table_part_words", [])]
        self.section_of_program = [re.compile(p) for p in self.language.get("section_of_program", [])]
        # (kind, words with which it becomes another, that other, words with which it stays)
        self.becomes = [(rule["kind"], [self.fold(w) for w in rule["with"]], rule["becomes"],
                         [self.fold(w) for w in rule.get("unless", [])])
                        for rule in self.language.get("becomes", [])]
        self.subsumes = {kind: set(kinds) for kind, kinds in self.language.get("subsumes", {}).items()}
        self.clause_breaks = re.compile("|".join(re.escape(self.fold(b)) for b in self.language["clause_breaks"]))
        self.wh_words = [self.fold(word) for word in self.language["wh_words"]]
        self.kind_intents = self.language["kind_intents"]
        self.intent_kinds = self.language["intent_kinds"]
        self.small_talk = set(self.language["small_talk"])
        # small talk said in a language the classifier did not learn: whole messages
        self.small_talk_words = {self.fold(w).strip(" .!?"): kind
                                 for kind, words in (self.language.get("small_talk_words") or {}).items() for w in words}
        self.divisions = [(fold(c.division), c.id) for c in kb.contacts() if c.division]
        # the bureaus' and departments' own names (産業労働局, "Industry and Labor Bureau"): names
        # of the prefecture's offices, no words describing a program
        self.organisation = sorted({fold(name) for c in kb.contacts() for name in (c.bureau, c.department) if name} | (
            {self.fold(part.strip()) for c in kb.contacts() if c.english
             for part in c.english.split(",")[1:-1]} if english else set()), key=len, reverse=True)
        if english:   # the division's own name in English: the last part of its rendering (Finance Division)
            self.divisions += [(self.fold(c.english.split(",")[-1]), c.id) for c in kb.contacts()
                               if c.division and c.english]
            # … and as people shorten it: "the Business Attraction division" (Business Attraction
            # and International Business Division), "the venture support office"
            owns = {c.id: re.sub(r"^director for |\s*division$", "", self.fold(c.english.split(",")[-1]).strip())
                    for c in kb.contacts() if c.english}
            shortened = {cid: self._shortened(own) for cid, own in owns.items()}
            for c in kb.contacts():
                if not c.english:
                    continue
                own = owns[c.id]
                shorts = {own} | ({own.split(" and ")[0]} if len(own.split(" and ")[0].split()) >= 2 else set())
                # (and by two or more of its words in order, when no other division's name has
                # them: "the employment policy division" is the Employment and Labor Policy Division)
                shorts |= {short for short in shortened[c.id] if not any(
                    short in others for cid, others in shortened.items() if owns[cid] != own)}
                # (and by the Japanese name's first part, "the 企業誘致 office" for 企業誘致・国際ビジネス課)
                if c.division and "・" in c.division:
                    shorts.add(fold(c.division.split("・")[0]))
                self.divisions += [(f"{short} {unit}", c.id) for short in shorts
                                   for unit in self.language.get("office_words", [])]
        japanese = japanese_respeller or Respeller(self._known_words(), names=[row["alias"] for row in kb.aliases()])
        self.respeller = EnglishRespeller(self._english_words(), japanese, self.language.get("spelling_variants"),
                                          self.language.get("capitals")) \
            if english else japanese

    def _known_words(self) -> list[str]:
        """Every word a message may mean when it is typed in kana or with wrong kanji."""
        words = [row["alias"] for row in self.kb.aliases()] + [row["word"] for row in self.kb.need_words()]
        for entity in ("company_size", "course", "measure", "industry", "business_type", "region",
                       "manufacturing_field", "facility", "variant", "topic"):
            for surfaces in (self.language.get(entity) or {}).values():
                words.extend(surfaces)
        for cue_words in self.language["kind_cues"].values():
            words.extend(cue_words)
        words.extend(self.language.get("question_words", []))
        words.extend(self.kb.text_compounds())
        return words

    def _english_words(self) -> set[str]:
        """The words of the bot's English: its language data and the programs' and
        divisions' English names, summaries and aliases (what a typo is respelled to)."""
        def strings(value) -> Iterable[str]:
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                for item in value.values():
                    yield from strings(item)
            elif isinstance(value, list):
                for item in value:
                    yield from strings(item)
        texts = list(strings(self.language)) + [c.english for c in self.kb.contacts() if c.english]
        texts += [text for p in self.kb.programs() for text in strings(p.english)]
        return {word for text in texts for word in english_words(text) if word.isalpha()}

    # ── the analysis ────────────────────────────────────────────────────
    def respell(self, text: str) -> Respelling:
        return self.respeller.respell(text)

    def analyse(self, text: str, intent: str | None = None, entities: list[dict] | None = None) -> Analysis:
        """What ``text`` asks; ``intent`` is the classifier's (None: from the words alone);
        ``entities``: facts given without words (a button's payload, ``/inform{"company_size":…}``)."""
        respelled = self.respell(closed_up(text or ""))
        entities = self.finder.find(respelled.text, denied=True) + [
            {"entity": e["entity"], "value": e["value"], "start": 0, "end": 0} for e in entities or []
            if e.get("entity") and e.get("value") is not None]
        # what the program asked about is compared with ("the same office as the subsidy", "the
        # same 雇用労政課 that handles childcare incentives"): a span whose names and facts are
        # not the program asked about's (blanked for the search)
        compared = [match.span("other") for pattern in self.compared_with for match in pattern.finditer(respelled.text)]
        # (… and a division's name, 「企業誘致・国際ビジネス課」, is a name: no need or topic of its words)
        folded = self.fold(respelled.text)
        named = self.office_spans(respelled.text, [division for division, _cid in self.divisions])
        entities = [e for e in entities if not any(start <= e["start"] and e["end"] <= end and e["end"] > e["start"]
                                                   for start, end in compared + named)]
        entities += [{"entity": "compared", "start": start, "end": end, "value": respelled.text[start:end],
                      "text": respelled.text[start:end]} for start, end in compared]
        suffixes = [self.fold(w) for w in self.language.get("audience_suffixes", [])]
        prefixes = [self.fold(w) for w in self.language.get("audience_prefixes", [])]
        for entity in entities:
            if entity["entity"] == "company_size" and entity["end"] > entity["start"] and (
                    any(self.fold(respelled.text[entity["end"]:]).startswith(suffix) for suffix in suffixes)
                    or any(self.fold(respelled.text[:entity["start"]]).rstrip().endswith(prefix) for prefix in prefixes)):
                entity["role"] = "audience"   # whom the program asked for serves
        facts: dict[str, list] = {}
        for entity in entities:
            if entity["entity"] in ("denied_size", "compared"):
                continue   # (a size the business is not, a program compared with: no fact, no search words)
            if not (entity["entity"] == "tokku" and entity["value"] in facts.get("tokku", [])):
                facts.setdefault(entity["entity"], []).append(entity["value"])   # (the zone said twice is one fact)
        mentions = [m for m in self.resolver.mentions(respelled.text)
                    if not any(start <= m.start and m.end <= end for start, end in compared)]
        if (intent in (None, "nlu_fallback") or self.code != "ja") and not (text or "").startswith("/"):
            # the classifier learned Japanese: in another language only whole small talk counts
            intent = self.small_talk_intent(folded) or (intent if self.code == "ja" else None)
        terms = self.resolver.describing_terms(blank(respelled.text, [
            (e["start"], e["end"]) for e in entities if e["entity"] == "denied_size"]))
        ranked = self.resolver.rank(terms, limit=1) if terms else []
        if terms and not ranked:   # (the words naming an office, when nothing else finds a program)
            ranked = self.resolver.rank(self.resolver.fuller_terms(respelled.text, terms), limit=1)
        describes = bool(mentions or facts.get("need") or ranked)
        # enough to overrule the classifier's small talk (「ロボットと話してるの？」「違います」
        # 「終了」 stay small talk): a program named, or two of the message's words in one
        # program's text
        about_programs = bool(mentions) or bool(ranked and len(ranked[0][2]) >= 2) or bool(
            terms and self.kb.subsections_in(respelled.text, terms, self.code))   # (a part of the budget table named)
        # the number of people alone computes nothing when a part of the rule is asked
        # (「補助率は？うちは6人」 asks the rate): a calculation needs the amount it is of
        aspect = bool(self.aspect(respelled.text))
        # a head count with no amount asked or requirement named is a description of the
        # business (「従業員80人。…手伝ってくれる事業ある？」), not a calculation
        cued = self.cue_kinds(folded)
        figures = any(facts.get(f) for f in FIGURES if f != "people") or bool(
            facts.get("people") and not aspect and set(cued) & {"amount", "eligibility", "calculation"})
        kinds = self.kinds(folded, cued, intent, describes, figures, aspect, about_programs)
        if kinds == ["discovery"] and mentions and figures and not cued:
            # a program named with the user's figures and nothing else asked (「エコアセット
            # かながわ: appraisal cost 600,000 yen… Subsidy?」): what it gives them
            kinds = ["calculation"]
        if "discovery" in kinds and any(facts.get(f) for f in PART_FACTS):
            # support sought for a part of a program's amount rule (「不妊治療と両立できる制度を
            # 作りたい。何かもらえる？」, "something for staff caring for elderly parents"):
            # what that part pays, which names its program
            kinds = list(dict.fromkeys("amount" if k == "discovery" else k for k in kinds))
        outside = blank(respelled.text, [(m.start, m.end) for m in mentions])
        return Analysis(original=text, text=respelled.text, kinds=kinds, intent=intent, facts=facts,
                        entities=entities, mentions=mentions, yes_no=self.is_yes_no(folded),
                        reference=list_reference(respelled.text), describes=describes,
                        cued=cued,
                        divisions=[cid for division, cid in self.divisions if division in folded],
                        only_names=bool(mentions) and self.names_alone(outside, mentions)
                        and not self.cue_kinds(self.fold(outside)))

    def names_alone(self, outside: str, mentions: list[Mention]) -> bool:
        """Nothing but the programs named said around their names: no other word, or only
        words of the named programs' own names and, in English, words no program's text has
        ("and the foreign worker item, 外国人労働者の受入環境整備の促進?"). A Japanese word
        no program has still asks something (特例子会社を作る場合の補助)."""
        index = self.resolver.index
        unknown = (lambda term: term not in self.kb.vocabulary(index)) if index == "en" else (lambda term: False)
        own = set().union(*(self.kb.name_terms(pid, index) for m in mentions for pid in m.program_ids))
        return all(term in own or unknown(term) for term in self.resolver.describing_terms(outside))

    def division_name(self, contact) -> str:
        """A division's own name as this language says it (雇用労政課; Employment and Labor
        Policy Division), without its bureau or phone."""
        if self.code == "en" and contact.english:
            return contact.english.split(",")[-1].strip()
        return contact.division or contact.head_title

    def office_spans(self, text: str, names: list[str], folding=None) -> list[tuple[int, int]]:
        """Where in ``text``, folded by ``folding`` (this language's fold unless given), each
        office name (as ``divisions`` and ``organisation`` hold them) first occurs; none when
        folding moves the positions."""
        folded = (folding or self.fold)(text)
        if len(folded) != len(text):
            return []
        return [(start, start + len(name)) for name in names for start in [folded.find(name)] if start >= 0]

    @staticmethod
    def _shortened(name: str) -> set[str]:
        """A division's English name said with fewer of its words, in order (two or more)."""
        words = [w for w in name.split() if w != "and"]
        return {" ".join(kept) for n in range(2, len(words)) for kept in itertools.combinations(words, n)}

    def asks_each(self, text: str) -> bool:
        """Whether the message asks something of each of several programs (「それぞれの担当は？」
        "who handles each of them?", language data each_words)."""
        folded = self.fold(text).lower()
        return any(re.search(pattern, folded) for pattern in self.language.get("each_words") or ())

    def handler_checked(self, text: str) -> bool:
        """A division named after a word asking whom to call (「担当は金融課？」 "is it handled by
        the Finance Division?") or asking whether it is the one ("is that the employment policy
        division?", language data handler_checks): whether it handles the program under
        discussion is asked, not its own phone (「金融課の電話番号は？」)."""
        folded = self.fold(text)
        named = [folded.find(division) for division, _cid in self.divisions if division in folded]
        if not named:
            return False
        before = folded[:min(named)]
        return "contact" in self.cue_kinds(before) or any(
            re.search(pattern, before) for pattern in self.language.get("handler_checks") or ())

    def small_talk_intent(self, folded: str) -> str | None:
        """The intent of a whole message of small talk in this language's words (hello, thanks)."""
        kind = self.small_talk_words.get(folded.strip(" .!?。！？"))
        return next((intent for intent, k in self.intent_kinds.items() if k == kind), None) if kind else None

    def parts(self, analysis: Analysis) -> list[Analysis]:
        """A message asking different things of different programs, one clause each
        (「離職者等委託訓練の予算額と、総合職業技術校が何校あるか」), as one analysis per
        program named, each with what its clauses ask; else the message whole."""
        if len(analysis.mentions) < 2 or "comparison" in analysis.cued:
            return [analysis]
        folded = self.fold(analysis.text)
        cuts = [0] + [m.end() for m in self.clause_breaks.finditer(folded)] + [len(folded)]
        parts: list[list] = []   # [text, program ids named]
        for start, end in zip(cuts, cuts[1:]):
            clause = folded[start:end]
            named = {pid for m in self.resolver.mentions(clause) for pid in m.program_ids}
            if parts and (not named or not parts[-1][1] or named == parts[-1][1]):
                parts[-1][0] += clause
                parts[-1][1] |= named
            else:
                parts.append([clause, named])
        if len(parts) < 2 or not all(named and self.cue_kinds(text) for text, named in parts):
            return [analysis]
        return [self.analyse(text, analysis.intent) for text, _named in parts]

    def cue_kinds(self, folded: str) -> list[str]:
        """Kinds whose words occur, in the order they occur. A word inside a longer word of
        another kind does not count (期間 in 返済期間); within one clause a kind that another
        subsumes is dropped (「予算の上限」 is one budget question)."""
        clause_ends = [m.start() for m in self.clause_breaks.finditer(folded)] + [len(folded)]
        matches = [(m.start(), m.end(), kind) for kind, pattern in self._cue_index.candidates(folded)
                   for m in pattern.finditer(folded)]
        if self.code != "en" and matches:
            # a Japanese cue starts where a word starts (「名前と予算」 holds no 前と)
            starts = {begin for _s, _n, _p, begin, _e in morphemes(folded)}
            matches = [(start, end, kind) for start, end, kind in matches if start in starts]
        matches = [(start, end, kind) for start, end, kind in matches
                   if not any(o_kind != kind and o_start <= start and end <= o_end and o_end - o_start > end - start
                              for o_start, o_end, o_kind in matches)]
        # (each kind first in each clause: a kind one clause turns into another is still asked by
        # its words in the next, 「相談できるとこある？でんわ番号も」)
        first: dict[tuple[int, str], int] = {}
        for start, _end, kind in sorted(matches):
            first.setdefault((next(i for i, end in enumerate(clause_ends) if start <= end), kind), start)
        found = [(clause, position, kind) for (clause, kind), position in first.items()]
        # (two kinds subsuming each other, one cue of both, "new this year": neither drops the
        # other; a kind dropped drops none: "until when is it expanded and at what rate?" asks
        # the period and the amount, the change in the period's clause dropped)
        def subsumers(clause: int, kind: str) -> set[str]:
            return {other for c, _p, other in found if c == clause and other != kind
                    and kind in self.subsumes.get(other, ()) and other not in self.subsumes.get(kind, ())}

        alive = {(clause, kind) for clause, _p, kind in found}
        for _round in range(len(found)):
            alive = {(clause, kind) for clause, _p, kind in found
                     if not any((clause, other) in alive for other in subsumers(clause, kind))}
        kept = []
        for clause, position, kind in found:
            if (clause, kind) not in alive:
                continue
            start = clause_ends[clause - 1] if clause else 0
            words = folded[start:clause_ends[clause] + 1]   # (with the mark ending it: 「人っている？」)
            for from_kind, with_words, becomes, unless in self.becomes:
                if kind == from_kind and any(w in words for w in with_words) and not any(w in words for w in unless):
                    kind = becomes
            kept.append((position, kind))
        if self.japanese is not None:
            # the document's Japanese words in an English message ask what they ask in Japanese
            # ("what's the 補助上限 and is there a 下限?"), each where it is written
            kept += [(run.start(), kind) for run in JAPANESE_RUN.finditer(folded)
                     for kind in self.japanese.cue_kinds(run.group(0))]
        return list(dict.fromkeys(kind for _position, kind in sorted(kept)))

    def kinds(self, folded: str, cued: list[str], intent: str | None, describes: bool, figures: bool,
              aspect: bool = False, about_programs: bool | None = None) -> list[str]:
        """The kinds a message asks: ``cued``, its words' (:meth:`cue_kinds`), settled with the
        classifier's ``intent``."""
        base = self.intent_kinds.get(intent or "", None)
        if base in self.small_talk:
            # a word asking a question makes it one, except in the short replies whose words
            # happen to be cues (「違います」 is a no, not a comparison); a greeting or thanks
            # followed by sentences saying what the business wants is that said, not small talk
            # (「こんにちは。…オフィスの家賃のほじょ、ありますか？」)
            opened = base in ("greet", "thank") and describes and len(
                [clause for clause in self.clause_breaks.split(folded) if clause.strip(" .,、")]) > 1
            if not opened and not (describes if about_programs is None else about_programs) and (
                    not cued or base in ("affirm", "deny", "stop")):
                return [base]
            base = None   # a question about the programs, whatever the classifier thought
        if base == "human" and about_programs and "human" not in cued:
            base = None   # (「ジェンダー平等の方は？」: the classifier's guess of a person asked for, no word says so)
        if base in ("unknown", None) and not cued:
            return ["discovery" if describes else "unknown"]
        kinds = list(cued)
        if base == "calculation" and not figures and (aspect or cued == ["discovery"]):
            pass   # 「補助率は？」「…事業ある？」: nothing to calculate with, and the words ask something
        elif base in ("calculation", "choice", "human", "new") and base not in kinds:
            kinds.insert(0, base)
        elif base == "discovery" and describes and base not in kinds:
            kinds.append(base)   # the classifier's guess after what the words ask
        elif not kinds:
            kinds = [base]
        if figures and ("amount" in kinds or "eligibility" in kinds or base == "calculation") \
                and "budget" not in kinds:
            position = min(kinds.index(k) for k in ("amount", "eligibility", "calculation") if k in kinds)
            kinds = [k for k in kinds if k not in ("amount", "eligibility", "calculation")]
            kinds.insert(position, "calculation")
        for kind in list(kinds):
            for other in self.subsumes.get(kind, ()):
                if other in kinds and other not in cued:
                    kinds.remove(other)   # the classifier's guess, settled by a word
        return list(dict.fromkeys(kinds))

    def is_yes_no(self, folded: str) -> bool:
        """A question without a wh-word that ends in a predicate (「県外でも応募できますか？」,
        「出る？」), not in a topic (「上限は？」「それの担当は？」); in English, a clause that
        begins with an auxiliary (「Can we apply…?」)."""
        if self.code == "en":
            clauses = [c.strip() for c in re.split(r"[.?!\n]", folded) if c.strip()]
            last = clauses[-1].split() if clauses else []
            return bool(last) and last[0] in self.language.get("yes_no_starts", [])
        if any(word in folded for word in self.wh_words):
            return False
        words = [(surface, pos) for surface, _n, pos, _b, _e in morphemes(folded)
                 if pos not in ("補助記号", "空白") and surface not in ("ね", "よ", "な", "ん")]
        if not words:
            return False
        surface, pos = words[-1]
        if pos == "助詞" and surface in ("か", "かな", "かしら", "の"):
            return len(words) > 1 and words[-2][1] != "名詞"
        return pos in ("動詞", "助動詞", "形容詞") or surface in ("ほんと", "本当")

    def language_text(self, key: str) -> str:
        """A phrase the bot sends as a user's message (a starter button's payload)."""
        from .render import load_templates
        return load_templates(self.code)[key]

    def aspect(self, text: str) -> str | None:
        """Which part of an amount a message asks (cap, rate, floor, term), if it says."""
        folded = self.fold(text)
        found = []
        for aspect, words in self.language["amount_aspects"].items():
            for word in words:
                # (a word, or a pattern: "re:…")
                match = re.search(word[3:], folded) if word.startswith("re:") else None
                position = match.start() if match else -1 if word.startswith("re:") else folded.find(self.fold(word))
                if position >= 0:
                    found.append((position, aspect))
        return min(found)[1] if found else None

    def counted(self, text: str) -> re.Pattern:
        """What a question of how many counts, as a pattern of a number with its counter in
        the document (「何校」: ２校, 東西２校; 「いくつ」: any counter)."""
        match = re.search(self.language["count_counter"], self.fold(text))
        if match:
            group = next((g for g in self.language.get("counter_variants", []) if match.group(1) in g), [match.group(1)])
            counter = "(?:" + "|".join(re.escape(c) for c in group) + ")"
        else:
            counter = self.language["any_counter"]
        return re.compile(r"[0-9０-９一二三四五六七八九十百千]+\s*" + counter)

    def conditional(self, text: str) -> bool:
        """Whether a message asks about a case (「辞めた場合は？」「休んだら？」)."""
        return bool(re.search(self.language["conditional"], self.fold(text)))

    def asks_money(self, text: str) -> bool:
        """Whether a message asks a sum of money (「いくら？」「金額は」), of whatever kind."""
        folded = self.fold(text)
        return any(self.fold(word) in folded for word in self.language["money_words"])

    def asks_whole_program(self, text: str) -> bool:
        """Whether a message asks the size of a whole program (「全体で」 "the total loan
        framework"), not what one business receives (「うちは全部でいくらもらえる？」)."""
        # (the business's own share said in the same clause: "I advise companies. How big is
        # the total framework?", "can it help us, and how much funding does it get in total?"
        # ask the whole)
        return any(any(p.search(clause) for p in self.whole_program)
                   and not any(p.search(clause) for p in self.own_share)
                   for clause in re.split(r"[.?!。？！\n]|,\s*(?:and|but)\s", self.fold(text)))

    def continues(self, text: str) -> bool:
        """Whether a message starts as a follow-up going on with the last question
        (``continuations``: 「じゃあ」 "what about")."""
        return self.resolver.continues(text)

    def says_own_share(self, text: str) -> bool:
        """Whether a message speaks of what the business itself receives (「うちは」 "we get")."""
        folded = self.fold(text)
        return any(p.search(folded) for p in self.own_share)

    def asks_programs_of(self, text: str) -> bool:
        """Whether a message asks which programs someone handles (「金融課が担当している事業は？」)."""
        return bool(re.search(self.language["programs_of"], self.fold(text)))

    def asks_section_of_program(self, text: str) -> bool:
        """「それが入っているロボットの区分全体の予算」: the budget of the part of the tables that
        lists the program asked as well."""
        folded = self.fold(text)
        return any(p.search(folded) for p in self.section_of_program)

    def speaks_of_share_of_shown(self, text: str) -> bool:
        """「そのうち…は？」 "how much of that is …": a share of the sum just shown (the
        resolver's patterns, language data ``share_of_shown``)."""
        return self.resolver.speaks_of_share(text)

    def speaks_of_table_parts(self, text: str) -> bool:
        """「どの分野」 "which part": parts of a budget table, not programs."""
        folded = self.fold(text)
        return any(p.search(folded) for p in self.table_parts)

    def initial_only(self, text: str) -> bool:
        return any(re.search(pattern, self.fold(text)) for pattern in self.language["initial_only"])

    def superlative(self, text: str) -> str | None:
        """「一番多い」 (most) or 「最も少ない」 (least), if the message asks one."""
        folded = self.fold(text)
        for direction, patterns in self.language["superlative"].items():
            if any(re.search(pattern, folded) for pattern in patterns):
                return direction
        return None

    def routing_intent(self, analysis: Analysis) -> str | None:
        """The intent Rasa's rules route this analysis by."""
        kind = analysis.kind
        if kind in self.small_talk or kind in ("unknown", "choice"):
            return None if kind == "unknown" else analysis.intent
        if analysis.intent in ("inform", "request_human") and not analysis.cued:
            return analysis.intent   # a fact answering the form, a person asked for: as classified
        return self.kind_intents.get(kind, "ask_program_info")


def _variants(word: str, groups: list[list[str]]) -> list[str]:
    """A cue word and its other spellings (``cue_variants`` of the language data)."""
    found = [word]
    for group in groups:
        for member in group:
            found += [w.replace(member, other) for w in list(found) if member in w
                      for other in group if other != member]
    return list(dict.fromkeys(found))


def _cue_pattern(word: str, english: bool = False) -> re.Pattern:
    """A cue word as a pattern; a trailing ``$`` means at the end of a clause; English
    words whole (「cap」 is not in 「capital」); ``re:`` a regular expression of its own."""
    if word.startswith("re:"):
        return re.compile(word[3:])
    before, after = (r"(?<![a-z0-9])", r"(?![a-z0-9])") if english else ("", "")
    if word.endswith("$"):
        return re.compile(before + re.escape(word[:-1]) + r"(?=$|[。？?！!\n.]|です|でしょう|だろう|ですか)")
    return re.compile(before + re.escape(word) + after)


class _CueIndex:
    """The cue patterns of an analyser, arranged to be tried quickly. Nearly every cue can
    match only where one of a few words occurs (「上限」; 「どのような」 or 「どんな」…):
    those words are looked for in the message, and a pattern runs only when one of its
    words is there. The same patterns run, in the same order, as without the index."""

    def __init__(self, cues: dict[str, list[re.Pattern]]):
        self.order: list[tuple[str, re.Pattern]] = []
        self.always: list[int] = []               # positions in order of patterns without such words
        self.needing: dict[str, list[int]] = {}   # a word → the patterns that need it (or another)
        for kind, patterns in cues.items():
            for pattern in patterns:
                words = _required_words(pattern)
                if words is None:
                    self.always.append(len(self.order))
                for word in words or ():
                    self.needing.setdefault(word, []).append(len(self.order))
                self.order.append((kind, pattern))

    def candidates(self, folded: str) -> list[tuple[str, re.Pattern]]:
        """The (kind, pattern) pairs that may match ``folded``, in the cues' order."""
        positions = set(self.always)
        for word, needing in self.needing.items():
            if word in folded:
                positions.update(needing)
        return [self.order[i] for i in sorted(positions)]


def _required_words(pattern: re.Pattern) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` holds; None when that is not known
    (the pattern then always runs). Read from the parsed pattern: a run of literal
    characters, or a group whose every alternative holds such a word."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _re_parser.parse(pattern.pattern, pattern.flags)
    except Exception:   # noqa: BLE001 - any pattern the parser does not read simply always runs
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _required_in(list(parsed))


def _required_in(items: list) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run = ""
    for op, value in items + [(None, None)]:
        name = str(op)
        if name == "LITERAL":
            run += chr(value)
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        found = None
        if name == "SUBPATTERN" and not value[1] & re.IGNORECASE:
            found = _required_in(list(value[3]))
        elif name == "BRANCH":
            branches = [_required_in(list(branch)) for branch in value[1]]
            if all(branches):
                found = frozenset().union(*branches)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            found = _required_in(list(value[2]))
        if found:
            candidates.append(found)
    # the most telling: the shortest of its words longest, then the fewest words
    return max(candidates, key=lambda words: (min(map(len, words)), -len(words))) if candidates else None


_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def language_of(text: str, resolver: Resolver | None = None) -> str | None:
    """The language a message is written in: English when its English words (outside
    Japanese program names) outnumber its hiragana (the particles of Japanese grammar:
    「For the 仕事と介護の両立 course, how much…」 is English); Japanese when it has kana
    grammar; None when it cannot tell (a name, a number, 「500万円」)."""
    outside = blank(text, [(m.start, m.end) for m in resolver.japanese_mentions(text)] if resolver else [])
    english = len(_ENGLISH_WORD.findall(outside))
    hiragana = len(_HIRAGANA.findall(outside))
    if english >= 3 and english > hiragana or english >= 1 and hiragana == 0 and (
            english >= 2 or re.fullmatch(r"\s*[A-Za-z]{2,}[\s.!?]*", outside)):
        return "en"
    if hiragana >= 2 or hiragana and not english or len(_HIRAGANA.findall(text)) >= 2:
        return "ja"
    return None
