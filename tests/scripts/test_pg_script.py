"""scripts/pg.sh: the embedded PostgreSQL starts once, and a second start is a no-op."""

import subprocess

import psycopg
import pytest

from tests.conftest import pg_script

PORT = "25439"


def pg(*args: str, data_root) -> subprocess.CompletedProcess:
    return pg_script(*args, data_root=data_root, port=PORT)


def server_started_at(url: str):
    """When this server process started: unchanged as long as nobody restarts it."""
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]


@pytest.mark.slow
def test_start_is_idempotent_and_stop_stops(tmp_path):
    data_root = tmp_path / "pgdata"
    try:
        first = pg("start", "test", data_root=data_root)
        assert first.returncode == 0, first.stderr
        url = first.stdout.strip()
        assert url == f"postgres://configurator@127.0.0.1:{PORT}/configurator"
        assert "started the test cluster" in first.stderr
        server = server_started_at(url)

        second = pg("start", "test", data_root=data_root)
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == url
        assert "already runs" in second.stderr
        assert server_started_at(url) == server

        with psycopg.connect(url, connect_timeout=5) as conn:
            assert conn.execute("SHOW fsync").fetchone() == ("off",)
            assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
    finally:
        stopped = pg("stop", "test", data_root=data_root)
    assert stopped.returncode == 0
    assert pg("status", "test", data_root=data_root).returncode == 1
