"""Run conversation sets against the bot over REST and print their scores.

    .venv/bin/python bench/conversations.py tests/holdout/conversations_3.yml [...]
        [--url http://localhost:5005] [--model models/current.tar.gz] [--out bench/results/x.json] [--failures]

Without ``--url`` it starts the action server and Rasa on free ports with the model. The
scoring is :mod:`coverage_report.conversations`'s. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from coverage_report.conversations import ProgramNames, run_set, summary_lines
from coverage_report.servers import BotClient
from knowledge.kb import KnowledgeBase
from ops.processes import base_env, free_port, start_actions, start_rasa, stop

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--url", help="a running bot (default: start one)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--failures", action="store_true", help="print every failure")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))

    processes = []
    try:
        if args.url:
            bot = BotClient(args.url)
        else:
            workdir = Path(tempfile.mkdtemp(prefix="conversations-"))
            action_port, rasa_port = free_port(), free_port()
            env = base_env()
            endpoints = workdir / "endpoints.yml"
            endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n')
            processes.append(start_actions(action_port, workdir / "actions.log", env))
            processes.append(start_rasa(args.model, rasa_port, endpoints, workdir / "rasa.log", env))
            bot = BotClient(f"http://localhost:{rasa_port}")
        names = ProgramNames(KnowledgeBase())
        results = [run_set(bot, path.resolve(), names) for path in args.sets]
    finally:
        for process in reversed(processes):
            stop(process)
    for result in results:
        print("\n".join(summary_lines(result)))
        if args.failures:
            for failure in result["failures"]:
                print(json.dumps(failure, ensure_ascii=False))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
