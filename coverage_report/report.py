"""The coverage report: one self-contained HTML file, the same data as JSON, and a
short summary for the terminal.

The HTML opens from disk with no network: inline CSS, charts drawn as inline SVG (the
browser renders the Japanese labels with the system's fonts), the NLU evaluation's
images embedded as base64 PNG and also linked from the report folder.
"""

from __future__ import annotations

import base64
import html
import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from .checker import REASONS
from .facts import KINDS
from .runner import NluEvaluation, Result

ORIGIN_LABELS = {"template": "テンプレート", "bank": "手書きの質問集"}
WORST_PROGRAMS = 15


# ── the numbers ─────────────────────────────────────────────────────────────
def _tally(results: list[Result]) -> dict:
    passed = sum(r.verdict.passed for r in results)
    return {"passed": passed, "total": len(results), "share": passed / len(results) if results else None}


def _group(results: list[Result], key) -> dict[str, list[Result]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return groups


def summarise(results: list[Result], program_names: dict[str, str]) -> dict:
    """Pass counts overall, by kind, by topic, by origin, by failure reason and by program."""
    by_kind = _group(results, lambda r: r.question.kind)
    by_topic = _group(results, lambda r: r.question.topic)
    by_origin = _group(results, lambda r: r.question.origin.split(":")[0])
    by_program = _group(results, lambda r: r.question.program_id or "")
    reasons = Counter(r.verdict.main_reason for r in results if not r.verdict.passed)
    with_intent = [r for r in results if KINDS[r.question.kind].intent and r.intent is not None]
    programs = []
    for program_id, group in by_program.items():
        if not program_id:
            continue
        failing = [r for r in group if not r.verdict.passed]
        programs.append({"id": program_id, "name": program_names.get(program_id, program_id),
                         "topic": group[0].question.topic, **_tally(group),
                         "failed": len(failing),
                         "failed_kinds": sorted({KINDS[r.question.kind].label for r in failing}),
                         "reasons": dict(Counter(REASONS[r.verdict.main_reason] for r in failing))})
    programs.sort(key=lambda p: (-p["failed"], p["share"], p["id"]))
    return {
        "overall": _tally(results),
        "by_kind": {kind: {"label": KINDS[kind].label, **_tally(by_kind[kind])} for kind in KINDS if kind in by_kind},
        "by_topic": {topic: _tally(group) for topic, group in sorted(by_topic.items())},
        "by_origin": {origin: _tally(group) for origin, group in sorted(by_origin.items())},
        "by_reason": {code: {"label": REASONS[code], "count": reasons[code]} for code in REASONS if reasons[code]},
        "intent_matches_kind": _tally_intents(with_intent),
        "by_template": {template: {"kind": group[0].question.kind, **_tally(group)}
                        for template, group in sorted(_group([r for r in results if r.question.template],
                                                             lambda r: r.question.template).items())},
        "programs": programs,
    }


def _tally_intents(results: list[Result]) -> dict:
    """How often the NLU's intent is the one the kind of question asks (a diagnostic, not the verdict)."""
    matched = sum(r.intent == KINDS[r.question.kind].intent for r in results)
    return {"matched": matched, "total": len(results), "share": matched / len(results) if results else None}


def report_data(results: list[Result], meta: dict, nlu: NluEvaluation | None, program_names: dict[str, str],
                conversations: list[dict] | None = None) -> dict:
    return {"meta": meta, "summary": summarise(results, program_names),
            "nlu": nlu.to_json() if nlu else None, "results": [r.to_json() for r in results],
            "conversations": conversations or []}


def write_json(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# ── terminal ────────────────────────────────────────────────────────────────
def _percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:5.1f}%"


def _pad(text: str, width: int) -> str:
    """Pad to a display width, counting East Asian wide characters as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def terminal_summary(data: dict, html_path: Path | None = None) -> str:
    summary, meta = data["summary"], data["meta"]
    overall = summary["overall"]
    lines = [f"回答カバレッジ（answer coverage）: {overall['passed']}/{overall['total']} "
             f"{_percent(overall['share'])}   {meta.get('bank_seconds', 0):.0f}s for the bank, "
             f"{meta.get('total_seconds', 0):.0f}s in all"]
    for row in summary["by_kind"].values():
        lines.append(f"  {_pad(row['label'], 22)}{row['passed']:>4}/{row['total']:<4}{_percent(row['share'])}")
    if summary["by_reason"]:
        lines.append("  failures: " + ", ".join(f"{r['label']} {r['count']}" for r in summary["by_reason"].values()))
    failing = [p for p in summary["programs"] if p["failed"]][:8]
    if failing:
        lines.append("programs failing most:")
        lines += [f"  {p['id']:<14}{p['failed']} of {p['total']} failed  {p['name']}  ({', '.join(p['failed_kinds'])})"
                  for p in failing]
    for result in data.get("conversations") or []:
        lines.append(f"利用者の書き方での会話 {result['set']}: {result['turns_right']}/{result['turns']} "
                     f"{_percent(result['share_right'])}（別の電話番号 {result['wrong_phone']}、別の事業 {result['wrong_program']}）")
    nlu = data.get("nlu")
    if nlu:
        if nlu.get("failure"):
            lines.append(f"NLU evaluation: {nlu['failure']}")
        else:
            lines.append(f"NLU evaluation ({nlu['data']}): intent accuracy {nlu['accuracy']:.3f}, "
                         f"macro F1 {nlu['macro_f1']:.3f}, {nlu['errors']} misclassified examples")
    if html_path:
        lines.append(f"report: {html_path}")
    return "\n".join(lines)


# ── HTML ────────────────────────────────────────────────────────────────────
CSS = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;margin:24px;color:#1d2430;
 line-height:1.5;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #d8dde6;padding-bottom:4px;margin-top:32px}
.meta{color:#5a6473;font-size:13px}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #d8dde6;border-radius:8px;padding:10px 16px;min-width:150px}
.card .n{font-size:26px;font-weight:bold}.card .l{font-size:12px;color:#5a6473}
.charts{display:flex;flex-wrap:wrap;gap:24px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border:1px solid #d8dde6;padding:4px 6px;vertical-align:top;text-align:left}th{background:#f2f4f8}
td.answer{white-space:pre-wrap;max-width:480px}td.q{max-width:260px}
.pass{color:#17733a;font-weight:bold}.fail{color:#b3261e;font-weight:bold}
tr.failed{background:#fff5f4}ul.facts{margin:0;padding-left:16px}li.no{color:#b3261e}li.ok{color:#17733a}
details{margin:6px 0;border:1px solid #d8dde6;border-radius:6px;padding:4px 10px}
summary{cursor:pointer;font-weight:bold}summary .badge{font-weight:normal;margin-left:8px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#eef1f6}
.badge.bad{background:#fde2df;color:#8c1d18}.small{font-size:12px;color:#5a6473}
img.nlu{max-width:min(100%,900px);border:1px solid #d8dde6}
.off{color:#b3261e}
body.only-failed tr.passed{display:none}body.only-failed details.all-passed{display:none}
"""

SCRIPT = """
document.getElementById('only-failed').addEventListener('change',function(e){
 document.body.classList.toggle('only-failed',e.target.checked);});
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def bar_chart(title: str, rows: list[tuple[str, int, int]], label_width: int = 330) -> str:
    """Horizontal bars of the pass share per row (label, passed, total), as inline SVG."""
    bar_width, row_height, top = 320, 26, 30
    width = label_width + bar_width + 110
    height = top + row_height * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{_e(title)}" font-family="Noto Sans CJK JP,Hiragino Sans,Yu Gothic,Meiryo,sans-serif">',
             f'<text x="0" y="18" font-size="14" font-weight="bold">{_e(title)}</text>']
    for i, (label, passed, total) in enumerate(rows):
        y = top + i * row_height
        share = passed / total if total else 0
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" font-size="12" text-anchor="end">'
                     f'<title>{_e(label)}</title>{_e(shown)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="18" fill="#f3c7c3"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * share:.1f}" height="18" fill="#3a9a5b"/>')
        parts.append(f'<text x="{label_width + bar_width + 8}" y="{y + 17}" font-size="12">'
                     f'{100 * share:.1f}% ({passed}/{total})</text>')
    parts.append("</svg>")
    return "".join(parts)


def count_chart(title: str, rows: list[tuple[str, int]], label_width: int = 200) -> str:
    """Horizontal bars of counts (failure reasons), as inline SVG."""
    bar_width, row_height, top = 300, 26, 30
    most = max([count for _, count in rows] + [1])
    height = top + row_height * max(len(rows), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 60}" height="{height}" '
             f'role="img" aria-label="{_e(title)}" font-family="Noto Sans CJK JP,Hiragino Sans,Yu Gothic,Meiryo,sans-serif">',
             f'<text x="0" y="18" font-size="14" font-weight="bold">{_e(title)}</text>']
    if not rows:
        parts.append(f'<text x="0" y="{top + 17}" font-size="12">不合格はありません</text>')
    for i, (label, count) in enumerate(rows):
        y = top + i * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" font-size="12" text-anchor="end">{_e(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * count / most:.1f}" height="18" '
                     f'fill="#c0504d"/>')
        parts.append(f'<text x="{label_width + bar_width * count / most + 6:.1f}" y="{y + 17}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _facts_cell(verdict: dict, expectation: dict) -> str:
    items = [f'<li class="{"ok" if f["found"] else "no"}">{"✓" if f["found"] else "✗"} {_e(f["label"])}</li>'
             for f in verdict["facts"]]
    extra = []
    if expectation.get("forbidden"):
        extra.append("含まないこと：" + "、".join(_e(f["label"]) for f in expectation["forbidden"]))
    if expectation.get("allowed_yen") is not None:
        extra.append("ほかの金額があれば不合格")
    if expectation.get("allowed_phones") is not None:
        phones = expectation["allowed_phones"]
        extra.append(("電話番号は " + "・".join(map(_e, phones)) + " のみ") if phones else "電話番号があれば不合格")
    tail = f'<div class="small">{"<br>".join(extra)}</div>' if extra else ""
    return f'<ul class="facts">{"".join(items)}</ul>{tail}'


def _result_row(row: dict) -> str:
    question, verdict = row["question"], row["verdict"]
    status = '<span class="pass">合格</span>' if verdict["passed"] else '<span class="fail">不合格</span>'
    why = "<br>".join(_e(r["message"]) for r in verdict["reasons"])
    wanted = KINDS[question["kind"]].intent
    off = wanted and row.get("intent") != wanted
    intent = (f'<span class="{"off" if off else ""}" title="{_e("この種類の質問の意図：" + wanted) if wanted else ""}">'
              f'{_e(row["intent"])}</span><br><span class="small">{row["confidence"]:.2f}</span>') \
        if row.get("intent") is not None else "—"
    answer = _e(row["answer"]) + (f'<div class="small">ボタン：{_e("／".join(row["buttons"]))}</div>'
                                  if row["buttons"] else "")
    origin = ORIGIN_LABELS.get(question["origin"], question["origin"])
    note = f'<div class="small">{_e(question["note"])}</div>' if question.get("note") else ""
    return (f'<tr class="{"passed" if verdict["passed"] else "failed"}">'
            f'<td>{_e(KINDS[question["kind"]].label)}<div class="small">{_e(origin)}</div></td>'
            f'<td class="q">{_e(question["text"])}{note}</td><td>{intent}</td><td class="answer">{answer}</td>'
            f'<td>{_facts_cell(verdict, question["expectation"])}</td><td>{status}</td><td>{why}</td></tr>')


TABLE_HEAD = ("<tr><th>種類</th><th>質問</th><th>意図（確信度）</th><th>回答</th><th>期待する記載</th>"
              "<th>判定</th><th>不合格の理由</th></tr>")


def _program_sections(data: dict) -> str:
    rows_by_program: dict[str, list[dict]] = defaultdict(list)
    for row in data["results"]:
        rows_by_program[row["question"]["program_id"] or ""].append(row)
    programs = {p["id"]: p for p in data["summary"]["programs"]}
    order = [p["id"] for p in sorted(programs.values(), key=lambda p: (p["topic"], p["id"]))]
    sections = []
    for program_id in order + ([""] if "" in rows_by_program else []):
        rows = rows_by_program[program_id]
        failed = sum(not r["verdict"]["passed"] for r in rows)
        title = f'{programs[program_id]["name"]} [{program_id}]' if program_id else "事業を特定しない質問"
        badge = f'<span class="badge{" bad" if failed else ""}">{len(rows) - failed}/{len(rows)} 合格</span>'
        topic = f'<span class="small"> {_e(programs[program_id]["topic"])}</span>' if program_id else ""
        sections.append(f'<details class="{"has-failed" if failed else "all-passed"}"{" open" if failed else ""}>'
                        f'<summary>{_e(title)}{badge}{topic}</summary>'
                        f'<table>{TABLE_HEAD}{"".join(_result_row(r) for r in rows)}</table></details>')
    return "".join(sections)


def _embedded_image(report_dir: Path, relative: str, alt: str) -> str:
    path = report_dir / relative
    if not path.exists():
        return ""
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<p><a href="{_e(relative)}">{_e(relative)}</a></p>'
            f'<img class="nlu" alt="{_e(alt)}" src="data:image/png;base64,{encoded}">')


def _nlu_section(data: dict, report_dir: Path) -> str:
    nlu = data.get("nlu")
    if not nlu:
        return "<h2>NLU評価</h2><p>実行していません（--no-nlu）。</p>"
    head = f"<h2>NLU評価（rasa test nlu：{_e(nlu['data'])}）</h2>"
    links = " ・ ".join(f'<a href="{_e(f)}">{_e(Path(f).name)}</a>' for f in nlu["files"])
    if nlu.get("failure"):
        return f"{head}<p class='fail'>{_e(nlu['failure'])}</p><p>{links}</p>"
    worst = sorted(nlu["per_intent"].items(), key=lambda item: item[1]["f1-score"])[:10]
    rows = "".join(f"<tr><td>{_e(name)}</td><td>{row['precision']:.3f}</td><td>{row['recall']:.3f}</td>"
                   f"<td>{row['f1-score']:.3f}</td><td>{row['support']}</td></tr>" for name, row in worst)
    if Path(nlu["data"]).parts[:2] == ("tests", "holdout"):
        what = "学習に使っていない独立したテストセットでの評価です"
    else:
        what = "指定されたデータでの評価です（学習データなら汎化の指標にはなりません。独立したテストセットは tests/holdout/nlu.yml）"
    return (f"{head}<p class='small'>{what}。所要 {nlu['seconds']:.0f} 秒。</p>"
            f"<div class='cards'><div class='card'><div class='n'>{nlu['accuracy']:.3f}</div><div class='l'>意図の正解率</div></div>"
            f"<div class='card'><div class='n'>{nlu['macro_f1']:.3f}</div><div class='l'>マクロ平均F1</div></div>"
            f"<div class='card'><div class='n'>{nlu['weighted_f1']:.3f}</div><div class='l'>加重平均F1</div></div>"
            f"<div class='card'><div class='n'>{nlu['errors']}</div><div class='l'>誤分類の例文</div></div></div>"
            f"<p>{links}</p><table><tr><th>F1の低い意図</th><th>適合率</th><th>再現率</th><th>F1</th><th>例文数</th></tr>"
            f"{rows}</table>"
            + _embedded_image(report_dir, "nlu/intent_confusion_matrix.png", "意図の混同行列")
            + _embedded_image(report_dir, "nlu/intent_histogram.png", "意図の確信度の分布"))


def _conversations_section(data: dict) -> str:
    """How the bot does on conversations written as users write (kana, typos, follow-ups,
    two questions in one…), apart from the template bank: staff see both figures."""
    sets = data.get("conversations") or []
    if not sets:
        return ""
    parts = ["<h2>利用者の書き方での会話（テンプレートとは別の集計）</h2>",
             "<p class=\"small\">実際の利用者の書き方（ひらがなだけ、誤変換、くだけた言い方、続けての質問、1通に2つの質問）"
             "で書かれた会話を、1会話ずつ新しい会話として尋ねた結果です。上の合格率とは別に数えています。</p>"]
    for result in sets:
        kinds = [(kind, row["right"], row["of"]) for kind, row in result["by_kind"].items()]
        styles = [(style, row["right"], row["of"]) for style, row in result["by_style"].items()]
        failures = "".join(
            f"<tr><td>{_e(f['id'])} / {f['turn']}</td><td>{_e(f['text'])}</td><td>{_e(f['kind'])}</td>"
            f"<td>{_e('、'.join(f.get('missing') or []))}{' 別の電話番号' if f.get('wrong_phone') else ''}"
            f"{' 別の事業' if f.get('wrong_program') else ''}</td><td class=\"answer\">{_e(f['answer'][:300])}</td></tr>"
            for f in result["failures"])
        parts.append(
            f"<h3>{_e(result['set'])}：{result['turns_right']} / {result['turns']} 問 "
            f"{100 * (result['share_right'] or 0):.1f}%（会話 {result['conversations_right']} / {result['conversations']}）"
            f"　別の電話番号 {result['wrong_phone']}・別の事業 {result['wrong_program']}</h3>"
            f"<div class=\"charts\">{bar_chart('質問の種類別', kinds, 150)}{bar_chart('書き方別', styles, 150)}</div>"
            + (f"<table><tr><th>会話 / 番目</th><th>質問</th><th>種類</th><th>足りないもの</th><th>回答</th></tr>{failures}</table>"
               if failures else "<p>不合格はありません。</p>"))
    return "".join(parts)


def _share_text(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


def _template_table(summary: dict) -> str:
    """The templates some question failed with: a phrasing the bot does not understand shows here."""
    rows = [(template, row) for template, row in summary["by_template"].items() if row["passed"] < row["total"]]
    if not rows:
        return ""
    rows.sort(key=lambda item: item[1]["share"])
    body = "".join(f"<tr><td>{_e(template)}</td><td>{_e(KINDS[row['kind']].label)}</td>"
                   f"<td>{row['total'] - row['passed']} / {row['total']}</td></tr>" for template, row in rows)
    return ("<h2>不合格のあったテンプレート（言い回し）</h2><table><tr><th>テンプレート（{p} に事業名・別名）</th>"
            f"<th>種類</th><th>不合格 / 質問</th></tr>{body}</table>")


def write_html(data: dict, path: Path) -> None:
    summary, meta = data["summary"], data["meta"]
    overall = summary["overall"]
    kinds = [(row["label"], row["passed"], row["total"]) for row in summary["by_kind"].values()]
    topics = [(topic, row["passed"], row["total"]) for topic, row in summary["by_topic"].items()]
    reasons = [(row["label"], row["count"]) for row in summary["by_reason"].values()]
    intents = summary["intent_matches_kind"]
    worst = [p for p in summary["programs"] if p["failed"]][:WORST_PROGRAMS]
    worst_rows = "".join(
        f"<tr><td>{_e(p['id'])}</td><td>{_e(p['name'])}</td><td>{_e(p['topic'])}</td>"
        f"<td>{p['failed']} / {p['total']}</td><td>{_e('、'.join(p['failed_kinds']))}</td>"
        f"<td>{_e('、'.join(f'{k} {v}' for k, v in p['reasons'].items()))}</td></tr>" for p in worst)
    origins = "、".join(f"{ORIGIN_LABELS.get(o, o)} {row['total']}" for o, row in summary["by_origin"].items())
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>回答カバレッジレポート {_e(meta['generated_at'])}</title>
<style>{CSS}</style></head><body>
<h1>回答カバレッジレポート（産業労働局 事業者支援チャットボット）</h1>
<div class="meta">作成 {_e(meta['generated_at'])} ／ 知識ベース {_e(meta['source_title'])}（{_e(meta['kb_path'])}、
sources {_e(meta['kb_digest'][:12])}）／ モデル {_e(meta['model'])} {_e(meta.get('model_id') or '')} ／ ボット {_e(meta['bot_url'])}
／ 質問 {overall['total']} 問（{_e(origins)}）／ 所要 {meta['bank_seconds']:.0f} 秒（全体 {meta['total_seconds']:.0f} 秒、
並列 {meta['workers']}）</div>
<div class="cards">
<div class="card"><div class="n">{100 * (overall['share'] or 0):.1f}%</div><div class="l">合格率（回答カバレッジ）</div></div>
<div class="card"><div class="n">{overall['passed']} / {overall['total']}</div><div class="l">合格 / 質問数</div></div>
<div class="card"><div class="n">{overall['total'] - overall['passed']}</div><div class="l">不合格</div></div>
<div class="card"><div class="n">{_share_text(intents['share'])}</div><div class="l">意図が質問の種類と一致（参考）</div></div>
</div>
<p class="small">各質問は新しい会話で REST チャネルから尋ね、回答を知識ベースの内容と照合しています。
予算・金額の質問ではその事業のもの以外の金額、すべての質問でその事業の担当課以外の電話番号があると、正しい記載が併記されていても不合格です。</p>
<div class="charts">{bar_chart("質問の種類別の合格率", kinds, 150)}{count_chart("不合格の主な理由", reasons)}</div>
<div class="charts">{bar_chart("分野別の合格率", topics)}</div>
<h2>不合格の多い事業</h2>
{f'<table><tr><th>ID</th><th>事業</th><th>分野</th><th>不合格 / 質問</th><th>不合格の種類</th><th>理由</th></tr>{worst_rows}</table>'
 if worst else '<p>不合格の事業はありません。</p>'}
{_template_table(summary)}
{_conversations_section(data)}
{_nlu_section(data, path.parent)}
<h2>事業ごとの結果</h2>
<label><input type="checkbox" id="only-failed"> 不合格のみ表示</label>
{_program_sections(data)}
<script>{SCRIPT}</script>
</body></html>"""
    path.write_text(page, encoding="utf-8")
