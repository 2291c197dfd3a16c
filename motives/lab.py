"""The trainer's JupyterLab on the reflection notebooks, started from the home: ``motives lab`` without a
terminal. On the laptop only (127.0.0.1), with a token of its own, and gone by itself after an hour
nobody used it, so that a lab opened during a workshop does not stay behind for weeks."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from motives.settings import Settings
from motives.system import child_environment

# JupyterLab stops itself after this long without a request, a kernel or a terminal in use.
IDLE_MINUTES = 60
STARTING_SECONDS = 60.0


@dataclass
class Lab:
    url: str  # with its token: whoever opens it is in the trainer's notebooks
    process: subprocess.Popen

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_lab(settings: Settings, folder: Path | None = None) -> Lab:
    """``motives lab`` on this laptop (a port of its own, the store of ``settings``), its token chosen here so
    that its address is known without reading its output. The token goes by the environment, never the
    command line (which any user of the machine can list)."""
    port = _free_port()
    token = secrets.token_urlsafe(24)
    argv = [sys.executable, "-m", "motives", "lab", "--no-browser", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--stop-when-idle", str(IDLE_MINUTES)] + (["--folder", str(folder)] if folder else [])
    env = child_environment({**settings.to_env(), "JUPYTER_TOKEN": token})
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    return Lab(f"http://127.0.0.1:{port}/lab?token={token}", process)


def wait_until_ready(lab: Lab, seconds: float = STARTING_SECONDS) -> bool:
    """Whether the lab answers on its port within ``seconds`` (False: it stopped, or did not start in time)."""
    port = int(lab.url.split(":")[2].split("/")[0])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and lab.running():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False
