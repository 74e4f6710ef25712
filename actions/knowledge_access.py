"""The knowledge base the actions read, opened once per action-server process."""

from __future__ import annotations

import functools
import logging

from knowledge.kb import KnowledgeBase
from nlu.finder import EntityFinder

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """Raises KnowledgeBaseUnavailable (naming the file and `make kb`) if it cannot open."""
    kb = KnowledgeBase()
    logger.info("knowledge base %s: %s", kb.path, kb.counts())
    return kb


@functools.lru_cache(maxsize=1)
def entity_finder() -> EntityFinder:
    return EntityFinder(knowledge_base())
