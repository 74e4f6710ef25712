"""Start, watch and stop the bot's processes (Rasa, action server) and the services of the
production profile (PostgreSQL, Redis) on loopback, as real processes. Used by the
end-to-end tests and the benchmarks; nothing here is a mock."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(kb_path: Path | str | None = None, **extra: str) -> dict:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT))
    if kb_path:
        env["KNOWLEDGE_DB"] = str(kb_path)
    env.update(extra)
    return env


def start(args: list[str], log: Path, env: dict) -> subprocess.Popen:
    handle = Path(log).open("w")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{Path(log).read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{Path(log).read_text(errors='replace')[-3000:]}")


def start_actions(port: int, log: Path, env: dict) -> subprocess.Popen:
    process = start([RASA, "run", "actions", "--port", str(port)], log, env)
    wait_for(f"http://localhost:{port}/health", process, log)
    return process


def start_rasa(model: Path, port: int, endpoints: Path | str, log: Path, env: dict,
               credentials: str = "credentials.yml", extra: list[str] | None = None,
               wait: bool = True) -> subprocess.Popen:
    process = start([RASA, "run", "--model", str(model), "--port", str(port), "--endpoints", str(endpoints),
                     "--credentials", credentials] + (extra or []), log, env)
    if wait:
        wait_for(f"http://localhost:{port}/", process, log)
    return process


# ── PostgreSQL and Redis (Debian's packages) ────────────────────────────────────
@dataclass
class Service:
    process: subprocess.Popen
    host: str
    port: int
    log: Path

    def stop(self) -> None:
        stop(self.process)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def _as_postgres_user(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: CI runs as root, so drop to the postgres user.
    return ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args


def start_postgres(workdir: Path, database: str = "rasa", user: str = "rasa") -> Service:
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries not installed (apt-get install postgresql)")
    workdir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # the postgres user cannot enter root's private temporary folders (pytest's are 0700)
        workdir = Path(tempfile.mkdtemp(prefix="kanagawa-pg-"))
        shutil.chown(workdir, "postgres")
    data = workdir / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", user,
                                      "--encoding", "UTF8", "--locale", "C"]), check=True, capture_output=True)
    port = free_port()
    log = workdir / "postgres.log"
    process = subprocess.Popen(
        _as_postgres_user([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(data),
                           "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"]),
        stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True).returncode:
        if time.time() > deadline or process.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.5)
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", "postgres", "-c",
                    f"CREATE DATABASE {database}"], check=True, capture_output=True)
    return Service(process, "127.0.0.1", port, log)


def psql(service: Service, query: str, database: str = "rasa", user: str = "rasa") -> list[str]:
    result = subprocess.run(["psql", "-h", service.host, "-p", str(service.port), "-U", user, "-d", database,
                             "-At", "-c", query], check=True, capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def start_redis(workdir: Path) -> Service:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server not installed (apt-get install redis-server)")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "redis.log"
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return Service(process, "127.0.0.1", port, log)
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError("redis did not start")
        time.sleep(0.3)


# Seconds a conversation's lock outlives a replica that dies holding it (Rasa's default 60);
# scripts/run.sh uses the same default for BOT_PROFILE=production.
PRODUCTION_LOCK_LIFETIME = "15"


def production_env(kb_path, postgres: Service, redis: Service, action_port: int) -> dict:
    """The environment endpoints.production.yml reads."""
    return base_env(kb_path,
                    ACTION_ENDPOINT_URL=f"http://localhost:{action_port}/webhook",
                    POSTGRES_HOST=postgres.host, POSTGRES_PORT=str(postgres.port), POSTGRES_DB="rasa",
                    POSTGRES_USER="rasa", POSTGRES_PASSWORD="",
                    REDIS_HOST=redis.host, REDIS_PORT=str(redis.port), REDIS_PASSWORD="", REDIS_DB="0",
                    TICKET_LOCK_LIFETIME=PRODUCTION_LOCK_LIFETIME)


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, KiB."""
    total = 0
    pids = [pid]
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    pids += [int(c) for c in children]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total
