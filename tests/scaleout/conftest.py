"""The scale-out site: two gunicorn "hosts" on loopback behind haproxy, sharing one PostgreSQL, one Redis and one
worker, as a deployment of several machines does (README "Scaling out"). Run with `make test-scaleout`; `make test`
leaves these tests out. Every service here is the suite's own (its own folder and ports), stopped by its PID.

Clients connect from addresses of their own in 127.0.0.0/8 (all of it is loopback on Linux): haproxy passes the
address on in X-Forwarded-For, and the app, told of one proxy, counts each test's requests against its own client.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest

from bench.server import Server, children_of, gunicorn_start, gunicorn_stop, wait_until_up
from tests.conftest import PROJECT_DIR
from tests.servers import Cluster, Redis, manage, owner_url

PG_PORT = os.environ.get("SCALEOUT_PG_PORT", "25436")
REDIS_PORT = os.environ.get("SCALEOUT_REDIS_PORT", "26382")
PROXY_PORT = int(os.environ.get("SCALEOUT_PROXY_PORT", "8100"))
HOST_PORTS = {"a": PROXY_PORT + 1, "b": PROXY_PORT + 2}
ANONYMOUS_RATE = 40  # per minute, per client address: the limit the hosts must hold together
ADMIN = ("scaleout-admin", "a-long-admin-password-for-the-scale-out-run")

HAPROXY_CONFIG = """\
global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
    # a host that refuses the connection or drops it before answering: try the other (never for a POST, which may
    # have been carried out: see the backend)
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response

frontend site
    bind 127.0.0.1:{proxy}
    default_backend hosts

backend hosts
    balance roundrobin
    option httpchk GET /livez
    default-server inter 250ms fall 2 rise 2
    http-request disable-l7-retry if METH_POST
    http-response set-header X-Served-By %s
    server a 127.0.0.1:{a} check
    server b 127.0.0.1:{b} check
"""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Site:
    """The running deployment: ``base`` is haproxy's address; each host is reachable on its own too."""

    base: str
    database_url: str  # the owner role's, for looking at rows
    hosts: dict[str, Server]
    host_env: dict[str, str]
    proxy: subprocess.Popen
    worker: subprocess.Popen
    stopped: list[str] = field(default_factory=list)

    def url(self, host: str | None = None) -> str:
        return self.hosts[host].base if host else self.base

    def request(
        self,
        method: str,
        path: str,
        *,
        host: str | None = None,
        source: str = "127.0.0.1",
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request, through haproxy or to one host, from the loopback address ``source``."""
        address = urllib.parse.urlsplit(self.url(host))
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60, source_address=(source, 0))
        try:
            sent = dict(headers or {})
            data = None
            if body is not None:
                data = json.dumps(body)
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def query(self, sql: str, *params):
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql, params).fetchall()

    def kill(self, host: str) -> list[int]:
        """SIGKILL the host's gunicorn master and its workers at once, as a machine that loses power; their PIDs."""
        master = self.hosts[host].process
        pids = [master.pid, *children_of(master.pid)]
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        master.wait()
        return pids

    def restart(self, host: str) -> None:
        port = HOST_PORTS[host]
        self.hosts[host] = gunicorn_start(port=port, workers=2, env=self.host_env)
        self.wait_for_proxy_to_use(host)

    def wait_for_proxy_to_use(self, host: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            served = {self.get("/livez").headers.get("x-served-by") for _ in range(4)}
            if host in served:
                return
            time.sleep(0.2)
        raise RuntimeError(f"haproxy did not send requests to host {host} within {seconds:g} s")


class FormFields(HTMLParser):
    """The fields a browser would submit from a page's main form: inputs (checked boxes only), selects and
    textareas, in order."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))  # a browser sends "on" for a bare box
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._selected = name, None
        elif tag == "option" and self._select and ("selected" in a or self._selected is None):
            if "selected" in a or self._selected is None:
                self._selected = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            key, value = self.fields[-1]
            self.fields[-1] = (key, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.fields.append((self._select, self._selected or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class AdminBrowser:
    """The admin as a browser uses it, on one host: a session cookie, the CSRF token, forms posted back whole."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (our own host on loopback)
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()

    def form(self, path: str) -> list[tuple[str, str]]:
        parser = FormFields()
        parser.feed(self.open(path)[1])
        return parser.fields

    def login(self, username: str, password: str) -> None:
        fields = dict(self.form("/admin/login/?next=/admin/"))
        fields.update(username=username, password=password)
        _status, page = self.open("/admin/login/?next=/admin/", list(fields.items()))
        if "Log out" not in page:
            raise RuntimeError("admin login failed")


def _haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], env=env, check=True, capture_output=True)
        return shutil.which("haproxy") or "/usr/sbin/haproxy"
    raise RuntimeError("haproxy is not installed (e.g. 'sudo apt-get install haproxy')")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    haproxy = _haproxy()
    folder = tmp_path_factory.mktemp("scaleout")
    cluster, redis = Cluster(folder / "pg", PG_PORT), Redis(folder / "redis", REDIS_PORT)
    database_url = cluster.start()
    started: list = []
    try:
        redis_url = redis.start()
        manage("migrate", "--noinput", database_url=owner_url(database_url))
        manage("import_catalog", database_url=database_url)
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "API_ANONYMOUS_RATE": f"{ANONYMOUS_RATE}/minute",
            "DJANGO_TRUSTED_PROXIES": "1",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
        }
        manage(
            "createsuperuser",
            "--noinput",
            f"--username={ADMIN[0]}",
            "--email=admin@example.com",
            database_url=database_url,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN[1]},
        )
        hosts = {}
        for name, port in HOST_PORTS.items():
            hosts[name] = gunicorn_start(port=port, workers=2, env=env)
            started.append(hosts[name].process)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "sheets,verdicts,webhooks"],
            cwd=PROJECT_DIR,
            env={**os.environ, **env, "DJANGO_LOG_LEVEL": "WARNING"},
        )
        started.append(worker)
        config = folder / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(proxy=PROXY_PORT, a=HOST_PORTS["a"], b=HOST_PORTS["b"]))
        proxy = subprocess.Popen([haproxy, "-db", "-q", "-f", str(config)], stdout=subprocess.DEVNULL)
        started.append(proxy)
        base = f"http://127.0.0.1:{PROXY_PORT}"
        wait_until_up(base)
        site = Site(base, owner_url(database_url), hosts, env, proxy, worker)
        site.wait_for_proxy_to_use("a")
        site.wait_for_proxy_to_use("b")
        yield site
        started = [site.proxy, site.worker, *(server.process for server in site.hosts.values())]
    finally:
        for process in started:
            if process.args[:3] == [sys.executable, "-m", "gunicorn"]:
                gunicorn_stop(process)
            elif process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        redis.stop()
        cluster.stop()
