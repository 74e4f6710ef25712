"""Conversations over REST with 👍 and 👎, a question the bot cannot answer and a message
holding a phone number and an e-mail address; then `make review` (python -m review) on
the tracker store the bot wrote — SQLite, and PostgreSQL through endpoints.production.yml —
lists them, groups them, masks what must be masked; `review purge` deletes them."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import requests
import yaml

from ops.processes import ROOT

pytestmark = pytest.mark.slow

UP = '/feedback{"rating":"up"}'
DOWN = '/feedback{"rating":"down"}'
PHONE, EMAIL = "090-1234-5678", "taro.yamada@example.co.jp"


class Chat:
    def __init__(self, url: str, sender: str):
        self.url, self.sender = f"{url}/webhooks/rest/webhook", sender

    def say(self, text: str) -> list[dict]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=90)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message))


def payloads(messages: list[dict]) -> list[str]:
    return [b.get("payload") for m in messages for b in m.get("buttons") or []]


def drive(url: str) -> dict[str, str]:
    """The conversations of the test; returns their sender ids by role."""
    senders = {role: f"review-{role}-{uuid.uuid4().hex[:8]}" for role in ("rated", "private", "start", "form")}
    chat = Chat(url, senders["rated"])
    answer = chat.say("生産性向上の補助金の上限は？")
    assert payloads(answer)[-2:] == [UP, DOWN], "a figure offers 👍 / 👎 as buttons"
    assert chat.text(UP) == "ご評価ありがとうございます。"
    answer = chat.say("エコアセットかながわの予算は？")
    assert DOWN in payloads(answer)
    down = chat.say(DOWN)
    assert "どこが違っていた" in down[0]["text"] and payloads(down) == ["/deny"]
    assert "045-210-" in down[0]["text"], "the division's phone is offered"
    thanks = chat.text(f"予算額が古いと思います。{PHONE} の山田まで、{EMAIL} でも可")
    assert "ご意見ありがとうございました" in thanks
    # the program under discussion is kept: a follow-up without its name is about it
    assert "エコアセット" in chat.text("問い合わせ先は？")
    chat.say("ほげほげふがふがぴよ")           # not understood
    chat.say("もにゃもにゃぽよぽよ")           # twice: handed to a division

    private = Chat(url, senders["private"])
    private.say(f"ぴよぴよ {PHONE} {EMAIL} 〒231-0023 もにゃもにゃ")
    private.say("ほげほげふがふがぴよ")             # the same words as another conversation's

    start = Chat(url, senders["start"])
    assert start.text(DOWN) == "ありがとうございます。", "nothing to rate: a short thanks"

    form = Chat(url, senders["form"])
    form.say("男性育休の奨励金を計算したい")
    asked = form.text("中小企業です")
    assert "何日ですか" in asked
    mid = form.say("生産性向上の補助金の上限は？")
    assert DOWN in payloads(mid)
    rated = form.text(DOWN)
    assert "どこが違っていた" not in rated and "何日ですか" in rated, "the form asks its question again"
    assert "20万円" in form.text("14"), "and the calculation ends as it would have"
    return senders


def review(bot: dict, out, *extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "review", "run", *bot["args"], "--out", str(out), *extra],
                            cwd=ROOT, env=bot["env"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def hashed(sender: str) -> str:
    return hashlib.sha256(sender.encode()).hexdigest()[:12]


def check_report(bot: dict, senders: dict, out) -> None:
    review(bot, out)
    rows = list(csv.DictReader((out / "review.csv").open(encoding="utf-8-sig")))
    page = (out / "index.html").read_text(encoding="utf-8")
    everything = page + (out / "review.csv").read_text(encoding="utf-8-sig") + (out / "questions.yml").read_text()
    # masked and hashed
    for secret in (PHONE, "09012345678", EMAIL, "231-0023", *senders.values()):
        assert secret not in everything, secret
    assert "［電話番号］" in page and "［メール］" in page and "［郵便番号］" in page
    # 👎 with its question, answer, program and comment
    [down] = [r for r in rows if "thumbs_down" in r["flags"] and r["conversation"] == hashed(senders["rated"])]
    assert down["question"] == "エコアセットかながわの予算は?"
    assert down["rating"] == "down" and "［電話番号］" in down["comment"] and "［メール］" in down["comment"]
    assert down["kind"] == "budget" and down["programs"] and "エコアセット" in down["answer"]
    assert "予算額が古いと思います" in page
    # not understood, then handed off; the private message, masked
    mine = {r["conversation"] for r in rows}
    assert hashed(senders["rated"]) in mine and hashed(senders["private"]) in mine
    flagged = {(r["conversation"], r["question"]): r["flags"] for r in rows}
    assert "not_understood" in flagged[(hashed(senders["rated"]), "ほげほげふがふがぴよ")]
    assert "handed_off" in flagged[(hashed(senders["rated"]), "もにゃもにゃぽよぽよ")]
    [private] = [r for r in rows if r["conversation"] == hashed(senders["private"]) and r["question"].startswith("ぴよ")]
    assert private["question"] == "ぴよぴよ ［電話番号］ ［メール］ ［郵便番号］ もにゃもにゃ"
    # the 👍 is counted; the rating at the start flags nothing
    assert hashed(senders["start"]) not in mine
    [form] = [r for r in rows if r["conversation"] == hashed(senders["form"])]
    assert form["flags"] == "thumbs_down" and form["kind"] == "amount"
    assert f'id="c-{hashed(senders["rated"])}"' in page, "the conversation opens as a transcript in the report"
    # grouped: the same text in two conversations is one group of two
    questions = yaml.safe_load((out / "questions.yml").read_text(encoding="utf-8"))["questions"]
    entry = next(q for q in questions if q["text"] == "ほげほげふがふがぴよ")
    assert set(entry) >= {"program", "kind", "expect"} and entry["program"] is None
    assert entry["note"].startswith("理解できず（2回、"), entry["note"]
    # channel and date filters
    review(bot, out, "--channel", "socketio")
    assert not list(csv.DictReader((out / "review.csv").open(encoding="utf-8-sig")))
    today = datetime.now(timezone.utc).date()
    assert review(bot, out, "--since", (today + timedelta(days=1)).isoformat()).stdout.startswith("0 conversations")
    assert review(bot, out, "--until", (today - timedelta(days=1)).isoformat()).stdout.startswith("0 conversations")
    assert review(bot, out, "--since", today.isoformat(), "--until", today.isoformat(),
                  "--channel", "rest").stdout.startswith(f"{len(senders)} conversations")


def check_purge(bot: dict, out) -> None:
    today = date.today()
    purge = [sys.executable, "-m", "review", "purge", *bot["args"]]
    kept = subprocess.run(purge + ["--before", (today - timedelta(days=1)).isoformat()], cwd=ROOT, env=bot["env"],
                          capture_output=True, text=True, check=True)
    assert kept.stdout.startswith("deleted 0 conversations")
    gone = subprocess.run(purge + ["--before", (today + timedelta(days=2)).isoformat()], cwd=ROOT, env=bot["env"],
                          capture_output=True, text=True, check=True)
    assert not gone.stdout.startswith("deleted 0 ")
    assert review(bot, out).stdout.startswith("0 conversations, 0 turns")


def test_review_of_conversations_kept_in_sqlite(sqlite_bot, tmp_path):
    senders = drive(sqlite_bot["url"])
    check_report(sqlite_bot, senders, tmp_path / "report")
    comment = json.dumps("予算額が古いと思います")[1:-1].encode()   # as Rasa stores it in the events' JSON
    assert comment in sqlite_bot["db"].read_bytes()
    check_purge(sqlite_bot, tmp_path / "report")
    assert comment not in sqlite_bot["db"].read_bytes(), "the file is vacuumed"


def test_review_of_conversations_kept_in_postgresql(postgres_bot, tmp_path):
    senders = drive(postgres_bot["url"])
    check_report(postgres_bot, senders, tmp_path / "report")
    check_purge(postgres_bot, tmp_path / "report")
