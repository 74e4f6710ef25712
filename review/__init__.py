"""Staff review of real conversations (``make review``), read from Rasa's tracker store.

* ``store``   – the tracker store of the endpoints file the bot uses (SQLite by default,
  PostgreSQL under ``BOT_PROFILE=production``): its events, and the purge of old ones
* ``turns``   – conversations as turns: the user's message, the bot's answers, what they
  were about, the 👍 / 👎 given to them; each turn's outcome and what went wrong
* ``privacy`` – masks for phone numbers, e-mail addresses and postal codes; hashed ids
* ``report``  – reports/review/index.html, review.csv and questions.yml
"""

import os

# Rasa 3.6 uses SQLAlchemy 1.4 with pre-2.0 APIs; its notice about that is no news for staff.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
