"""Staff command line: ``python -m knowledge QUERY`` and friends.

    python -m knowledge 生産性向上の補助金          what the knowledge base says
    python -m knowledge 男性育休 --fact days=14 --fact size=中小企業   with a calculation
    python -m knowledge 創業 --json                  the same as JSON
    python -m knowledge --answer "上限は？" [--answer "電話は？"]  the bot's answers, as one conversation
    python -m knowledge --check                      run the self-checks only
    python -m knowledge --build                      check and build the database
    python -m knowledge --list                       every program, one line each
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .build import build_years, discover_sources, document_path, year_database
from .catalogue import CatalogueError, load_catalogue
from .checks import CheckFailed, run_checks
from .dialogue import Conversation, Dialogue
from .kb import PROJECT_ROOT, KnowledgeBase, KnowledgeBaseUnavailable, database_path
from .money import MoneyFormatError, parse_yen
from .resolver import State

# Every fiscal year's folder under knowledge/data (each with a source.yml) is built; the
# latest year answers when a message names none. --sources (repeatable) lists others.
DATA_DIR = PROJECT_ROOT / "knowledge" / "data"
_MONEY_FACTS = {"cost_yen", "investment_yen", "cost", "investment"}
_INT_FACTS = {"employees", "days"}
_BOOL_FACTS = {"tokku"}


def parse_fact(text: str) -> tuple[str, object]:
    """``cost=600万円`` → ("cost_yen", 6000000); ``tokku=はい`` → ("tokku", True)."""
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--fact takes key=value, got {text!r}")
    key, value = (part.strip() for part in text.split("=", 1))
    if key in _MONEY_FACTS:
        try:
            return key if key.endswith("_yen") else f"{key}_yen", parse_yen(value)
        except MoneyFormatError as error:
            raise argparse.ArgumentTypeError(str(error)) from error
    if key in _INT_FACTS:
        return key, int(value)
    if key in _BOOL_FACTS:
        return key, value.lower() in {"1", "true", "yes", "はい", "y"}
    if key == "measures":
        return key, [m for m in value.split(",") if m]
    return key, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", nargs="*", help="free text: a program name, alias or need")
    parser.add_argument("--json", action="store_true", help="print the matching programs as JSON")
    parser.add_argument("--check", action="store_true", help="run the self-checks of the sources")
    parser.add_argument("--build", action="store_true", help="check the sources and build the database")
    parser.add_argument("--list", action="store_true", help="list every program")
    parser.add_argument("--fact", action="append", type=parse_fact, default=[],
                        help="a fact for calculations, e.g. size=小規模事業者 cost=600万円 days=14")
    parser.add_argument("--limit", type=int, default=5, help="how many search results (default 5)")
    parser.add_argument("--answer", action="append", default=[], metavar="MESSAGE",
                        help="answer MESSAGE as the bot would (repeat for a conversation)")
    parser.add_argument("--sources", type=Path, action="append", default=None,
                        help="a fiscal year's data folder (repeat for several; default: every folder "
                             "under knowledge/data with a source.yml)")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    db_path = args.db or database_path()
    sources = args.sources or discover_sources(DATA_DIR)

    if args.check or args.build:
        try:
            if args.build:
                built = build_years(sources, db_path, PROJECT_ROOT)
                for year, counts in sorted(built.items()):
                    path = db_path if year == max(built) else year_database(db_path, year)
                    print(f"built {path} (fiscal year {year}): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
            else:
                for folder in sources:
                    catalogue = load_catalogue(folder)
                    problems = run_checks(catalogue, document_path(catalogue, PROJECT_ROOT))
                    if problems:
                        raise CheckFailed(problems)
                    print(f"ok {folder.name}: {len(catalogue.programs)} programs, {len(catalogue.listings)} listings, "
                          f"{len(catalogue.contacts)} contacts, {len(catalogue.aliases)} aliases, "
                          f"{len(catalogue.amount_rules)} amount rules pass every check")
        except (CheckFailed, CatalogueError) as error:
            print(error, file=sys.stderr)
            return 1
        return 0

    try:
        kb = KnowledgeBase(db_path)
    except KnowledgeBaseUnavailable as error:
        print(error, file=sys.stderr)
        return 2

    if args.list:
        for program in kb.programs():
            print(f"{program.id:16} {program.name}  ({program.contact.phone if program.contact else '—'})")
        return 0
    if args.answer:
        bot = Dialogue(kb)
        conversation = Conversation()
        for message in args.answer:
            turn = bot.ask(conversation, message)
            print(f"> {message}   [{'、'.join(turn.analysis.kinds)}]")
            print(turn.text)
            print()
        return 0
    if not args.query:
        parser.print_usage(sys.stderr)
        return 2

    # the bot's own resolver: the same program the bot would take for these words
    text = " ".join(args.query)
    bot = Dialogue(kb)
    analysis = bot.analyser.analyse(text)
    resolution = bot.replies.resolve(analysis, State(), analysis.kinds, False)
    programs = resolution.programs or bot.replies.likely_programs(analysis, limit=args.limit)
    needs = analysis.facts.get("need") or []
    facts = dict(args.fact)

    if args.json:
        records = []
        for program in programs:
            record = program_record(kb, program)
            if facts:
                record["evaluations"] = [kb.evaluate(rule_id, facts, cases=True).as_dict()
                                         for rule_id in program.rule_ids]
            records.append(record)
        print(json.dumps({"query": text, "resolution": resolution.status, "needs": needs, "programs": records},
                         ensure_ascii=False, indent=2))
        return 0 if programs else 1

    if not programs:
        print(f"「{text}」に当てはまる事業は見つかりませんでした。")
        return 1
    print(f"「{text}」: {resolution.status}" + (f"（{resolution.how}）" if resolution.how else "")
          + (f"  ニーズ: {'、'.join(needs)}" if needs else ""))
    renderer = bot.renderer()
    for program in programs:
        print(f"\n■ {program.name}  [{program.id}]")
        # what the bot would answer for each kind of question, worded by the bot's renderer
        for reply in bot.replies.program_card(program, facts):
            print(renderer.render(reply).text)
    return 0


def program_record(kb: KnowledgeBase, program) -> dict:
    """Every fact the knowledge base holds about one program, as JSON-ready values."""
    return {
        "id": program.id, "name": program.name, "category": program.category, "audience": program.audience,
        "topic": program.topic, "new_mark": program.new_mark, "aggregate": program.aggregate,
        "summary": program.summary, "purpose": program.purpose, "content": program.content,
        "eligibility": program.eligibility, "covered_costs": program.covered_costs,
        "budgets": [{"kind": b.kind, "label": b.label, "yen": b.yen, "printed": b.printed, "pages": b.pages,
                     "topic": b.topic, "part_of": b.part_of} for b in program.budgets],
        "rules": [kb.rule(rule_id) for rule_id in program.rule_ids],
        "requirements": kb.requirement_sets_for(program.id),
        "contact": vars(program.contact) if program.contact else None,
        "pages": program.page_refs,
        "listings": [{"topic": l["topic_name"], "number": l["number_printed"], "printed_name": l["printed_name"],
                      "pages": l["pages"]} for l in program.listings],
    }


if __name__ == "__main__":
    sys.exit(main())
