"""Real PostgreSQL and Redis (Debian's packages), an action server and two Rasa replicas
sharing them through endpoints.production.yml. Nothing is mocked."""

import pytest

from ops.processes import (
    free_port,
    postgres_bin,
    production_env,
    start_actions,
    start_postgres,
    start_rasa,
    start_redis,
    stop,
    wait_for,
)

from ..conftest import missing_service
from ..e2e.conftest import ensure_model


@pytest.fixture(scope="session")
def trained_model(kb_path):
    return ensure_model(kb_path)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    if postgres_bin() is None:
        missing_service("PostgreSQL server binaries not installed (apt-get install postgresql; .ci/run does)")
    service = start_postgres(tmp_path_factory.mktemp("pg"))
    yield service
    service.stop()


@pytest.fixture(scope="session")
def redis(tmp_path_factory):
    try:
        service = start_redis(tmp_path_factory.mktemp("redis"))
    except FileNotFoundError as error:
        missing_service(f"{error}; .ci/run installs it")
    yield service
    service.stop()


@pytest.fixture(scope="session")
def replicas(trained_model, kb_path, postgres, redis, tmp_path_factory):
    """Two Rasa replicas and one action server, all on the production profile."""
    logs = tmp_path_factory.mktemp("replica-logs")
    action_port = free_port()
    env = production_env(kb_path, postgres, redis, action_port)
    actions = start_actions(action_port, logs / "actions.log", env)
    ports = [free_port(), free_port()]
    servers = [start_rasa(trained_model, port, "endpoints.production.yml", logs / f"rasa-{port}.log", env,
                          wait=False) for port in ports]
    for process, port in zip(servers, ports):
        wait_for(f"http://localhost:{port}/", process, logs / f"rasa-{port}.log")
    yield [f"http://localhost:{port}" for port in ports]
    for process in servers + [actions]:
        stop(process)
