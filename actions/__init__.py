"""Custom actions (rasa_sdk): Rasa's side of a turn, thin over the Rasa-free ``knowledge``.

* ``turn``             – ``action_answer``: every question and small talk, through
  :mod:`knowledge.dialogue`; slots in, rendered messages out, state back into slots
* ``calculation``      – the calculation form: slot validation, its questions, the result
* ``knowledge_access`` – the dialogue (knowledge base, analysis, resolver, renderer) the
  actions share, one per process
"""

from ops import log_privacy

from . import server_errors

log_privacy.install()
server_errors.install()
