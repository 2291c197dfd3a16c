"""On an organisation's server the trainer's home opens with the trainer password (``motives serve
--trainer-password-file``), at ``/trainer``: through a real server, as a device behind the
server's proxy asks (its address in ``X-Forwarded-For``, over loopback)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

from playwright.sync_api import expect
from servers import KernelSocket, Server, get, in_thread, kernel_id_of, post_form, start_server, stop_server
from tornado.httpclient import HTTPClientError

PASSWORD = "een lang geheim wachtwoord"
DEVICE = {"X_Forwarded_For": "192.0.2.7"}  # what the proxy on this machine writes for the trainer's browser


def cookies_of(set_cookie: str) -> dict[str, str]:
    jar = SimpleCookie()
    for line in filter(None, set_cookie.split("\n")):
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in_form(server, device: dict[str, str] = DEVICE) -> tuple[str, str]:
    """The sign-in page's XSRF cookie and the same token in its form, as the browser has them."""
    status, headers, body = get(server, "/trainer", **device)
    assert status == 200
    cookie = cookies_of(headers["Set-Cookie"])["_xsrf"]
    (token,) = re.findall(r'name="_xsrf" value="([^"]+)"', body)
    return cookie, token


def test_the_password_opens_the_home_on_a_server_and_slows_guessing(tmp_path, launch):
    (tmp_path / "password").write_text(PASSWORD + "\n")
    password_file = str(tmp_path / "password")
    _process, server = launch(tmp_path / "server.db", tmp_path / "serve.log", "--trainer-password-file", password_file)
    session = server.new_session("Sessie van de organisatie")
    secrets = (session["code"], session["trainer_key"], "Sessie van de organisatie")

    # The home, asked for from the trainer's browser behind the proxy, sends it to the sign-in page.
    status, headers, body = get(server, "/voila/render/home.ipynb?lang=fr", **DEVICE)
    assert (status, headers["Location"]) == (302, "/trainer?lang=fr")
    status, _headers, page = get(server, "/trainer?lang=fr", **DEVICE)
    assert status == 200 and '<html lang="fr">' in page and "Mot de passe formateur" in page
    assert not any(secret in page for secret in secrets)
    # The team page's start stays where teams start.
    assert get(server, "/", **DEVICE)[1]["Location"] == "/voila/render/team.ipynb"

    xsrf, token = sign_in_form(server)
    browser = {"Cookie": f"_xsrf={xsrf}", **DEVICE}
    # A form on another site has neither the cookie nor the token: refused before the password is read.
    assert post_form(server, "/trainer", {"password": PASSWORD}, **DEVICE)[0] == 403
    assert post_form(server, "/trainer", {"password": PASSWORD, "_xsrf": "guessed"}, **browser)[0] == 403

    for guess in ("wachtwoord", "welkom12345", "trainer2026"):
        status, headers, body = post_form(server, "/trainer", {"password": guess, "_xsrf": token}, **browser)
        assert status == 403 and "Dat wachtwoord klopt niet." in body and "motives-trainer" not in headers["Set-Cookie"]
    # Three wrong tries are free; then the next one waits, even the right password.
    status, headers, body = post_form(server, "/trainer", {"password": PASSWORD, "_xsrf": token}, **browser)
    assert status == 429 and headers["Retry-After"] == "2" and "Probeer het over 2 seconden opnieuw" in body
    assert "motives-trainer" not in headers["Set-Cookie"]
    time.sleep(2.1)
    status, headers, _body = post_form(server, "/trainer", {"password": PASSWORD, "_xsrf": token}, **browser)
    assert (status, headers["Location"]) == (302, "/voila/render/home.ipynb")
    (set_cookie,) = [line for line in headers["Set-Cookie"].split("\n") if line.startswith("motives-trainer=")]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    assert "Secure" not in set_cookie  # plain HTTP: a Secure cookie would never come back
    # A working day: it expires twelve hours from now (and the server refuses an older signature too).
    expires = parsedate_to_datetime(re.search(r"expires=([^;]+)", set_cookie, re.IGNORECASE).group(1))
    assert abs((expires - datetime.now(UTC)).total_seconds() - 12 * 3600) < 120
    # Behind the proxy's TLS (it says so), the cookie is Secure.
    status, headers, _body = post_form(
        server, "/trainer", {"password": PASSWORD, "_xsrf": token}, X_Forwarded_Proto="https", **browser
    )
    assert status == 302 and "; Secure" in headers["Set-Cookie"]
    signed = cookies_of(set_cookie)["motives-trainer"]

    # Signed in: the home renders, and its kernel's widgets (the sessions, their keys) reach this browser.
    trainer = {"Cookie": f"_xsrf={xsrf}; motives-trainer={signed}", **DEVICE}
    status, _headers, html = get(server, "/voila/render/home.ipynb", **trainer)
    assert status == 200
    kernel = kernel_id_of(html)

    def states(**headers: str) -> dict | int:
        try:
            socket = KernelSocket(server, kernel, **headers)
        except HTTPClientError as refused:
            return refused.code
        try:
            return socket.states()
        finally:
            socket.close()

    widgets = in_thread(lambda: states(**trainer))
    assert any(session["trainer_key"] in str(state.get("value", "")) for state in widgets.values())
    # The same kernel without the cookie (another device on the network that learnt its id): refused.
    assert in_thread(lambda: states(**DEVICE)) == 403
    # A forged or old cookie is no sign-in.
    assert get(server, "/voila/render/home.ipynb", Cookie="motives-trainer=forged", **DEVICE)[0] == 302

    log = server.log.read_text()
    assert "motives: a wrong trainer password from 192.0.2.7" in log
    for secret in (PASSWORD, "wachtwoord\n", "welkom12345", "trainer2026", signed, session["trainer_key"], token):
        assert secret not in log


def test_without_a_password_the_sign_in_page_says_the_home_is_off(server):
    status, _headers, page = get(server, "/trainer?lang=en", **DEVICE)
    assert status == 404 and "My workshops is off" in page and "<form" not in page
    assert (
        post_form(server, "/trainer", {"password": PASSWORD}, **DEVICE)[0] == 403
    )  # no XSRF token: refused before anything else
    # On the laptop itself there is nothing to sign in to: the home opens.
    assert get(server, "/trainer")[1]["Location"] == "/voila/render/home.ipynb"


def test_the_hash_in_the_environment_opens_the_home_and_no_kernel_gets_it(tmp_path):
    import os

    import psutil

    from motives.password import password_hash

    stored = password_hash(PASSWORD)
    env = {**os.environ, "MOTIVES_TRAINER_PASSWORD_HASH": stored}
    process, base = start_server(tmp_path / "hash.db", tmp_path / "serve.log", env=env)
    try:
        server = Server(base, tmp_path / "hash.db", tmp_path / "serve.log")
        xsrf, token = sign_in_form(server)
        status, headers, _body = post_form(
            server, "/trainer", {"password": PASSWORD, "_xsrf": token}, Cookie=f"_xsrf={xsrf}", **DEVICE
        )
        assert (status, headers["Location"]) == (302, "/voila/render/home.ipynb")
        assert get(server, "/voila/render/team.ipynb")[0] == 200  # a page's kernel runs
        (kernel,) = [
            child
            for child in psutil.Process(process.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(child.cmdline())
        ]
        assert "MOTIVES_TRAINER_PASSWORD_HASH" not in kernel.environ()
        assert stored not in server.log.read_text()
    finally:
        stop_server(process)


def signed_in_server(tmp_path, launch):
    (tmp_path / "password").write_text(PASSWORD + "\n")
    return launch(tmp_path / "server.db", tmp_path / "serve.log", "--trainer-password-file", str(tmp_path / "password"))


def test_with_a_password_the_machine_itself_needs_it_too(tmp_path, launch):
    # A plain TCP forwarder on the server (ssh -R, netsh portproxy) or any local user reaches the server
    # from loopback with whatever Host it likes: on main each of these got the home with every key.
    _process, server = signed_in_server(tmp_path, launch)
    session = server.new_session("Op de server")
    for host in ("127.0.0.1", "localhost", "localhost.", "[::1]"):
        port = server.base.rsplit(":", 1)[1]
        status, headers, body = get(server, "/voila/render/home.ipynb", host=f"{host}:{port}")
        assert (status, headers.get("Location")) == (302, "/trainer"), host
        assert session["trainer_key"] not in body
        assert get(server, "/", host=f"{host}:{port}")[1]["Location"] == "/trainer", host  # where it signs in
        status, _headers, page = get(server, "/trainer", host=f"{host}:{port}")
        assert status == 200 and 'name="password"' in page and session["trainer_key"] not in page
    # Signed in on the machine itself, the home opens there as anywhere.
    xsrf, token = sign_in_form(server, {})
    status, headers, _body = post_form(
        server, "/trainer", {"password": PASSWORD, "_xsrf": token}, Cookie=f"_xsrf={xsrf}"
    )
    signed = cookies_of(headers["Set-Cookie"])["motives-trainer"]
    assert get(server, "/voila/render/home.ipynb", Cookie=f"motives-trainer={signed}")[0] == 200


def test_a_participant_behind_the_trainers_nat_cannot_lock_the_trainer_out(tmp_path, launch):
    _process, server = signed_in_server(tmp_path, launch)
    # Yesterday the trainer signed in from this browser: it keeps a cookie that says so (not the sign-in).
    xsrf, token = sign_in_form(server)
    form = {"password": PASSWORD, "_xsrf": token}
    status, headers, _body = post_form(server, "/trainer", form, Cookie=f"_xsrf={xsrf}", **DEVICE)
    browser = cookies_of(headers["Set-Cookie"])["motives-trainer-browser"]
    (line,) = [c for c in headers["Set-Cookie"].split("\n") if c.startswith("motives-trainer-browser=")]
    assert "HttpOnly" in line and "SameSite=Strict" in line
    # Today a participant on the same Wi-Fi (one address behind the NAT) guesses, and keeps guessing.
    participant = {"Cookie": f"_xsrf={xsrf}", **DEVICE}
    answers = [
        post_form(server, "/trainer", {"password": guess, "_xsrf": token}, **participant)[0]
        for guess in ("a", "b", "c", "d")
    ]
    assert answers == [403, 403, 403, 429]
    # The trainer's browser gets in at once with the right password (on main: 429, up to five minutes).
    trainer = {"Cookie": f"_xsrf={xsrf}; motives-trainer-browser={browser}", **DEVICE}
    status, headers, _body = post_form(server, "/trainer", form, **trainer)
    assert (status, headers["Location"]) == (302, "/voila/render/home.ipynb")
    assert "motives-trainer-browser=" not in headers["Set-Cookie"]  # the browser keeps the cookie it has
    # The participant still waits, and a forged browser cookie is no way round it.
    assert post_form(server, "/trainer", form, **participant)[0] == 429
    forged = {"Cookie": f"_xsrf={xsrf}; motives-trainer-browser={browser[:-4]}beef", **DEVICE}
    assert post_form(server, "/trainer", form, **forged)[0] == 429
    # A known browser's wrong tries count on that browser: three free, then it waits as anyone does.
    answers = [post_form(server, "/trainer", {"password": g, "_xsrf": token}, **trainer)[0] for g in "wxyz"]
    assert answers == [403, 403, 403, 429]


def test_the_sign_in_page_fits_a_phone_and_says_a_wrong_password_in_its_language(tmp_path, launch, new_page):
    # Its box overflowed a 390 px phone by its padding (the page's style had no box-sizing).
    _process, server = signed_in_server(tmp_path, launch)
    page = new_page(390, 844)
    page.goto(f"{server.base}/trainer?lang=fr")
    page.get_by_label("Mot de passe formateur").fill("pas le bon")
    page.get_by_role("button").click()
    expect(page.get_by_role("alert")).to_have_text("Ce mot de passe n'est pas le bon. Réessayez.")
    box = page.get_by_label("Mot de passe formateur").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
