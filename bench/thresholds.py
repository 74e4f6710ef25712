"""Choose FallbackClassifier's threshold from cross-validation.

    make crossval            (rasa test nlu --cross-validation --successes → results/crossval)
    .venv/bin/python bench/thresholds.py results/crossval

Reads the confidences of the intents predicted right (intent_successes.json) and wrong
(intent_errors.json) and prints, for each threshold, the share of right answers that would
be turned into a fallback (the cost) and the share of wrong ones it would catch.
"""

import json
import sys
from pathlib import Path


def confidences(path: Path) -> list[float]:
    if not path.exists():
        return []
    return [item["intent_prediction"]["confidence"] for item in json.loads(path.read_text())]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "results/crossval")
    right = confidences(folder / "intent_successes.json")
    wrong = confidences(folder / "intent_errors.json")
    if not right:
        sys.exit(f"no intent_successes.json in {folder}: run `make crossval`")
    print(f"{len(right)} right, {len(wrong)} wrong predictions in cross-validation")
    print("threshold  right→fallback  wrong caught")
    for threshold in [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]:
        lost = sum(c < threshold for c in right) / len(right)
        caught = sum(c < threshold for c in wrong) / len(wrong) if wrong else 0.0
        print(f"{threshold:9.2f}  {lost:13.1%}  {caught:12.1%}")


if __name__ == "__main__":
    main()
