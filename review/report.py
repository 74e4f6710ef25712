"""reports/review/: index.html (self-contained), review.csv (one row per flagged turn) and
questions.yml (the flagged questions in the staff question format of
``make coverage --questions``, the expected fields left for staff)."""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coverage_report.report import count_chart

from .turns import FLAGS, OUTCOMES, Conversation, Turn, normalized

MAX_TRANSCRIPTS = 600      # conversations shown whole in the report (the 👎 listed, then the groups' examples)
MAX_DOWN_ROWS = 200       # 👎 answers listed one by one (all of them in the CSV)
MAX_GROUPS = 100           # groups of one flag listed in the report (all of them in the CSV)
ANSWER_CHARS = 400


@dataclass
class Review:
    conversations: int = 0
    turns: int = 0
    by_channel: Counter = field(default_factory=Counter)            # conversations
    turns_by_channel: Counter = field(default_factory=Counter)
    by_day: dict = field(default_factory=lambda: defaultdict(Counter))   # day -> outcome -> turns
    outcomes: Counter = field(default_factory=Counter)
    ratings: Counter = field(default_factory=Counter)
    flagged: list[Turn] = field(default_factory=list)
    down: list[Turn] = field(default_factory=list)
    by_program: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    transcripts: dict[str, Conversation] = field(default_factory=dict)
    kept: dict[str, Conversation] = field(default_factory=dict)      # conversations with a flagged turn
    _groups: dict = field(default_factory=dict, repr=False)

    def add(self, conversation: Conversation) -> None:
        self.conversations += 1
        self.by_channel[conversation.channel] += 1
        for turn in conversation.turns:
            self.turns += 1
            self.turns_by_channel[turn.channel] += 1
            self.outcomes[turn.outcome] += 1
            self.by_day[turn.day][turn.outcome] += 1
            if turn.rating:
                self.ratings[turn.rating] += 1
            if turn.is_question:
                for program in turn.programs:
                    self.by_program[program] += 1
                self.by_kind[turn.kind or turn.outcome] += 1
            if turn.flags:
                self.flagged.append(turn)
                self.kept[conversation.id] = conversation
            if "thumbs_down" in turn.flags:
                self.down.append(turn)

    def groups(self, flag: str) -> list[tuple[str, int, Turn]]:
        """Flagged turns of one kind by their normalized text: (text, count, an example), most first."""
        if flag not in self._groups:
            found: dict[str, list[Turn]] = defaultdict(list)
            for turn in self.flagged:
                if flag in turn.flags:
                    found[normalized(turn.text)].append(turn)
            self._groups[flag] = sorted(((turns[0].text, len(turns), turns[0]) for turns in found.values()),
                                        key=lambda g: (-g[1], g[0]))
        return self._groups[flag]

    def latest_down(self) -> list[Turn]:
        """The 👎 answers the page lists one by one: the latest first."""
        return sorted(self.down, key=lambda t: -t.timestamp)[:MAX_DOWN_ROWS]

    def choose_transcripts(self) -> None:
        """The conversations the report opens: each 👎's, then each group's example."""
        wanted = [t.conversation for t in self.latest_down()]
        for flag in FLAGS:
            wanted += [example.conversation for _, _, example in self.groups(flag)[:MAX_GROUPS]]
        for conversation_id in dict.fromkeys(wanted):
            if len(self.transcripts) >= MAX_TRANSCRIPTS:
                break
            self.transcripts[conversation_id] = self.kept[conversation_id]


def share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "–"


# ── CSV ───────────────────────────────────────────────────────────────────────
CSV_FIELDS = ["conversation", "turn", "time_utc", "channel", "flags", "question", "normalized", "intent",
              "outcome", "kind", "programs", "rating", "comment", "answer"]


def write_csv(review: Review, path: Path) -> None:
    from datetime import datetime, timezone
    with path.open("w", newline="", encoding="utf-8-sig") as handle:   # BOM: Excel opens it as UTF-8
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for turn in review.flagged:
            writer.writerow([turn.conversation, turn.index,
                             datetime.fromtimestamp(turn.timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
                             turn.channel, " ".join(turn.flags), turn.text, normalized(turn.text), turn.intent or "",
                             turn.outcome, turn.kind or "", " ".join(turn.programs), turn.rating or "",
                             turn.comment or "", turn.answer[:ANSWER_CHARS]])


# ── questions.yml (back into tests) ───────────────────────────────────────────
QUESTIONS_HEADER = """\
# 振り返りで見つかった質問（make review が書き出し、職員が期待値を記入します）
#
# 書き方は coverage_report/questions/staff_example.yml と同じです。質問ごとに
# program（事業）と kind（質問の種類）、必要なら expect（回答に含まれるべき記載）を書くと、
# その質問は次回から make coverage のたびに確認されます（書いていない質問は飛ばします）。
# make review を再び実行しても、記入した項目は残り、新しい質問が末尾に加わります。
# 質問文の電話番号・メールアドレス・郵便番号は伏せてあります。
"""
STAFF_FIELDS = ("program", "kind", "expect", "forbid")


def write_questions(review: Review, path: Path) -> int:
    """Adds the flagged questions not yet in ``path``; keeps what staff filled in. Returns
    how many were added."""
    existing: list[dict] = []
    if path.exists():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        existing = [q for q in loaded.get("questions") or [] if isinstance(q, dict)]
    known = {normalized(str(q.get("text") or "")) for q in existing}
    added = 0
    for flag in FLAGS:
        for text, count, example in review.groups(flag):
            key = normalized(text)
            if not key or key in known or example.payload:
                continue
            known.add(key)
            existing.append({"text": text, "program": None, "kind": None, "expect": None,
                             "note": f"{FLAGS[flag]}（{count}回、会話 {example.conversation}）"})
            added += 1
    body = yaml.safe_dump({"questions": existing}, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(QUESTIONS_HEADER + body, encoding="utf-8")
    return added


def reviewed_entries(path: Path) -> list[dict]:
    """The questions of ``path`` staff have filled in (program and kind, or expect)."""
    if not path.exists():
        return []
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [{k: v for k, v in q.items() if v not in (None, "", [])}
            for q in loaded.get("questions") or []
            if isinstance(q, dict) and q.get("text") and (q.get("expect") or (q.get("program") and q.get("kind")))]


# ── HTML ──────────────────────────────────────────────────────────────────────
def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def daily_chart(review: Review) -> str:
    """Turns per day, stacked by outcome, as an embedded PNG (matplotlib)."""
    if not review.by_day:
        return ""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = sorted(review.by_day)
    colors = {"fact": "#3a9a5b", "asked_back": "#e0b040", "handoff": "#5b8fd0", "fallback": "#c0504d",
              "not_stated": "#9b6fc0", "small_talk": "#a0a0a0", "rating": "#40b0b0", "other": "#d0d0d0"}
    figure, axes = plt.subplots(figsize=(9, 3), dpi=100)
    bottom = [0] * len(days)
    for outcome in OUTCOMES:
        values = [review.by_day[d][outcome] for d in days]
        if any(values):
            axes.bar(range(len(days)), values, bottom=bottom, color=colors[outcome], label=outcome)
            bottom = [b + v for b, v in zip(bottom, values)]
    step = max(1, len(days) // 12)
    axes.set_xticks(range(0, len(days), step))
    axes.set_xticklabels(days[::step], rotation=30, ha="right", fontsize=8)
    axes.set_ylabel("turns")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="chart" alt="日ごとのターン数（結果別）" src="data:image/png;base64,{encoded}">'


STYLE = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;margin:24px;color:#1f2933;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #d0d7de;padding-bottom:4px;margin-top:32px}
h3{font-size:15px}.meta{color:#5a6473;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}
th{background:#f3f5f7;text-align:left}td.num{text-align:right}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #d0d7de;border-radius:6px;padding:10px 16px}
.card b{display:block;font-size:22px}.answer{white-space:pre-wrap;max-width:520px}
.transcript{display:none;border:2px solid #5b8fd0;border-radius:6px;padding:8px 16px;margin:12px 0}
.transcript:target{display:block;position:fixed;top:4%;left:6%;right:6%;max-height:88%;overflow:auto;background:#fff;
box-shadow:0 4px 24px rgba(0,0,0,.35);z-index:10}.u{color:#1f5fa0}.b{color:#333;white-space:pre-wrap;margin-left:1.5em}
.flag{background:#fde2e1;border-radius:3px;padding:0 4px;font-size:12px}.chart{max-width:100%}
"""


def _transcript_link(conversation_id: str) -> str:
    return f'<a href="#c-{_e(conversation_id)}">{_e(conversation_id)}</a>'


def _transcript(conversation: Conversation) -> str:
    lines = [f'<div class="transcript" id="c-{_e(conversation.id)}"><h3>会話 {_e(conversation.id)}'
             f'（{_e(conversation.channel)}）</h3><a href="#wrong">閉じる</a>']
    for turn in conversation.turns:
        flags = "".join(f' <span class="flag">{_e(FLAGS[f])}</span>' for f in turn.flags)
        rating = {"up": " ［高評価］", "down": " ［低評価］"}.get(turn.rating or "", "")
        said = {"up": "（高評価のボタン）", "down": "（低評価のボタン）"}.get(turn.text_rating, turn.text)
        lines.append(f'<div class="u">{turn.index}. 利用者：{_e(said)}{flags}{rating}</div>')
        for message in turn.bot:
            lines.append(f'<div class="b">{_e(message.text)}</div>')
        if turn.comment:
            lines.append(f'<div class="b">（コメント：{_e(turn.comment)}）</div>')
    lines.append("</div>")
    return "\n".join(lines)


def write_html(review: Review, path: Path, meta: dict, program_names: dict[str, str]) -> None:
    question_turns = review.turns - review.outcomes["rating"]

    def link(conversation_id: str) -> str:   # a link where the page holds the transcript
        return _transcript_link(conversation_id) if conversation_id in review.transcripts else _e(conversation_id)

    parts = [f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>会話の振り返り</title>'
             f'<style>{STYLE}</style></head><body id="top">',
             "<h1>会話の振り返り（実際の質問と評価）</h1>",
             f'<p class="meta">{_e(meta["source"])}　期間：{_e(meta.get("since") or "はじめ")}〜'
             f'{_e(meta.get("until") or "いま")}　チャネル：{_e(meta.get("channel") or "すべて")}　'
             f'作成：{_e(meta["generated_at"])}（{_e(meta["seconds"])} 秒）</p>',
             '<p class="meta">利用者の文中の電話番号・メールアドレス・郵便番号は伏せ、会話IDはハッシュで表示しています。'
             '会話IDをクリックすると、その会話の全文がこのページ内に開きます。'
             '同じフォルダの review.csv に問題のあったターンの一覧、questions.yml に回帰テスト用の質問'
             '（期待値を記入すると make coverage で毎回確認されます）があります。</p>',
             '<p><a href="#volume">利用の量</a>　<a href="#wrong">うまくいかなかった質問</a>　'
             '<a href="#demand">よく尋ねられる事業・種類</a></p>']
    # volume
    parts.append('<h2 id="volume">利用の量</h2><div class="cards">')
    cards = [("会話", review.conversations), ("ターン（利用者の発言）", review.turns),
             ("高評価（役に立った）", review.ratings["up"]), ("低評価（違っていた）", review.ratings["down"])]
    parts += [f'<div class="card">{_e(label)}<b>{count:,}</b></div>' for label, count in cards]
    parts.append("</div><table><tr><th>チャネル</th><th>会話</th><th>ターン</th></tr>")
    for channel, count in review.by_channel.most_common():
        parts.append(f'<tr><td>{_e(channel)}</td><td class="num">{count:,}</td>'
                     f'<td class="num">{review.turns_by_channel[channel]:,}</td></tr>')
    parts.append("</table><h3>ターンの結果（評価・コメントを除く）</h3><table><tr><th>結果</th><th>ターン</th><th>割合</th></tr>")
    for outcome, label in OUTCOMES.items():
        if outcome == "rating":
            continue
        parts.append(f'<tr><td>{_e(label)}</td><td class="num">{review.outcomes[outcome]:,}</td>'
                     f'<td class="num">{share(review.outcomes[outcome], question_turns)}</td></tr>')
    parts.append("</table>")
    parts.append(count_chart("ターンの結果", [(OUTCOMES[o], review.outcomes[o]) for o in OUTCOMES if review.outcomes[o]]))
    parts.append("<h3>日ごとのターン数</h3>" + daily_chart(review))
    parts.append("<details><summary>日ごとの表</summary><table><tr><th>日（UTC）</th><th>ターン</th>" + "".join(
        f"<th>{_e(label)}</th>" for label in OUTCOMES.values()) + "</tr>")
    for day in sorted(review.by_day):
        counts = review.by_day[day]
        parts.append(f"<tr><td>{day}</td><td class=\"num\">{sum(counts.values()):,}</td>" + "".join(
            f'<td class="num">{counts[o]:,}</td>' for o in OUTCOMES) + "</tr>")
    parts.append("</table></details>")
    # what went wrong
    parts.append('<h2 id="wrong">うまくいかなかった質問</h2>')
    latest = review.latest_down()
    parts.append(f"<h3>低評価（違っていた）の付いた回答（{len(review.down)}、新しい順に最大 {MAX_DOWN_ROWS} 件。"
                 "すべては review.csv）</h3><table><tr><th>会話</th><th>質問</th><th>回答</th>"
                 "<th>事業</th><th>コメント</th></tr>")
    for turn in latest:
        names = "、".join(program_names.get(p, p) for p in turn.programs)
        parts.append(f"<tr><td>{link(turn.conversation)}</td><td>{_e(turn.text)}</td>"
                     f'<td class="answer">{_e(turn.answer[:ANSWER_CHARS])}</td><td>{_e(names)}</td>'
                     f"<td>{_e(turn.comment)}</td></tr>")
    parts.append("</table>")
    for flag in ("thumbs_down", "not_understood", "handed_off", "asked_back_twice"):
        groups = review.groups(flag)
        total = sum(count for _, count, _ in groups)
        parts.append(f"<h3>{_e(FLAGS[flag])}（{total} ターン、{len(groups)} 種類の文面）</h3>"
                     "<table><tr><th>質問（同じ文面をまとめたもの）</th><th>回数</th><th>例の会話</th></tr>")
        for text, count, example in groups[:MAX_GROUPS]:
            parts.append(f"<tr><td>{_e(text)}</td><td class=\"num\">{count}</td>"
                         f"<td>{link(example.conversation)}</td></tr>")
        parts.append("</table>")
    # demand
    parts.append('<h2 id="demand">よく尋ねられる事業・種類</h2>')
    parts.append(count_chart("質問の種類", review.by_kind.most_common(15), label_width=160))
    parts.append("<table><tr><th>事業</th><th>質問の数</th></tr>")
    for program, count in review.by_program.most_common():
        parts.append(f"<tr><td>{_e(program_names.get(program, program))}（{_e(program)}）</td>"
                     f'<td class="num">{count:,}</td></tr>')
    parts.append("</table>")
    never = [p for p in program_names if p not in review.by_program]
    parts.append(f"<h3>一度も尋ねられなかった事業（{len(never)} / {len(program_names)}）</h3><p>"
                 + "、".join(f"{_e(program_names[p])}（{_e(p)}）" for p in never) + "</p>")
    # transcripts
    parts.append(f"<h2>会話の全文（{len(review.transcripts)}）</h2>"
                 '<p class="meta">上の表の会話IDから開きます。</p>')
    parts += [_transcript(c) for c in review.transcripts.values()]
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
