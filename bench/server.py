"""The production server for benchmarks and fault runs: gunicorn as the Dockerfile runs it, on 127.0.0.1 only,
stopped (by its PID) when the block ends, whatever happens inside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# The Dockerfile's gunicorn options but its address, workers and access log (tests/test_deployment.py compares them).
DOCKERFILE_OPTIONS = ("--max-requests", "20000", "--max-requests-jitter", "2000", "--timeout", "30", "--preload")


@dataclass
class Server:
    base: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's child processes."""
        return children_of(self.process.pid)


def children_of(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/livez", timeout=1)  # noqa: S310 (our own server on loopback)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base} within {seconds:g} s")


def gunicorn_start(*, port: int, workers: int = 3, env: dict[str, str] | None = None, quiet: bool = True) -> Server:
    """Start gunicorn with the Dockerfile's options on 127.0.0.1:port and return once it answers. The caller
    stops it (gunicorn_stop)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "configurator.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *DOCKERFILE_OPTIONS,
    ]
    environment = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING", **(env or {})}
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
    except RuntimeError:
        gunicorn_stop(process)
        raise
    return Server(base, process)


def gunicorn_stop(process: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (SIGTERM), or kill it after 30 s; a no-op when it has ended."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def gunicorn(
    *, port: int, workers: int = 3, env: dict[str, str] | None = None, quiet: bool = True
) -> Iterator[Server]:
    """Start gunicorn with the Dockerfile's options on 127.0.0.1:port; yield once it answers; stop it after."""
    server = gunicorn_start(port=port, workers=workers, env=env, quiet=quiet)
    try:
        yield server
    finally:
        gunicorn_stop(server.process)
