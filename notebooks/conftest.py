"""nbval runs the reflection notebooks on a store of their own, filled by ``motives demo`` twice.

nbval starts a notebook's kernel when its first cell is set up, and the kernel
inherits this process's environment: ``MOTIVES_DB`` is set just before, and put
back afterwards, so that no other notebook or test sees these sessions (and no
run ever reads the trainer's real store). Files the notebook writes go to a
temporary folder (``MOTIVES_OUTPUT``), not into the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_STORE: dict[str, str] = {}
_SAVED: dict[str, str | None] = {}


def _reflect_store() -> dict[str, str]:
    if not _STORE:
        folder = Path(tempfile.mkdtemp(prefix="motives-reflect-"))
        db = folder / "reflect.db"
        for language in ("nl", "en"):
            subprocess.run(
                [sys.executable, "-m", "motives", "demo", "--lang", language, "--db", str(db)],
                check=True,
                capture_output=True,
                timeout=120,
            )
        _STORE.update(MOTIVES_DB=str(db), MOTIVES_OUTPUT=str(folder))
    return _STORE


def _is_reflection(item: pytest.Item) -> bool:
    return Path(str(item.fspath)).name.startswith("reflect")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _is_reflection(item):
        for name, value in _reflect_store().items():
            _SAVED.setdefault(name, os.environ.get(name))
            os.environ[name] = value


def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _is_reflection(item):
        for name, value in _SAVED.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _SAVED.clear()
