"""Measure the bot on this machine, beside Rasa's stock character n-gram pipeline.

    .venv/bin/python bench/nlu_and_latency.py [--folds 3] [--turns 100] [--skip-crossval]

For each pipeline (config.yml with Sudachi; bench/config_stock.yml without it) it:

1. trains a model (timed) into a temporary folder;
2. runs `rasa test nlu` cross-validation on data/nlu and the independent test set
   tests/holdout/nlu.yml (intent F1, entity F1), and the English turns of
   tests/holdout/english_1.yml (intent F1);
3. starts the action server and Rasa with that model and sends every question of
   tests/holdout/answers.yml over REST (a fresh conversation each), checking that the
   answer holds the expected figures or phone numbers and none of the forbidden ones;
4. times turns through REST and bare NLU parses (/model/parse), and reads the memory
   (resident set) of both servers.

Results go to bench/results/<timestamp>.json and bench/RESULTS.md. Numbers are
measured, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path

import requests
import yaml

from ops.processes import RASA, base_env, rss_kib, start_actions, start_rasa, stop

ROOT = Path(__file__).resolve().parents[1]

PIPELINES = {"sudachi": ROOT / "config.yml", "stock_char_ngram": ROOT / "bench" / "config_stock.yml"}
PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{4}")
ENV = base_env()
RASA_PORT, ACTION_PORT = 5105, 5155
# Questions with the figures or phone numbers a right answer holds (tests/holdout/*.yml),
# newest first; see bench/README.md for how independent each still is.
ANSWER_SETS = {"answers_independent_2": "independent set 2 (80)", "answers_fresh": "independent set 1 (64)",
               "answers": "development set (87)"}
TOKEN = uuid.uuid4().hex


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def run(args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=ENV, check=True, **kwargs)


def train(config: Path, out: Path) -> float:
    start = time.perf_counter()
    # --force: measure a real training, not Rasa's cache of an earlier one
    run([RASA, "train", "--force", "--config", str(config), "--fixed-model-name", "model", "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def nlu_reports(out: Path) -> dict:
    intent = json.loads((out / "intent_report.json").read_text())
    result = {"intent_accuracy": intent["accuracy"], "intent_macro_f1": intent["macro avg"]["f1-score"],
              "intent_weighted_f1": intent["weighted avg"]["f1-score"]}
    entity_files = list(out.glob("*Extractor_report.json"))
    if entity_files:
        entity = json.loads(entity_files[0].read_text())
        result["entity_weighted_f1"] = entity.get("weighted avg", {}).get("f1-score")
        result["entity_macro_f1"] = entity.get("macro avg", {}).get("f1-score")
        result["entity_per_label_f1"] = {k: round(v["f1-score"], 3) for k, v in entity.items()
                                         if isinstance(v, dict) and "f1-score" in v and "avg" not in k}
    return result


def crossval(config: Path, folds: int, out: Path) -> dict:
    run([RASA, "test", "nlu", "--nlu", "data/nlu", "--config", str(config), "--cross-validation",
         "--folds", str(folds), "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return nlu_reports(out)


ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def plain_examples(path: Path) -> list[tuple[str, str, str]]:
    """(intent, example line as written, its text without entity annotations) of an NLU file."""
    found = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((block.get("intent"), line[2:], fold(ANNOTATION.sub(r"\1", line[2:]))))
    return found


def unseen_part(holdout_file: Path, training_dir: Path, out: Path) -> tuple[Path, int]:
    """The holdout examples whose text does not occur verbatim in the training data
    (greetings such as こんにちは are bound to), as an NLU file; and how many were left out."""
    seen = {text for file in sorted(training_dir.glob("*.yml")) for _, _, text in plain_examples(file)}
    by_intent: dict[str, list[str]] = {}
    left_out = 0
    for intent, line, text in plain_examples(holdout_file):
        if text in seen:
            left_out += 1
        else:
            by_intent.setdefault(intent, []).append(line)
    nlu = [{"intent": intent, "examples": "".join(f"- {line}\n" for line in lines)}
           for intent, lines in by_intent.items()]
    out.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False),
                   encoding="utf-8")
    return out, left_out


def holdout(model: Path, out: Path, nlu_file: Path = ROOT / "tests" / "holdout" / "nlu.yml") -> dict:
    run([RASA, "test", "nlu", "--nlu", str(nlu_file), "--model", str(model), "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return nlu_reports(out)


def english_nlu(out: Path, conversations: Path = ROOT / "tests" / "holdout" / "english_1.yml") -> Path:
    """An English NLU test file from the independent English set: each turn with the intent
    its kind routes to (knowledge/language/en.yml kind_intents); turns asking what the
    document does not state have no one intent and are left out."""
    language = yaml.safe_load((ROOT / "knowledge" / "language" / "en.yml").read_text(encoding="utf-8"))
    by_intent: dict[str, list[str]] = {}
    for conversation in yaml.safe_load(conversations.read_text(encoding="utf-8"))["conversations"]:
        for turn in conversation["turns"]:
            intent = language["kind_intents"].get(turn.get("kind"))
            if intent:
                by_intent.setdefault(intent, []).append(turn["text"])
    nlu = [{"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
           for intent, texts in sorted(by_intent.items())]
    out.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False),
                   encoding="utf-8")
    return out


class Servers:
    def __init__(self, model: Path, workdir: Path):
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{ACTION_PORT}/webhook"\n')
        self.actions = start_actions(ACTION_PORT, workdir / "actions.log", ENV)
        self.rasa = start_rasa(model, RASA_PORT, endpoints, workdir / "rasa.log", ENV,
                               extra=["--enable-api", "--auth-token", TOKEN])
        self.base = f"http://localhost:{RASA_PORT}"

    def say(self, sender: str, text: str) -> tuple[str, float]:
        start = time.perf_counter()
        response = requests.post(f"{self.base}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=60)
        elapsed = time.perf_counter() - start
        return "\n".join(m.get("text", "") for m in response.json()), elapsed

    def parse(self, text: str) -> float:
        start = time.perf_counter()
        requests.post(f"{self.base}/model/parse", params={"token": TOKEN}, json={"text": text}, timeout=60)
        return time.perf_counter() - start

    def memory(self) -> dict:
        return {"rasa": {"VmRSS": rss_kib(self.rasa.pid)}, "action_server": {"VmRSS": rss_kib(self.actions.pid)}}

    def stop(self) -> None:
        stop(self.rasa)
        stop(self.actions)


def answer_accuracy(servers: Servers, questions: list[dict]) -> dict:
    right, wrong_phone, failures = 0, 0, []
    by_kind: dict[str, list[int]] = {}
    for question in questions:
        text, _ = servers.say(f"bench-{uuid.uuid4()}", question["text"])
        answer = fold(text)
        # The working of a calculation legitimately shows figures before a cap is applied
        # (「250億円 × 3% = 7億5,000万円、上限5億円を超えるため」): forbidden figures are looked for
        # in the rest of the answer only.
        verdict = fold("\n".join(line for line in text.splitlines() if " × " not in line and "を超えるため" not in line))
        expected = [fold(e) for e in question.get("expect", [])]
        forbidden = [fold(e) for e in question.get("expect_not", [])]
        ok = all(e in answer for e in expected) and not any(f in verdict for f in forbidden)
        expected_phones = {p for e in expected for p in PHONE.findall(e)}
        if expected_phones and set(PHONE.findall(answer)) - expected_phones:
            wrong_phone += 1
            ok = False
        right += ok
        kind = question.get("intent", "?")
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += ok
        by_kind[kind][1] += 1
        if not ok:
            failures.append({"text": question["text"], "expect": question.get("expect"),
                             "answer": text[:400]})
    return {"questions": len(questions), "right": right, "share_right": right / len(questions),
            "wrong_phone_numbers": wrong_phone,
            "by_kind": {k: {"right": v[0], "of": v[1]} for k, v in sorted(by_kind.items())},
            "failures": failures}


def latency(servers: Servers, questions: list[dict], turns: int) -> dict:
    texts = [q["text"] for q in questions]
    turn_times, parse_times = [], []
    for i in range(turns):
        sender = f"latency-{i // 5}"           # 5-turn conversations
        turn_times.append(servers.say(sender, texts[i % len(texts)])[1])
        parse_times.append(servers.parse(texts[i % len(texts)]))

    def pct(values, q):
        return statistics.quantiles(values, n=100)[q - 1]

    return {"turns": turns,
            "turn_p50_ms": 1000 * statistics.median(turn_times), "turn_p95_ms": 1000 * pct(turn_times, 95),
            "parse_p50_ms": 1000 * statistics.median(parse_times), "parse_p95_ms": 1000 * pct(parse_times, 95),
            "turn_p95_over_parse_p95": pct(turn_times, 95) / pct(parse_times, 95)}


def markdown(report: dict) -> str:
    lines = [f"# Benchmark {report['when']}", "", f"Machine: {report['machine']}", "",
             "| | " + " | ".join(report["pipelines"]) + " |", "|---|" + "---|" * len(report["pipelines"])]

    def row(label, getter, fmt="{:.3f}"):
        cells = []
        for name in report["pipelines"]:
            try:
                value = getter(report["pipelines"][name])
                cells.append(fmt.format(value) if value is not None else "—")
            except (KeyError, TypeError):
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("training time (s)", lambda p: p["training_seconds"], "{:.0f}")
    row("intent F1, cross-validation (weighted)", lambda p: p["crossval"]["intent_weighted_f1"])
    row("intent accuracy, independent test set", lambda p: p["holdout"]["intent_accuracy"])
    row("intent F1, independent test set (weighted)", lambda p: p["holdout"]["intent_weighted_f1"])
    row("entity F1, independent test set (weighted)", lambda p: p["holdout"]["entity_weighted_f1"])
    row("intent F1, test set without examples also in training (weighted)",
        lambda p: p["holdout_unseen"]["intent_weighted_f1"])
    row("entity F1, test set without examples also in training (weighted)",
        lambda p: p["holdout_unseen"]["entity_weighted_f1"])
    row("test-set examples left out as also in training", lambda p: p["holdout_unseen"]["left_out_as_seen_in_training"],
        "{}")
    row("intent F1, independent English set (weighted)", lambda p: p["holdout_en"]["intent_weighted_f1"])
    row("intent accuracy, independent English set", lambda p: p["holdout_en"]["intent_accuracy"])
    for name, label in ANSWER_SETS.items():
        row(f"answers right, {label} (share)", lambda p, name=name: p[name]["share_right"])
        row(f"wrong phone numbers, {label}", lambda p, name=name: p[name]["wrong_phone_numbers"], "{}")
    row("turn latency p50 (ms)", lambda p: p["latency"]["turn_p50_ms"], "{:.0f}")
    row("turn latency p95 (ms)", lambda p: p["latency"]["turn_p95_ms"], "{:.0f}")
    row("NLU parse p95 (ms)", lambda p: p["latency"]["parse_p95_ms"], "{:.0f}")
    row("turn p95 / parse p95", lambda p: p["latency"]["turn_p95_over_parse_p95"], "{:.2f}")
    row("Rasa server RSS (MiB)", lambda p: p["memory"]["rasa"]["VmRSS"] / 1024, "{:.0f}")
    row("action server RSS (MiB)", lambda p: p["memory"]["action_server"]["VmRSS"] / 1024, "{:.0f}")
    for name, pipeline in report["pipelines"].items():
        for key in ANSWER_SETS:
            answers = pipeline.get(key, {})
            if not answers:
                continue
            lines += ["", f"## {name}: {key} by kind of question", ""]
            lines += [f"- {kind}: {v['right']}/{v['of']}" for kind, v in answers["by_kind"].items()]
            if answers["failures"]:
                lines += ["", "Failing questions:"]
                lines += [f"- {f['text']} (expected {f['expect']})" for f in answers["failures"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--skip-crossval", action="store_true")
    parser.add_argument("--only", choices=list(PIPELINES), action="append")
    parser.add_argument("--model", type=Path, help="use this trained model (for --only sudachi) instead of training")
    args = parser.parse_args()
    question_sets = {name: yaml.safe_load((ROOT / "tests" / "holdout" / f"{name}.yml").read_text())["questions"]
                     for name in ANSWER_SETS}
    questions = question_sets["answers"]
    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores", "pipelines": {}}
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for name, config in PIPELINES.items():
            if args.only and name not in args.only:
                continue
            print(f"[{name}] training…", flush=True)
            result = {"config": str(config.relative_to(ROOT))}
            if args.model:
                model = args.model.resolve()
            else:
                result["training_seconds"] = train(config, workdir / name)
                model = workdir / name / "model.tar.gz"
            if not args.skip_crossval:
                print(f"[{name}] cross-validation ({args.folds} folds)…", flush=True)
                result["crossval"] = crossval(config, args.folds, workdir / f"{name}-crossval")
            print(f"[{name}] independent test set…", flush=True)
            result["holdout"] = holdout(model, workdir / f"{name}-holdout")
            unseen, left_out = unseen_part(ROOT / "tests" / "holdout" / "nlu.yml", ROOT / "data" / "nlu",
                                           workdir / "holdout-unseen.yml")
            result["holdout_unseen"] = {**holdout(model, workdir / f"{name}-holdout-unseen", unseen),
                                        "left_out_as_seen_in_training": left_out}
            print(f"[{name}] English set…", flush=True)
            result["holdout_en"] = holdout(model, workdir / f"{name}-holdout-en",
                                           english_nlu(workdir / "english-nlu.yml"))
            print(f"[{name}] answers and latency over REST…", flush=True)
            servers = Servers(model, workdir)
            try:
                for set_name in ANSWER_SETS:
                    result[set_name] = answer_accuracy(servers, question_sets[set_name])
                result["latency"] = latency(servers, questions, args.turns)
                result["memory"] = servers.memory()
            finally:
                servers.stop()
            report["pipelines"][name] = result
            print(json.dumps({k: v for k, v in result.items() if k != "answers"}, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M")
    (out / f"{stamp}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    if not args.model and not args.only:
        (ROOT / "bench" / "RESULTS.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
