"""The CPU time of this project's own code per message, without Rasa around it.

    .venv/bin/python bench/turn_cost.py [--rounds 20] [--label NAME]

The load benchmark's conversation (bench/load.py's 20 messages) is run ``--rounds`` times
through what this project adds to each turn:

* in the Rasa server, the NLU components of config.yml that are this project's
  (``nlu.tokenizer.SudachiTokenizer``, ``nlu.entities.KnowledgeEntityExtractor``,
  ``nlu.analysis.QuestionAnalysis``), on Rasa's own ``Message``; the intent given to the
  analysis is the one the script's message is routed to in the bot;
* in the action server, ``knowledge.dialogue.Dialogue.ask``: the analysis, the answer and
  its words, as ``action_answer`` runs it.

It reports CPU milliseconds per message (``time.process_time``; the median of the rounds
and the fastest), which other work on the same cores disturbs far less than wall-clock
throughput (bench/profile_load.py), so that a change to this code can be compared before
and after. Writes bench/results/turn-cost-LABEL.json. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from load import SCRIPT

ROOT = Path(__file__).resolve().parents[1]
# The intent each message of the script gets in the bot (models/current.tar.gz, 2026-11-30), so
# that the analysis takes the same path as in the server.
INTENTS = ["greet", "ask_program_info", "ask_amount", "ask_contact", "ask_budget", "calculate_amount", "inform",
           "inform", "thank", "ask_program_info", "ask_contact", "ask_amount", "calculate_amount", "find_by_need",
           "ask_new_programs", "ask_procedure", "request_human", "find_by_need", "ask_budget", "goodbye"]


def rasa_side(texts: list[str]):
    """The project's NLU components, as Rasa runs them on a message."""
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlu.analysis import QuestionAnalysis
    from nlu.entities import KnowledgeEntityExtractor
    from nlu.tokenizer import SudachiTokenizer

    tokenizer = SudachiTokenizer(SudachiTokenizer.get_default_config())
    extractor = KnowledgeEntityExtractor({})
    analysis = QuestionAnalysis({})

    def run():
        for text, intent in zip(texts, INTENTS):
            message = Message(data={TEXT: text})
            tokenizer.process([message])
            extractor.process([message])
            message.set(INTENT, {"name": intent, "confidence": 0.9})
            analysis.process([message])
    return run


def action_side(texts: list[str]):
    """``action_answer``'s work: one conversation, message after message."""
    from knowledge.dialogue import Conversation, dialogue_for
    from knowledge.kb import database_path

    dialogue = dialogue_for(str(database_path()))

    def run():
        conversation = Conversation()
        for text, intent in zip(texts, INTENTS):
            dialogue.ask(conversation, text, intent)
    return run


def measure(run, rounds: int, messages: int) -> dict:
    run()   # first-call costs (dictionaries, caches) out of the figures
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run()
        times.append(1000 * (time.process_time() - start) / messages)
    return {"median_ms_per_message": round(statistics.median(times), 2), "fastest_ms_per_message": round(min(times), 2)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--label", default="run")
    args = parser.parse_args(argv)
    texts = [text for text, _expected in SCRIPT]
    report = {"label": args.label, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "messages": len(texts),
              "rounds": args.rounds,
              "rasa_nlu_components": measure(rasa_side(texts), args.rounds, len(texts)),
              "action_server_dialogue": measure(action_side(texts), args.rounds, len(texts))}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"turn-cost-{args.label}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
