"""The README's screenshot of the review page (docs/review-page.png), made for real:
starts the action server and Rasa with a throwaway SQLite tracker store, holds a few
conversations over REST (ratings, a comment, questions the bot cannot answer, a phone
number and an e-mail address), runs ``python -m review run`` on that store and shoots the
page with Debian's headless Chromium (as the web tests do).

    .venv/bin/python scripts/review_screenshot.py [--out docs/review-page.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ops.processes import base_env, free_port, start_actions, start_rasa, stop  # noqa: E402

UP, DOWN = '/feedback{"rating":"up"}', '/feedback{"rating":"down"}'
CONVERSATIONS = [
    ["生産性向上の補助金の上限は？", UP, "問い合わせ先は？"],
    ["エコアセットかながわの予算は？", DOWN, "予算額が去年のものだと思います", "ありがとう"],
    ["男性育休の奨励金はいくら？", UP],
    ["ぴよぴよ 090-1234-5678 taro@example.co.jp もにゃもにゃ", "ほげほげふがふが"],
    ["ほげほげふがふが", "ドローンの補助金ある？"],
    ["創業したい", "申請の締め切りはいつ？"],
    ["商店街の補助金について", "担当者と話したい"],
    ["セレクト神奈川NEXTの対象は？", DOWN, "/deny"],
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review-page.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="review-shot-") as tmp:
        folder = Path(tmp)
        env = base_env(ROOT / "build" / "knowledge.db")
        action_port, rasa_port = free_port(), free_port()
        endpoints = folder / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
                             f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{folder / "trackers.db"}"\n')
        actions = start_actions(action_port, folder / "actions.log", env)
        rasa = None
        try:
            rasa = start_rasa(ROOT / "models" / "current.tar.gz", rasa_port, endpoints, folder / "rasa.log", env)
            for messages in CONVERSATIONS:
                sender = f"web-{uuid.uuid4().hex[:10]}"
                for message in messages:
                    requests.post(f"http://localhost:{rasa_port}/webhooks/rest/webhook",
                                  json={"sender": sender, "message": message}, timeout=120).raise_for_status()
        finally:
            stop(rasa)
            stop(actions)
        report = folder / "report"
        subprocess.run([sys.executable, "-m", "review", "run", "--endpoints", str(endpoints), "--out", str(report)],
                       cwd=ROOT, env=env, check=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={args.out.resolve()}", "--window-size=1200,1900",
                        (report / "index.html").as_uri()], check=True, capture_output=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
