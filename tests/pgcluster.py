"""A throwaway PostgreSQL cluster in a temporary folder, for the tests.

Standard library only, so ``.ci/run`` can use it before the venv exists::

    python3 tests/pgcluster.py start DIR   # prints the SQLAlchemy URL
    python3 tests/pgcluster.py stop DIR

The cluster listens on 127.0.0.1 and a socket inside DIR only, trusts local
connections (it holds nothing but test data) and is removed with DIR.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

# Beside this file, as pytest and ``python3 tests/pgcluster.py`` both find it.
from processes import free_port

DATABASE = "motives_test"
TOOLS = ("initdb", "pg_ctl", "createdb")


def binaries() -> Path | None:
    """The folder with initdb, pg_ctl and createdb: Debian's versioned folders (newest first), then PATH."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    found = shutil.which("initdb")
    candidates = [Path(f) for f in folders] + ([Path(found).parent] if found else [])
    return next((f for f in candidates if all((f / tool).is_file() for tool in TOOLS)), None)


def _as_owner(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as Debian's postgres user then.
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def url(folder: Path) -> str:
    port = (folder / "port").read_text().strip()
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"


def start(folder: Path) -> str:
    """Create and start a cluster in ``folder``; return its URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb): apt-get install -y postgresql")
    folder.mkdir(parents=True, exist_ok=True)
    data, run = folder / "data", folder / "run"
    run.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (folder, run):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    steps = [
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {run} -c fsync=off -c max_connections=200",
            "start",
        ],
    ]
    for step in steps:
        done = subprocess.run(_as_owner(step), **quiet)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(step[0]).name} failed: {done.stderr.strip()}")
    (folder / "port").write_text(str(port))
    create = [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE]
    done = subprocess.run(_as_owner(create), **quiet)
    if done.returncode != 0:
        raise RuntimeError(f"createdb failed: {done.stderr.strip()}")
    return url(folder)


def stop(folder: Path) -> None:
    bin_dir = binaries()
    if bin_dir is not None and (folder / "data").is_dir():
        command = [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_owner(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit("usage: pgcluster.py start|stop DIR")
    try:
        if sys.argv[1] == "start":
            print(start(Path(sys.argv[2])))
        else:
            stop(Path(sys.argv[2]))
    except RuntimeError as exc:
        sys.exit(f"pgcluster: {exc}")
