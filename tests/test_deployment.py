"""The benchmarks and the fault runs measure the server the Dockerfile ships: the same gunicorn options."""

import json
import re

from bench.server import DOCKERFILE_OPTIONS, PROJECT


def dockerfile_command() -> list[str]:
    text = (PROJECT / "Dockerfile").read_text()
    command = re.search(r"^CMD (\[.*?\])$", text.replace("\\\n", ""), re.MULTILINE | re.DOTALL)[1]
    return json.loads(command)


def options(command: list[str], leave_out: set[str]) -> list[tuple[str, ...]]:
    """The command's options as (flag, value) or (flag,), without those in ``leave_out``."""
    found, words = [], command[command.index("configurator.wsgi") + 1 :]
    while words:
        flag, words = words[0], words[1:]
        value = () if not words or words[0].startswith("--") else (words.pop(0),)
        if flag not in leave_out:
            found.append((flag, *value))
    return found


def test_the_benchmark_server_runs_gunicorn_as_the_dockerfile_does():
    shipped = options(dockerfile_command(), leave_out={"--bind", "--workers", "--access-logfile"})
    assert sorted(shipped) == sorted(options(["configurator.wsgi", *DOCKERFILE_OPTIONS], leave_out=set()))
    assert ("--preload",) in shipped
