"""The settings every process reads from the environment, and hands on to the pages' kernels."""

from __future__ import annotations

import pytest

from motives.errors import StoreError
from motives.settings import Settings


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


@pytest.mark.parametrize("variable", ["MOTIVES_MAX_TEAMS", "MOTIVES_MAX_OWN", "MOTIVES_EXPIRE_DAYS"])
def test_a_number_that_is_not_one_is_a_clear_error(variable):
    with pytest.raises(StoreError, match=f"{variable} must be a whole number, not 'veel'"):
        Settings.from_env({variable: "veel"})
