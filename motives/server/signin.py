"""The trainer password: on a server it opens the trainer's home (``/trainer``), slowed per device,
remembered in a signed cookie for a working day."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets

import tornado.web
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from motives.i18n import language_or_default, message
from motives.password import password_matches
from motives.server.guard import Guard
from motives.server.hosts import client_address, from_the_laptop, over_https
from motives.server.limits import PASSWORD_CHECKS_AT_ONCE
from motives.server.pages import HOME_PAGE, chosen_language, language_query, sign_in_page
from motives.urls import PAGES as PAGES_PATH

# On a server the trainer password opens the home: the sign-in page, and the cookie it sets. The
# cookie is signed with the server's secret and names the password's hash (a new password ends
# every sign-in); it lasts a working day and is sent to this site's own pages only (SameSite).
SIGN_IN_PAGE = "trainer"

TRAINER_COOKIE = "motives-trainer"

TRAINER_COOKIE_DAYS = 0.5


def _signed_in_as(password_hash: str) -> str:
    return hmac.new(password_hash.encode(), b"motives trainer sign-in", hashlib.sha256).hexdigest()


def signed_in(handler: tornado.web.RequestHandler) -> bool:
    """Whether the request carries the cookie the sign-in page set for the current password."""
    password_hash = handler.settings["motives_guard"].trainer_password_hash
    if not password_hash:
        return False
    value = handler.get_signed_cookie(TRAINER_COOKIE, max_age_days=TRAINER_COOKIE_DAYS)
    return value is not None and hmac.compare_digest(value, _signed_in_as(password_hash).encode())


def for_the_trainer(handler: tornado.web.RequestHandler) -> bool:
    """Whether the trainer's home may open for this request: a browser that gave the trainer password
    when one is set, whatever its address (a tunnel or a port forwarder on the server makes any
    device look like the machine itself); else the laptop itself."""
    if handler.settings["motives_guard"].trainer_password_hash:
        return signed_in(handler)
    return from_the_laptop(handler.request)


# A browser that once gave the trainer password keeps a cookie that says so for three months: while
# its address waits for someone else's wrong tries (a participant behind the same NAT), this browser
# may still try, with a count of its own. Its value is a random id and an HMAC of it under the
# password's hash, so it outlives a restart and ends with the password.
TRAINER_BROWSER_COOKIE = "motives-trainer-browser"

TRAINER_BROWSER_DAYS = 90


def _browser_mark(password_hash: str, browser: str) -> str:
    return hmac.new(password_hash.encode(), f"motives trainer browser {browser}".encode(), hashlib.sha256).hexdigest()


def trainer_browser_cookie(password_hash: str) -> str:
    browser = secrets.token_urlsafe(12)
    return f"{browser}.{_browser_mark(password_hash, browser)}"


def known_trainer_browser(password_hash: str, cookie: str | None) -> str:
    """The id of the browser whose cookie this is, if the trainer password was given in it; else ""."""
    browser, _, mark = (cookie or "").partition(".")
    if not password_hash or not browser or not mark:
        return ""
    return browser if hmac.compare_digest(mark, _browser_mark(password_hash, browser)) else ""


class SignInHandler(tornado.web.RequestHandler):
    """``/trainer``: the trainer password opens the home on a device that is not the laptop (a server
    behind a proxy). Wrong passwords are slowed per address; no password or key reaches a log."""

    @property
    def guard(self) -> Guard:
        return self.settings["motives_guard"]

    def _language(self) -> str:
        return language_or_default(chosen_language(self))

    def _home(self) -> None:
        home = url_path_join(self.settings["base_url"], PAGES_PATH, HOME_PAGE)
        self.redirect(home + language_query(self._language()))

    def _answer(self, status: int, problem: str = "") -> None:
        language = self._language()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if not self.guard.trainer_password_hash:
            # No password set: the home is the laptop's alone, and there is nothing to sign in to.
            self.finish(sign_in_page(language, problem=message(language, "sign_in_off"), form=False))
            return
        self.finish(sign_in_page(language, self.xsrf_form_html(), problem))

    def get(self) -> None:
        if for_the_trainer(self):
            self._home()
            return
        self._answer(200 if self.guard.trainer_password_hash else 404)

    async def post(self) -> None:
        self.check_xsrf_cookie()  # a form on another site cannot sign anyone in, or guess for them
        language = self._language()
        if not self.guard.trainer_password_hash:
            self._answer(404)
            return
        address = client_address(self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For"))
        browser = known_trainer_browser(self.guard.trainer_password_hash, self.get_cookie(TRAINER_BROWSER_COOKIE))
        guesser = f"browser {browser}" if browser else address  # a known browser counts apart from its address
        tries = self.guard.tries
        wait = tries.wait(guesser)
        if wait or tries.checking >= PASSWORD_CHECKS_AT_ONCE:
            seconds = max(1, math.ceil(wait))
            self.set_header("Retry-After", str(seconds))
            self._answer(429, message(language, "sign_in_wait", seconds=seconds))
            return
        attempt = self.get_body_argument("password", "")
        # scrypt takes some 50 ms of CPU: off the event loop, so that a flood of guesses cannot stall
        # the team pages' websockets, and never more than a few at once.
        tries.checking += 1
        try:
            right = await IOLoop.current().run_in_executor(
                None, password_matches, self.guard.trainer_password_hash, attempt
            )
        finally:
            tries.checking -= 1
        if not right:
            tries.wrong(guesser)
            logging.getLogger("motives").warning("motives: a wrong trainer password from %s", address)
            self._answer(403, message(language, "sign_in_wrong"))
            return
        tries.right(guesser)
        password_hash = self.guard.trainer_password_hash
        cookies = {TRAINER_COOKIE: (_signed_in_as(password_hash), TRAINER_COOKIE_DAYS)}
        if not browser:
            cookies[TRAINER_BROWSER_COOKIE] = (trainer_browser_cookie(password_hash), TRAINER_BROWSER_DAYS)
        for name, (value, days) in cookies.items():
            setter = self.set_signed_cookie if name == TRAINER_COOKIE else self.set_cookie
            setter(
                name,
                value,
                expires_days=days,
                path=self.settings["base_url"],
                httponly=True,
                samesite="Strict",
                secure=over_https(self.request),  # behind TLS the cookie never travels without it
            )
        self._home()
