"""`rasa data validate` and `rasa test` on tests/test_stories.yml."""

import json
import re
import subprocess

import pytest
import yaml

from .conftest import ROOT, VENV_BIN, server_env

pytestmark = pytest.mark.slow
ACTIONS_SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))


def test_data_validate_passes_and_warns_only_about_responses_sent_by_actions(kb_path):
    result = subprocess.run([str(VENV_BIN / "rasa"), "data", "validate"], cwd=ROOT, env=server_env(kb_path),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    form_asks = {f"utter_ask_{slot}" for form in domain["forms"].values() for slot in form["required_slots"]}
    for line in warnings:
        match = re.search(r"The utterance '(utter_\w+)' is not used in any story or rule", line)
        assert match, f"unexpected warning: {line}"
        name = match.group(1)
        # Rasa's validator cannot see responses sent from custom actions or asked by forms.
        assert f'"{name}"' in ACTIONS_SOURCE or name in form_asks, f"{name} is not used anywhere"


def test_stories_pass_with_the_action_server(trained_model, action_server, endpoints_file, kb_path, tmp_path):
    out = tmp_path / "results"
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--stories", "tests/test_stories.yml", "--model", str(trained_model),
         "--endpoints", str(endpoints_file), "--out", str(out), "--fail-on-prediction-errors"],
        cwd=ROOT, env=server_env(kb_path), capture_output=True, text=True)
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
    report = json.loads((out / "story_report.json").read_text())
    assert report["accuracy"] == 1.0 or report.get("conversation_accuracy", {}).get("accuracy") == 1.0, report
