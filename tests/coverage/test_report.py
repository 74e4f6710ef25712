"""The report files: a self-contained HTML page, the same data as JSON, a terminal summary."""

import json
import re

import pytest

from coverage_report.bank import template_questions
from coverage_report.checker import Catalogue, check
from coverage_report.report import report_data, terminal_summary, write_html, write_json
from coverage_report.runner import NluEvaluation, Result
from knowledge.dialogue import dialogue_for

# the smallest valid PNG (1×1), standing in for rasa's confusion matrix
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                    "000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def results(kb):
    """Budget questions for three programs: two answered right, one with another program's figure."""
    catalogue = Catalogue(kb)
    questions = [q for q in template_questions(kb) if q.kind == "budget"][:3]
    made = []
    for n, question in enumerate(questions):
        program = kb.program(question.program_id)
        bot = dialogue_for(str(kb.path))
        lines = bot.renderer().render(bot.replies.budget(program)).text.splitlines() + (["ほかに 5億円"] if n == 2 else [])
        messages = [{"text": "\n".join([f"【{program.name}】の県の予算額です。", *lines])}]
        verdict = check(catalogue, question.expectation, messages, question.program_id)
        made.append(Result(question, messages, 0.05, verdict,
                           parse={"intent": {"name": "ask_budget", "confidence": 0.99}, "entities": []}))
    return made


@pytest.fixture(scope="module")
def written(kb, results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "nlu").mkdir()
    (folder / "nlu" / "intent_confusion_matrix.png").write_bytes(PNG)
    nlu = NluEvaluation(data="data/nlu", seconds=30.0, files=["nlu/intent_confusion_matrix.png"], accuracy=0.99,
                        macro_f1=0.98, weighted_f1=0.99, errors=3,
                        per_intent={"ask_budget": {"precision": 1.0, "recall": 0.9, "f1-score": 0.95, "support": 20}})
    meta = {"generated_at": "2024-04-01T09:00:00", "source_title": kb.source["title"], "kb_path": "kb.db",
            "kb_digest": "0123456789abcdef", "model": "model.tar.gz", "model_id": "abc", "bot_url": "http://localhost:5405",
            "workers": 2, "bank_seconds": 1.0, "total_seconds": 2.0}
    data = report_data(results, meta, nlu, {p.id: p.name for p in kb.programs()})
    write_json(data, folder / "coverage.json")
    write_html(data, folder / "index.html")
    return folder, data


def test_the_json_holds_the_summary_and_every_result(written):
    folder, _ = written
    data = json.loads((folder / "coverage.json").read_text(encoding="utf-8"))
    assert data["summary"]["overall"] == {"passed": 2, "total": 3, "share": pytest.approx(2 / 3)}
    assert data["summary"]["by_kind"]["budget"]["label"] == "県の予算額"
    assert data["summary"]["by_reason"] == {"wrong_figure": {"label": "誤った金額", "count": 1}}
    failed = [r for r in data["results"] if not r["verdict"]["passed"]]
    assert len(failed) == 1 and "5億円" in failed[0]["verdict"]["reasons"][0]["message"]
    assert data["summary"]["programs"][0]["failed"] == 1  # the failing program comes first
    assert data["nlu"]["accuracy"] == 0.99


def test_the_html_is_self_contained(written):
    folder, _ = written
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<style>" in page and page.count("<svg") >= 3
    assert not re.search(r"<link|<script[^>]+src=|src=\"https?:|url\(", page)
    assert "data:image/png;base64," in page                     # the confusion matrix, embedded
    assert 'href="nlu/intent_confusion_matrix.png"' in page     # and linked


def test_the_html_shows_each_question_its_answer_facts_verdict_and_reason(written, results):
    folder, _ = written
    page = (folder / "index.html").read_text(encoding="utf-8")
    for result in results:
        assert result.question.text in page
    assert "合格率（回答カバレッジ）" in page and "66.7%" in page
    assert "不合格" in page and "金額 5億円 はこの質問の答えではありません" in page
    assert "✓ 予算" in page


def test_the_terminal_summary_is_short(written):
    _, data = written
    text = terminal_summary(data)
    assert text.splitlines()[0].startswith("回答カバレッジ（answer coverage）: 2/3")
    assert "県の予算額" in text and "intent accuracy 0.990" in text
    assert len(text.splitlines()) < 20
