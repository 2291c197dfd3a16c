"""The app's paths under Voilà, shared by the CLI and the pages."""

from __future__ import annotations

from urllib.parse import urlencode

TEAM_PATH = "/voila/render/team.ipynb"
DASHBOARD_PATH = "/voila/render/dashboard.ipynb"


def team_path(code: str, team: str | None = None) -> str:
    params = {"session": code} | ({"team": team} if team else {})
    return f"{TEAM_PATH}?{urlencode(params)}"


def dashboard_path(code: str, key: str) -> str:
    return f"{DASHBOARD_PATH}?{urlencode({'session': code, 'key': key})}"
