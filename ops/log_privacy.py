"""No user text in the logs at any level but DEBUG, whoever logs it.

The project's own code logs hashed sender ids and lengths only. Rasa, rasa_sdk, Sanic and
the other libraries do not promise that: on their error paths they log trackers, request
and response bodies and exception messages that quote user text (Rasa 3.6.21 logs the
action server's whole 500 answer, the request's tracker with it, as one ERROR line).

:func:`install` sets a log record factory (``logging.setLogRecordFactory``), so every
record is made safe when it is created, before any handler, formatter or logging
configuration sees it. For every record above DEBUG:

* an exception keeps its type and traceback (files, lines, functions) but not its
  message: ``ValueError: <message withheld: 1234 characters>`` (but for the project's
  :data:`SAFE_EXCEPTIONS` about its own files, such as an unreadable knowledge base);
* a record of a library (any logger outside the project's packages) is cut before the
  first ``{`` or ``[`` (JSON, trackers, dicts, lists, bodies) and before a ``b'`` / ``b"``
  bytes value; quoted values other than Rasa's names (``'action_answer'``) and URLs
  without a query, runs of non-ASCII characters, e-mail addresses, URL query strings and
  runs of 6 or more digits (phone numbers, amounts) are replaced by ``<...>``; what is left
  is at most :data:`MAX_CHARS` characters.

DEBUG records are left whole: do not run production at DEBUG. Rasa imports the
``channels`` package and the action server the ``actions`` package when they start; both
call :func:`install`.
"""

from __future__ import annotations

import logging
import re
import traceback

PROJECT_LOGGERS = ("channels", "actions", "knowledge", "nlu", "web", "ops", "bench", "scripts", "__main__")
MAX_CHARS = 300
# the project's exceptions about its own files and configuration, never user text: their
# messages (which file, which command rebuilds it) are kept
SAFE_EXCEPTIONS = {"knowledge.kb.KnowledgeBaseUnavailable", "knowledge.catalogue.CatalogueError",
                   "knowledge.checks.CheckFailed"}
WITHHELD = "<...>"
_STRUCTURED = re.compile(r"[{\[]|\bb['\"]")
_SCRUBBED = re.compile(
    r"[^\x00-\x7f]+"                           # Japanese and any other non-ASCII text
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"         # e-mail addresses
    r"|\?[^\s'\"]+"                              # URL query strings
    r"|\+?\d(?:[\d\-() ,]*\d){5,}"               # phone numbers, amounts: 6 or more digits
)
# a quoted value is kept only if it is one of Rasa's names or a URL without a query
_QUOTED = re.compile(r"(?<!\w)'([^'\n]*)'(?!\w)|(?<!\w)\"([^\"\n]*)\"(?!\w)")
_NAME_OR_URL = re.compile(r"(?:action|utter|validate)_[a-z0-9_]{1,80}|https?://[\w.\-:\[\]]+(?:/[\w.\-/]*)?",
                          re.ASCII)


def is_project(name: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in PROJECT_LOGGERS)


def _quoted(found: re.Match) -> str:
    value = found.group(1) if found.group(1) is not None else found.group(2)
    quote = found.group(0)[0]
    value, query, _ = value.partition("?")
    if _NAME_OR_URL.fullmatch(value):
        return f"{quote}{value}{'?' + WITHHELD if query else ''}{quote}"
    return f"{quote}{WITHHELD}{quote}"


def scrub(message: str) -> str:
    """A library's log message without anything that may be user text."""
    found = _STRUCTURED.search(message)
    cut = len(message) - found.start() if found else 0
    if found:
        message = message[:found.start()].rstrip()
    message = _QUOTED.sub(_quoted, message)
    message = _SCRUBBED.sub(WITHHELD, message)
    if len(message) > MAX_CHARS:
        cut += len(message) - MAX_CHARS
        message = message[:MAX_CHARS]
    return f"{message} <{cut} characters withheld>" if cut else message


def exception_text(exc_info) -> str:
    """A traceback with every exception's message withheld (types and frames kept)."""
    kind, value, tb = exc_info
    lines: list[str] = []
    chain = []
    seen = set()
    while value is not None and id(value) not in seen:
        seen.add(id(value))
        chain.append(value)
        value = value.__cause__ or (None if value.__suppress_context__ else value.__context__)
    for position, error in enumerate(reversed(chain)):
        if position:
            lines.append("\nThe above exception led to:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        shown = str(error)
        name = type(error).__qualname__
        if f"{type(error).__module__}.{name}" in SAFE_EXCEPTIONS:
            lines.append(f"{name}: {shown}\n")
        else:
            lines.append(f"{name}: <message withheld: {len(shown)} characters>\n" if shown else f"{name}\n")
    return "".join(lines).rstrip("\n")


def make_safe(record: logging.LogRecord) -> logging.LogRecord:
    if record.levelno <= logging.DEBUG:
        return record
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = exception_text(record.exc_info)
        record.exc_info = None
    if not is_project(record.name):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
    return record


def install() -> None:
    """Make every log record of this process safe when it is created (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "_log_privacy", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return make_safe(current(*args, **kwargs))

    factory._log_privacy = True
    logging.setLogRecordFactory(factory)
