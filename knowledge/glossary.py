"""English words for the document's Japanese words, from a Japanese–English dictionary.

English questions describe a need in their own words ("appraisal", "rent", "overseas
students"); the programs' English names and summaries are one line each. So that an
English question finds a program by any word of its part of the document, the build
looks each Japanese word of the program up in JMdict (the Electronic Dictionary Research
and Development Group's dictionary, shipped inside the ``jamdict-data`` package: nothing
is downloaded) and indexes the English words of its main senses beside the English name
(knowledge/build.py ``_english_index``). Only the build reads the dictionary; the bot
reads the index.
"""

from __future__ import annotations

import re
import sqlite3

from .text import english_terms

# A word's first senses are its common meanings (評価: valuation, appraisal …); later ones
# are rarer uses that would tie unrelated English words to the program.
SENSES = 2

_HIRAGANA_ONLY = re.compile(r"^[\u3041-\u309f]+$")
_PARENTHESES = re.compile(r"\([^)]*\)")


def _database() -> sqlite3.Connection:
    import jamdict_data  # the build's dependency only (requirements.txt)

    return sqlite3.connect(f"file:{jamdict_data.JAMDICT_DB_PATH}?mode=ro", uri=True)


class Glossary:
    """English stems of Japanese words (``stems``); one dictionary connection per build."""

    def __init__(self, stopwords: frozenset[str] = frozenset()):
        self.stopwords = stopwords
        self._db = _database()
        self._known: dict[str, tuple[str, ...]] = {}

    def close(self) -> None:
        self._db.close()

    def stems(self, word: str) -> list[str]:
        """The stems of the English glosses of a Japanese word's first senses (評価: valuat,
        apprais, evalu …); none for one character (費, 県: too many meanings), hiragana
        (こと, よる: grammar) or ASCII."""
        if word not in self._known:
            self._known[word] = self._stems(word)
        return list(self._known[word])

    def _stems(self, word: str) -> tuple[str, ...]:
        if len(word) < 2 or word.isascii() or _HIRAGANA_ONLY.match(word):
            return ()
        entries = self._db.execute("select idseq from Kanji where text = ? union "
                                   "select idseq from Kana where text = ?", (word, word)).fetchall()
        seen: dict[str, None] = {}
        for (entry,) in entries:
            senses = self._db.execute("select ID from Sense where idseq = ? order by ID limit ?",
                                      (entry, SENSES)).fetchall()
            for (sense,) in senses:
                for (gloss,) in self._db.execute("select text from SenseGloss where sid = ? and lang = 'eng'",
                                                 (sense,)):
                    # a gloss of several words is its last one's sense ("shop floor" is a
                    # floor, not a shop; "overseas student" a student)
                    for stem in english_terms(_PARENTHESES.sub(" ", gloss), self.stopwords)[-1:]:
                        seen.setdefault(stem, None)
        return tuple(seen)
