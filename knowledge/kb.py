"""Reading the built knowledge base: the one query layer for the bot's actions and staff.

Open it with :class:`KnowledgeBase` (read-only). Everything a question can need is a
method here: finding a program from free text, its budget, its contact, its rules and
what a business would receive.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .evaluator import Evaluation, evaluate, evaluate_cases
from .money import format_yen
from .schema import decode_program
from .text import JAPANESE_RUN, english_words, fold, match_key, morphemes, search_terms, synonym_groups

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = PROJECT_ROOT / "build" / "knowledge.db"
REBUILD_COMMAND = "make kb"
REQUIRED_TABLES = {"sources", "programs", "listings", "contacts", "aliases", "budget_items",
                   "amount_rules", "requirement_sets", "program_search", "meta", "statements", "passages"}

# bm25 weights of the search columns: names, aliases, needs, body (summary, purpose,
# content, 取組事例…), passages (the program's whole part of the document; in English, the
# dictionary English of its Japanese words: knowledge/glossary.py).
_SEARCH_WEIGHTS = (10.0, 6.0, 3.0, 1.0, 0.5)


def _search_table(index: str, glosses: bool = False) -> str:
    """The full-text table of a language's words (English: with the dictionary glosses)."""
    return "program_search" if index == "ja" else "program_search_glossed" if glosses else "program_search_en"


class KnowledgeBaseUnavailable(RuntimeError):
    """The database file is missing, unreadable or not a knowledge base.

    The message names the file and the command that rebuilds it.
    """


def database_path() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DB", DEFAULT_DATABASE))


@dataclass
class Contact:
    id: str
    display_name: str
    bureau: str
    department: str | None
    division: str | None
    head_title: str
    head_name: str
    phone: str
    pages: str
    english: str | None = None   # the division's name in English (an unofficial rendering)

    @property
    def head(self) -> str:
        return f"{self.head_title} {self.head_name}"


@dataclass
class Budget:
    kind: str
    label: str
    yen: int
    printed: str
    pages: str
    section: str | None
    part_of: str | None = None
    note: str | None = None
    topic: str | None = None
    # the dictionary English stems of its label's words (knowledge/glossary.py)
    words_en: str = ""

    @property
    def amount(self) -> str:
        return format_yen(self.yen)


@dataclass
class Program:
    id: str
    name: str
    category: str | None
    audience: str | None
    topic: str | None
    summary: str | None
    pages: str | None
    aggregate: bool
    aggregate_count: int | None
    detail_only: bool
    new_mark: str | None
    new_evidence: str | None
    purpose: str | None
    content: str | None
    eligibility: str | None
    covered_costs: str | None
    examples: list[str]
    points: list[str]
    extra: dict
    part_of: dict | None
    related: dict | None
    repeats: list[str]
    detail_pages: str | None
    detail_section: str | None
    contact: Contact | None
    sole_recipient: bool = False     # the money goes to the one body of its audience
    english: dict = field(default_factory=dict)   # name, summary, aliases in English (programs.yml)
    synthetic: bool = False          # a renamed copy of the scale benchmark (knowledge/synthetic.py)
    budgets: list[Budget] = field(default_factory=list)
    listings: list[dict] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)

    @property
    def page_refs(self) -> str:
        """``p.1-3`` or ``p.1-3, p.4``: the overview page, then the detail page."""
        return ", ".join(f"p.{p}" for p in dict.fromkeys([self.pages, self.detail_pages]) if p)


class KnowledgeBase:
    """Read-only access to a built knowledge base file."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else database_path()
        self._local = threading.local()
        self._check_file()
        self._aliases = self._query("select program_id, alias, match_key, kind from aliases")
        self._synonyms: dict[str, frozenset[str]] = {}
        self._needs = self._query("select need, word, match_key from needs")
        self._source = self._query("select * from sources")[0]
        self._programs: dict[str, Program | None] = {}
        self._program_words: dict[str, set[str]] = {}

    # ── connection ──────────────────────────────────────────────────────
    def _connect(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            connection.row_factory = sqlite3.Row
            self._local.connection = connection
        return connection

    def _query(self, sql: str, params=()) -> list[dict]:
        return [dict(row) for row in self._connect().execute(sql, params).fetchall()]

    def _check_file(self) -> None:
        hint = f"rebuild it with `{REBUILD_COMMAND}`"
        if not self.path.exists():
            raise KnowledgeBaseUnavailable(f"knowledge base {self.path} does not exist; {hint}")
        try:
            tables = {r["name"] for r in self._query("select name from sqlite_master where type='table'")}
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseUnavailable(f"knowledge base {self.path} is not readable ({error}); {hint}") from error
        missing = REQUIRED_TABLES - tables
        if missing:
            raise KnowledgeBaseUnavailable(
                f"knowledge base {self.path} lacks tables {sorted(missing)}; {hint}")
        try:
            self._query("pragma quick_check")
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseUnavailable(f"knowledge base {self.path} is corrupt ({error}); {hint}") from error

    # ── source and counts ───────────────────────────────────────────────
    @property
    def source(self) -> dict:
        return self._source

    def meta(self, key: str) -> str | None:
        rows = self._query("select value from meta where key = ?", (key,))
        return rows[0]["value"] if rows else None

    def counts(self) -> dict:
        return json.loads(self.meta("counts") or "{}")

    # ── fiscal years (knowledge/build.py: one file per year, listed in every file) ──
    @property
    def fiscal_year(self) -> int:
        """The fiscal year of this file's source (source.yml ``fiscal_year``)."""
        return int(self._source["fiscal_year"])

    def years(self) -> list[dict]:
        """Every fiscal year built with this one, oldest first: fiscal_year, label,
        source_id, synthetic, file (beside this one)."""
        return [dict(entry) for entry in self._years_listed]

    @functools.cached_property
    def _years_listed(self) -> list[dict]:
        listed = json.loads(self.meta("years") or "[]")
        return listed or [{"fiscal_year": self.fiscal_year, "label": self._source["fiscal_year_label"],
                           "source_id": self._source["id"], "synthetic": bool(self._source.get("synthetic")),
                           "file": self.path.name}]

    def for_year(self, year: int | None) -> "KnowledgeBase | None":
        """The knowledge base of fiscal year ``year`` (this one for its own year or None),
        opened once; None if that year was not built."""
        if year is None or year == self.fiscal_year:
            return self
        opened = self.__dict__.setdefault("_years_opened", {})
        if year not in opened:
            entry = next((y for y in self.years() if y["fiscal_year"] == year), None)
            opened[year] = KnowledgeBase(self.path.with_name(entry["file"])) if entry else None
        return opened[year]

    # ── programs ────────────────────────────────────────────────────────
    def contact(self, contact_id: str | None) -> Contact | None:
        if not contact_id:
            return None
        rows = self._query("select * from contacts where id = ?", (contact_id,))
        if not rows:
            return None
        row = rows[0]
        return Contact(**{k: row[k] for k in Contact.__dataclass_fields__ if k in row})

    def general_contact(self) -> Contact:
        """The division named when no program is known and the bot cannot answer (source.yml)."""
        return self.contact(self._source["general_contact_id"])

    def contacts(self) -> list[Contact]:
        return [self.contact(r["id"]) for r in self._query("select id from contacts order by rowid")]

    def program(self, program_id: str) -> Program | None:
        """The program with every fact about it (cached: the database is read-only)."""
        if program_id not in self._programs:
            self._programs[program_id] = self._load_program(program_id)
        return self._programs[program_id]

    def _load_program(self, program_id: str) -> Program | None:
        rows = self._query("select p.*, t.name as topic_name from programs p "
                           "left join topics t on t.id = p.topic_id where p.id = ?", (program_id,))
        if not rows:
            return None
        row = rows[0]
        program = Program(id=row["id"], topic=row["topic_name"], summary=row["summary"], pages=row["pages"],
                          contact=self.contact(row["contact_id"]), **decode_program(row))
        program.budgets = [
            Budget(kind=b["kind"], label=b["label"], yen=b["yen"], printed=b["printed"], pages=b["pages"],
                   section=b["section"], part_of=b["part_of"], note=b["note"], topic=b["topic_name"],
                   words_en=b.get("words_en") or "")
            for b in self._query(
                "select b.*, t.name as topic_name from budget_items b left join listings l on l.id = b.listing_id "
                "left join topics t on t.id = l.topic_id where b.program_id = ? order by b.rowid", (program_id,))
        ]
        program.listings = self._query(
            "select l.*, t.name as topic_name, s.name as subsection_name from listings l "
            "join topics t on t.id = l.topic_id join subsections s on s.id = l.subsection_id "
            "where l.program_id = ? order by t.\"order\", l.rowid", (program_id,))
        program.rule_ids = [r["id"] for r in self._query(
            "select id from amount_rules where program_id = ? order by rowid", (program_id,))]
        return program

    def budget_item_labels(self) -> list[str]:
        """The labels of the detail pages' budget figures (融資枠, うち緊急対応分 → 緊急対応分)."""
        labels = [r["label"].removeprefix("うち") for r in
                  self._query("select distinct label from budget_items where listing_id is null")]
        alias_keys = [a["match_key"] for a in self._aliases if a["match_key"]]
        # not the names of programs (信用保証事業費補助 names programs, not a figure)
        return sorted({label for label in labels if len(label) >= 3
                       and not any(key in match_key(label) for key in alias_keys)})

    def requirement_items(self) -> list[str]:
        """The names of the requirements the rules check (対象産業, 投資額, 常用雇用者数…)."""
        items = {item["item"] for row in self._query("select definition from requirement_sets")
                 for item in json.loads(row["definition"]).get("items", [])}
        return sorted(item for item in items if len(item) >= 3)

    def program_by_name(self, name: str) -> Program | None:
        rows = self._query("select id from programs where name = ?", (name,))
        return self.program(rows[0]["id"]) if rows else None

    def programs(self) -> list[Program]:
        return [self.program(r["id"]) for r in self._query("select id from programs order by rowid")]

    def new_programs(self) -> list[Program]:
        """Programs the document marks 新 or 一部新 with certainty."""
        return [self.program(r["id"]) for r in
                self._query("select id from programs where new_mark is not null order by rowid")]

    def topics(self) -> list[dict]:
        return self._query('select * from topics order by "order"')

    def subsections(self, topic_id: str) -> list[dict]:
        return self._query("select * from subsections where topic_id = ? order by rowid", (topic_id,))

    @functools.cached_property
    def _subsection_keys(self) -> list[tuple[str, dict]]:
        """(match key of the name, subsection), tokenized once, on first use."""
        return [(match_key(s["name"].strip("「」")), s)
                for s in self._query("select * from subsections order by rowid")]

    @functools.cached_property
    def _subsection_english(self) -> list[tuple[str, dict]]:
        """(English words of one of its English names, space-joined, subsection)."""
        return [(" ".join(english_words(name)), s) for s in self._query("select * from subsections order by rowid")
                for name in self.english_names(s)]

    @staticmethod
    def english_names(subsection: dict) -> list[str]:
        """A subsection's English names, its rendering first (topics/*.yml ``english``)."""
        return json.loads(subsection.get("english") or "[]")

    def subsections_in(self, text: str, terms: list[str] | None = None, language: str = "ja") -> list[dict]:
        """Subsections (「ベンチャーなどの創出・育成」) whose whole name a message contains,
        compared on normalized forms (ベンチャー等の創出・育成 matches too). With ``terms``
        (the message's describing words): also a subsection whose name holds them all, in
        order, when they run to five characters or more (「ジェンダー平等の方は？」). In
        English: one of its English names (topics/*.yml ``english``), word for word, or its
        whole Japanese name."""
        key = match_key(text)
        if language == "en":
            # (or its Japanese name, whole, inside the English: "ventures (ベンチャーなどの創出・育成)";
            # with ``terms``, no program named, also a Japanese run of four characters or more
            # that only its name holds: "the robot 社会実装 part", "(ロボットの社会実装)")
            words = f" {' '.join(english_words(text))} "
            found = list({s["id"]: s for name, s in self._subsection_english if name and f" {name} " in words}.values()) \
                or [subsection for name_key, subsection in self._subsection_keys if name_key and name_key in key]
            runs = [match_key(run) for run in JAPANESE_RUN.findall(text)] if terms is not None else []
            for run_key in (k for k in runs if len(k) >= 4):
                holding = [s for name_key, s in self._subsection_keys if run_key in name_key]
                if len(holding) == 1 and holding[0] not in found:
                    found.append(holding[0])
            return found
        found = [subsection for name_key, subsection in self._subsection_keys if name_key and name_key in key]
        if found or not terms:
            return found
        part = "".join(terms)
        if len(part) < 5:
            return []
        return [subsection for name_key, subsection in self._subsection_keys if part in name_key]

    def subsection_listings(self, subsection_id: str) -> list[dict]:
        """The numbered lines of a subsection, in the document's order."""
        return self._query("select * from listings where subsection_id = ? order by rowid", (subsection_id,))

    # ── rules ───────────────────────────────────────────────────────────
    def rule(self, rule_id: str) -> dict:
        rows = self._query("select definition from amount_rules where id = ?", (rule_id,))
        if not rows:
            raise KeyError(f"no amount rule {rule_id!r}")
        return json.loads(rows[0]["definition"])

    def requirement_set(self, requirement_id: str | None) -> dict | None:
        if not requirement_id:
            return None
        rows = self._query("select definition from requirement_sets where id = ?", (requirement_id,))
        return json.loads(rows[0]["definition"]) if rows else None

    def requirement_sets_for(self, program_id: str) -> list[dict]:
        return [json.loads(r["definition"]) for r in
                self._query("select definition from requirement_sets where program_id = ?", (program_id,))]

    def evaluate(self, rule_id: str, facts: dict, cases: bool = False) -> Evaluation:
        """Apply a rule; with ``cases``, show size or 特区 alternatives instead of asking for them."""
        rule = self.rule(rule_id)
        requirement_set = self.requirement_set(rule.get("requirements"))
        return (evaluate_cases if cases else evaluate)(rule, facts, requirement_set)

    # ── words for finding programs (the resolver decides: knowledge/resolver.py) ──
    def aliases(self) -> list[dict]:
        """Every name, alias and shared name: program_id, alias, match_key, kind."""
        return list(self._aliases)

    def need_words(self) -> list[dict]:
        """Every word of a need (needs.yml): need, word, match_key."""
        return list(self._needs)

    def english_aliases(self) -> list[dict]:
        """Every English name and alias (programs.yml ``english``): program_id, alias,
        match_key (its lower-case words), kind (alias, or ambiguous when shared)."""
        return self._query("select program_id, alias, match_key, kind from aliases_en")

    def _searchable_words(self, where: str = "", params: tuple = (), index: str = "ja",
                          glosses: bool = False) -> set[str]:
        """The normalized words (English: stems) of programs' names, aliases, needs and
        descriptions; ``glosses``: in English, with the dictionary English of their Japanese."""
        words: set[str] = set()
        columns, table = "names, aliases, needs, body, passages", _search_table(index, glosses)
        if table == "program_search_en":
            columns = "names, aliases, needs, body"
        for row in self._query(f"select {columns} from {table} {where}", params):
            words.update(" ".join(v or "" for v in row.values()).split())
        return words

    def matched_terms(self, program_id: str, terms: list[str], index: str = "ja", glosses: bool = False) -> set[str]:
        """Which of the (normalized) search terms a program's searchable text holds."""
        key = f"{index}:{glosses}:{program_id}"
        words = self._program_words.get(key)
        if words is None:
            words = self._program_words[key] = self._searchable_words("where program_id = ?", (program_id,), index,
                                                                      glosses)
        return {term for term in terms if term in words}

    @functools.cached_property
    def _text_compounds(self) -> list[str]:
        words: set[str] = set()
        for row in self._query("select name, summary, purpose, content, eligibility, covered_costs, examples, "
                               "points from programs"):
            text = "\n".join(str(v) for v in row.values() if v)
            run: list[str] = []
            for surface, _normalized, pos, _b, _e in morphemes(text) + [("", "", "", 0, 0)]:
                if pos in ("名詞", "接頭辞", "接尾辞") and surface.strip():
                    run.append(surface)
                    if pos == "名詞" and len(surface) >= 2:
                        words.add(surface)
                    continue
                for size in (2, 3):
                    for i in range(len(run) - size + 1):
                        words.add("".join(run[i:i + size]))
                run = []
        return sorted(words)

    def text_compounds(self) -> list[str]:
        """Nouns and runs of two or three nouns of the programs' texts (自動調理器, 海外展開,
        ビジネスアイデアコンテスト): words a message may mean when typed in kana."""
        return list(self._text_compounds)

    def name_terms(self, program_id: str, index: str = "ja") -> set[str]:
        """The normalized words (English: stems) of a program's name and aliases."""
        key = f"names:{index}:{program_id}"
        words = self._program_words.get(key)
        if words is None:
            words = set()
            table = "program_search" if index == "ja" else "program_search_en"
            for row in self._query(f"select names, aliases from {table} where program_id = ?", (program_id,)):
                words.update(" ".join(v or "" for v in row.values()).split())
            self._program_words[key] = words
        return words

    def vocabulary(self, index: str = "ja") -> set[str]:
        """Every normalized word (English: stem) of the programs' names, aliases, needs and
        descriptions."""
        key = f"vocabulary:{index}"
        if key not in self._program_words:
            self._program_words[key] = self._searchable_words(index=index)
        return self._program_words[key]

    def programs_using(self, value: str) -> list[Program]:
        """Programs whose amount rules or requirements name ``value`` (a course, an add-on
        measure, an industry, a region…): a fact that tells which program a message means."""
        if not value:
            return []
        needle = json.dumps(value, ensure_ascii=False)
        rows = self._query(
            "select distinct program_id from (select program_id, definition from amount_rules "
            "union all select program_id, definition from requirement_sets) where instr(definition, ?) > 0",
            (needle,))
        return [self.program(r["program_id"]) for r in rows]

    def search_terms_ranked(self, terms: list[str], limit: int = 10, names_only: bool = False,
                            index: str = "ja", glosses: bool = False) -> list[tuple[Program, float]]:
        """Programs ranked by full-text relevance to normalized ``terms`` (higher is better).
        ``names_only``: match names, aliases and needs, not descriptions; ``index``: the
        Japanese words or the English stems; ``glosses``: in English, match the dictionary
        English of the programs' Japanese too."""
        if not terms:
            return []
        query = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
        if names_only:
            query = "{names aliases needs} : (" + query + ")"
        table = _search_table(index, glosses)
        weights = ", ".join(str(w) for w in (_SEARCH_WEIGHTS if table != "program_search_en" else _SEARCH_WEIGHTS[:4]))
        rows = self._query(
            f"select s.program_id, -bm25({table}_fts, {weights}) as score "
            f"from {table}_fts f join {table} s on s.rowid = f.rowid "
            f"where {table}_fts match ? order by score desc limit ?", (query, limit))
        return [(self.program(r["program_id"]), r["score"]) for r in rows]

    def search(self, text: str, limit: int = 10, ignore: frozenset[str] = frozenset()) -> list[tuple[Program, float]]:
        """Programs ranked by full-text relevance to a text's normalized words (higher is
        better); ``ignore``: words left out of the query."""
        return self.search_terms_ranked([t for t in search_terms(text) if t not in ignore], limit)

    # ── the document's other statements, and its sentences ──────────────
    def synonyms(self, term: str) -> frozenset[str]:
        """A question's word and the document's words of its synonym groups (育休: 育児休業)."""
        if term not in self._synonyms:
            groups = synonym_groups(term)
            marks = ",".join("?" * len(groups))
            rows = self._query(f"select word from synonyms where group_id in ({marks})", groups) if groups else []
            self._synonyms[term] = frozenset([term, *(r["word"] for r in rows)])
        return self._synonyms[term]

    def matching(self, terms: list[str], words: set[str]) -> int:
        """How many of the question's words a text's words hold, as written or by a synonym."""
        return sum(bool(self.synonyms(term) & words) for term in terms)

    def statements(self, program_id: str, kind: str, terms: list[str] | None = None,
                   matching_only: bool = False, language: str = "ja") -> list[dict]:
        """A program's statements of one kind (statements.yml; 「other」: of any kind), those
        matching more of ``terms`` (normalized words of the question, or their synonyms; in
        English, stems matched with the dictionary English of the statements' words) first;
        ``matching_only``: only those matching at least one."""
        rows = self._query("select * from statements where program_id = ? and (kind = ? or ? = 'other') "
                           "order by kind = ? desc, rowid", (program_id, kind, kind, kind))
        if terms and rows:
            scored = [(self.matching(terms, set(row["words"].split())) if language == "ja" else
                       self.matching(terms, set(row["words"].split()) | set((row.get("words_en") or "").split())), i, row)
                      for i, row in enumerate(rows)]
            rows = [row for score, _i, row in sorted(scored, key=lambda x: (-x[0], x[1]))
                    if score or not matching_only]
        return [] if matching_only and not terms else rows

    def statements_about(self, text: str, kinds: tuple[str, ...] | str) -> list[dict]:
        """Statements whose term (or subject) the text names: 「ロボテラスって何？」."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        key = match_key(text)
        marks = ",".join("?" * len(kinds))
        rows = self._query(f"select * from statements where kind in ({marks}) order by rowid", kinds)
        found = [r for r in rows if r["term_key"] and r["term_key"] in key]
        return found or [r for r in rows if r["subject_key"] and len(r["subject_key"]) >= 3 and r["subject_key"] in key]

    def all_statements(self) -> list[dict]:
        """Every statement of statements.yml, in the document's order."""
        return self._query("select * from statements order by rowid")

    def aim_markers(self) -> list[str]:
        """The words with which the document says what a program aims at (source.yml)."""
        return json.loads(self.meta("aim_markers") or "[]")

    def all_sentences(self) -> list[dict]:
        """Every sentence of every program's part of the document, in the document's order."""
        return self._query("select * from passages order by rowid")

    def program_sentences(self, program_id: str) -> list[dict]:
        """Every sentence of a program's part of the document, in order."""
        return self._query("select * from passages where program_id = ? order by rowid", (program_id,))

    def passages(self, program_id: str, terms: list[str], limit: int = 2, language: str = "ja") -> list[dict]:
        """The sentences of a program's part of the document that share the most of
        ``terms`` with the question (at least one), a word found in few of its sentences
        counting more than one found in many (オンライン above スキル); best first. In
        English, stems matched with the dictionary English of the sentences' words."""
        if not terms:
            return []
        rows = self._query("select * from passages where program_id = ? order by rowid", (program_id,))
        english = language != "ja"
        words = [set(row["words"].split()) | (set((row.get("words_en") or "").split()) if english else set())
                 for row in rows]
        same = self.synonyms
        found_in = {term: sum(bool(same(term) & w) for w in words) for term in terms}
        scored = []
        for i, (row, row_words) in enumerate(zip(rows, words)):
            score = sum(1 / found_in[term] for term in terms if same(term) & row_words)
            if score:
                scored.append((score, -i, row))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        return [row for _m, _i, row in scored[:limit]]

    def categories(self) -> list[str]:
        """The programs' categories, those a business applies for first (programs.yml)."""
        return json.loads(self.meta("categories") or "[]")

    def loan_categories(self) -> list[str]:
        """The categories that are loans (programs.yml)."""
        return json.loads(self.meta("loan_categories") or "[]")

    def loan_needs(self) -> list[str]:
        """The needs that ask for money lent (programs.yml)."""
        return json.loads(self.meta("loan_needs") or "[]")

    def needs_in(self, text: str) -> list[str]:
        """The needs (needs.yml keys) a message mentions, most specific word first."""
        key = match_key(text)
        folded = fold(text)
        found = []
        for row in sorted(self._needs, key=lambda r: -len(r["word"])):
            if (row["match_key"] and row["match_key"] in key) or fold(row["word"]) in folded:
                if row["need"] not in found:
                    found.append(row["need"])
        return found

    def needs_of(self, program_id: str) -> list[str]:
        """The needs a program meets (programs.yml's needs)."""
        return [r["need"] for r in self._query("select need from program_needs where program_id = ?", (program_id,))]

    def programs_for_need(self, need: str) -> list[Program]:
        """Programs meeting a need; those a business applies for (補助金, 奨励金, 融資) first."""
        order = {category: rank for rank, category in enumerate(self.categories())}
        rows = self._query(
            "select p.id, p.category, p.aggregate from program_needs n join programs p on p.id = n.program_id "
            "where n.need = ? order by p.rowid", (need,))
        rows.sort(key=lambda r: (r["aggregate"], order.get(r["category"], len(order))))
        return [self.program(r["id"]) for r in rows]
