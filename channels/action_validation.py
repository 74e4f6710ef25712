"""Rasa's check of the action server's answers, with the schema checked once, not per call.

Rasa 3.6.21 validates every response of the action server with ``jsonschema.validate``,
which first checks the *schema itself* (``check_schema``) on every call. Measured with
py-spy on this bot, that schema check was 78% of the Rasa server's CPU time per turn.
:func:`install` replaces ``RemoteAction._validate_action_result`` with the same validation
(the same schema, the same best-matching error, the same message) through a validator
built once. Importing the ``channels`` package installs it, so it runs in every Rasa
server of this project (credentials.yml names these channels) and never in the action
server, which does not import them.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def response_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """``RemoteAction._validate_action_result`` of Rasa 3.6.21, minus the per-call schema check."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result


__all__ = ["install", "response_validator", "validate_action_result", "ValidationError"]
