"""What a button's payload may carry, type-checked before the dialogue sees it.

Rasa fills entities (and, through slot mappings, slots) with whatever JSON a payload holds.
Only the bot's own buttons' payloads reach the NLU as payloads (channels/payloads.py), but
the actions do not rely on it: each entity's value must be of its kind (a name, a figure in
range, yes/no), or it is left out. A figure shown back to the user is shown as digits only.
"""

from __future__ import annotations

import math
import re
from typing import Any, Optional

MAX_FIGURE = 10**12   # 1兆円: no figure of the source comes near it
MAX_NAME_CHARS = 100
FIGURES = {"money", "people", "number"}
FLAGS = {"tokku"}
FIGURE_OR_NAME = {"duration"}
_DIGITS = re.compile(r"\d{1,13}")


def is_figure(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and 0 <= value < MAX_FIGURE)


def is_name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS


def valid_value(entity: str, value: Any) -> bool:
    """Whether an entity's value is of its kind."""
    if entity in FIGURES:
        return is_figure(value)
    if entity in FLAGS:
        return isinstance(value, bool)
    if entity in FIGURE_OR_NAME:
        return is_figure(value) or is_name(value)
    return is_name(value)


def checked_entities(entities: Any) -> list[dict]:
    """The entities whose values are of their kind (others left out)."""
    return [e for e in entities or [] if isinstance(e, dict) and isinstance(e.get("entity"), str)
            and valid_value(e["entity"], e.get("value"))]


def digits(value: Any) -> Optional[str]:
    """A figure as ASCII digits (to be shown back), or None if it is not a plain figure."""
    if is_figure(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return str(int(value))
    return None


def names(value: Any) -> list[str]:
    """A slot that holds a list of names (ids), without anything else."""
    return [v for v in value if is_name(v)] if isinstance(value, list) else []


def name_or_none(value: Any) -> Optional[str]:
    return value if is_name(value) else None
