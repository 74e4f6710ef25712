"""The dialogue the actions share: one per action-server process and knowledge-base file."""

from __future__ import annotations

import logging

from knowledge.dialogue import Dialogue, dialogue_for
from knowledge.kb import KnowledgeBase, database_path

logger = logging.getLogger(__name__)


def dialogue(tracker=None) -> Dialogue:
    """Raises KnowledgeBaseUnavailable (naming the file and `make kb`) if it cannot open.
    With a ``tracker``: the dialogue of the fiscal year its conversation is answered from
    (slot ``fiscal_year``), the latest if none or not built."""
    bot = dialogue_for(str(database_path()))
    if tracker is None:
        return bot
    return bot.of_year(year_of(tracker)) or bot


def year_of(tracker, slot: str = "fiscal_year") -> int | None:
    """The fiscal year of the conversation's last answer (slot ``fiscal_year``), or the one
    it asked for (``fiscal_year_asked``), if the slot holds one."""
    value = tracker.get_slot(slot)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and 1900 < value < 3000 \
        else None


def knowledge_base() -> KnowledgeBase:
    return dialogue().kb
