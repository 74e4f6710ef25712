"""LINE redeliveries across replicas: the webhook event ids seen are shared in Redis (a
real redis-server), so a redelivery reaching another replica is still answered once."""

import asyncio
import uuid

import pytest

from channels.line import SharedRecentIds
from ops.processes import free_port

pytestmark = pytest.mark.slow


def ids_seen(redis_port, event_ids, replicas=2):
    """For each event id in turn, whether the replica it reaches (round robin) had seen it."""
    async def scenario():
        import redis.asyncio

        seen = []
        stores = [SharedRecentIds(redis.asyncio.Redis(host="127.0.0.1", port=redis_port, socket_timeout=0.5,
                                                      socket_connect_timeout=0.5)) for _ in range(replicas)]
        for index, event_id in enumerate(event_ids):
            seen.append(await stores[index % replicas].seen_before(event_id))
        for store in stores:
            await store.close()
        return seen

    return asyncio.run(scenario())


def test_a_redelivery_to_the_other_replica_is_recognised(redis):
    first, second = f"01H{uuid.uuid4().hex[:20]}", f"01H{uuid.uuid4().hex[:20]}"
    # replica 0 gets `first`, replica 1 its redelivery, replica 0 `second`, replica 1 its redelivery
    assert ids_seen(redis.port, [first, first, second, second]) == [False, True, False, True]


def test_without_redis_each_replica_still_deduplicates_its_own():
    dead = free_port()   # nothing listens there
    event = f"01H{uuid.uuid4().hex[:20]}"
    assert ids_seen(dead, [event, event], replicas=1) == [False, True]


def test_the_channel_uses_redis_when_the_production_profile_sets_it(redis, monkeypatch):
    from channels.line import LineInput

    monkeypatch.setenv("REDIS_HOST", redis.host)
    monkeypatch.setenv("REDIS_PORT", str(redis.port))
    monkeypatch.setenv("REDIS_PASSWORD", "")
    monkeypatch.setenv("REDIS_DB", "0")
    replicas = [LineInput("secret", "token"), LineInput("secret", "token")]
    event = {"webhookEventId": f"01H{uuid.uuid4().hex[:20]}"}

    async def scenario():
        answers = [await replicas[0].seen_before(event), await replicas[1].seen_before(event)]
        for replica in replicas:
            await replica.shared_recent.close()
        return answers

    assert asyncio.run(scenario()) == [False, True]
    monkeypatch.delenv("REDIS_HOST")
    assert LineInput("secret", "token").shared_recent is None

