"""Asking the bank's questions and the NLU evaluation.

Each question is asked in a conversation of its own (a fresh sender id), over the REST
channel, and its NLU parse is read from the HTTP API when a token is given; the answer
is checked at once. A small thread pool sends a few questions at a time (``workers``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from tqdm import tqdm

from .bank import Question
from .checker import Catalogue, Verdict, answer_text, check
from .servers import ROOT, VENV_BIN, server_env

NLU_FILES = ("intent_report.json", "intent_errors.json", "intent_confusion_matrix.png", "intent_histogram.png")
NLU_TIMEOUT_SECONDS = 1800


@dataclass
class Result:
    """One question asked: the bot's answer, its NLU parse and the verdict."""

    question: Question
    messages: list[dict]
    seconds: float
    verdict: Verdict
    parse: dict | None = None
    error: str | None = None

    @property
    def answer(self) -> str:
        return answer_text(self.messages)

    @property
    def intent(self) -> str | None:
        return ((self.parse or {}).get("intent") or {}).get("name")

    @property
    def confidence(self) -> float | None:
        return ((self.parse or {}).get("intent") or {}).get("confidence")

    @property
    def entities(self) -> list[dict]:
        return [{k: e.get(k) for k in ("entity", "value", "start", "end")}
                for e in (self.parse or {}).get("entities", [])]

    def to_json(self) -> dict:
        return {"question": self.question.to_json(), "answer": self.answer,
                "buttons": [b.get("title") for m in self.messages for b in m.get("buttons") or []],
                "intent": self.intent, "confidence": self.confidence, "entities": self.entities,
                "seconds": round(self.seconds, 3), "error": self.error, "verdict": self.verdict.to_json()}


def ask(client, catalogue: Catalogue, question: Question, sender: str) -> Result:
    """Ask one question in a new conversation and check the answer."""
    messages, parse, error = [], None, None
    start = time.perf_counter()
    for attempt in range(2):  # one retry: a dropped connection is not the bot's answer
        try:
            messages = client.say(sender if attempt == 0 else f"{sender}-retry", question.text)
            error = None
            break
        except (requests.RequestException, ValueError) as problem:
            error = f"{type(problem).__name__}: {problem}"
    seconds = time.perf_counter() - start
    try:
        parse = client.parse(question.text)
    except (requests.RequestException, ValueError):
        parse = None
    verdict = check(catalogue, question.expectation, messages, program_id=question.program_id,
                    also_right=question.also_right, error=error)
    return Result(question, messages, seconds, verdict, parse, error)


def run_bank(client, catalogue: Catalogue, questions: list[Question], workers: int = 2,
             progress: bool = True) -> list[Result]:
    """Ask every question (``workers`` at a time) with a progress bar; results in bank order."""
    run_id = uuid.uuid4().hex[:8]
    results: list[Result | None] = [None] * len(questions)
    bar = tqdm(total=len(questions), desc="questions", unit="q", disable=not progress, dynamic_ncols=True)
    failed = 0
    lock = threading.Lock()

    def one(index: int) -> None:
        nonlocal failed
        result = ask(client, catalogue, questions[index], f"coverage-{run_id}-{index}")
        results[index] = result
        with lock:
            failed += not result.verdict.passed
            bar.set_postfix(failed=failed, refresh=False)
            bar.update()

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, range(len(questions))))
    bar.close()
    return [r for r in results if r is not None]


# ── NLU evaluation ──────────────────────────────────────────────────────────
@dataclass
class NluEvaluation:
    """`rasa test nlu` on the training data: scores and the files copied into the report."""

    data: str
    seconds: float
    files: list[str] = field(default_factory=list)   # relative to the report folder
    accuracy: float | None = None
    macro_f1: float | None = None
    weighted_f1: float | None = None
    per_intent: dict = field(default_factory=dict)   # intent → precision, recall, f1, support
    errors: int | None = None
    failure: str | None = None

    def to_json(self) -> dict:
        return dict(vars(self))


@dataclass
class NluTest:
    """`rasa test nlu` running in the background (it runs while the servers load)."""

    process: subprocess.Popen
    out: Path
    data: str
    started: float


def start_nlu_test(model: Path, out: Path, data: str = "tests/holdout/nlu.yml",
                   kb_path: Path | None = None) -> NluTest:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "rasa_test_nlu.log").open("w") as log:
        process = subprocess.Popen([str(VENV_BIN / "rasa"), "test", "nlu", "--nlu", data, "--model", str(model),
                                    "--out", str(out)], cwd=ROOT, env=server_env(kb_path), stdout=log,
                                   stderr=subprocess.STDOUT)
    return NluTest(process, out, data, time.perf_counter())


def finish_nlu_test(test: NluTest, report_dir: Path) -> NluEvaluation:
    """Wait for `rasa test nlu`, read its intent report and copy its files into the report folder."""
    try:
        code = test.process.wait(timeout=NLU_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        test.process.kill()
        code = "timeout"
    out = test.out
    evaluation = NluEvaluation(data=test.data, seconds=time.perf_counter() - test.started)
    target = report_dir / "nlu"
    target.mkdir(parents=True, exist_ok=True)
    for name in NLU_FILES + ("rasa_test_nlu.log",):
        if (out / name).exists():
            if out.resolve() != target.resolve():
                shutil.copy2(out / name, target / name)
            evaluation.files.append(f"nlu/{name}")
    report = out / "intent_report.json"
    if code != 0 or not report.exists():
        evaluation.failure = f"rasa test nlu failed (exit {code}); see nlu/rasa_test_nlu.log"
        return evaluation
    data_ = json.loads(report.read_text())
    evaluation.accuracy = data_.get("accuracy")
    evaluation.macro_f1 = (data_.get("macro avg") or {}).get("f1-score")
    evaluation.weighted_f1 = (data_.get("weighted avg") or {}).get("f1-score")
    evaluation.per_intent = {name: {k: row.get(k) for k in ("precision", "recall", "f1-score", "support")}
                             for name, row in data_.items()
                             if isinstance(row, dict) and "f1-score" in row and "avg" not in name}
    errors = out / "intent_errors.json"  # written only when some example is misclassified
    evaluation.errors = len(json.loads(errors.read_text())) if errors.exists() else 0
    return evaluation
