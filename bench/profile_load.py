"""Profile one replica under load: `make load`'s first setup (one Rasa server, SQLite tracker
store, one action server, 50 concurrent conversations × 20 turns over REST), with py-spy
sampling both processes while the turns run.

    .venv/bin/python bench/profile_load.py [--conversations 50] [--turns 20] [--repeat 2]
                                           [--no-profile] [--rate 50] [--label NAME]

Each run starts fresh servers (Rasa on ``E2E_RASA_PORT``, the action server on
``E2E_ACTION_PORT``, else free ports), sends one warm-up conversation, then the load, and
reports throughput, p50/p95/p99, replies lost, answers without their expected fact and the
machine's load average (other work on the same cores makes the figures noisy: compare runs
made back to back). With profiling (the default), py-spy records each process
(``--nonblocking``: the processes are never paused) as a flame graph (SVG) and as collapsed
stacks, from which the functions that take the most samples are listed, by their own time
and with what they call. Results: bench/results/profile-LABEL-N.json and, with the SVGs and
the stacks, bench/results/profiles/ (not in git). Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from load import drive, summarise

from ops.processes import VENV_BIN, base_env, free_port, rss_kib, start_actions, start_rasa, stop

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PY_SPY = str(VENV_BIN / "py-spy")
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def short(path: str) -> str:
    """A frame's file, shorter: site-packages/…, the project's own relative to its root."""
    for marker in ("site-packages/", "lib/python3.10/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.replace(str(ROOT) + "/", "")


def frames_of(stack: str) -> list[str]:
    out = []
    for frame in stack.split(";"):
        match = FRAME.match(frame)
        out.append(f"{match['func']} ({short(match['file'])})" if match else frame)
    return out


def top_functions(collapsed: Path, n: int = 25) -> dict:
    """From py-spy's raw output (one ``frame;frame;… count`` line a stack): the functions
    with most samples on top of the stack (own) and anywhere in it (total)."""
    own: Counter = Counter()
    total: Counter = Counter()
    samples = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = frames_of(stack)
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)

    def table(counter):
        return [{"function": f, "samples": c, "percent": round(100 * c / samples, 1)}
                for f, c in counter.most_common(n)]

    return {"samples": samples, "own": table(own), "total": table(total)}


def sample(pid: int, out: Path, rate: int) -> list[subprocess.Popen]:
    """Two py-spy samplers on ``pid``: a flame graph and collapsed stacks."""
    args = [PY_SPY, "record", "--pid", str(pid), "--nonblocking", "--rate", str(rate)]
    return [subprocess.Popen(args + ["--format", fmt, "-o", str(out.with_suffix(suffix))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for fmt, suffix in (("flamegraph", ".svg"), ("raw", ".txt"))]


def finish(samplers: list[subprocess.Popen]) -> list[str]:
    errors = []
    for sampler in samplers:
        sampler.send_signal(2)   # SIGINT: py-spy writes its file and exits
        try:
            _, err = sampler.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            sampler.kill()
            _, err = sampler.communicate()
        if sampler.returncode:
            errors.append(err.decode(errors="replace")[-500:])
    return errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tracker_events(trackers: Path) -> dict:
    """What the tracker store holds per turn: events by type and their stored size, which
    Rasa reads back and deserialises on every turn of the conversation."""
    with sqlite3.connect(trackers) as db:
        turns = db.execute("select count(*) from events where type_name = 'user'").fetchone()[0] or 1
        rows = db.execute("select type_name, count(*), sum(length(data)) from events group by type_name "
                          "order by count(*) desc").fetchall()
    return {"user_turns": turns,
            "per_turn": {name: {"events": round(n / turns, 2), "bytes": round(size / turns)}
                         for name, n, size in rows}}


def run(args, index: int, workdir: Path) -> dict:
    rasa_port = int(os.environ.get("E2E_RASA_PORT") or free_port())
    action_port = int(os.environ.get("E2E_ACTION_PORT") or free_port())
    trackers = workdir / f"trackers-{index}.db"
    endpoints = workdir / f"endpoints-{index}.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    if args.wal:   # experiment: the tracker database in write-ahead-log mode
        with sqlite3.connect(trackers) as db:
            db.execute("pragma journal_mode=wal")
    env = base_env(args.kb)
    actions = start_actions(action_port, workdir / f"actions-{index}.log", env)
    rasa = None
    samplers: list[subprocess.Popen] = []
    try:
        rasa = start_rasa(args.model, rasa_port, endpoints, workdir / f"rasa-{index}.log", env)
        url = f"http://localhost:{rasa_port}"
        asyncio.run(drive([url], 1, 20, max_seconds=120))   # warm-up: first-call costs out of the figures
        stem = RESULTS / "profiles" / f"{args.label}-{index}"
        if not args.no_profile:
            stem.parent.mkdir(parents=True, exist_ok=True)
            samplers = sample(rasa.pid, stem.with_name(stem.name + "-rasa"), args.rate) + \
                sample(actions.pid, stem.with_name(stem.name + "-actions"), args.rate)
            time.sleep(1)
        load_before = os.getloadavg()
        cpu_before = {"rasa": cpu_seconds(rasa.pid), "action_server": cpu_seconds(actions.pid)}
        results, elapsed = asyncio.run(drive([url], args.conversations, args.turns, max_seconds=args.max_seconds))
        cpu = {name: cpu_seconds(process.pid) - cpu_before[name]
               for name, process in (("rasa", rasa), ("action_server", actions))}
        load_after = os.getloadavg()
        memory = {"rasa": rss_kib(rasa.pid), "action_server": rss_kib(actions.pid)}
        errors = finish(samplers)
    finally:
        for sampler in samplers:
            if sampler.poll() is None:
                sampler.kill()
        stop(rasa)
        stop(actions)
        logs = RESULTS / "profiles"
        logs.mkdir(parents=True, exist_ok=True)
        for name in ("rasa", "actions"):   # kept beside the profiles, to look into a lost reply
            if (workdir / f"{name}-{index}.log").exists():
                shutil.copy(workdir / f"{name}-{index}.log", logs / f"{args.label}-{index}-{name}.log")
    report = {"label": args.label, "run": index, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
              "conversations": args.conversations, "turns_each": args.turns, "profiled": not args.no_profile,
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in load_after],
              **summarise(results, elapsed, args.conversations * args.turns), "memory_kib": memory,
              "cpu_ms_per_turn": {name: round(1000 * seconds / max(1, len(results)), 1) for name, seconds in cpu.items()},
              "tracker_events": tracker_events(trackers)}
    if samplers:
        report["sampler_errors"] = errors
        report["profile"] = {name: top_functions(stem.with_name(f"{stem.name}-{name}.txt"))
                             for name in ("rasa", "actions")
                             if stem.with_name(f"{stem.name}-{name}.txt").exists()}
    return report


def line(report: dict) -> str:
    return (f"{report['label']} run {report['run']}: {report['throughput_turns_per_s']:.1f} turns/s, "
            f"p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms, p99 {report['p99_ms']:.0f} ms, "
            f"lost {report['replies_lost']}, wrong {report['wrong_answers']}, CPU per turn: rasa "
            f"{report['cpu_ms_per_turn']['rasa']} ms, actions {report['cpu_ms_per_turn']['action_server']} ms, "
            f"load average {report['load_average_before'][0]:.2f} → {report['load_average_after'][0]:.2f}"
            + (" (profiled)" if report["profiled"] else ""))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rate", type=int, default=50, help="py-spy samples per second")
    parser.add_argument("--no-profile", action="store_true", help="measure only, without py-spy")
    parser.add_argument("--label", default="run")
    parser.add_argument("--wal", action="store_true",
                        help="the tracker database in SQLite's write-ahead-log mode (an experiment: bench/PROFILE.md)")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--kb", type=Path, default=ROOT / "build" / "knowledge.db")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="profile-load-") as tmp:
        for index in range(1, args.repeat + 1):
            report = run(args, index, Path(tmp))
            (RESULTS / f"profile-{args.label}-{index}.json").write_text(json.dumps(report, indent=1,
                                                                                  ensure_ascii=False))
            print(line(report), flush=True)
            for name, profile in report.get("profile", {}).items():
                print(f"  {name}: {profile['samples']} samples; own time:")
                for row in profile["own"][:12]:
                    print(f"    {row['percent']:5.1f}%  {row['function']}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
