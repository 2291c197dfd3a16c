"""The ``motives`` command as a trainer runs it, in a process of its own, and the ports such a process
listens on: shared by the CLI tests, the browser tests' servers (tests/ui/servers.py) and pgcluster.

The standard library only: pgcluster is also a script (``python3 tests/pgcluster.py``).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def motives(
    *args: str, db: Path | str | None = None, check: bool = True, env: dict[str, str] | None = None, **variables: str
) -> subprocess.CompletedProcess:
    """``python -m motives ARGS`` with the store ``db`` (``MOTIVES_DB``), in this environment (or ``env``) with
    ``variables`` added. ``check``: it must succeed, else the test fails with what it printed on stderr."""
    env = {**(os.environ if env is None else env), **({} if db is None else {"MOTIVES_DB": str(db)}), **variables}
    result = subprocess.run(
        [sys.executable, "-m", "motives", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """The one line a failed ``motives`` printed: exit status 1, nothing on stdout, one line on stderr
    without a traceback, holding each of ``fragments``."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_on(port: int | str) -> list[str]:
    """The local addresses (``ADDRESS:PORT``) on which something listens for TCP on ``port``."""
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
    return [line.split()[3] for line in listening.splitlines()]  # State Recv-Q Send-Q Local Peer


def answering(base: str) -> bool:
    """Whether a server answers at ``base`` at all (any status; a redirect is not followed, so no page
    is rendered and no kernel started by asking)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def wait_until_answering(process: subprocess.Popen, base: str, seconds: float = 60, log: Path | None = None) -> None:
    """Return once the server ``process`` answers at ``base``; if it ends first, or takes longer than
    ``seconds``, kill it and fail with what it said (its ``log``, else its piped output)."""
    deadline = time.monotonic() + seconds
    while not answering(base):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            said = log.read_text() if log else process.communicate(timeout=30)[0] if process.stdout else ""
            raise AssertionError(f"{' '.join(map(str, process.args))} did not start at {base}:\n{said}")
        time.sleep(0.3)
