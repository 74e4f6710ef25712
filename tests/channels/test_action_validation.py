"""Rasa's validation of the action server's answers, with the schema checked once."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels  # noqa: F401 - installs the validation
from channels.action_validation import validate_action_result

ACTION = RemoteAction("action_amount", None)


def test_it_is_the_one_rasa_uses_once_channels_are_imported():
    assert RemoteAction._validate_action_result is validate_action_result


def test_a_valid_answer_passes():
    answer = {"events": [{"event": "slot", "name": "program", "value": "chusho-01"}],
              "responses": [{"text": "【中小企業生産性向上促進事業費補助】…", "buttons": []}]}
    assert ACTION._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "timestamp": "yesterday"}]},
    "not an object",
])
def test_an_invalid_answer_raises_rasas_error(answer):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        ACTION._validate_action_result(answer)
    # and jsonschema.validate, which Rasa calls, finds the same error
    with pytest.raises(ValidationError) as original:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as ours:
        ACTION._validate_action_result(answer)
    assert ours.value.message.startswith(original.value.message)
