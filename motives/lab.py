"""The trainer's JupyterLab on the reflection notebooks, started from the home: ``motives lab`` without a
terminal. On the laptop only (127.0.0.1), with a token of its own, and gone by itself after an hour
nobody used it, so that a lab opened during a workshop does not stay behind for weeks.

One lab at a time: its address is kept in a file of the trainer's own (``record``), so that the home
reloaded, or opened in another tab, finds the lab that runs instead of starting another."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from motives.settings import Settings
from motives.system import child_environment, data_folder

# JupyterLab stops itself after this long without a request, a kernel or a terminal in use.
IDLE_MINUTES = 60
STARTING_SECONDS = 60.0


@dataclass
class Lab:
    url: str  # with its token: whoever opens it is in the trainer's notebooks
    pid: int
    process: subprocess.Popen | None = None  # when this process started it (and so reaps it)

    def running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            return psutil.Process(self.pid).status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def stop(self) -> None:
        if not self.running():
            return
        try:
            process = psutil.Process(self.pid)
            process.terminate()
            process.wait(timeout=20)
        except psutil.TimeoutExpired:
            process.kill()
        except psutil.Error:
            pass
        if self.process is not None:
            self.process.poll()


def record_path() -> Path:
    """Where the home notes the lab it started: beside the trainer's store, in the app's own folder."""
    return data_folder() / "lab.json"


def found_lab(record: Path) -> Lab | None:
    """The lab a home started earlier, if it still runs and answers (None: start one)."""
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        lab = Lab(str(kept["url"]), int(kept["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return lab if lab.running() and wait_until_ready(lab, 1.0) else None


def keep(lab: Lab, record: Path) -> None:
    """Note where ``lab`` runs, readable by this user alone (its address holds the token)."""
    record.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(record, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"url": lab.url, "pid": lab.pid}, file)


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
    return Lab(f"http://127.0.0.1:{port}/lab?token={token}", process.pid, process)


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
