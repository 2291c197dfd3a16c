"""The settings every process reads from the environment, and hands on to the pages' kernels."""

from __future__ import annotations

import pytest

from motives.errors import SettingsError
from motives.settings import Settings, system_language


def test_without_variables_the_settings_are_the_laptops_defaults():
    assert Settings.from_env({}) == Settings(
        db="", base_url="http://127.0.0.1:8866", team_url="", max_teams=40, max_own=100, expire_days=0
    )


def test_the_variables_are_read_trimmed():
    environ = {
        "MOTIVES_DB": " /data/motives.db ",
        "MOTIVES_BASE_URL": "https://hub.example.org/user/trainer/",
        "MOTIVES_TEAM_URL": "https://hub.example.org/services/motives/voila/render/team.ipynb",
        "MOTIVES_MAX_TEAMS": "12",
        "MOTIVES_MAX_OWN": "5",
        "MOTIVES_EXPIRE_DAYS": "30",
    }
    assert Settings.from_env(environ) == Settings(
        db="/data/motives.db",
        base_url="https://hub.example.org/user/trainer",
        team_url="https://hub.example.org/services/motives/voila/render/team.ipynb",
        max_teams=12,
        max_own=5,
        expire_days=30,
    )


def test_settings_survive_the_trip_to_a_kernel_and_back():
    chosen = Settings(db="sqlite:////tmp/x.db", base_url="http://10.0.0.5:8866", max_teams=8, expire_days=7)
    assert Settings.from_env(chosen.to_env()) == chosen
    assert "MOTIVES_TEAM_URL" not in chosen.to_env()  # an empty setting is left out, not set to ""


@pytest.mark.parametrize(
    ("variable", "least"), [("MOTIVES_MAX_TEAMS", 1), ("MOTIVES_MAX_OWN", 1), ("MOTIVES_EXPIRE_DAYS", 0)]
)
@pytest.mark.parametrize("value", ["veel", "-1", "2.5"])
def test_a_number_that_is_not_one_is_a_clear_error(variable, least, value):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert caught.value.say("en") == f"{variable} must be a whole number of at least {least}, not {value!r}"
    assert caught.value.say("nl") == f"{variable} moet een geheel getal van minstens {least} zijn, niet {value!r}"


def test_no_team_is_no_setting():
    with pytest.raises(SettingsError, match="MOTIVES_MAX_TEAMS must be a whole number of at least 1, not '0'"):
        Settings.from_env({"MOTIVES_MAX_TEAMS": "0"})


def test_expire_days_0_means_never_as_the_docs_say():
    # It used to be raised to 1, which stopped every join code after a day.
    assert Settings.from_env({"MOTIVES_EXPIRE_DAYS": "0"}).expire_days == 0
    assert Settings.from_env({"MOTIVES_EXPIRE_DAYS": "0"}).to_env().get("MOTIVES_EXPIRE_DAYS") is None


def test_the_output_folder_of_a_reflection_notebook_is_a_setting():
    assert Settings.from_env({"MOTIVES_OUTPUT": " /tmp/out "}).output == "/tmp/out"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"MOTIVES_LANG": "fr", "LANG": "nl_BE.UTF-8"}, "fr"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LC_ALL": "fr_BE.UTF-8", "LANG": "nl_BE.UTF-8"}, "fr"),
        ({"LANGUAGE": "de:nl", "LANG": "nl_BE.UTF-8"}, "en"),  # the first one set counts, as gettext reads it
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_command_line_speaks_motives_lang_else_the_systems_language(environ, language):
    assert system_language(environ) == language
