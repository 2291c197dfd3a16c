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
import socket
import subprocess
import sys
import time
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


def start(folder: Path, max_connections: int = 200) -> str:
    """Create and start a cluster in ``folder`` that takes ``max_connections`` clients; return its URL."""
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
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {run} -c fsync=off -c max_connections={max_connections}"
    (folder / "options").write_text(options)  # for pg_ctl start after a stop (restart reuses them itself)
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
            options,
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


def pg_ctl(folder: Path, *args: str) -> None:
    """``pg_ctl`` on the cluster in ``folder`` (``restart``, ``stop``, ``start``), waited for."""
    bin_dir = binaries()
    command = [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-w", *args]
    if args[0] == "start":
        command += ["-o", (folder / "options").read_text()]
    done = subprocess.run(_as_owner(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {done.stderr.strip()}")


def pgbouncer_binary() -> str | None:
    """Debian's PgBouncer (in /usr/sbin, which a user's PATH may lack), else one on the PATH."""
    return shutil.which("pgbouncer") or next((p for p in ("/usr/sbin/pgbouncer",) if os.access(p, os.X_OK)), None)


def start_pgbouncer(folder: Path, cluster_port: int, pool_size: int = 20) -> tuple[subprocess.Popen, int]:
    """Debian's PgBouncer in ``folder``, in transaction mode in front of the cluster on ``cluster_port``:
    ``pool_size`` server connections for any number of clients. Returns the process and its port."""
    port = free_port()
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{DATABASE} = host=127.0.0.1 port={cluster_port} dbname={DATABASE} user=postgres\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir = {folder}\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 2000\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    (folder / "users.txt").write_text('"postgres" ""\n')
    binary = pgbouncer_binary()
    if binary is None:
        raise RuntimeError("PgBouncer is not installed: apt-get install -y pgbouncer")
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root: as the cluster's own user, then
        for path in (folder, folder / "pgbouncer.ini", folder / "users.txt"):
            shutil.chown(path, "postgres")
        command = _as_owner(command)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # listening once it accepts a connection
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("pgbouncer did not start")


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
