"""The question bank: template questions filled from the knowledge base, the hand-written
bank and staff files (YAML or CSV), each question with the facts a right answer shows.

Template questions cover every program × every kind of question that applies to it
(see :func:`coverage_report.facts.applies`). Each is filled with the program's name or
one of its aliases — only aliases that name that program alone — and a template chosen
deterministically, so the same knowledge base always gives the same bank and runs can
be compared.

The file format for hand-written and staff questions is described in
``coverage_report/questions/staff_example.yml``.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.finder import EntityFinder
from knowledge.kb import KnowledgeBase, Program
from knowledge.resolver import Resolver
from knowledge.text import fold as fold_word
from knowledge.text import morphemes

from .facts import (
    KIND_ALIASES,
    KINDS,
    PROGRAM_KINDS,
    Expectation,
    amount_program,
    applies,
    expected,
    fact_from_text,
    fold,
    kinds_for,
    sentence_expectation,
    statement_expectation,
)

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
HAND_BANK = QUESTIONS_DIR / "bank.yml"
NO_TOPIC = "（事業を特定しない質問）"

# Questions per program and kind: amounts and eligibility concern few programs and are
# the questions business owners care most about, so they are asked several ways.
PER_KIND = {"what": 1, "budget": 1, "contact": 1, "amount": 3, "eligibility": 3}

TEMPLATES = {
    "what": ["{p}ってどういう制度ですか？", "{p}について詳しく知りたいです", "{p}はどんな支援をしてくれるんですか",
             "{p}の中身を簡単に教えてください", "{p}とはどういうものでしょうか", "{p}って何のための事業？",
             "すみません、{p}というのは何ですか"],
    "budget": ["{p}の予算っていくらついてますか", "{p}には県の予算がどれくらい計上されていますか",
               "令和6年度の{p}の予算額を教えて", "{p}の当初予算はいくら？", "{p}に使われる予算の総額はいくらですか",
               "県は{p}にいくら予算を組んでいますか"],
    "amount": ["{p}って1社あたりいくらまで出ますか", "{p}は1事業者あたり最大いくらですか", "{p}でもらえる金額を教えてください",
               "{p}を使うといくら受け取れますか", "{p}の支援額はどれくらい？", "{p}って上限いくら？"],
    "eligibility": ["{p}はどんな会社が対象ですか", "{p}を使える条件を教えてください", "{p}の対象になるのはどんな事業者？",
                    "うちは中小企業ですが{p}の対象になりますか", "{p}って誰でも利用できますか", "{p}の要件を知りたいです"],
    "contact": ["{p}について電話で相談したいのですが、番号は？", "{p}の担当部署を教えてください",
                "{p}はどこに問い合わせればいいですか", "{p}の問い合わせ電話番号を知りたい",
                "{p}のことを聞きたいので担当課を教えて", "{p}の窓口はどこですか"],
}
# Amount questions in the words that fit the kind of rule (a loan is borrowed, not received).
RULE_TEMPLATES = {
    "loan_limit": ["{p}で最大いくら借りられますか", "{p}の融資限度額は？"],
    "rate_of_base": ["{p}の補助率と上限を教えて"],
    "fixed_by_course": ["{p}の奨励金はいくらですか"],
    "base_plus_addon": ["{p}の奨励金はいくらですか"],
}


class BankError(ValueError):
    """A question file is malformed; the message names the file and the question."""


@dataclass
class Question:
    id: str
    text: str
    kind: str
    program_id: str | None
    topic: str
    origin: str                       # "template", "bank" or "staff:<file name>"
    expectation: Expectation
    also_right: tuple[str, ...] = ()  # other programs the answer may name (whose amounts are quoted)
    template: str | None = None
    note: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "kind": self.kind, "program_id": self.program_id,
                "topic": self.topic, "origin": self.origin, "template": self.template, "note": self.note,
                "also_right": list(self.also_right), "expectation": self.expectation.to_json()}


# ── template questions ──────────────────────────────────────────────────────
def names_for(kb: KnowledgeBase, program: Program) -> list[str]:
    """The program's name and the aliases that name it alone (as the bot's search sees them)."""
    names = []
    resolver = Resolver(kb)
    for row in kb.aliases():
        if row["program_id"] != program.id or row["kind"] not in ("name", "alias") or row["alias"] in names:
            continue
        resolution = resolver.resolve(row["alias"])
        if resolution.status == "one" and resolution.program.id == program.id:
            names.append(row["alias"])
    return names or [program.name]


_FINDERS: dict[str, EntityFinder] = {}


def _finder(kb: KnowledgeBase) -> EntityFinder:
    """One fact finder per knowledge base (the courses a question names)."""
    key = str(kb.path)
    if key not in _FINDERS:
        _FINDERS[key] = EntityFinder(kb)
    return _FINDERS[key]


def _question(kb: KnowledgeBase, program: Program, kind: str, text: str, **extra) -> Question:
    source = amount_program(kb, program) if kind == "amount" else None
    also = (source.id,) if source and source.id != program.id else ()
    # a question naming a course (「男性育休の奨励金」) is answered for that course
    courses = _finder(kb).values_in(text, "course") if kind == "amount" else []
    return Question(text=text, kind=kind, program_id=program.id, topic=program.topic or NO_TOPIC,
                    expectation=expected(kb, program, kind, courses[0] if courses else None), also_right=also, **extra)


def template_questions(kb: KnowledgeBase, per_kind: dict[str, int] | None = None,
                       kinds: tuple[str, ...] = PROGRAM_KINDS) -> list[Question]:
    """Every program × every kind of question that applies to it, filled from templates."""
    per_kind = {**PER_KIND, **(per_kind or {})}
    questions = []
    for program in kb.programs():
        names = names_for(kb, program)
        for kind in kinds_for(kb, program):
            if kind not in kinds:
                continue
            templates = list(TEMPLATES[kind])
            if kind == "amount":
                templates = [t for rule_id in program.rule_ids
                             for t in RULE_TEMPLATES.get(kb.rule(rule_id)["kind"], [])] + templates
                templates = list(dict.fromkeys(templates))
            rng = random.Random(f"{program.id}/{kind}")
            count = min(per_kind.get(kind, 1), len(templates))
            chosen_templates = rng.sample(templates, count)
            # the name and aliases in a shuffled rotation: several questions use different names
            rotation = rng.sample(names, len(names))
            for n, template in enumerate(chosen_templates):
                name = rotation[n % len(rotation)]
                questions.append(_question(kb, program, kind, template.format(p=name),
                                           id=f"{program.id}:{kind}:{n + 1}", origin="template",
                                           template=template))
    return questions


# ── the document's other statements (statements.yml), one question each ─────────
# Phrased as users ask; {p} a name or alias of the program, {s} what the statement is about.
STATEMENT_TEMPLATES = {
    "period": "{s}はいつまでですか？",
    "change": "{p}は前年度から何が変わったの？{s}について",
    "definition": "{t}とは何ですか？",
    "example": "{p}って、{s}には具体的にどんな事例がありますか？",
    "aim": "{p}は何を目指しているの？{s}について",
    "place": "{s}はどこにありますか？",
    "operator": "{p}はどこが実施しているの？{s}について",
    "target": "{p}は誰向けの事業ですか？{s}について",
    "net_figure": "{u}の予算は、他の区分との重複を除くといくらですか？",
}


def statement_questions(kb: KnowledgeBase) -> list[Question]:
    """A question for every statement of the document beyond names, budgets and amounts,
    so that staff see which parts of the document the bot can reach, by kind of statement."""
    questions = []
    counts: dict[str, int] = {}
    for statement in kb.all_statements():
        kind = statement["kind"]
        if kind not in STATEMENT_TEMPLATES or (kind != "net_figure" and not statement["program_id"]):
            continue
        program = kb.program(statement["program_id"]) if statement["program_id"] else None
        names = names_for(kb, program) if program else [""]
        name = names[len(questions) % len(names)]
        subject = (statement.get("subject") or "").strip()
        text = STATEMENT_TEMPLATES[kind].format(p=name, s=subject or name, t=statement.get("term") or subject,
                                                u=statement.get("subsection") or "")
        if kind in ("period", "place"):
            text = STATEMENT_TEMPLATES[kind].format(s=f"{name}の{subject}" if subject else name)
        key = statement["program_id"] or statement.get("subsection") or "topic"
        counts[(key, kind)] = counts.get((key, kind), 0) + 1
        questions.append(Question(
            id=f"{key}:{kind}:{counts[(key, kind)]}", text=text, kind=kind,
            program_id=statement["program_id"], topic=program.topic if program else NO_TOPIC,
            origin="statement", expectation=statement_expectation(kb, statement),
            template=STATEMENT_TEMPLATES[kind], note=f"line {statement['line']}: {statement['text']}"))
    return questions


# ── every other sentence of the detail pages, one question each ──────────────
# Phrased as users ask about a part of a program: {p} a name of the program, {w} the
# sentence's rarest noun phrases in the document (what a reader would pick it out by).
SENTENCE_TEMPLATES = ("{p}の{w}について教えて", "{p}で、{w}はどうなっていますか？")
SENTENCE_WORDS = 2
# Not asked: headings (＜取組事例＞, ２目指す事業効果), figure lines (the budget and amount
# kinds ask those) and contact lines (the contact kind).
_HEADING = re.compile(r"^\W*[0-9０-９]*[\s　]*[^\s　。、]{0,10}$")
_LABEL = re.compile(r"^(?:[\W\d０-９]+|[アイウエオカキクケコ](?=[^\u30a0-\u30ff]))+")
_KANA_ONLY = re.compile(r"[\u3040-\u309f]+")   # ため, とき: words that pick no sentence out
_FIGURE_OR_PHONE = re.compile(r"[0-9０-９][0-9０-９,，.．]*\s*(?:億|万|千)?円|[0-9０-９]+\s*[/／]\s*[0-9０-９]+|電話")


def _noun_phrases(text: str, program: Program) -> list[tuple[int, str]]:
    """Runs of nouns of ``text`` (as (offset, surface)) that are not part of the program's name."""
    phrases, run, start = [], "", 0
    for surface, _normalized, pos, begin, _end in morphemes(text) + [("", "", "", len(text), len(text))]:
        if pos == "名詞" and not re.fullmatch(r"[0-9０-９]+", surface):
            run, start = (run + surface, start) if run else (surface, begin)
            continue
        if len(run) >= 2 and run not in program.name and not _KANA_ONLY.fullmatch(run):
            phrases.append((start, run))
        run = ""
    return phrases


def sentence_questions(kb: KnowledgeBase) -> list[Question]:
    """A question for every sentence of every detail page that no statement, figure or
    contact question already asks about, so that staff see which sentences the bot reaches."""
    stated = {s["line"] for s in kb.all_statements()}
    rows = [r for p in kb.programs() for r in kb.program_sentences(p.id) if r["part"] == "detail"]
    documents = [set(r["words"].split()) for r in kb.all_sentences()]
    questions = []
    for row in rows:
        text = row["text"]
        if row["line"] in stated or _HEADING.match(text) or _FIGURE_OR_PHONE.search(text):
            continue
        program = kb.program(row["program_id"])
        phrases = _noun_phrases(_LABEL.sub("", text), program)
        rarity = {phrase: sum(fold_word(phrase) in words or any(fold_word(phrase).startswith(w) and w in phrase
                                                                   for w in words) for words in documents)
                  for _o, phrase in phrases}
        picked = sorted(sorted(phrases, key=lambda p: (rarity[p[1]], -len(p[1])))[:SENTENCE_WORDS])
        if not picked:
            continue
        number = len(questions)
        names = names_for(kb, program)
        template = SENTENCE_TEMPLATES[number % len(SENTENCE_TEMPLATES)]
        words = ("や" if template.endswith("教えて") else "と").join(dict.fromkeys(p for _o, p in picked))
        key = f"{program.id}:sentence:{row['line']}"
        questions.append(Question(
            id=key + (f".{number}" if any(q.id == key for q in questions) else ""),
            text=template.format(p=names[number % len(names)], w=words),
            kind="sentence", program_id=program.id, topic=program.topic or NO_TOPIC, origin="sentence",
            expectation=sentence_expectation(kb, program, text), template=template,
            note=f"line {row['line']}: {text}"))
    return questions


# ── hand-written and staff files ────────────────────────────────────────────
def _split(value) -> list:
    """A CSV cell of facts: ``a; b|c`` → ["a", ["b", "c"]] (``;`` between facts, ``|`` between alternatives)."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    facts = []
    for part in str(value).split(";"):
        options = [o.strip() for o in part.split("|") if o.strip()]
        if options:
            facts.append(options if len(options) > 1 else options[0])
    return facts


# YAML's flow lists split at commas: [48億4,595万円] reads as ["48億4", "595万円"].
_SPLIT_AMOUNT = re.compile(r"\d$"), re.compile(r"^\d{3}(?:[万億]|円|$)")


def _facts_of(entry: dict, key: str) -> list:
    """The ``expect`` or ``forbid`` facts of an entry, refusing amounts YAML cut at a comma."""
    facts = _split(entry.get(key))
    for before, after in zip(facts, facts[1:]):
        if isinstance(before, str) and isinstance(after, str) and \
                _SPLIT_AMOUNT[0].search(fold(before)) and _SPLIT_AMOUNT[1].search(fold(after)):
            raise BankError(f"{key} の「{before}」「{after}」は、カンマで2つに分かれた金額のようです。"
                            f"\"{before},{after}\" のように \" で囲むか、1行に1つ「- {before},{after}」と書いてください")
    return facts


def find_program(kb: KnowledgeBase, reference: str) -> Program:
    """A program from its id, its name or an alias that names it alone."""
    reference = str(reference).strip()
    program = kb.program(reference) or kb.program_by_name(reference)
    if program:
        return program
    for candidate in kb.programs():
        if fold(candidate.name) == fold(reference):
            return candidate
    resolution = Resolver(kb).resolve(reference)
    if resolution.how == "search":
        resolution.status = "none"  # a full-text guess is not a reference to a program
    if resolution.status == "one":
        return resolution.program
    if resolution.status == "several":
        raise BankError(f"「{reference}」は複数の事業に当たります（"
                        + "、".join(f"{p.name} [{p.id}]" for p in resolution.programs) + "）。事業IDで指定してください")
    raise BankError(f"「{reference}」という事業が知識ベースにありません（事業ID・事業名・別名のいずれかで指定してください）")


def parse_kind(value) -> str:
    key = str(value or "").strip()
    if not key:
        raise BankError("kind（質問の種類）がありません")
    key = KIND_ALIASES.get(key, key)
    if key not in KINDS:
        raise BankError(f"質問の種類「{value}」が不明です。次のいずれか：" +
                        "、".join(f"{k.key}（{k.label}）" for k in KINDS.values()))
    return key


def question_from_entry(kb: KnowledgeBase, entry: dict, origin: str, number: int) -> Question:
    """One question of a hand-written or staff file (see questions/staff_example.yml)."""
    text = str(entry.get("text") or "").strip()
    if not text:
        raise BankError("text（質問文）がありません")
    kind = parse_kind(entry.get("kind") or ("other" if entry.get("expect") else ""))
    program = find_program(kb, entry["program"]) if entry.get("program") else None
    given = [fact_from_text(f) for f in _facts_of(entry, "expect")]
    forbidden = [fact_from_text(f) for f in _facts_of(entry, "forbid")]
    also: tuple[str, ...] = ()
    if given:
        expectation = Expectation(facts=given)
        phones = {o for f in given if f.kind == "phone" for o in f.options}
        if program is not None:
            expectation.allowed_phones = frozenset({fold(program.contact.phone)} if program.contact else set()) | phones
        elif phones:
            expectation.allowed_phones = frozenset(phones)
    else:
        if program is None or kind == "other":
            raise BankError("expect（期待する記載）がないときは program（事業）と kind（質問の種類）が必要です")
        if kind == "amount" and amount_program(kb, program) is None or kind != "amount" and not applies(kb, program, kind):
            raise BankError(f"知識ベースには {program.name} の「{KINDS[kind].label}」がありません。"
                            "expect に期待する記載を書いてください")
        expectation = expected(kb, program, kind)
    if program is not None and kind == "amount":
        source = amount_program(kb, program)
        also = (source.id,) if source and source.id != program.id else ()
    expectation.forbidden.extend(forbidden)
    return Question(id=f"{origin}:{number}", text=text, kind=kind, program_id=program.id if program else None,
                    topic=(program.topic or NO_TOPIC) if program else NO_TOPIC, origin=origin,
                    expectation=expectation, also_right=also, note=entry.get("note") or None)


def read_entries(path: Path) -> list[dict]:
    """The question entries of a YAML file (``questions:`` list) or a CSV file (header row)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.DictReader(
                line for line in handle if line.strip() and not line.lstrip().startswith("#"))]
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in rows]
    if path.suffix.lower() in (".yml", ".yaml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" の {mark.line + 1} 行目" if mark else ""
            raise BankError(f"{path}{where}：YAMLとして読めません（{getattr(error, 'problem', error)}）。"
                            "「: 」を含む文は \" で囲んでください") from error
        entries = data.get("questions") if isinstance(data, dict) else data
        if not isinstance(entries, list):
            raise BankError(f"{path}: 「questions:」の下に質問の一覧を書いてください")
        return entries
    raise BankError(f"{path}: YAML（.yml/.yaml）か CSV（.csv）のファイルを指定してください")


def load_file(kb: KnowledgeBase, path: Path, origin: str | None = None) -> list[Question]:
    path = Path(path)
    origin = origin or f"staff:{path.name}"
    questions = []
    for number, entry in enumerate(read_entries(path), start=1):
        if not isinstance(entry, dict):
            raise BankError(f"{path} の {number} 問目：text・program・kind などの項目で書いてください")
        try:
            questions.append(question_from_entry(kb, entry, origin, number))
        except (BankError, KeyError, ValueError) as error:
            raise BankError(f"{path} の {number} 問目（{entry.get('text', '')!r}）：{error}") from error
    return questions


def build_bank(kb: KnowledgeBase, staff_files: list[Path] = (), templates: bool = True, hand: bool = True,
               per_kind: dict[str, int] | None = None, statements: bool = True) -> list[Question]:
    """The whole bank: template questions, one per statement of the document and per
    other sentence of its detail pages, the hand-written bank and the staff files."""
    questions = template_questions(kb, per_kind) if templates else []
    if templates and statements:
        questions += statement_questions(kb) + sentence_questions(kb)
    if hand and HAND_BANK.exists():
        questions += load_file(kb, HAND_BANK, origin="bank")
    for path in staff_files:
        questions += load_file(kb, path)
    return questions
