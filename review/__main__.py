"""Review of real conversations for staff, from the tracker store the bot uses.

    python -m review run [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--channel rest|socketio|line]
                         [--endpoints FILE] [--out reports/review]
    python -m review purge --before YYYY-MM-DD [--endpoints FILE]

``run`` writes reports/review/index.html, review.csv (one row per flagged turn) and
questions.yml (flagged questions for ``make coverage``). The endpoints file is the bot's:
endpoints.yml (SQLite), or endpoints.production.yml under BOT_PROFILE=production
(PostgreSQL, from the same environment variables). ``purge`` deletes conversations whose
last message is before the date (the retention policy, SECURITY.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

from .report import Review, write_csv, write_html, write_questions
from .store import ROOT, conversations, day_start, default_endpoints, engine_for, purge
from .turns import read_conversation

DEFAULT_OUT = ROOT / "reports" / "review"


def _date(value: str) -> str:
    day_start(value)   # raises ValueError on anything but YYYY-MM-DD
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m review", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="write reports/review/")
    run.add_argument("--since", type=_date, help="first day (YYYY-MM-DD, UTC)")
    run.add_argument("--until", type=_date, help="last day, included (YYYY-MM-DD, UTC)")
    run.add_argument("--channel", help="only conversations of this channel (rest, socketio, line)")
    run.add_argument("--endpoints", type=Path, default=None, help="default: the bot's (BOT_PROFILE)")
    run.add_argument("--kb", type=Path, default=None, help="knowledge base (default: build/knowledge.db)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT)
    remove = commands.add_parser("purge", help="delete conversations older than a date")
    remove.add_argument("--before", type=_date, required=True, help="YYYY-MM-DD: conversations ended before it")
    remove.add_argument("--endpoints", type=Path, default=None)
    return parser


def program_names(kb_path: Path | None) -> dict[str, str]:
    from knowledge.kb import KnowledgeBase, database_path
    path = kb_path or database_path()
    return {p.id: p.name for p in KnowledgeBase(path).programs()} if Path(path).exists() else {}


def command_run(args) -> int:
    started = time.perf_counter()
    endpoints = args.endpoints or default_endpoints()
    engine = engine_for(endpoints)
    review = Review()
    for stored in conversations(engine, args.since, args.until):
        conversation = read_conversation(stored.sender_id, stored.events, args.channel)
        if conversation is not None:
            review.add(conversation)
    review.choose_transcripts()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_csv(review, out / "review.csv")
    added = write_questions(review, out / "questions.yml")
    meta = {"source": f"{Path(endpoints).name}（{engine.url.get_backend_name()}）",
            "since": args.since, "until": args.until, "channel": args.channel,
            "generated_at": datetime.now().isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1)}
    write_html(review, out / "index.html", meta, program_names(args.kb))
    print(f"{review.conversations} conversations, {review.turns} turns, {len(review.flagged)} flagged "
          f"({review.ratings['down']} 👎, {review.ratings['up']} 👍); {added} new questions in "
          f"{out / 'questions.yml'}; {out / 'index.html'} in {time.perf_counter() - started:.1f} s")
    return 0


def command_purge(args) -> int:
    engine = engine_for(args.endpoints or default_endpoints())
    conversations_deleted, events = purge(engine, args.before)
    print(f"deleted {conversations_deleted} conversations ({events} events) whose last message was before {args.before}")
    return 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the libraries' deprecation notices are no news for staff
        import rasa.core.tracker_store  # noqa: F401 - imported here, its warnings with it
        warnings.simplefilter("ignore")   # Rasa's import sets its own filters
        return command_run(args) if args.command == "run" else command_purge(args)


if __name__ == "__main__":
    sys.exit(main())
