"""The dialogue the actions share: one per action-server process and knowledge-base file."""

from __future__ import annotations

import logging

from knowledge.dialogue import Dialogue, dialogue_for
from knowledge.kb import KnowledgeBase, database_path

logger = logging.getLogger(__name__)


def dialogue() -> Dialogue:
    """Raises KnowledgeBaseUnavailable (naming the file and `make kb`) if it cannot open."""
    return dialogue_for(str(database_path()))


def knowledge_base() -> KnowledgeBase:
    return dialogue().kb
