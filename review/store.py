"""The tracker store the bot uses, read through its endpoints file.

The bot keeps conversations in Rasa's ``SQLTrackerStore`` (endpoints.yml: SQLite
``build/trackers.db``; endpoints.production.yml: PostgreSQL, values from the
environment). This module reads the same ``tracker_store`` section with Rasa's own
reader (``${VAR}`` expanded as Rasa expands it), builds the database URL with
``SQLTrackerStore.get_db_url`` and reads the ``events`` table with SQLAlchemy: one row
per event, its JSON in ``data``. Nothing else is stored anywhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


def default_endpoints() -> Path:
    """endpoints.production.yml under ``BOT_PROFILE=production`` (as scripts/run.sh), else endpoints.yml."""
    name = "endpoints.production.yml" if os.environ.get("BOT_PROFILE") == "production" else "endpoints.yml"
    return ROOT / name


def database_url(endpoints: Path | str) -> sa.engine.URL | str:
    """The SQLAlchemy URL of the endpoints file's SQL tracker store."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    try:
        config = read_endpoint_config(str(endpoints), "tracker_store")
    except RasaException as error:   # a ${VAR} of the file not set (the production profile)
        raise SystemExit(f"{endpoints}: {error} (set the same environment as the bot's)") from None
    if config is None or str(config.type).lower() != "sql":
        raise SystemExit(f"{endpoints}: the review reads an SQL tracker store (type: SQL); found {config and config.type}")
    kwargs = config.kwargs
    dialect = kwargs.get("dialect", "sqlite")
    db = str(kwargs.get("db", "rasa.db"))
    if dialect == "sqlite" and not Path(db).is_absolute():
        db = str(ROOT / db)   # relative to the project, where the bot runs
    port = kwargs.get("port")
    return SQLTrackerStore.get_db_url(dialect, config.url, int(port) if port not in (None, "") else None, db,
                                      kwargs.get("username"), kwargs.get("password"),
                                      query=kwargs.get("query"))


def engine_for(endpoints: Path | str) -> sa.engine.Engine:
    url = database_url(endpoints)
    if str(url).startswith("sqlite") and not Path(str(sa.engine.make_url(url).database)).exists():
        raise SystemExit(f"no tracker store at {sa.engine.make_url(url).database} (no conversation yet?)")
    return sa.create_engine(url)


def _events_table(engine: sa.engine.Engine) -> sa.Table:
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def day_start(day: str) -> float:
    """A YYYY-MM-DD date as the timestamp of its start (UTC)."""
    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()


@dataclass
class StoredConversation:
    sender_id: str
    events: list[dict] = field(default_factory=list)


def conversations(engine: sa.engine.Engine, since: str | None = None, until: str | None = None,
                  batch: int = 5000) -> Iterator[StoredConversation]:
    """Each conversation's events in order, those between ``since`` and ``until``
    (dates, ``until`` included)."""
    table = _events_table(engine)
    query = sa.select(table.c.sender_id, table.c.data).order_by(table.c.sender_id, table.c.id)
    if since:
        query = query.where(table.c.timestamp >= day_start(since))
    if until:
        query = query.where(table.c.timestamp < day_start(until) + 86400)
    current: StoredConversation | None = None
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(query)
        while rows := result.fetchmany(batch):
            for sender_id, data in rows:
                if current is None or current.sender_id != sender_id:
                    if current is not None:
                        yield current
                    current = StoredConversation(sender_id)
                try:
                    event = json.loads(data)
                except (TypeError, ValueError):
                    continue
                if isinstance(event, dict):
                    current.events.append(event)
    if current is not None:
        yield current


def purge(engine: sa.engine.Engine, before: str) -> tuple[int, int]:
    """Deletes every conversation whose last event is before the date ``before``
    (retention): (conversations, events) deleted. A conversation still going on after
    that date is kept whole. SQLite is vacuumed after, so the deleted text leaves the file."""
    table = _events_table(engine)
    cutoff = day_start(before)
    last = sa.select(table.c.sender_id).group_by(table.c.sender_id).having(sa.func.max(table.c.timestamp) < cutoff)
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(last)]
        deleted = 0
        for start in range(0, len(senders), 500):
            chunk = senders[start:start + 500]
            deleted += connection.execute(sa.delete(table).where(table.c.sender_id.in_(chunk))).rowcount
    if deleted and engine.dialect.name == "sqlite":
        # the deleted rows leave the file too (PostgreSQL's autovacuum reclaims its own)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
    return len(senders), deleted
