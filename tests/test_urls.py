"""The pages' links under `motives serve` and under Voilà's Jupyter Server extension (JupyterHub)."""

from __future__ import annotations

import pytest

from motives.urls import dashboard_path, pages_path, public_url, team_path

HUB_PAGES = "/user/trainer/voila/render/notebooks"


@pytest.mark.parametrize(
    ("script_name", "pages"),
    [
        ("/voila/render/team.ipynb", "/voila/render"),  # motives serve
        ("/voila/render/dashboard.ipynb", "/voila/render"),
        ("/voila/render/notebooks/team.ipynb", "/voila/render/notebooks"),  # jupyter server, root_dir = the repository
        (f"{HUB_PAGES}/dashboard.ipynb", HUB_PAGES),  # a JupyterHub single-user server
        ("/services/motives/voila/render/team.ipynb", "/services/motives/voila/render"),  # a hub service
        ("", "/voila/render"),  # no request: the CLI, the tests
        ("/voila/render/", "/voila/render"),
        ("team.ipynb", "/voila/render"),
    ],
)
def test_the_pages_folder_is_the_one_the_request_came_to(script_name, pages):
    assert pages_path(script_name) == pages


def test_without_a_request_the_paths_are_those_of_motives_serve(monkeypatch):
    monkeypatch.delenv("SCRIPT_NAME", raising=False)
    assert team_path("ABC234", "Team Noord", pages_path()) == "/voila/render/team.ipynb?session=ABC234&team=Team+Noord"
    assert dashboard_path("ABC234", "k") == "/voila/render/dashboard.ipynb?session=ABC234&key=k"
    assert team_path("ABC234", pages=HUB_PAGES) == f"{HUB_PAGES}/team.ipynb?session=ABC234"


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://192.0.2.10:8866", "http://192.0.2.10:8866/user/trainer/voila/render/notebooks/team.ipynb"),
        ("https://hub.example.org/", "https://hub.example.org/user/trainer/voila/render/notebooks/team.ipynb"),
        # the prefix, or the whole folder, given twice is not doubled
        (
            "https://hub.example.org/user/trainer/",
            "https://hub.example.org/user/trainer/voila/render/notebooks/team.ipynb",
        ),
        (
            f"https://hub.example.org{HUB_PAGES}",
            "https://hub.example.org/user/trainer/voila/render/notebooks/team.ipynb",
        ),
        # a prefix the server does not see (a proxy strips it) is kept
        ("https://example.org/workshop", "https://example.org/workshop/user/trainer/voila/render/notebooks/team.ipynb"),
        (
            "https://hub.example.org/user/train",
            "https://hub.example.org/user/train/user/trainer/voila/render/notebooks/team.ipynb",
        ),
    ],
)
def test_the_public_url_puts_the_path_on_the_address_teams_use(base, url):
    assert public_url(base, f"{HUB_PAGES}/team.ipynb") == url


def test_under_jupyterhub_the_join_link_and_qr_code_point_at_the_hub(store, session, monkeypatch):
    from motives.widgets.keyed import DashboardPage

    monkeypatch.setenv("MOTIVES_BASE_URL", "https://hub.example.org")
    monkeypatch.setenv("SCRIPT_NAME", f"{HUB_PAGES}/dashboard.ipynb")
    monkeypatch.setenv("QUERY_STRING", f"session={session.code}&key={session.trainer_key}")
    board = DashboardPage.from_request(store).dashboard  # what dashboard.ipynb does, read from Voilà's variables
    expected = f"https://hub.example.org{HUB_PAGES}/team.ipynb?session={session.code}"
    assert board.join_url == expected
    assert f'<p class="motives-join-url">{expected}</p>' in board.join.value


def test_under_jupyterhub_the_team_bookmark_stays_under_the_prefix(store, session, monkeypatch):
    from motives.widgets.team import TeamPage

    monkeypatch.setenv("SCRIPT_NAME", f"{HUB_PAGES}/team.ipynb")
    team = store.new_team(session, "Noord")
    monkeypatch.setenv("QUERY_STRING", f"session={session.code}&team=Noord&teamkey={team.key}")
    page = TeamPage.from_request(store)
    key = page.worksheet.team.key
    assert (
        f'href="{HUB_PAGES}/team.ipynb?session={session.code}&amp;team=Noord&amp;teamkey={key}"'
        in page.worksheet.header.value
    )


def test_the_join_link_can_point_at_another_server(store, session, monkeypatch):
    """A trainer in a JupyterHub single-user server, teams on the hub's motives service."""
    from motives.widgets.keyed import DashboardPage

    monkeypatch.setenv("MOTIVES_BASE_URL", "https://hub.example.org")
    monkeypatch.setenv("SCRIPT_NAME", f"{HUB_PAGES}/dashboard.ipynb")
    monkeypatch.setenv("MOTIVES_TEAM_URL", "https://hub.example.org/services/motives/voila/render/team.ipynb")
    monkeypatch.setenv("QUERY_STRING", f"session={session.code}&key={session.trainer_key}")
    board = DashboardPage.from_request(store).dashboard
    assert board.join_url == f"https://hub.example.org/services/motives/voila/render/team.ipynb?session={session.code}"
    assert board.join_url in board.join.value
