"""Conversation sets written as users write (tests/holdout/conversations_*.yml and the
older single-question sets), asked of the bot over REST and scored turn by turn.

A set holds conversations of one or more turns; each turn gives the strings a right answer
must contain (``expect``), the division's phone number it must give (``phone``), strings it
has no reason to contain (``expect_not``) and the program it must be about (``program``).
Each conversation gets a fresh sender id, so follow-ups rely only on what the bot kept.

A turn is right when every expected string is in the answer, no forbidden one is, and no
phone number other than the expected one appears. It also counts:

* **wrong phone**: an expected phone, and another phone number in the answer;
* **wrong program**: the answer says (in its metadata) which programs it is about, and
  the expected program is not among them (bots without metadata: the 【…】 names);
* **false "not in the document"**: a turn whose expected fact the document states,
  answered with a phrase saying the document does not state it.

Used by ``make coverage`` (the section 「利用者の書き方」) and ``bench/conversations.py``.
"""

from __future__ import annotations

import re
import time
import unicodedata
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "holdout"


def development_sets() -> list[Path]:
    """The conversation sets whose failures have been looked at (development sets)."""
    return sorted(HOLDOUT.glob("conversations_*.yml"))


PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{4}")
# Phrases that say the document does not state something (old and new wordings).
NOT_STATED = re.compile("記載がありません|記載はありません|記載がない|記載されていません|お答えできません|"
                        "does not state|not in the document|does not say")
BRACKETED = re.compile(r"【([^】]+)】")


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def answer_text(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def answered_programs(messages: list[dict]) -> list[str] | None:
    """Program ids the bot says this answer is about (its metadata), or None if it says nothing."""
    found = None
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("answer"), dict):
            found = (found or []) + list(custom["answer"].get("programs") or [])
    return found


class ProgramNames:
    """The knowledge base's program names, to map a set's ``program`` to ids and to find
    the names an answer gives in 【…】 (bots without answer metadata)."""

    def __init__(self, kb):
        self.kb = kb
        self.by_fold = {fold(p.name): p.id for p in self.kb.programs()}

    def ids_for(self, name: str | None) -> set[str]:
        if not name:
            return set()
        key = fold(re.sub(r"（再掲）|\(再掲\)", "", name))
        if key in self.by_fold:
            return {self.by_fold[key]}
        # a name written a little differently: the programs whose name holds it, or is held by it
        return {pid for folded, pid in self.by_fold.items() if key in folded or folded in key}

    def named_in(self, text: str) -> set[str]:
        found = set()
        for inside in BRACKETED.findall(text):
            for part in inside.split("、"):
                found |= self.ids_for(part) if fold(part) in self.by_fold else set()
        return found


def score_turn(turn: dict, messages: list[dict], names: ProgramNames | None) -> dict:
    text = answer_text(messages)
    answer = fold(text)
    expected = [fold(e) for e in turn.get("expect") or []]
    forbidden = [fold(e) for e in turn.get("expect_not") or []]
    # The working of a calculation shows figures before a cap by design (「× 2/3 = 800万円、上限…を超えるため」)
    verdict_part = fold("\n".join(line for line in text.splitlines()
                                  if "×" not in line and "を超えるため" not in line))
    phone = turn.get("phone")
    if phone:
        expected.append(fold(phone))
    missing = [e for e in expected if e not in answer]
    present_forbidden = [f for f in forbidden if f in verdict_part]
    phones = set(PHONE.findall(answer))
    wrong_phone = bool(phone) and bool(phones - {fold(phone)})
    wrong_program = False
    expected_ids = names.ids_for(turn.get("program")) if names else set()
    if expected_ids:
        about = answered_programs(messages)
        if about is None and names:
            about = list(names.named_in(text))
        wrong_program = bool(about) and not (set(about) & expected_ids)
    false_not_stated = (turn.get("kind") != "not_stated" and bool(NOT_STATED.search(text)) and bool(missing))
    ok = not missing and not present_forbidden and not wrong_phone and not wrong_program
    return {"ok": ok, "missing": missing, "forbidden": present_forbidden, "wrong_phone": wrong_phone,
            "wrong_program": wrong_program, "false_not_stated": false_not_stated}


def load_set(path: Path) -> list[dict]:
    """The conversations of a set; an older set of single ``questions`` gives one-turn ones
    (its ``intent`` as the turn's kind)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "conversations" in data:
        return data["conversations"]
    return [{"id": f"q{i + 1}", "turns": [{**q, "kind": q.get("kind") or q.get("intent")}]}
            for i, q in enumerate(data["questions"])]


def run_set(client, path: Path, names: ProgramNames | None) -> dict:
    """Every conversation of a set asked of ``client`` (a :class:`coverage_report.servers.BotClient`),
    each in a conversation of its own; the scores, by kind and style, and every failure."""
    conversations = load_set(path)
    turns_total = turns_right = convs_right = 0
    counters = {"wrong_phone": 0, "wrong_program": 0, "false_not_stated": 0}
    by_kind: dict[str, list[int]] = {}
    by_style: dict[str, list[int]] = {}
    failures, latencies = [], []
    for conversation in conversations:
        sender = f"set-{uuid.uuid4().hex[:12]}"
        all_ok = True
        for index, turn in enumerate(conversation["turns"]):
            started = time.perf_counter()
            messages = client.say(sender, turn["text"])
            elapsed = time.perf_counter() - started
            latencies.append(elapsed)
            result = score_turn(turn, messages, names)
            turns_total += 1
            turns_right += result["ok"]
            all_ok &= result["ok"]
            for key in counters:
                counters[key] += result[key]
            kind = turn.get("kind", "?")
            by_kind.setdefault(kind, [0, 0])
            by_kind[kind][0] += result["ok"]
            by_kind[kind][1] += 1
            for style in conversation.get("style") or []:
                by_style.setdefault(style, [0, 0])
                by_style[style][0] += result["ok"]
                by_style[style][1] += 1
            if not result["ok"]:
                failures.append({"id": conversation.get("id"), "turn": index + 1, "text": turn["text"],
                                 "kind": kind, "expect": turn.get("expect"), "phone": turn.get("phone"),
                                 "program": turn.get("program"),
                                 **{k: v for k, v in result.items() if k != "ok" and v},
                                 "answer": answer_text(messages)[:600]})
        convs_right += all_ok
    latencies.sort()
    return {
        "set": str(path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path),
        "conversations": len(conversations), "conversations_right": convs_right,
        "turns": turns_total, "turns_right": turns_right,
        "share_right": round(turns_right / turns_total, 4) if turns_total else None,
        **counters,
        "by_kind": {k: {"right": v[0], "of": v[1]} for k, v in sorted(by_kind.items())},
        "by_style": {k: {"right": v[0], "of": v[1]} for k, v in sorted(by_style.items())},
        "turn_p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "failures": failures,
    }


def summary_lines(result: dict) -> list[str]:
    lines = [f"{result['set']}: {result['turns_right']}/{result['turns']} turns right "
             f"({100 * (result['share_right'] or 0):.1f}%), {result['conversations_right']}/"
             f"{result['conversations']} conversations wholly right; wrong phone {result['wrong_phone']}, "
             f"wrong program {result['wrong_program']}, false 'not in the document' {result['false_not_stated']}"]
    lines.append("  by kind: " + ", ".join(f"{k} {v['right']}/{v['of']}" for k, v in result["by_kind"].items()))
    lines.append("  by style: " + ", ".join(f"{k} {v['right']}/{v['of']}" for k, v in result["by_style"].items()))
    return lines
