"""Where the app keeps its files on each system a trainer may run it on (motives/system.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from motives import system


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    for variable in ("XDG_DATA_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@pytest.mark.parametrize(
    ("platform", "environment", "expected"),
    [
        ("linux", {}, ".local/share/motives"),
        ("linux", {"XDG_DATA_HOME": "{home}/xdg"}, "xdg/motives"),
        ("darwin", {}, "Library/Application Support/motives"),
        ("darwin", {"XDG_DATA_HOME": "{home}/xdg"}, "Library/Application Support/motives"),
        ("win32", {"LOCALAPPDATA": "{home}/AppData/Local"}, "AppData/Local/motives"),
        ("win32", {}, "AppData/Local/motives"),
    ],
)
def test_the_store_lives_in_each_systems_folder_for_an_apps_data(home, monkeypatch, platform, environment, expected):
    monkeypatch.setattr(sys, "platform", platform)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value.format(home=home))
    assert system.data_folder() == home / expected


def test_the_store_file_is_in_that_folder(home):
    from motives.store import default_location

    assert default_location() == system.data_folder() / "motives.db"


def test_the_trainers_notebooks_go_to_documents_where_there_is_one(home):
    assert system.notebooks_folder() == home / "motives"
    (home / "Documents").mkdir()
    assert system.notebooks_folder() == home / "Documents" / "motives"


def test_root_is_asked_of_the_system_only_where_it_has_the_call(monkeypatch):
    monkeypatch.setattr("os.geteuid", lambda: 0, raising=False)
    assert system.runs_as_root() is True
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert system.runs_as_root() is False
    monkeypatch.delattr("os.geteuid")  # as on Windows
    assert system.runs_as_root() is False
