"""Answer-coverage report for prefecture staff: which questions the bot answers right.

    make coverage                                   (python -m coverage_report run)
    .venv/bin/python -m coverage_report ask "生産性向上の補助金の上限は？"

Modules: facts (what a right answer shows, from the knowledge base), bank (template,
hand-written and staff questions), checker (one answer against its facts), servers
(starting the bot, talking to it), runner (asking the bank, rasa test nlu), report
(HTML, JSON, terminal summary). Named so as not to shadow coverage.py's ``coverage``.
"""
