"""A first look at issue 16: the resolver's name scan per message as the catalogue grows.

    .venv/bin/python bench/alias_scan.py [--factors 1 10 100]

The aliases (Japanese and English) are copied k times in memory with renamed match keys,
so that no copy matches a real message and the scan does k times the work; the messages are
the turns of tests/holdout/conversations_6.yml and english_2.yml. This is not the
loader-built synthetic catalogue `make bench-scale` is to build (issue 16): it isolates the
one per-message cost that grows with the number of names. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from coverage_report.conversations import load_set
from knowledge.kb import KnowledgeBase
from knowledge.resolver import Resolver, alias_index, english_pattern_index

ROOT = Path(__file__).resolve().parents[1]
SETS = {"ja": ROOT / "tests/holdout/conversations_6.yml", "en": ROOT / "tests/holdout/english_2.yml"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", nargs="+", type=int, default=[1, 10, 100])
    args = parser.parse_args(argv)
    kb = KnowledgeBase()
    for language, path in SETS.items():
        messages = [turn["text"] for conversation in load_set(path) for turn in conversation["turns"]]
        resolver = Resolver(kb, index=language)
        japanese, english = list(resolver._aliases), list(resolver._english_aliases)
        for factor in args.factors:
            resolver._aliases = [dict(a, match_key=a["match_key"] + (f"ぞ{i}" if i else ""))
                                 for i in range(factor) for a in japanese]
            resolver._english_aliases = [dict(a, match_key=a["match_key"] + (f" zq{i}" if i else ""))
                                         for i in range(factor) for a in english]
            resolver._english_patterns = resolver._compile_english(resolver._english_aliases, resolver._name_variants)
            # the indexes over the inflated names (knowledge/resolver.py; bench/SCALE.md)
            resolver._alias_index = alias_index(resolver._aliases)
            resolver._english_index = english_pattern_index(resolver._english_patterns, resolver._name_variants)
            times = []
            for message in messages:
                start = time.perf_counter()
                resolver.mentions(message)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(f"{language} ×{factor}: {len(resolver._aliases):,} Japanese / {len(resolver._english_aliases):,} "
                  f"English names; mentions per message p50 {statistics.median(times):.2f} ms, "
                  f"p95 {times[int(len(times) * 0.95)]:.2f} ms ({len(messages)} messages)")


if __name__ == "__main__":
    main()
