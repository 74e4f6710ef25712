"""How long ``make review`` takes on many conversations (the figure README and the
issue's closing note give).

    .venv/bin/python bench/review_volume.py [--conversations 10000] [--db /tmp/review-bench.db]

Generates the conversations through Rasa's own ``SQLTrackerStore`` (the class the bot
saves with; SQLite, a throwaway file): each is a few turns of the kinds real
conversations have — factual answers with 👍 / 👎 buttons, a rating (some 👎 with a
comment), a question not understood, a hand-off, the calculation form asking back, a
message with a phone number and an e-mail address — with the events, answer metadata
and slots the bot writes, spread over 30 days and three channels. Then runs
``python -m review run`` on it as a separate process and reports the measured seconds
(no timed assert: a measurement).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROGRAMS = ["chusho-01", "chusho-06", "rodo-03", "sangyo-02", "kinyu-01", "chusho-10", "rodo-10"]
QUESTIONS = [("生産性向上の補助金の上限は？", "ask_amount", "amount", "amount.cap_first"),
             ("エコアセットかながわの予算は？", "ask_budget", "budget", "budget.item"),
             ("創業支援の問い合わせ先を教えて", "ask_contact", "contact", "contact.one"),
             ("小規模事業者でも対象ですか", "ask_eligibility", "eligibility", "eligibility.program"),
             ("申請の締め切りはいつ？", "ask_procedure", "handoff", "procedure.handoff"),
             ("この事業の上限額は？", "ask_amount", "amount", "not_stated.amount")]
NOT_UNDERSTOOD = ["あいうえお", "きょうの天気は", "ほげほげ", "よくわからない質問です"]


def conversation_events(number: int, rng: random.Random, start: float) -> tuple[str, list]:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    channel = rng.choice(["rest", "socketio", "socketio", "line"])
    sender = {"line": f"U{number:032x}", "socketio": f"sio-{number:08d}"}.get(channel, f"web-{number}")
    t = start + rng.uniform(0, 30 * 86400)
    events: list = [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t),
                    ActionExecuted("action_listen", timestamp=t)]

    def tick() -> float:
        nonlocal t
        t += rng.uniform(2, 40)
        return t

    def user(text, intent, entities=None):
        events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, entities or [],
                                  parse_data={"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [],
                                              "text": text}, timestamp=tick(), input_channel=channel))

    def bot(text, kind=None, programs=(), key=None, buttons=None, action="action_answer"):
        events.append(ActionExecuted(action, timestamp=tick()))
        data = {"buttons": buttons} if buttons else {}
        if kind:
            data["custom"] = {"answer": {"kind": kind, "programs": list(programs), "phone": None, "key": key}}
        events.append(BotUttered(text, data, timestamp=tick()))
        return events[-1].timestamp

    def listen():
        events.append(ActionExecuted("action_listen", timestamp=tick()))

    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        program = rng.choice(PROGRAMS)
        if roll < 0.6:
            text, intent, kind, key = rng.choice(QUESTIONS)
            user(text, intent)
            thumbs = [{"title": "👍", "payload": '/feedback{"rating":"up"}'},
                      {"title": "👎", "payload": '/feedback{"rating":"down"}'}]
            answered_at = bot(f"{program} の回答です（{key}）。担当課：045-210-5550", kind, [program], key,
                              thumbs if kind in ("amount", "budget", "contact", "eligibility") else None)
            listen()
            if rng.random() < 0.25:
                rating = rng.choice(["up", "down"])
                user(f'/feedback{{"rating":"{rating}"}}', "feedback", [{"entity": "rating", "value": rating}])
                events.append(ActionExecuted("action_feedback", timestamp=tick()))
                events.append(BotUttered("ご評価ありがとうございます。", {}, timestamp=tick()))
                record = {"rating": rating, "answer_at": answered_at, "kind": kind, "programs": [program]}
                events.append(SlotSet("feedback", record, timestamp=tick()))
                events.append(SlotSet("feedback_comment_for", answered_at if rating == "down" else None,
                                      timestamp=tick()))
                listen()
                if rating == "down" and rng.random() < 0.5:
                    comment = rng.choice(["金額が古い", "担当は 090-1234-5678 の山田です", "違う事業の答えでした"])
                    user(comment, "nlu_fallback")
                    bot("ご意見ありがとうございました。")
                    events.append(SlotSet("feedback_comment_for", None, timestamp=tick()))
                    events.append(SlotSet("feedback", {**record, "comment": comment}, timestamp=tick()))
                    listen()
        elif roll < 0.75:
            user(rng.choice(NOT_UNDERSTOOD), "nlu_fallback")
            bot("すみません、ご質問の内容を読み取れませんでした。", "unknown", [], "ask.rephrase")
            listen()
        elif roll < 0.85:
            user("担当者と話したい", "request_human")
            bot("担当課の電話番号です：045-210-5550", "contact", [program], "contact.division")
            listen()
        elif roll < 0.95:
            user("補助金額を計算して", "calculate_amount")
            bot("どの事業について計算しますか？", "ask", [], "ask.program_for_calculation")
            listen()
            user("うちの会社", "inform")
            bot("どの事業についてのご質問ですか？", "ask", [], "ask.which_unknown")
            listen()
        else:
            user("連絡先は taro@example.com 、045-123-4567 です", "inform")
            bot("すみません、ご質問の内容を読み取れませんでした。", "unknown", [], "ask.rephrase")
            listen()
    return sender, events


async def generate(db: Path, count: int, seed: int = 12) -> float:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    rng = random.Random(seed)
    start = time.time() - 30 * 86400
    started = time.perf_counter()
    for number in range(count):
        sender, events = conversation_events(number, rng, start)
        await store.save(DialogueStateTracker.from_events(sender, events, domain.slots))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/review-bench-trackers.db"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/review-bench-report"))
    args = parser.parse_args()
    args.db.unlink(missing_ok=True)
    seconds = asyncio.run(generate(args.db, args.conversations))
    print(f"generated {args.conversations} conversations through SQLTrackerStore in {seconds:.1f} s ({args.db})")
    endpoints = args.out.parent / f"{args.out.name}-endpoints.yml"
    args.out.mkdir(parents=True, exist_ok=True)
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{args.db}"\n')
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "review", "run", "--endpoints", str(endpoints), "--out", str(args.out)],
                   cwd=ROOT, check=True)
    print(f"make review on {args.conversations} conversations: {time.perf_counter() - started:.1f} s "
          f"(process start, Rasa's imports and the report included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
