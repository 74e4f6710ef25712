"""Answer-coverage report for prefecture staff.

    python -m coverage_report run [--questions my.yml ...] [--url http://localhost:5405 --token T]
    python -m coverage_report ask "生産性向上の補助金の上限は？" [--url ... --token ...]

``run`` asks the question bank (template questions for every program and kind of
question, the hand-written bank, staff files) to the real bot and checks every answer
against the knowledge base; it writes reports/coverage/index.html, coverage.json and
the NLU evaluation (rasa test nlu) into the same folder. Without ``--url`` it starts the
action server and Rasa itself on a copy of the model and stops them at the end.

``ask`` asks one question and shows the intent and its confidence, the entities, the
program the answer names, the answer and its sources.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from knowledge.kb import KnowledgeBase, database_path

from .bank import BankError, build_bank, question_from_entry
from .checker import Catalogue
from .conversations import ProgramNames, development_sets, run_set
from .facts import KINDS, PROGRAM_KINDS
from .report import report_data, terminal_summary, write_html, write_json
from .runner import ask, finish_nlu_test, run_bank, start_nlu_test
from .servers import DEFAULT_ACTION_PORT, DEFAULT_MODEL, DEFAULT_RASA_PORT, ROOT, BotClient, Servers, copy_model

DEFAULT_OUT = ROOT / "reports" / "coverage"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coverage_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def bot_options(command):
        command.add_argument("--url", default=os.environ.get("COVERAGE_BOT_URL"),
                             help="a running bot (e.g. http://localhost:5405); default: start the servers here")
        command.add_argument("--token", default=os.environ.get("COVERAGE_BOT_TOKEN"),
                             help="the running bot's --auth-token, for intents via /model/parse")
        command.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model to start (copied first)")
        command.add_argument("--kb", type=Path, default=None, help="knowledge base (default: build/knowledge.db)")
        command.add_argument("--rasa-port", type=int, default=DEFAULT_RASA_PORT)
        command.add_argument("--action-port", type=int, default=DEFAULT_ACTION_PORT)

    run = commands.add_parser("run", help="ask the question bank and write the report")
    bot_options(run)
    run.add_argument("--questions", type=Path, action="append", default=[],
                     help="a staff question file, YAML or CSV (see coverage_report/questions/staff_example.yml)")
    run.add_argument("--reviewed", type=Path, default=ROOT / "reports" / "review" / "questions.yml",
                     help="questions from make review that staff filled in (default reports/review/questions.yml; "
                          "the ones without program and kind or expect are skipped)")
    run.add_argument("--program", action="append", default=[], help="only questions about these program ids")
    run.add_argument("--kind", action="append", default=[], choices=list(KINDS), help="only these kinds")
    run.add_argument("--no-templates", action="store_true", help="leave out the template questions")
    run.add_argument("--no-bank", action="store_true", help="leave out the hand-written bank")
    run.add_argument("--workers", type=int, default=2, help="questions asked at a time (default 2)")
    run.add_argument("--no-nlu", action="store_true", help="skip rasa test nlu")
    run.add_argument("--conversations", nargs="*", type=Path, default=None, metavar="FILE",
                     help="conversation sets written as users write, scored apart from the bank "
                          "(default: the development sets tests/holdout/conversations_*.yml; none: no such section)")
    run.add_argument("--nlu-data", default="tests/holdout/nlu.yml",
                     help="data for rasa test nlu (default: the independent test set, never trained on)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default reports/coverage)")
    run.add_argument("--fail-under", type=float, default=None,
                     help="exit with status 2 when the share of right answers (%%) is below this")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    one = commands.add_parser("ask", help="ask one question and show intent, entities, program, answer, sources")
    bot_options(one)
    one.add_argument("text", help="the question, as a user would type it")
    one.add_argument("--program", help="check the answer too: the program meant (id, name or alias)")
    one.add_argument("--kind", choices=list(PROGRAM_KINDS), help="check the answer too: the kind of question")
    return parser


@contextmanager
def bot(args, workdir: Path, kb_path: Path):
    """A client for the bot: the running one at --url, or servers started here for the duration."""
    if args.url:
        client = BotClient(args.url, args.token)
        if not client.reachable():
            raise SystemExit(f"no bot answers at {args.url}; start it, or leave out --url to start one here")
        if not args.token:
            print("no --token: intents and entities (/model/parse) will not be shown", file=sys.stderr)
        yield client, None
        return
    print(f"starting the action server (:{args.action_port}) and Rasa (:{args.rasa_port}) "
          f"with a copy of {args.model} …", file=sys.stderr)
    with Servers(args.model, workdir, kb_path, args.rasa_port, args.action_port) as servers:
        yield BotClient(servers.url, servers.token), servers


def reviewed_questions(kb: KnowledgeBase, path: Path | None) -> list:
    """The questions of make review's questions.yml that staff have filled in."""
    from review.report import reviewed_entries

    questions = []
    for number, entry in enumerate(reviewed_entries(Path(path)) if path else [], start=1):
        try:
            questions.append(question_from_entry(kb, entry, f"review:{Path(path).name}", number))
        except (BankError, KeyError, ValueError) as error:
            raise BankError(f"{path} の {number} 問目（{entry.get('text', '')!r}）：{error}") from error
    return questions


def command_run(args) -> int:
    started = time.perf_counter()
    kb_path = Path(args.kb) if args.kb else database_path()
    kb = KnowledgeBase(kb_path)
    try:
        questions = build_bank(kb, args.questions, templates=not args.no_templates, hand=not args.no_bank)
        questions += reviewed_questions(kb, args.reviewed)
    except BankError as error:
        print(f"question file error: {error}", file=sys.stderr)
        return 1
    if args.program:
        questions = [q for q in questions if q.program_id in set(args.program)]
    if args.kind:
        questions = [q for q in questions if q.kind in set(args.kind)]
    if not questions:
        print("no questions to ask", file=sys.stderr)
        return 1
    catalogue = Catalogue(kb)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "nlu", ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="coverage-") as tmp:
        workdir = Path(tmp)
        nlu_test = None
        if not args.no_nlu:
            model_copy = copy_model(args.model, workdir / "nlu-model")
            nlu_test = start_nlu_test(model_copy, workdir / "nlu", args.nlu_data, kb_path)
        try:
            with bot(args, workdir / "servers", kb_path) as (client, servers):
                status = client.status() or {}
                print(f"asking {len(questions)} questions ({args.workers} at a time)", file=sys.stderr)
                bank_started = time.perf_counter()
                results = run_bank(client, catalogue, questions, workers=args.workers, progress=not args.quiet)
                bank_seconds = time.perf_counter() - bank_started
                sets = development_sets() if args.conversations is None else args.conversations
                names = ProgramNames(kb)
                conversations = [run_set(client, Path(path), names) for path in sets]
                bot_url = client.url
        except BaseException:
            if nlu_test and nlu_test.process.poll() is None:
                nlu_test.process.kill()
            raise
        nlu = finish_nlu_test(nlu_test, out) if nlu_test else None
    meta = {"generated_at": datetime.now().isoformat(timespec="seconds"),
            "source_title": kb.source["title"], "fiscal_year": kb.source["fiscal_year_label"],
            "kb_path": str(kb_path), "kb_digest": kb.meta("sources_digest") or "",
            "model": str(args.model) if not args.url else (status.get("model_file") or "?"),
            "model_id": status.get("model_id"), "bot_url": bot_url, "started_servers": not args.url,
            "workers": args.workers, "questions": len(questions),
            "staff_files": [str(p) for p in args.questions],
            "bank_seconds": round(bank_seconds, 1), "total_seconds": round(time.perf_counter() - started, 1)}
    program_names = {p.id: p.name for p in kb.programs()}
    data = report_data(results, meta, nlu, program_names, conversations)
    write_json(data, out / "coverage.json")
    write_html(data, out / "index.html")
    print(terminal_summary(data, out / "index.html"))
    share = data["summary"]["overall"]["share"] or 0
    if args.fail_under is not None and 100 * share < args.fail_under:
        print(f"coverage {100 * share:.1f}% is below --fail-under {args.fail_under}%", file=sys.stderr)
        return 2
    return 0


def _program_label(kb: KnowledgeBase, value) -> str:
    ids = value if isinstance(value, list) else [value]
    names = [f"{i}（{p.name}）" if (p := kb.program(str(i))) else str(i) for i in ids]
    return " または ".join(names)


def command_ask(args) -> int:
    kb_path = Path(args.kb) if args.kb else database_path()
    kb = KnowledgeBase(kb_path)
    catalogue = Catalogue(kb)
    question = None
    if args.program or args.kind:
        if not (args.program and args.kind):
            print("--program and --kind go together", file=sys.stderr)
            return 1
        question = question_from_entry(kb, {"text": args.text, "program": args.program, "kind": args.kind},
                                       "ask", 1)
    with tempfile.TemporaryDirectory(prefix="coverage-ask-") as tmp, bot(args, Path(tmp), kb_path) as (client, _):
        parse = client.parse(args.text)
        sender = f"coverage-ask-{uuid.uuid4().hex[:8]}"
        result = ask(client, catalogue, question, sender) if question else None
        messages = result.messages if result else client.say(sender, args.text)
    print(f"質問　　：{args.text}")
    if parse:
        intent = parse.get("intent") or {}
        ranking = ", ".join(f"{r['name']} {r['confidence']:.3f}" for r in (parse.get("intent_ranking") or [])[1:4])
        print(f"意図　　：{intent.get('name')}（確信度 {intent.get('confidence', 0):.3f}）　次点：{ranking}")
        entities = parse.get("entities") or []
        if not entities:
            print("エンティティ：なし")
        for entity in entities:
            value = entity.get("value")
            shown = _program_label(kb, value) if entity.get("entity") == "program" else value
            span = args.text[entity["start"]:entity["end"]] if entity.get("start") is not None else ""
            print(f"エンティティ：{entity.get('entity')} = {shown}　「{span}」")
    else:
        print("意図　　：（HTTP API のトークンがないため不明。--token を指定してください）")
    text = "\n".join(m.get("text", "") for m in messages if m.get("text"))
    named = catalogue.programs_named(text)
    print("回答した事業：" + ("、".join(f"{i}（{catalogue.display[i]}）" for i in named) if named else "なし"))
    print("回答　　：")
    for line in text.splitlines():
        if not line.startswith("出典"):
            print(f"  {line}")
    for message in messages:
        for button in message.get("buttons") or []:
            print(f"  [ボタン] {button.get('title')}  → {button.get('payload')}")
    sources = list(dict.fromkeys(line for line in text.splitlines() if line.startswith("出典")))
    print("出典　　：" + (" / ".join(sources) if sources else "なし"))
    if result:
        verdict = result.verdict
        print("判定　　：" + ("合格" if verdict.passed else "不合格"))
        for fact, ok in verdict.found:
            print(f"  {'✓' if ok else '✗'} {fact.label}")
        for reason in verdict.reasons:
            print(f"  - {reason.message}")
    return 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    args = _parser().parse_args(argv)
    return command_run(args) if args.command == "run" else command_ask(args)


if __name__ == "__main__":
    sys.exit(main())
