"""The server's parts that need no running server: what a page's kernel is given
(motives.server.kernels), the app's own small pages (motives.server.pages, from templates with the
gettext catalogues), and the supported hooks of Voilà and Tornado that motives.server.app extends,
still there and still called where it relies on them. What they do for a room is tested through a
real server in tests/ui (test_hardening.py, test_hostile.py, test_sign_in.py, test_start.py)."""

from __future__ import annotations

import inspect
import json
import os
import re

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from traitlets.config import Config

from motives.server.app import MotivesVoila, built_in, kernels_over_unix_sockets
from motives.server.kernels import PageKernels, Render, page_environment
from motives.server.pages import forbidden_host_page, limit_page, not_found_page, sign_in_page

# What Voilà hands the kernel manager for a render: the server's environment and the request's.
SERVER = {
    "PATH": "/usr/bin",
    "MOTIVES_DB": "postgresql+psycopg://motives:geheim@db/motives",
    "PGPASSWORD": "geheim",
    "MOTIVES_TRAINER_PASSWORD_HASH": "scrypt$16384$8$1$c2FsdA$aGFzaA",  # in the trainer's shell
    "QUERY_STRING": "session=ABC",
    "HTTP_X_MOTIVES_RENDER": "the render's token",
    "HTTP_X_MOTIVES_CLIENT": "6.6.6.6",  # no browser can set it: this is what one would try
}
APP = {"MOTIVES_DB": SERVER["MOTIVES_DB"], "MOTIVES_STORE_SERVICE": "127.0.0.1:4100", "MOTIVES_STORE_TOKEN": "t"}


def test_a_team_pages_kernel_gets_the_store_service_and_its_device_not_the_database_nor_the_password():
    team = page_environment(SERVER, APP, Render("team.ipynb", "10.0.0.7", "10.0.0.7"))
    assert team == {
        "PATH": "/usr/bin",
        "QUERY_STRING": "session=ABC",
        "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
        "MOTIVES_STORE_TOKEN": "t",
        "HTTP_X_MOTIVES_CLIENT": "10.0.0.7",
    }


def test_the_trainers_home_keeps_the_database_and_hears_that_the_password_opened_it():
    home = page_environment(SERVER, APP, Render("home.ipynb", "127.0.0.1", "127.0.0.1", trainer=True))
    assert home == {
        "PATH": "/usr/bin",
        "MOTIVES_DB": SERVER["MOTIVES_DB"],
        "PGPASSWORD": "geheim",
        "QUERY_STRING": "session=ABC",
        "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
        "MOTIVES_STORE_TOKEN": "t",
        "HTTP_X_MOTIVES_CLIENT": "127.0.0.1",
        "HTTP_X_MOTIVES_TRAINER": "1",
    }


def test_the_overview_and_the_projector_open_the_store_themselves_behind_their_key():
    for page in ("dashboard.ipynb", "projector.ipynb"):
        kernel = page_environment(SERVER, APP, Render(page, "10.0.0.9", "10.0.0.9"))
        assert kernel == {
            "PATH": "/usr/bin",
            "MOTIVES_DB": SERVER["MOTIVES_DB"],
            "PGPASSWORD": "geheim",
            "QUERY_STRING": "session=ABC",
            "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
            "MOTIVES_STORE_TOKEN": "t",
            "HTTP_X_MOTIVES_CLIENT": "10.0.0.9",
        }


def test_a_kernel_the_server_did_not_announce_gets_less_than_a_team_page():
    assert page_environment(SERVER, APP, None) == {
        "PATH": "/usr/bin",
        "QUERY_STRING": "session=ABC",
        "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
        "MOTIVES_STORE_TOKEN": "t",
    }


def test_a_render_is_announced_once_and_forgotten():
    kernels = PageKernels()
    render = Render("team.ipynb", "10.0.0.7", "10.0.0.7")
    token = kernels.announce(render)
    assert kernels.renders == {token: render} and len(token) >= 20
    kernels.forget(token)
    assert kernels.renders == {}


@pytest.mark.parametrize(
    ("page", "language", "first", "said"),
    [
        (lambda language: not_found_page("/app/", language), "fr", "fr", "Cette page n&#39;existe pas."),
        (lambda language: limit_page(12, language), "en", "en", "tries again by itself in 12 seconds"),
        (lambda language: forbidden_host_page(language), "", "nl", "Gebruik de link die de trainer gaf."),
        (lambda language: not_found_page("/", language), "xx", "nl", "Naar de startpagina"),
    ],
)
def test_a_notice_speaks_every_language_the_one_asked_for_first(page, language, first, said):
    html = page(language)
    assert f'<html lang="{first}">' in html
    assert said in html
    assert re.findall(r'<p lang="(\w+)">', html)[0] == first
    assert sorted(re.findall(r'<p lang="(\w+)">', html)) == ["en", "fr", "nl"]


def test_the_wait_page_tries_again_by_itself_and_the_others_do_not():
    assert '<meta http-equiv="refresh" content="12">' in limit_page(12)
    assert "http-equiv" not in not_found_page("/") + forbidden_host_page()


def test_what_a_page_shows_is_text_never_markup():
    hostile = '"><script>alert(1)</script>'
    assert "<script>" not in not_found_page(hostile)
    assert 'href="&#34;&gt;&lt;script&gt;' in not_found_page(hostile)
    signed = sign_in_page("en", '<input type="hidden" name="_xsrf" value="2|ab">', problem=hostile)
    assert "<script>" not in signed and "&lt;script&gt;" in signed
    assert '<input type="hidden" name="_xsrf" value="2|ab">' in signed  # Tornado's own field, as it made it


def test_the_sign_in_page_without_a_password_has_no_form():
    html = sign_in_page("fr", problem="Pas de mot de passe")
    assert "<form" in html
    assert "<form" not in sign_in_page("fr", problem="Pas de mot de passe", form=False)


# --- the supported hooks motives.server.app extends ----------------------------------------------


def test_kernels_talk_over_unix_sockets_on_posix_where_the_socket_path_fits():
    # Voilà's folder under Linux's /tmp fits; under a macOS temporary folder (/var/folders/…/T) it does not.
    assert kernels_over_unix_sockets("/tmp/voila_k2j4h5g6") is (os.name == "posix")
    assert kernels_over_unix_sockets("/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/voila_k2j4h5g6") is False


def test_voila_makes_its_application_from_the_methods_the_app_extends():
    from voila.app import Voila

    start = inspect.getsource(Voila.start)
    calls = ["self.init_settings()", "tornado.web.Application(**settings)", "self.init_handlers()", "self.listen()"]
    assert [start.index(call) for call in calls] == sorted(start.index(call) for call in calls), (
        "MotivesVoila: Voila.start no longer calls init_settings, makes the application, adds init_handlers, listens"
    )
    assert "self.app.listen(" in inspect.getsource(Voila.listen), "MotivesVoila.listen: Voilà listens another way"
    assert "self.load_config_file(" in inspect.getsource(Voila.initialize), "MotivesVoila.load_config_file"


def test_voila_starts_a_renders_kernel_through_its_kernel_manager_with_the_pages_environment():
    from voila.configuration import VoilaConfiguration
    from voila.handler import VoilaHandler

    assert "multi_kernel_manager_class" in VoilaConfiguration.class_trait_names()
    body = re.sub(r"\s+", " ", inspect.getsource(VoilaHandler.get_generator))
    assert re.search(r"self\.kernel_manager\.start_kernel\( kernel_name=[^)]*env=kernel_env", body), (
        "PageKernels: Voilà no longer starts a render's kernel with env="
    )


def test_every_http_server_of_the_process_takes_the_configured_timeouts():
    """MotivesVoila.listen configures Tornado's HTTPServer (a Configurable); Voilà's listen makes its
    server through Application.listen, which must take those defaults."""
    HTTPServer.configure(None, idle_connection_timeout=7.0, body_timeout=8.0)
    try:
        server = tornado.web.Application().listen(0, "127.0.0.1")
        try:
            assert (server.conn_params.header_timeout, server.conn_params.body_timeout) == (7.0, 8.0)
        finally:
            server.stop()
    finally:
        HTTPServer.configure(None)


def test_the_apps_own_choices_win_over_a_trainers_voila_json(tmp_path, monkeypatch):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "voila.json").write_text(
        json.dumps(
            {
                "VoilaConfiguration": {
                    "preheat_kernel": True,
                    "default_pool_size": 8,
                    "progressive_rendering": True,
                    "template": "lab",
                    "show_tracebacks": True,
                }
            }
        )
    )
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(config_dir))
    monkeypatch.setenv("JUPYTER_PATH", str(__import__("motives.resources").resources.JUPYTER_DATA))
    given = Config()
    given.Voila.root_dir = str(tmp_path)
    given.MotivesVoila.render_burst = 3
    given.merge(built_in())
    app = MotivesVoila(config=given)
    app.initialize([])
    assert str(config_dir / "voila.json") in app.loaded_config_files  # the trainer's file was read
    # Preheated kernels only for the app's own warm pool (motives.server.pool; none kept here), whose size
    # Voilà never sets itself; and nothing Voilà refuses beside them.
    assert app.voila_configuration.preheat_kernel is True  # as configured, until the server is made
    app.init_settings()
    assert app.voila_configuration.preheat_kernel is False
    assert app.voila_configuration.default_pool_size == 0
    assert app.voila_configuration.progressive_rendering is False
    assert app.voila_configuration.template == "motives"
    assert app.voila_configuration.show_tracebacks is False
    assert app.voila_configuration.multi_kernel_manager_class is PageKernels
    assert app.render_burst == 3


def test_a_template_is_compiled_once_for_every_environment_and_renders_as_its_own_loaders_find_it():
    from jinja2 import ChoiceLoader, DictLoader, Environment

    from motives.server import compiled

    templates = {"page.html": "{% extends 'base.html' %}{% block body %}{{ name | upper }}{% endblock %}"}
    base = {"base.html": "<p>{% block body %}{% endblock %}</p>"}

    def environment(first: dict) -> Environment:
        return Environment(loader=ChoiceLoader([compiled.CompiledOnce(), DictLoader(first), DictLoader(base)]))

    before = len(compiled._CODE)
    pages = [environment(templates).get_template("page.html").render(name=name) for name in ("noord", "zuid")]
    assert pages == ["<p>NOORD</p>", "<p>ZUID</p>"]
    assert len(compiled._CODE) == before + 2  # page.html and base.html, once each for both environments
    # Another source under the same name (another template folder) is compiled for itself.
    other = {"page.html": "{% extends 'base.html' %}{% block body %}{{ name }}!{% endblock %}"}
    assert environment(other).get_template("page.html").render(name="oost") == "<p>oost!</p>"
