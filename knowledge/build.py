"""Build the SQLite knowledge base from the source files of one fiscal year.

:func:`build` is the only writer of the database: it reads the catalogue, refuses it if
any self-check fails, and writes every table afresh into a new file that replaces the
old one only when complete. Nothing edits the built file by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import sqlite_utils

from .catalogue import Catalogue, CatalogueError, Where, is_synthetic, load_catalogue, rule_statements
from .checks import CheckFailed, Problem, listing_contacts, program_contacts, run_checks
from .finder import LANGUAGE_DIR, load_language
from .glossary import Glossary
from .schema import encode_program
from .text import english_terms, english_words, match_key, search_terms, synonym_groups

SCHEMA_VERSION = 3



# A dictionary English word that this share of the programs' Japanese gives or more tells
# none of them apart (knowledge/glossary.py): not indexed.
GLOSS_MAX_SHARE = 0.15

# An alias this many other programs' own texts also use is shared vocabulary: weaker
# evidence of its program than an alias only it has (the resolver's WEAK_MENTIONS).
SHARED_ALIAS_TEXTS = 2

def sources_digest(folder: Path) -> str:
    """A hash of every source file, stored in the database to tell when it is stale."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*.yml")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def document_path(catalogue: Catalogue, project_root: Path) -> Path | None:
    text_file = catalogue.source.get("text_file")
    return (project_root / text_file).resolve() if text_file else None


def _contact_display(contact: dict) -> str:
    """産業労働局中小企業部中小企業支援課 / 産業労働局産業部 ベンチャー支援担当課長."""
    unit = "".join(p for p in (contact["bureau"], contact.get("department"), contact.get("division")) if p)
    if contact.get("division"):
        return unit
    return f"{unit} {contact['head_title']}"


def _write(db: sqlite_utils.Database, catalogue: Catalogue, digest: str, document: str | None = None) -> dict:
    source = catalogue.source
    source_id = source["id"]
    db["sources"].insert({
        "id": source_id,
        "title": source["title"],
        "publisher": source["publisher"],
        "fiscal_year": source["fiscal_year"],
        "fiscal_year_label": source["fiscal_year_label"],
        "status": source["status"],
        "status_label": source["status_label"],
        "text_file": source.get("text_file"),
        "general_contact_id": source.get("general_contact"),
        "budget_labels": json.dumps(source.get("budget_labels") or {}, ensure_ascii=False),
        # the source's own words (year, status, budget labels) in English, for the renderer
        "english_terms": json.dumps(source.get("english_terms") or {}, ensure_ascii=False),
        "synthetic": bool(source.get("synthetic")),
    }, pk="id")
    db["source_pages"].insert_all(
        [{"source_id": source_id, **page} for page in source.get("pages", [])])
    db["unplaced_figures"].insert_all(
        [{"source_id": source_id, **figure} for figure in source.get("unplaced_figures", [])])

    db["topics"].insert_all([
        {k: v for k, v in t.items() if k not in ("where", "table_initial_yen", "table_supplementary_yen")}
        for t in catalogue.topics], pk="id")
    db["subsections"].insert_all([{k: v for k, v in s.items() if k != "where"} for s in catalogue.subsections],
                                 pk="id", foreign_keys=[("topic_id", "topics", "id")])
    db["contacts"].insert_all([
        {**{k: v for k, v in c.items() if k != "where"}, "display_name": _contact_display(c)}
        for c in catalogue.contacts], pk="id")
    db["contact_ranges"].insert_all([
        {**{k: v for k, v in r.items() if k not in ("where", "numbers")}, "numbers": json.dumps(r["numbers"])}
        for r in catalogue.contact_ranges],
        foreign_keys=[("topic_id", "topics", "id"), ("contact_id", "contacts", "id")])

    contacts_of_program = program_contacts(catalogue)
    contacts_of_listing = listing_contacts(catalogue)
    first_listing = {}
    for listing in catalogue.listings:
        first_listing.setdefault(listing["program_id"], listing)

    program_rows = []
    for p in catalogue.programs:
        contacts = sorted(contacts_of_program.get(p["id"], set()))
        listing = first_listing.get(p["id"])
        program_rows.append({
            "id": p["id"],
            "source_id": source_id,
            "topic_id": listing["topic_id"] if listing else None,
            "summary": listing["summary"] if listing else None,
            "pages": listing["pages"] if listing else p["detail_pages"],
            "contact_id": contacts[0] if len(contacts) == 1 else None,
            **encode_program(p),
        })
    db["programs"].insert_all(program_rows, pk="id", foreign_keys=[("contact_id", "contacts", "id"),
                                                                    ("topic_id", "topics", "id")])
    db["listings"].insert_all([
        {**{k: v for k, v in l.items() if k != "where"},
         "contact_id": (contacts_of_listing[l["id"]] or [None])[0]}
        for l in catalogue.listings],
        pk="id", foreign_keys=[("program_id", "programs", "id"), ("topic_id", "topics", "id"),
                               ("subsection_id", "subsections", "id")])

    # One table for every budget figure a program has: its overview lines (当初, 12月補正)
    # and what its detail page adds (融資枠, 予算額 by item).
    budget_rows = []
    for l in catalogue.listings:
        labels = source.get("budget_labels") or {}
        for kind, label in (("initial", labels.get("initial", "当初予算額")),
                            ("supplementary", labels.get("supplementary", "補正予算額"))):
            if l[f"{kind}_yen"] is not None:
                budget_rows.append({
                    "program_id": l["program_id"], "listing_id": l["id"], "kind": kind, "label": label,
                    "yen": l[f"{kind}_yen"], "printed": l[f"{kind}_printed"], "part_of": None, "note": None,
                    "pages": l["pages"], "section": f"{l['topic_id']} {l['number_printed'] or 'その他'}",
                })
    for b in catalogue.budget_items:
        budget_rows.append({**{k: v for k, v in b.items() if k != "where"}, "listing_id": None})

    names = {p["name"]: p["id"] for p in catalogue.programs}
    # programs whose audience is a body (商工会, ジェトロ…: programs.yml body_words)
    audience_keys = {p["id"]: match_key(p.get("audience") or "") for p in catalogue.programs
                     if any(word in (p.get("audience") or "") for word in catalogue.body_words)}
    # what each program's own text says (an alias several other programs' texts use too —
    # さがみロボット産業特区 — is a word of theirs as much as a name)
    summaries: dict[str, list[str]] = {}
    for listing in catalogue.listings:
        summaries.setdefault(listing["program_id"], []).append(listing.get("summary") or "")
    texts = {p["id"]: match_key(" ".join([p.get("content") or "", p.get("purpose") or "", *summaries.get(p["id"], [])]))
             for p in catalogue.programs if not p.get("aggregate")}

    def alias_kind(alias: dict) -> str:
        key = match_key(alias["alias"])
        if key in audience_keys.get(alias["program_id"], ""):
            return "body"
        others = [pid for pid, text in texts.items() if pid != alias["program_id"] and key and key in text]
        return "shared" if len(others) >= SHARED_ALIAS_TEXTS else "alias"

    db["aliases"].insert_all(
        [{"program_id": p["id"], "alias": p["name"], "match_key": match_key(p["name"]), "kind": "name"}
         for p in catalogue.programs]
        # an alias that names the body the program funds or works through (商工会, ジェトロ)
        # is weaker evidence: a business names such bodies when it speaks of itself
        + [{"program_id": a["program_id"], "alias": a["alias"], "match_key": match_key(a["alias"]),
            "kind": alias_kind(a)} for a in catalogue.aliases]
        + [{"program_id": names[target], "alias": alias, "match_key": match_key(alias), "kind": "ambiguous"}
           for alias, targets in catalogue.ambiguous_aliases.items() for target in targets],
        foreign_keys=[("program_id", "programs", "id")])
    db["needs"].insert_all([
        {"need": need, "word": word, "match_key": match_key(word)}
        for need, words in catalogue.needs.items() for word in [need, *words]])
    db["program_needs"].insert_all([{"program_id": r["program_id"], "need": r["need"]}
                                    for r in catalogue.program_needs])
    db["amount_rules"].insert_all([
        {"id": r["id"], "program_id": r["program_id"], "kind": r["kind"], "label": r.get("label"),
         "pages": r["page"], "section": r.get("section"),
         "definition": json.dumps({k: v for k, v in r.items() if k != "where"}, ensure_ascii=False)}
        for r in catalogue.amount_rules], pk="id", foreign_keys=[("program_id", "programs", "id")])
    db["requirement_sets"].insert_all([
        {"id": r["id"], "program_id": r["program_id"], "pages": r["page"], "section": r.get("section"),
         "definition": json.dumps({k: v for k, v in r.items() if k != "where"}, ensure_ascii=False)}
        for r in catalogue.requirements], pk="id", foreign_keys=[("program_id", "programs", "id")])

    # Full-text search over Sudachi's normalized forms, space-separated, so that FTS5's
    # unicode61 tokenizer sees one token per word (SQLite 3.40's trigram tokenizer
    # cannot match two-character words such as 創業 or 育休).
    aliases_by_program = {}
    for a in catalogue.aliases:
        aliases_by_program.setdefault(a["program_id"], []).append(a["alias"])
    needs_by_program = {}
    for r in catalogue.program_needs:
        needs_by_program.setdefault(r["program_id"], []).extend([r["need"], *catalogue.needs.get(r["need"], [])])
    # the dictionary English of the document's words (knowledge/glossary.py), for English
    # questions: beside each sentence's and statement's Japanese words, and in the English index
    glossary = Glossary(frozenset(load_language(LANGUAGE_DIR / "en.yml").get("function_words") or ()))
    # (and beside each part of a budget's line, 「うち…分」, its label's, so that "the emergency
    # part" names うち緊急対応分; not beside the items' names, whose words are any program's,
    # nor the words of its program's name: "loan" of 中小企業制度融資 names no part of it)
    def glossed(text: str) -> list[str]:
        return [stem for word in search_terms(text) for stem in glossary.stems(word)]
    name_glosses = {p["id"]: set(glossed(p["name"])) for p in program_rows}
    budget_rows = [{**row, "words_en": " ".join(dict.fromkeys(
        stem for stem in glossed(row["label"]) if stem not in name_glosses.get(row["program_id"], set())))
        if row["label"].startswith("うち") else ""} for row in budget_rows]
    db["budget_items"].insert_all(budget_rows, foreign_keys=[("program_id", "programs", "id")])
    passages = _with_english_words(_passages(catalogue, document, {p["id"]: p for p in program_rows}), glossary)
    db["passages"].insert_all(passages, foreign_keys=[("program_id", "programs", "id")])
    if passages:
        db["passages"].enable_fts(["words"], fts_version="FTS5", tokenize="unicode61")
    statement_rows = _with_english_words([_statement_row(s) for s in catalogue.statements + rule_statements(catalogue)],
                                         glossary)
    db["statements"].insert_all(statement_rows, foreign_keys=[("program_id", "programs", "id")])
    passages_by_program: dict[str, list[str]] = {}
    for passage in passages:
        passages_by_program.setdefault(passage["program_id"], []).append(passage["words"])
    search_rows = []
    for p in program_rows:
        body = " ".join(filter(None, [p["summary"], p["purpose"], p["content"], p["eligibility"],
                                      p["covered_costs"], p["audience"]]
                               + json.loads(p["examples"] or "[]") + json.loads(p["points"] or "[]")))
        search_rows.append({
            "program_id": p["id"],
            "names": " ".join(search_terms(p["name"])),
            "aliases": " ".join(search_terms(" ".join(aliases_by_program.get(p["id"], [])))),
            "needs": " ".join(search_terms(" ".join(needs_by_program.get(p["id"], [])))),
            "body": " ".join(search_terms(body)),
            # the words of the program's whole part of the document (sections.yml)
            "passages": " ".join(dict.fromkeys(" ".join(passages_by_program.get(p["id"], [])).split())),
        })
    db["program_search"].insert_all(search_rows, pk="program_id")
    # the document's words by Sudachi's synonym group, so that a question's 育休 finds the
    # document's 育児休業 when its sentences are quoted
    vocabulary = {w for row in search_rows for column in ("names", "body", "passages") for w in row[column].split()}
    vocabulary |= {w for row in statement_rows for w in row["words"].split()}
    db["synonyms"].insert_all([{"group_id": group, "word": word} for word in sorted(vocabulary)
                               for group in synonym_groups(word)], pk=("group_id", "word"))
    db["program_search"].enable_fts(["names", "aliases", "needs", "body", "passages"], fts_version="FTS5",
                                    tokenize="unicode61")

    try:
        _english_index(db, catalogue, program_rows, search_rows, glossary)
    finally:
        glossary.close()
    _empty_tables(db)
    # a program's rows are read by its id: without these, loading every program reads every
    # table once per program (57 s for 8,600 programs, 3.7 s with them; bench/SCALE.md)
    for table in ("listings", "budget_items", "amount_rules", "requirement_sets", "aliases", "aliases_en",
                  "program_needs", "passages", "statements"):
        if "program_id" in db[table].columns_dict:
            db[table].create_index(["program_id"], if_not_exists=True)

    counts = {
        "programs": len(catalogue.programs),
        "synthetic_programs": sum(1 for p in catalogue.programs if p.get("synthetic")),
        "listings": len(catalogue.listings),
        "aggregate_listings": sum(1 for l in catalogue.listings if l["aggregate"]),
        "contacts": len(catalogue.contacts),
        "aliases": len(catalogue.aliases),
        "ambiguous_aliases": len(catalogue.ambiguous_aliases),
        "amount_rules": len(catalogue.amount_rules),
        "requirement_sets": len(catalogue.requirements),
        "requirement_items": sum(len(r.get("items", [])) for r in catalogue.requirements),
        "budget_items": len(budget_rows),
        "needs": len(catalogue.needs),
        "statements": len(statement_rows),
        "passages": len(passages),
        "synonym_words": db["synonyms"].count,
    }
    db["meta"].insert_all([
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "sources_digest", "value": digest},
        {"key": "source_id", "value": source_id},
        {"key": "counts", "value": json.dumps(counts)},
        {"key": "categories", "value": json.dumps(catalogue.categories, ensure_ascii=False)},
        {"key": "loan_categories", "value": json.dumps(catalogue.loan_categories, ensure_ascii=False)},
        {"key": "loan_needs", "value": json.dumps(catalogue.loan_needs, ensure_ascii=False)},
        {"key": "aim_markers", "value": json.dumps(source.get("aim_markers") or [], ensure_ascii=False)},
    ], pk="key")
    return counts


# A passage ends at a sentence's end or where the document starts a new item.
_SENTENCE_END = re.compile(r"(?<=[。])|(?=\n\s*(?:[・＜<〈]|[アイウエオカキク][\s　]|[（(]\d+[)）]|\(\d\)|[１-９0-9]+[\s　]))")


def _passages(catalogue: Catalogue, document: str | None, programs: dict[str, dict]) -> list[dict]:
    """The document's sentences about each program (sections.yml), with their first line,
    page and Sudachi-normalized words: what the bot quotes when no structured fact answers."""
    if not document:
        return []
    lines = document.split("\n")
    rows = []
    for section in catalogue.sections:
        program = programs.get(section["program_id"])
        if program is None:
            continue
        page = program["pages"] if section["part"] == "overview" else (program["detail_pages"] or program["pages"])
        numbered = [(n, lines[n - 1]) for n in range(section["first"], min(section["last"], len(lines)) + 1)]
        text = "\n".join(line.strip() for _n, line in numbered if line.strip())
        starts = []   # (offset in text, line number)
        offset = 0
        for n, line in numbered:
            if line.strip():
                starts.append((offset, n))
                offset += len(line.strip()) + 1
        position = 0
        for piece in _SENTENCE_END.split(text):
            sentence = "".join(piece.split())
            start = position
            position += len(piece)
            if len(sentence) < 6 or not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", sentence):
                continue
            line = max((n for o, n in starts if o <= start + (len(piece) - len(piece.lstrip()))), default=section["first"])
            rows.append({"program_id": program["id"], "part": section["part"], "line": line, "page": page,
                         "text": sentence, "words": " ".join(search_terms(sentence))})
    return rows


def _statement_row(statement: dict) -> dict:
    words = " ".join(str(statement.get(k) or "") for k in ("text", "subject", "term", "value"))
    return {"program_id": statement.get("program_id"), "subsection": statement.get("subsection"),
            "kind": statement["kind"], "text": statement["text"], "line": statement.get("line"),
            "page": str(statement["page"]), "subject": statement.get("subject"), "value": statement.get("value"),
            "term": statement.get("term"), "change": statement.get("change"),
            "before": statement.get("before"), "after": statement.get("after"),
            "term_key": match_key(statement["term"]) if statement.get("term") else None,
            "subject_key": match_key(statement["subject"]) if statement.get("subject") else None,
            "words": " ".join(search_terms(words))}


def build(folder: Path, database: Path, project_root: Path | None = None) -> dict:
    """Check the sources in ``folder`` and write the knowledge base to ``database``.

    Raises :class:`~knowledge.checks.CheckFailed` (listing every problem, each with its
    file and line) and leaves any existing database untouched if a check fails.
    Returns the counts of what was written.
    """
    return next(iter(build_years([folder], database, project_root).values()))


def discover_sources(data_dir: Path) -> list[Path]:
    """The fiscal years' data folders under ``data_dir``: each folder with a source.yml."""
    return sorted(path.parent for path in Path(data_dir).glob("*/source.yml"))


def year_database(database: Path, year: int) -> Path:
    """Where a fiscal year other than the latest is written: ``knowledge.fy2024.db`` beside
    ``knowledge.db`` (which holds the latest year)."""
    database = Path(database)
    return database.with_name(f"{database.stem}.fy{year}{database.suffix}")


def build_years(folders: list[Path], database: Path, project_root: Path | None = None) -> dict[int, dict]:
    """Check every fiscal year's folder, each against its own document (source.yml's
    ``text_file``), and write one database per year: the latest year to ``database``, each
    other to :func:`year_database`. Every file lists the years in its ``meta`` (key
    ``years``), so that the bot opened on ``database`` can answer for any of them.

    Nothing is written unless every folder passes (the problems of all are raised together,
    named by folder when there are several). Returns the counts written, by year.
    """
    folders = [Path(folder) for folder in folders]
    if not folders:
        raise CatalogueError("no data folder to build (each needs a source.yml)")
    database = Path(database)
    loaded = []
    problems: list[Problem] = []
    for folder in folders:
        root = Path(project_root) if project_root else folder.resolve().parents[2]
        catalogue = load_catalogue(folder)
        found = run_checks(catalogue, document_path(catalogue, root))
        if len(folders) > 1:
            found = [Problem(Where(f"{folder.name}/{p.where.file}", p.where.line), p.message) for p in found]
        problems += found
        loaded.append((folder, root, catalogue))
    years: dict[int, Path] = {}
    for folder, _root, catalogue in loaded:
        year = catalogue.source.get("fiscal_year")
        if not isinstance(year, int):
            problems.append(Problem(Where(f"{folder.name}/source.yml"), f"fiscal_year {year!r} is not a year"))
        elif year in years:
            problems.append(Problem(Where(f"{folder.name}/source.yml"),
                                    f"fiscal_year {year} is also that of {years[year].name}"))
        else:
            years[year] = folder
    if problems:
        raise CheckFailed(problems)
    from .kb import DEFAULT_DATABASE
    real_databases = {(r / "build" / "knowledge.db").resolve() for _f, r, _c in loaded} | {DEFAULT_DATABASE.resolve()}
    if any(is_synthetic(c) for _f, _r, c in loaded) and database.resolve() in real_databases:
        # the scale benchmark's copies (knowledge/synthetic.py) never become the bot's knowledge base
        raise CheckFailed([Problem(Where("."), f"a synthetic catalogue is never built into {database}")])
    latest = max(years)
    targets = {year: database if year == latest else year_database(database, year) for year in years}
    listed = json.dumps([{"fiscal_year": c.source["fiscal_year"], "label": c.source["fiscal_year_label"],
                          "source_id": c.source["id"], "synthetic": bool(c.source.get("synthetic")),
                          "file": targets[c.source["fiscal_year"]].name}
                         for _f, _r, c in sorted(loaded, key=lambda item: item[2].source["fiscal_year"])],
                        ensure_ascii=False)
    database.parent.mkdir(parents=True, exist_ok=True)
    written: dict[Path, str] = {}
    counts: dict[int, dict] = {}
    try:
        for folder, root, catalogue in loaded:
            target = targets[catalogue.source["fiscal_year"]]
            handle, temporary = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
            os.close(handle)
            written[target] = temporary
            db = sqlite_utils.Database(temporary)
            with db.conn:
                path = document_path(catalogue, root)
                document = path.read_text(encoding="utf-8") if path and path.exists() else None
                counts[catalogue.source["fiscal_year"]] = _write(db, catalogue, sources_digest(folder), document)
                db["meta"].insert({"key": "years", "value": listed}, pk="key")
            db.close()
        for target, temporary in written.items():
            os.replace(temporary, target)
    finally:
        for temporary in written.values():
            if os.path.exists(temporary):
                os.unlink(temporary)
    return counts


# Tables a year's folder may leave empty (no sections.yml, statements.yml or requirement
# sets): created with their columns all the same, so that the bot's queries find them.
_EMPTY_TABLE_COLUMNS = {
    "requirement_sets": {"id": str, "program_id": str, "pages": str, "section": str, "definition": str},
    "passages": {"program_id": str, "part": str, "line": int, "page": str, "text": str, "words": str,
                 "words_en": str},
    "statements": {"program_id": str, "subsection": str, "kind": str, "text": str, "line": int, "page": str,
                   "subject": str, "value": str, "term": str, "change": str, "before": str, "after": str,
                   "term_key": str, "subject_key": str, "words": str, "words_en": str},
}


def _empty_tables(db: sqlite_utils.Database) -> None:
    for name, columns in _EMPTY_TABLE_COLUMNS.items():
        if not db[name].exists():
            db[name].create(columns)


def _with_english_words(rows: list[dict], glossary: Glossary) -> list[dict]:
    """Rows with ``words_en``: the dictionary English stems of their Japanese ``words``."""
    return [{**row, "words_en": " ".join(dict.fromkeys(stem for word in row["words"].split()
                                                        for stem in glossary.stems(word)))} for row in rows]


def _english_glosses(search_rows: list[dict], glossary: Glossary) -> dict[str, str]:
    """Each program's dictionary English (knowledge/glossary.py) of the Japanese words of its
    name, description and part of the document, less the words so many programs' Japanese
    gives that they tell none apart (事業: business, enterprise, venture …)."""
    stems = {row["program_id"]: {stem for column in ("names", "body", "passages")
                                 for word in row[column].split() for stem in glossary.stems(word)}
             for row in search_rows}
    programs_with: dict[str, int] = {}
    for words in stems.values():
        for stem in words:
            programs_with[stem] = programs_with.get(stem, 0) + 1
    most = max(1, int(GLOSS_MAX_SHARE * len(search_rows)))
    return {pid: " ".join(sorted(s for s in words if programs_with[s] <= most)) for pid, words in stems.items()}


def _english_index(db, catalogue: Catalogue, program_rows: list[dict], search_rows: list[dict],
                   glossary: Glossary) -> None:
    """The English words of the programs (programs.yml ``english``) and of the needs
    (knowledge/language/en.yml), stemmed, for English questions: a full-text table like the
    Japanese one (and a copy with the dictionary English of each program's Japanese words in
    place of its passages), and the English aliases as phrases (those several programs share marked)."""
    language = load_language(LANGUAGE_DIR / "en.yml")
    glosses = _english_glosses(search_rows, glossary)
    need_words = language.get("needs") or {}
    needs_by_program: dict[str, list[str]] = {}
    for r in catalogue.program_needs:
        needs_by_program.setdefault(r["program_id"], []).extend(need_words.get(r["need"], []))
    rows, phrases = [], []
    for p in program_rows:
        english = json.loads(p["english"] or "{}")
        aliases = list(english.get("aliases") or [])
        rows.append({"program_id": p["id"],
                     "names": " ".join(english_terms(english.get("name") or "")),
                     "aliases": " ".join(english_terms(" ".join(aliases))),
                     "needs": " ".join(english_terms(" ".join(needs_by_program.get(p["id"], [])))),
                     "body": " ".join(english_terms(english.get("summary") or ""))})
        for phrase in [english.get("name"), *aliases]:
            key = " ".join(english_words(phrase or ""))
            if key:
                phrases.append({"program_id": p["id"], "alias": phrase, "match_key": key,
                                "is_name": phrase == english.get("name")})
    owners: dict[str, set[str]] = {}
    for phrase in phrases:
        owners.setdefault(phrase["match_key"], set()).add(phrase["program_id"])
    # (an alias that several other programs' summaries use too, "low-interest loan", is a
    # word of theirs as much as a name: shared, as Japanese aliases are)
    summaries = {p["id"]: " ".join(english_words(json.loads(p["english"] or "{}").get("summary") or ""))
                 for p in program_rows}

    # (… and one another program's name holds: "growth-stage venture", an alias of 成長期
    # ベンチャー支援事業費, is as much in the Growth-Stage Venture Exchange Hub Project's name)
    names = {p["id"]: " ".join(english_words(json.loads(p["english"] or "{}").get("name") or "")) for p in program_rows}

    def shared(phrase: dict) -> bool:
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(phrase["match_key"]) + r"(?:s|es)?(?![a-z0-9])")
        singular = re.compile(r"(?<![a-z0-9])" + re.escape(re.sub(r"(?:es|s)$", "", phrase["match_key"]))
                              + r"(?:s|es)?(?![a-z0-9])")
        return sum(1 for pid, text in summaries.items()
                   if pid != phrase["program_id"] and pattern.search(text)) >= SHARED_ALIAS_TEXTS \
            or any(pid != phrase["program_id"] and singular.search(name) for pid, name in names.items())

    for phrase in phrases:
        is_name = phrase.pop("is_name")
        phrase["kind"] = "ambiguous" if len(owners[phrase["match_key"]]) > 1 else \
            "shared" if not is_name and shared(phrase) else "alias"
    db["program_search_en"].insert_all(rows, pk="program_id")
    db["program_search_en"].enable_fts(["names", "aliases", "needs", "body"], fts_version="FTS5", tokenize="unicode61")
    # (a table of its own: FTS5 scores by a row's whole length, so that a glosses column
    # beside the English would change how the English alone ranks)
    db["program_search_glossed"].insert_all([{**row, "passages": glosses.get(row["program_id"], "")} for row in rows],
                                            pk="program_id")
    db["program_search_glossed"].enable_fts(["names", "aliases", "needs", "body", "passages"], fts_version="FTS5",
                                            tokenize="unicode61")
    db["aliases_en"].create({"program_id": str, "alias": str, "match_key": str, "kind": str})
    db["aliases_en"].insert_all(phrases)
