"""What the bot costs at 1×, 10× and 100× today's catalogue (issue 16): `make bench-scale`.

    .venv/bin/python bench/scale.py [--factors 1 10 100] [--workdir build/scale] [--reuse-models]
                                    [--skip-servers] [--label after]

For each factor it writes a data folder with the real programs and ``factor - 1`` renamed,
synthetic copies of them (:mod:`knowledge.synthetic`), builds it through the same loader,
checks and build as ``knowledge/data/fy2024`` into ``<workdir>/x<factor>/knowledge.db``
(never build/knowledge.db), generates the NLU examples from it (scripts/generate_nlu.py),
trains a model on it in that folder (never models/current.tar.gz), and measures:

- the knowledge base's build time and size; the training time and the model's size;
- the resolver's time per message in-process (the turns of the holdout sets): the name scan
  (``Resolver.mentions``) and the whole analysis and answer (``Dialogue.turn``);
- with Rasa and the action server started on ports E2E_RASA_PORT/E2E_ACTION_PORT (default
  5105/5155) on that knowledge base: every turn of the holdout conversation sets over REST
  (turn latency p50/p95, each set's share of turns answered right by
  coverage_report.conversations' scoring), then both servers' resident memory;
- the intent F1 of tests/holdout/nlu.yml (`rasa test nlu`, weighted).

Results: bench/results/scale.json (a list, one object per factor) and the table in
bench/SCALE.md (between the markers; the text around it is kept). Numbers are measured,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import nlu_and_latency  # noqa: E402  (bench/nlu_and_latency.py: rasa test nlu and its reports)

from coverage_report.conversations import ProgramNames, load_set, run_set  # noqa: E402
from coverage_report.servers import BotClient, Servers  # noqa: E402
from knowledge.build import build  # noqa: E402
from knowledge.dialogue import Dialogue  # noqa: E402
from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.resolver import State  # noqa: E402
from knowledge.synthetic import write_synthetic  # noqa: E402
from ops.processes import RASA, base_env, rss_kib  # noqa: E402

SOURCE = ROOT / "knowledge" / "data" / "fy2024"
SETS = sorted((ROOT / "tests" / "holdout").glob("conversations_*.yml")) + \
    sorted((ROOT / "tests" / "holdout").glob("english_*.yml"))
RESULTS = ROOT / "bench" / "results" / "scale.json"
REPORT = ROOT / "bench" / "SCALE.md"
BEGIN, END = "<!-- scale table: bench/scale.py writes between these markers -->", "<!-- end of scale table -->"


def pct(values: list[float], q: int) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q / 100))]


def mib(path: Path) -> float:
    return round(path.stat().st_size / 2**20, 2)


def turns_of_sets() -> list[str]:
    return [turn["text"] for path in SETS for conversation in load_set(path) for turn in conversation["turns"]]


def in_process(db: Path, texts: list[str]) -> dict:
    """The resolver's name scan and the whole answer per message, in this process."""
    started = time.perf_counter()
    kb = KnowledgeBase(db)
    dialogue = Dialogue(kb)
    load_s = time.perf_counter() - started
    mentions, turns = {"ja": [], "en": []}, []
    for text in texts:
        language = dialogue.language(text)
        analyser, _replies = dialogue.understanding(language)
        resolver = analyser.resolver
        start = time.perf_counter()
        resolver.mentions(analyser.respell(text).text)
        mentions[language].append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        dialogue.turn(text, state=State())
        turns.append(1000 * (time.perf_counter() - start))
    result = {"kb_load_s": round(load_s, 2), "turn_inprocess_p50_ms": round(statistics.median(turns), 2),
              "turn_inprocess_p95_ms": round(pct(turns, 95), 2)}
    for language, times in mentions.items():
        if times:
            result[f"mentions_{language}_p50_ms"] = round(statistics.median(times), 3)
            result[f"mentions_{language}_p95_ms"] = round(pct(times, 95), 3)
    return result


def train(folder: Path, db: Path, env: dict) -> tuple[float, Path, int]:
    """The project's training data with the NLU examples generated from this knowledge base."""
    data = folder / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(ROOT / "data", data)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_nlu.py"), "--db", str(db),
                    "--out", str(data / "nlu" / "generated_programs.yml")], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    generated = sum(1 for line in (data / "nlu" / "generated_programs.yml").read_text(encoding="utf-8").splitlines()
                    if line.strip().startswith("- ") and "intent:" not in line)
    start = time.perf_counter()
    subprocess.run([RASA, "train", "--force", "--config", "config.yml", "--domain", "domain.yml", "--data", str(data),
                    "--fixed-model-name", "model", "--out", str(folder)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, folder / "model.tar.gz", generated


class TimedClient(BotClient):
    """A REST client that keeps every turn's time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.times: list[float] = []

    def say(self, sender: str, text: str) -> list[dict]:
        start = time.perf_counter()
        try:
            return super().say(sender, text)
        finally:
            self.times.append(1000 * (time.perf_counter() - start))


def over_rest(model: Path, db: Path, folder: Path, names: ProgramNames) -> dict:
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "5105"))
    action_port = int(os.environ.get("E2E_ACTION_PORT", "5155"))
    with Servers(model, folder / "servers", kb_path=db, rasa_port=rasa_port, action_port=action_port) as servers:
        actions, rasa = servers.processes
        idle = {"rasa_rss_idle_mib": round(rss_kib(rasa.pid) / 1024, 1),
                "actions_rss_idle_mib": round(rss_kib(actions.pid) / 1024, 1)}
        client = TimedClient(servers.url, servers.token)
        client.say("warm-up", "こんにちは")
        client.times.clear()
        sets = {}
        for path in SETS:
            result = run_set(client, path, names)
            sets[path.stem] = {"turns": result["turns"], "turns_right": result["turns_right"],
                               "share_right": result["share_right"], "wrong_phone": result["wrong_phone"],
                               "wrong_program": result["wrong_program"],
                               # the turns answered wrong (conversation id:turn), to compare factors
                               "failed": [f"{f['id']}:{f['turn']}" for f in result["failures"]]}
        return {"turn_p50_ms": round(statistics.median(client.times), 1), "turn_p95_ms": round(pct(client.times, 95), 1),
                "turns_over_rest": len(client.times),
                "rasa_rss_mib": round(rss_kib(rasa.pid) / 1024, 1),
                "actions_rss_mib": round(rss_kib(actions.pid) / 1024, 1), **idle,
                "sets": sets,
                "turns_right_share": round(sum(s["turns_right"] for s in sets.values())
                                           / sum(s["turns"] for s in sets.values()), 4)}


def intent_f1(model: Path, folder: Path, env: dict) -> dict:
    nlu_and_latency.ENV.clear()
    nlu_and_latency.ENV.update(env)
    report = nlu_and_latency.holdout(model, folder / "holdout-nlu")
    return {"intent_f1": round(report["intent_weighted_f1"], 4), "intent_accuracy": round(report["intent_accuracy"], 4)}


def measure(factor: int, workdir: Path, args) -> dict:
    folder = workdir / f"x{factor}"
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "knowledge.db"
    env = base_env(db, RASA_CACHE_DIRECTORY=str(folder / "rasa-cache"))
    row: dict = {"factor": factor, "label": args.label, "when": time.strftime("%Y-%m-%d %H:%M")}
    step = time.perf_counter()
    write_synthetic(SOURCE, folder / "catalogue", factor, shared_needs=args.shared_needs)
    row["copies_share_needs"] = args.shared_needs
    row["write_catalogue_s"] = round(time.perf_counter() - step, 1)
    start = time.perf_counter()
    counts = build(folder / "catalogue", db, ROOT)
    row["kb_build_s"] = round(time.perf_counter() - start, 1)
    row.update(programs=counts["programs"], synthetic_programs=counts["synthetic_programs"],
               aliases=counts["aliases"], contacts=counts["contacts"], kb_mib=mib(db))
    print(f"[x{factor}] built {counts['programs']} programs in {row['kb_build_s']} s", flush=True)
    texts = turns_of_sets()
    row.update(in_process(db, texts))
    print(f"[x{factor}] in-process {json.dumps({k: v for k, v in row.items() if 'ms' in k})}", flush=True)
    model = folder / "model.tar.gz"
    if args.reuse_models and model.exists():
        previous = next((r for r in load_results() if r.get("factor") == factor and r.get("train_s")), {})
        row.update({k: previous.get(k) for k in ("train_s", "model_mib", "generated_examples")})
        row["model_reused"] = True
    else:
        train_s, model, generated = train(folder, db, env)
        row.update(train_s=round(train_s, 1), model_mib=mib(model), generated_examples=generated)
        print(f"[x{factor}] trained in {row['train_s']} s", flush=True)
    if not args.skip_servers:
        names = ProgramNames(KnowledgeBase(db))
        row.update(over_rest(model, db, folder, names))
        print(f"[x{factor}] REST p50 {row['turn_p50_ms']} ms, p95 {row['turn_p95_ms']} ms, "
              f"Rasa {row['rasa_rss_mib']} MiB", flush=True)
        row.update(intent_f1(model, folder, env))
    row["step_s"] = round(time.perf_counter() - step, 1)
    return row


def load_results() -> list[dict]:
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []


COLUMNS = [("factor", "×"), ("label", "design"), ("copies_share_needs", "copies share needs"),
           ("programs", "programs"), ("aliases", "aliases"),
           ("kb_build_s", "KB build s"), ("kb_mib", "KB MiB"), ("generated_examples", "generated NLU examples"),
           ("train_s", "train s"), ("model_mib", "model MiB"), ("rasa_rss_mib", "Rasa RSS MiB"),
           ("actions_rss_mib", "actions RSS MiB"), ("turn_p50_ms", "turn p50 ms"), ("turn_p95_ms", "turn p95 ms"),
           ("mentions_ja_p50_ms", "mentions ja p50 ms"), ("mentions_en_p50_ms", "mentions en p50 ms"),
           ("turn_inprocess_p50_ms", "answer in-process p50 ms"), ("turn_inprocess_p95_ms", "answer in-process p95 ms"),
           ("intent_f1", "intent F1 (holdout nlu.yml)"), ("turns_right_share", "holdout turns right"),
           ("step_s", "whole step s")]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(label for _key, label in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join("—" if row.get(key) is None else str(row[key]) for key, _label in COLUMNS) + " |")
    return "\n".join(lines)


def write_report(rows: list[dict]) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"# Scale benchmark\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(f"{head}{BEGIN}\n{table(rows)}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", nargs="+", type=int,
                        default=[int(f) for f in os.environ.get("SCALE_FACTORS", "1 10").split()])
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "scale")
    parser.add_argument("--reuse-models", action="store_true", help="keep the models trained before (no training)")
    parser.add_argument("--skip-servers", action="store_true", help="in-process timings only")
    parser.add_argument("--shared-needs", action="store_true",
                        help="the copies meet the real needs (twins of the real programs for every need)")
    parser.add_argument("--label", default="current", help="the design measured (kept beside earlier rows)")
    args = parser.parse_args(argv)
    rows = load_results()
    for factor in args.factors:
        row = measure(factor, args.workdir, args)
        rows = [r for r in rows if (r.get("factor"), r.get("label")) != (factor, args.label)] + [row]
        rows.sort(key=lambda r: (r.get("label") != "before", r.get("label") or "", r["factor"]))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        write_report(rows)
        print(json.dumps({k: v for k, v in row.items() if k != "sets"}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
