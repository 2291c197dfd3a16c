"""Voilà in this process, with what a room full of devices needs from the server.

``motives serve`` builds Voilà's own application and adds to it:

- only the app's pages are rendered (team.ipynb, dashboard.ipynb, home.ipynb and projector.ipynb,
  by those exact names); ``/`` is the app's start page (the trainer's home on the laptop itself, the team page's
  code form elsewhere), and every other path, Voilà's file list and contents API among them, is a
  short "not found" page in the app's three languages;
- the trainer's home, which links every session with its key, renders only for the laptop itself
  (client address and Host), or on a server with a trainer password for a browser that gave it
  at ``/trainer`` (slowed per address); its kernels' websockets refuse every other device;
- Ctrl+C stops it as SIGTERM does, shutting every kernel down, and it can open the default browser
  once it listens;
- kernels are freed: a page that goes away (closed, reloaded, a phone gone) releases its kernel a
  few seconds after its last websocket closed; a page that never connects (a bare GET, no browser)
  releases it a minute after its HTML was sent; a page that is still loading keeps it;
- renders are rate-limited per client address (a token bucket), with a small page in Dutch and
  English instead of a kernel;
- only the hosts the server is meant for get an answer (a defence against DNS rebinding);
- no log line carries a trainer key, a token or (above debug level) a kernel id.

Under Voilà's Jupyter Server extension none of this applies; docs/deploy.md says what to set there.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import posixpath
import re
import secrets
import threading
import time
import webbrowser
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urlencode, urlsplit

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from tornado.httputil import split_host_and_port
from tornado.ioloop import IOLoop
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from motives import upstream
from motives.backoff import backoff_seconds
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES, NAMES, language_or_default, message
from motives.password import password_matches
from motives.request import device_of
from motives.resources import PAGES as APP_PAGES
from motives.system import raise_open_files_limit
from motives.urls import PAGES as PAGES_PATH

if TYPE_CHECKING:
    from motives.service import StoreService

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# A reload or a Wi-Fi blip reconnects well within this; a page that is gone for longer releases its kernel.
GRACE_SECONDS = 10.0
# From the moment the whole page was sent: the browser only has to load the page's scripts.
UNCLAIMED_SECONDS = 60.0

# Every parameter that carries a secret: the trainer's key, a team's (teamkey), the projector's (screen),
# however its name is spelled in the URL (the server reads "team%6Bey" as "teamkey").
_PARAMETER = re.compile(r"(?<![\w%.-])([\w%.+-]+)=([^&\s\"'#]*)")
_SECRET_NAME = re.compile(r"(?i)\w*key|token|_xsrf|screen")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
_RUN_SECRET = secrets.token_bytes(16)


# A page has one websocket to its kernel (two while it reconnects). Per address: motives serve
# --sockets-per-address (motives/cli.py).
SOCKETS_PER_KERNEL = 3
# A device holding as many pages as it may is told to try again after this (a page it closed frees one).
PAGES_FULL_WAIT_SECONDS = 30
# A request's headers or body must arrive within this; an idle kept-alive connection closes after it.
REQUEST_SECONDS = 20.0

# The device's address as the server saw it, handed to the page's kernel (Voilà's http_header_envs).
CLIENT_HEADER = "X-Motives-Client"
# The device of a forwarder on this machine that names no client: every device it forwards is this one.
FORWARDED_CLIENT = "forwarded"


def redact(text: str, kernel_ids: bool = True) -> str:
    """``text`` without the values of ``key=`` (and ``teamkey=``), ``screen=``, ``token=`` and ``_xsrf=``,
    and without kernel ids.

    A kernel id becomes ``kernel-`` and a short keyed hash: lines about one kernel still belong
    together, but the id (which lets anyone connect to that page's kernel) is not in the log.
    """
    text = _PARAMETER.sub(_redacted_parameter, text)
    if kernel_ids:
        text = _UUID.sub(lambda m: "kernel-" + _short(m.group(0)), text)
    return text


def _redacted_parameter(match: re.Match[str]) -> str:
    secret = _SECRET_NAME.fullmatch(unquote_plus(match.group(1)).strip())
    return f"{match.group(1)}=[redacted]" if secret else match.group(0)


def _short(kernel_id: str) -> str:
    return hmac.new(_RUN_SECRET, kernel_id.lower().encode(), hashlib.sha256).hexdigest()[:8]


def unactionable(record: logging.LogRecord) -> bool:
    """False for the lines a trainer can do nothing about: Jupyter Server warns, for every page
    opened, that the app's own notebook "is not trusted" (trust only decides whether a notebook's
    saved outputs show in JupyterLab; the app's pages are run afresh)."""
    said = record.getMessage()
    return not (said.startswith("Notebook ") and said.endswith(" is not trusted"))


def install_log_redaction() -> None:
    """Every log record of this process, whatever logger or handler, is redacted when it is made."""
    upstream.redact_every_record(redacted_record)


def redacted_record(record: logging.LogRecord) -> logging.LogRecord:
    """``record`` with no key, token or (above debug level) kernel id in its message or its traceback."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error report
        return record
    keep_ids = record.levelno <= logging.DEBUG
    record.msg, record.args = redact(message, kernel_ids=not keep_ids), ()
    if record.exc_info:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info), kernel_ids=not keep_ids)
    return record


def _bare_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def allowed_hosts(
    bind: str, lan: Iterable[str] = (), public_url: str = "", extra: Iterable[str] = ()
) -> frozenset[str]:
    """The names a request's ``Host`` may carry: this laptop, its LAN addresses with ``--lan``, the
    address the server is bound to, the public address of a proxy in front, and any named on the
    command line."""
    hosts = set(LOOPBACK_HOSTS) | set(lan) | set(extra)
    if bind not in ("", "0.0.0.0", "::"):
        hosts.add(bind)
    if public_url:
        name = urlsplit(public_url).hostname
        if name:
            hosts.add(name)
    return frozenset(_bare_host(h) for h in hosts if h.strip())


def host_allowed(host_header: str, allowed: frozenset[str]) -> bool:
    host, _port = split_host_and_port(host_header.strip().lower())
    return _bare_host(host) in allowed


class NetworkHosts:
    """This laptop's network addresses as they are now, for a server that serves the room: the laptop
    may join the venue's Wi-Fi (or a phone's hotspot) after the app started, and the room's devices
    then ask for that new address. Read again at most every ``seconds``, so that a flood of requests
    for other hosts costs no more than a look-up now and then."""

    def __init__(self, seconds: float = 2.0) -> None:
        self.seconds = seconds
        self._hosts: frozenset[str] = frozenset()
        self._read = -math.inf

    def allowed(self, host_header: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if now - self._read >= self.seconds:
            from motives.system import room_addresses

            # The room's addresses only: not a VPN's, a container's or a virtual machine's.
            self._hosts, self._read = frozenset(room_addresses()), now
        return host_allowed(host_header, self._hosts)


def client_address(remote_ip: str, forwarded_for: str | None) -> str:
    """The address a render is counted against: the peer, or behind a proxy on this machine the
    address that proxy appended last to ``X-Forwarded-For`` (a device on the network cannot set it)."""
    try:
        loopback = ipaddress.ip_address(remote_ip).is_loopback
    except ValueError:
        loopback = False
    if loopback and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return remote_ip


def from_this_machine(address: str) -> bool:
    """Whether a request's client address (:func:`client_address`) is this machine itself."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


# The trainer's home hands out every session's trainer key: it is for the laptop itself only.
HOME_PAGE = "home.ipynb"
TEAM_PAGE = "team.ipynb"


def from_the_laptop(request: tornado.httputil.HTTPServerRequest) -> bool:
    """Whether ``request`` comes from the laptop itself, to the laptop's own name: its client address
    (a local proxy's forwarded one included) is this machine, and so is its ``Host``. A tunnel or a
    proxy on the laptop that forwards a device without saying so still sends that device's Host (a
    LAN address, a public name): it gets what any device gets."""
    address = client_address(request.remote_ip or "", request.headers.get("X-Forwarded-For"))
    host, _port = split_host_and_port(request.headers.get("Host", "").strip().lower())
    return from_this_machine(address) and _bare_host(host) in LOOPBACK_HOSTS


# On a server the trainer password opens the home: the sign-in page, and the cookie it sets. The
# cookie is signed with the server's secret and names the password's hash (a new password ends
# every sign-in); it lasts a working day and is sent to this site's own pages only (SameSite).
SIGN_IN_PAGE = "trainer"
TRAINER_COOKIE = "motives-trainer"
TRAINER_COOKIE_DAYS = 0.5
# Whether the trainer password opened the home for a render: written by the server only, for the kernel.
TRAINER_HEADER = "X-Motives-Trainer"


def over_https(request: tornado.httputil.HTTPServerRequest) -> bool:
    """Whether the browser's connection is TLS: the server's own, or that of a proxy on this machine
    that says so (``X-Forwarded-Proto``, as docs/deploy.md's nginx sets it)."""
    if request.protocol == "https":
        return True
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
    return forwarded == "https" and from_this_machine(request.remote_ip or "")


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


# Password checks running at once, over every address: more are told to wait (each is some 50 ms of CPU).
PASSWORD_CHECKS_AT_ONCE = 2


@dataclass
class PasswordTries:
    """Wrong trainer passwords per device (:func:`motives.request.device_of`): ``free`` tries, then the
    app's back-off (:func:`motives.backoff.backoff_seconds`), up to ``most`` seconds. The right password
    clears the count, and so does a quiet spell of twice ``most`` (a typo next week starts afresh)."""

    free: int = 3
    most: float = 300.0
    checking: int = 0  # password checks running now (SignInHandler)
    _wrong: dict[str, tuple[int, float]] = field(default_factory=dict)  # device: (wrong tries, last)

    def _count(self, address: str, now: float) -> tuple[int, float]:
        wrong, last = self._wrong.get(device_of(address), (0, now))
        return (0, now) if now - last > 2 * self.most else (wrong, last)

    def wait(self, address: str, now: float | None = None) -> float:
        """0 if ``address`` may try now, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        wrong, last = self._count(address, now)
        wait = backoff_seconds(wrong, self.free, self.most)
        return max(0.0, last + wait - now) if wait else 0.0

    def wrong(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._wrong) > 4096:  # devices whose wait has long passed need no entry
            self._wrong = {a: (n, t) for a, (n, t) in self._wrong.items() if now - t < self.most}
        self._wrong[device_of(address)] = (self._count(address, now)[0] + 1, now)

    def right(self, address: str) -> None:
        self._wrong.pop(device_of(address), None)


@dataclass
class RenderLimit:
    """A token bucket per client address: ``burst`` renders at once, then ``per_minute``."""

    burst: int
    per_minute: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, address: str, now: float | None = None) -> float:
        """0 if ``address`` may render now (and counts it), else the seconds until it may."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60
        tokens, since = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * rate)
        if tokens >= 1:
            self._buckets[address] = (tokens - 1, now)
            self._forget_full(now)
            return 0.0
        self._buckets[address] = (tokens, now)
        return (1 - tokens) / rate

    def _forget_full(self, now: float) -> None:
        if len(self._buckets) > 4096:  # addresses whose bucket has refilled need no entry
            rate = self.per_minute / 60
            self._buckets = {a: (t, s) for a, (t, s) in self._buckets.items() if t + (now - s) * rate < self.burst}


class Reaper:
    """Shuts kernels down whose page is gone, and never one whose page is still loading.

    A page's kernel is started before its HTML is sent, and the page connects its websocket only
    once the HTML has arrived; so a kernel is only ever timed from one of two moments: its page's
    HTML was sent in full (``rendered``), or its page's last websocket closed (``closed``).
    """

    def __init__(self, kernel_manager, log: logging.Logger, grace: float, unclaimed: float) -> None:
        self.kernel_manager = kernel_manager
        self.log = log
        self.grace = grace
        self.unclaimed = unclaimed
        self.sockets: dict[str, int] = {}
        self.claimed: set[str] = set()
        self.timers: dict[str, object] = {}

    def rendered(self, kernel_id: str) -> None:
        if kernel_id not in self.claimed:
            self._later(kernel_id, self.unclaimed, "its page never connected")

    def seen(self, kernel_id: str) -> None:
        """The page's own script asked for its kernel: a browser has the page, however slowly it
        goes on to connect (on two busy cores that took more than a minute). Left to the culler."""
        if kernel_id not in self.claimed:
            self.claimed.add(kernel_id)
            self._cancel(kernel_id)

    def abandoned(self, kernel_id: str) -> None:
        """The browser went away before the page was sent: nobody will ever connect."""
        self._cancel(kernel_id)
        self._spawn(kernel_id, "its page was left while loading")

    def opened(self, kernel_id: str) -> None:
        self.claimed.add(kernel_id)
        self.sockets[kernel_id] = self.sockets.get(kernel_id, 0) + 1
        self._cancel(kernel_id)

    def closed(self, kernel_id: str) -> None:
        left = self.sockets.get(kernel_id, 1) - 1
        self.sockets[kernel_id] = left
        if left <= 0:
            self._later(kernel_id, self.grace, "its page is gone")

    def _later(self, kernel_id: str, seconds: float, reason: str) -> None:
        from tornado.ioloop import IOLoop

        self._cancel(kernel_id)
        self.timers[kernel_id] = IOLoop.current().call_later(seconds, self._spawn, kernel_id, reason)

    def _cancel(self, kernel_id: str) -> None:
        from tornado.ioloop import IOLoop

        timer = self.timers.pop(kernel_id, None)
        if timer is not None:
            IOLoop.current().remove_timeout(timer)

    def _spawn(self, kernel_id: str, reason: str) -> None:
        from tornado.ioloop import IOLoop

        self.timers.pop(kernel_id, None)
        IOLoop.current().add_callback(self._shut, kernel_id, reason)

    async def _shut(self, kernel_id: str, reason: str) -> None:
        self.sockets.pop(kernel_id, None)
        self.claimed.discard(kernel_id)
        if kernel_id not in self.kernel_manager:  # already gone: the page's own beacon, or the culler
            return
        self.log.info("motives: shutting down a kernel: %s (%s)", reason, kernel_id)
        try:
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        except Exception as exc:  # gone meanwhile
            self.log.debug("motives: kernel %s was already gone: %s", kernel_id, exc)


class SocketCaps:
    """At most ``per_kernel`` websockets to one page's kernel and ``per_address`` from one device.

    A page holds one websocket to its kernel (two for a moment while it reconnects); each costs the
    server about nine open files, so a script that opens hundreds would leave none for the other
    teams' pages."""

    def __init__(self, per_kernel: int, per_address: int, kernels_per_address: int = 20) -> None:
        self.per_kernel = per_kernel
        self.per_address = per_address
        self.kernels: dict[str, int] = {}
        self.addresses: dict[str, int] = {}
        # Pages (kernels) one device may hold alive, connected or not: a form page kept connected by a
        # script held its kernel for good (on main three of them, 145 MB each, were alive after 7 minutes).
        self.kernels_per_address = kernels_per_address
        self.owners: dict[str, str] = {}  # kernel id: the device whose render started it

    def pages_full(self, device: str, alive: Iterable[str]) -> bool:
        """Whether ``device`` holds as many live kernels as it may (``alive``: the server's kernel ids)."""
        living = set(alive)
        self.owners = {kernel: owner for kernel, owner in self.owners.items() if kernel in living}
        return sum(owner == device for owner in self.owners.values()) >= self.kernels_per_address

    def page_started(self, kernel_id: str, device: str) -> None:
        self.owners[kernel_id] = device

    def admit(self, kernel_id: str, address: str) -> bool:
        if self.kernels.get(kernel_id, 0) >= self.per_kernel or self.addresses.get(address, 0) >= self.per_address:
            return False
        self.kernels[kernel_id] = self.kernels.get(kernel_id, 0) + 1
        self.addresses[address] = self.addresses.get(address, 0) + 1
        return True

    def release(self, kernel_id: str, address: str) -> None:
        for counts, key in ((self.kernels, kernel_id), (self.addresses, address)):
            left = counts.get(key, 1) - 1
            if left > 0:
                counts[key] = left
            else:
                counts.pop(key, None)


@dataclass(frozen=True)
class Guard:
    """What the handlers below consult; one per server."""

    hosts: frozenset[str]
    limit: RenderLimit
    reaper: Reaper
    sockets: SocketCaps
    # The kernels of the trainer's home: their websockets are for the trainer only.
    home_kernels: set[str] = field(default_factory=set)
    # The hash of the trainer password (motives.password); empty: the home is the laptop's only.
    trainer_password_hash: str = field(default="", repr=False)
    tries: PasswordTries = field(default_factory=PasswordTries)
    # Serving the room: the laptop's network addresses are allowed too, as they are at each request.
    room: NetworkHosts | None = None


_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{refresh}<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;line-height:1.5}}</style>
</head><body>
<h1>{title}</h1>
<p>{nl}</p>
<p lang="en">{en}</p>
<p lang="fr">{fr}</p>
</body></html>
"""


def limit_page(wait: int) -> str:
    return _PAGE.format(
        refresh=f'<meta http-equiv="refresh" content="{wait}">',
        title="Even geduld · One moment · Un instant",
        nl=escape(
            f"Er werden vanaf dit toestel of netwerk net veel pagina's geopend. "
            f"Deze pagina probeert het over {wait} seconden vanzelf opnieuw."
        ),
        en=escape(
            f"Many pages were just opened from this device or network. "
            f"This page tries again by itself in {wait} seconds."
        ),
        fr=escape(
            f"Beaucoup de pages viennent d'être ouvertes depuis cet appareil ou ce réseau. "
            f"Cette page réessaie d'elle-même dans {wait} secondes."
        ),
    )


def not_found_page(start: str) -> str:
    link = f'<a href="{escape(start, quote=True)}">'
    return _PAGE.format(
        refresh="",
        title="Niet gevonden · Not found · Introuvable",
        nl=escape("Deze pagina bestaat niet. ") + link + escape("Naar de startpagina") + "</a>",
        en=escape("This page does not exist. ") + link + escape("To the start page") + "</a>",
        fr=escape("Cette page n'existe pas. ") + link + escape("Vers la page d'accueil") + "</a>",
    )


def forbidden_host_page() -> str:
    return _PAGE.format(
        refresh="",
        title="Niet via dit adres · Not at this address · Pas à cette adresse",
        nl=escape("Deze server antwoordt niet op dit adres. Gebruik de link die de trainer gaf."),
        en=escape("This server does not answer at this address. Use the link the trainer gave you."),
        fr=escape("Ce serveur ne répond pas à cette adresse. Utilisez le lien donné par le formateur."),
    )


class ForbiddenHostHandler(tornado.web.RequestHandler):
    """Any request whose ``Host`` the server is not meant for, whatever its method or path."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(forbidden_host_page())


class NotFoundHandler(tornado.web.RequestHandler):
    """Any path that is not one of the app's: the same short page in every language, never Voilà's
    file list, its English error page, or a notebook that is not one of the app's pages."""

    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(not_found_page(self.settings["base_url"]))


class QuietFileErrors(tornado.web.StaticFileHandler):
    """A file handler's error is the short not-found page (or an empty answer) and at most one line in
    the log. Jupyter Server's own error page failed to render under Voilà (a traceback in the log for
    every /voila/api/themes/ or /voila/labextensions/ that was not found)."""

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(not_found_page(self.settings["base_url"]) if status_code == 404 else "")

    def log_exception(self, typ, value, tb) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # its status is in the request's own log line
        logging.getLogger("motives").warning(
            "motives: %s %s failed: %s", self.request.method, redact(self.request.path), typ.__name__
        )


def quiet_file_handler(handler: type) -> type:
    """``handler`` (one of Voilà's file handlers) with :class:`QuietFileErrors`' error page and log."""
    return type(handler.__name__, (QuietFileErrors, handler), {})


class TemplateFileHandler(QuietFileErrors, TemplateStaticFileHandler):
    """The templates' static files (scripts, styles); a path of another shape is not found (Voilà's
    own handler fails an assertion on it and answers 500): ``NAME/static/FILE``, nothing above it."""

    async def get(self, path: str, include_body: bool = True) -> None:
        parts = path.split("/")
        if len(parts) < 3 or parts[1] != "static" or posixpath.normpath(path) != path or ".." in parts:
            raise tornado.web.HTTPError(404)
        await super().get(path, include_body)


def language_query(language: str) -> str:
    """``?lang=…`` for a language the app speaks other than Dutch (the default); else nothing."""
    return f"?{urlencode({'lang': language})}" if language in LANGUAGES and language != DEFAULT_LANGUAGE else ""


# The language the trainer last chose on the home (its links to the other languages): the next
# visit to the home, or to the app's address, speaks it. A year, this site's pages only.
LANGUAGE_COOKIE = "motives-lang"


def chosen_language(handler: tornado.web.RequestHandler) -> str:
    """The language asked for (``?lang=``), else the one the trainer last chose, else ""."""
    asked = handler.get_query_argument("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = handler.get_cookie(LANGUAGE_COOKIE, "")
    return remembered if remembered in LANGUAGES else ""


class StartPageHandler(tornado.web.RequestHandler):
    """The app's address: on the laptop itself the trainer's home; on any other device the team
    page's code form (where a team starts). In the language asked for, or last chosen."""

    def get(self) -> None:
        asked = self.get_query_argument("lang", "")
        # Dutch asked for is said too: without it the home would go back to the language last chosen.
        query = f"?{urlencode({'lang': asked})}" if asked in LANGUAGES else language_query(chosen_language(self))
        if for_the_trainer(self):
            page = url_path_join(PAGES_PATH, HOME_PAGE)
        elif self.settings["motives_guard"].trainer_password_hash and from_the_laptop(self.request):
            page = SIGN_IN_PAGE  # the server's own browser, with a trainer password set: where it signs in
        else:
            page = url_path_join(PAGES_PATH, TEAM_PAGE)
        self.redirect(url_path_join(self.settings["base_url"], page) + query)


_SIGN_IN = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;line-height:1.5}}
label,input,button{{display:block;font-size:1.1em;margin:.4em 0}}input{{width:100%;max-width:22em;padding:.4em}}
button{{padding:.5em 1.2em}}.problem{{color:#a4001d;font-weight:600}}</style>
</head><body><main>
<h1>{title}</h1>
<p>{intro}</p>
{problem}{form}
<p>{languages}</p>
</main></body></html>
"""


def sign_in_page(language: str, form: str, problem: str = "") -> str:
    """The page that asks for the trainer password, in ``language``; ``problem``: why it asks again."""
    others = " · ".join(
        f'<a href="?lang={code}" hreflang="{code}" lang="{code}">{escape(NAMES[code])}</a>'
        for code in LANGUAGES
        if code != language
    )
    return _SIGN_IN.format(
        lang=language,
        title=escape(message(language, "sign_in_title")),
        intro=escape(message(language, "sign_in_intro")),
        problem=f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else "",
        form=form,
        languages=others,
    )


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
            self.finish(sign_in_page(language, "", message(language, "sign_in_off")))
            return
        form = (
            f'<form method="post">{self.xsrf_form_html()}'
            f'<label for="password">{escape(message(language, "sign_in_password"))}</label>'
            '<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>'
            f'<button type="submit">{escape(message(language, "sign_in_button"))}</button></form>'
        )
        self.finish(sign_in_page(language, form, problem))

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


def without_the_database(env: dict[str, str]) -> dict[str, str]:
    """A team page's environment when its server has a store service: the page reaches the store
    through the service alone (motives.remote), so its kernel is not told where the database is nor
    how to sign in to it (MOTIVES_DB, and the PG… variables libpq would read). A kernel of a server
    without one (JupyterHub's way 2) opens the store itself and keeps everything."""
    if not env.get("MOTIVES_STORE_SERVICE"):
        return env
    return {name: value for name, value in env.items() if name != "MOTIVES_DB" and not name.startswith("PG")}


KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=ERROR"


class RenderHandler(upstream.KernelStartHooks, TornadoVoilaHandler):
    started_kernel: str | None = None
    device = ""  # whose render this is (request.device_of)
    rendering_home = False
    rendering_team = False
    left = False

    @property
    def guard(self) -> Guard:
        return self.settings["motives_guard"]

    def motives_kernel_starting(self, arguments: dict) -> dict:
        if self.rendering_team:
            # Voilà passes the page's whole environment. Without one the kernel would inherit the
            # server's, database and all: then it is not started (a Voilà that changed this fails
            # the tests, not silently).
            if arguments.get("env") is None:
                raise RuntimeError("motives: Voilà started a team page's kernel without its environment")
            arguments["env"] = without_the_database(arguments["env"])
        # Each kernel warned on the server's terminal that its channels run over TCP on loopback: forty
        # lines of English a trainer can do nothing about. Its errors still show. (jupyter_client's
        # supported start_kernel keyword: arguments added to the kernel's command line.)
        arguments["extra_arguments"] = [*arguments.get("extra_arguments", []), KERNEL_LOG_LEVEL]
        return arguments

    def motives_kernel_started(self, kernel_id: str) -> None:
        if self.rendering_home:
            # Before the page (and the kernel's id in it) reaches the browser. The ids of home kernels
            # that were shut down since (closed, culled) are forgotten here: the set stays small.
            home_kernels = self.guard.home_kernels
            home_kernels.intersection_update(self.settings["kernel_manager"].list_kernel_ids())
            home_kernels.add(kernel_id)
        self.started_kernel = kernel_id
        self.guard.sockets.page_started(kernel_id, self.device)

    def on_connection_close(self) -> None:
        self.left = True
        super().on_connection_close()

    async def get(self, path: str | None = None) -> None:
        # Whatever a browser sent under these names is replaced: the kernel must be able to trust them.
        upstream.pass_to_kernel(self.request, CLIENT_HEADER, None)
        upstream.pass_to_kernel(self.request, TRAINER_HEADER, None)
        # Only the app's pages, by their exact names: another notebook beside them (a reflection
        # notebook) or another spelling of a page's path (team.ipynb/, team.ipynb/.) is not found.
        if path not in APP_PAGES:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(not_found_page(self.settings["base_url"]))
            return
        address = client_address(self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For"))
        if path == HOME_PAGE and not for_the_trainer(self):
            # Another device (a phone under --lan, one a local proxy forwards) gets where a team starts;
            # on a server with a trainer password, the page that asks for it.
            query = language_query(self.get_query_argument("lang", ""))
            if self.guard.trainer_password_hash:
                self.redirect(url_path_join(self.settings["base_url"], SIGN_IN_PAGE) + query)
            else:
                self.redirect(url_path_join(self.settings["base_url"], PAGES_PATH, TEAM_PAGE) + query)
            return
        if path == HOME_PAGE and self._remember_language():
            return
        # The page's kernel sees it as HTTP_X_MOTIVES_CLIENT. A request from this machine to another name
        # than its own is a forwarder's (ssh -R, netsh portproxy) that does not say for whom: not the laptop.
        laptop = from_the_laptop(self.request)
        if from_this_machine(address) and not laptop:
            address = FORWARDED_CLIENT
        upstream.pass_to_kernel(self.request, CLIENT_HEADER, address)
        if path == HOME_PAGE and self.guard.trainer_password_hash:
            upstream.pass_to_kernel(self.request, TRAINER_HEADER, "1")  # signed in with the trainer password
        self.rendering_home = path == HOME_PAGE
        self.rendering_team = path == TEAM_PAGE
        self.device = device_of(address)
        wait = self.guard.limit.take(self.device)
        if not wait and not laptop:  # the laptop's own browser opens what it likes
            alive = self.settings["kernel_manager"].list_kernel_ids()
            wait = PAGES_FULL_WAIT_SECONDS if self.guard.sockets.pages_full(self.device, alive) else 0
        if wait:
            seconds = max(1, math.ceil(wait))
            self.set_status(429)
            self.set_header("Retry-After", str(seconds))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(limit_page(seconds))
            return
        upstream.set_xsrf_cookie(self)  # for the beacon that shuts the page's kernel down as it goes
        try:
            await super().get(path)
        finally:
            if self.started_kernel:
                if self.left or upstream.connection_closed(self.request):
                    self.guard.reaper.abandoned(self.started_kernel)
                else:
                    self.guard.reaper.rendered(self.started_kernel)

    def _remember_language(self) -> bool:
        """The home keeps the language chosen on it (a cookie); asked for without one, it sends the
        browser to the last one chosen. True: redirected."""
        asked = self.get_query_argument("lang", "")
        if asked in LANGUAGES:
            self.set_cookie(
                LANGUAGE_COOKIE, asked, expires_days=365, path=self.settings["base_url"], samesite="Lax", httponly=True
            )
            return False
        remembered = chosen_language(self)
        if remembered and remembered != DEFAULT_LANGUAGE:
            self.redirect(self.request.path + language_query(remembered))
            return True
        return False


class KernelModelHandler(KernelHandler):
    async def get(self, kernel_id: str) -> None:
        answering = super().get(kernel_id)  # Jupyter Server's is a coroutine; Tornado's may be plain
        if answering is not None:
            await answering
        if self.get_status() == 200:
            self.settings["motives_guard"].reaper.seen(kernel_id)


# The home's kernel takes larger websocket messages than a team page's (Tornado's 10 MiB): the trainer
# uploads session archives of up to 20 MB there (motives.widgets.home.MAX_UPLOAD_BYTES is what the page sends).
HOME_MESSAGE_BYTES = 32 * 1024 * 1024


class KernelSocketHandler(VoilaKernelWebsocketHandler):
    counted = False
    admitted: tuple[str, str] | None = None

    @property
    def max_message_size(self) -> int:
        if getattr(self, "kernel_id", None) in self.settings["motives_guard"].home_kernels:
            return HOME_MESSAGE_BYTES
        return super().max_message_size

    async def get(self, kernel_id: str) -> None:
        address = device_of(client_address(self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For")))
        guard: Guard = self.settings["motives_guard"]
        if kernel_id in guard.home_kernels and not for_the_trainer(self):
            # The home's kernel id only ever reaches this machine's browser; a guess from elsewhere
            # gets no websocket to it.
            self.set_status(403)
            self.finish()
            return
        caps = guard.sockets
        if not caps.admit(kernel_id, address):
            # Before the upgrade: a plain HTTP answer, and the kernel's channels are never opened.
            self.set_status(429)
            self.finish()
            return
        self.admitted = (kernel_id, address)
        try:
            await super().get(kernel_id)
        finally:
            if self.ws_connection is None:  # refused or failed before it became a websocket
                self._release()

    def _release(self) -> None:
        if self.admitted is not None:
            self.settings["motives_guard"].sockets.release(*self.admitted)
            self.admitted = None

    async def open(self, kernel_id: str) -> None:
        self.settings["motives_guard"].reaper.opened(kernel_id)
        self.counted = True
        await super().open(kernel_id)

    def on_close(self) -> None:
        self._release()
        try:
            if self.connection is not None:
                super().on_close()
        finally:
            if self.counted:
                self.counted = False
                self.settings["motives_guard"].reaper.closed(self.kernel_id)


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log line, redacted; successes at debug level (as Jupyter Server does)."""
    status = handler.get_status()
    request = handler.request
    if status < 400 or status == 304:
        log = logging.getLogger("tornado.access").debug
    elif status < 500:
        log = logging.getLogger("tornado.access").warning
    else:
        log = logging.getLogger("tornado.access").error
    log("%d %s %s (%s) %.2fms", status, request.method, request.uri, request.remote_ip, 1000 * request.request_time())


class HostCheckedApplication(tornado.web.Application):
    def listen(self, port: int, address: str | None = None, **kwargs):
        # A request whose headers or body trickle in is dropped after REQUEST_SECONDS (Tornado waits
        # an hour): twenty half-sent requests must not hold their connections and files for ever.
        kwargs = {"idle_connection_timeout": REQUEST_SECONDS, "body_timeout": REQUEST_SECONDS} | kwargs
        return super().listen(port, address or "", **kwargs)

    def find_handler(self, request, **kwargs):
        guard: Guard = self.settings["motives_guard"]
        host = request.host or ""
        if not host_allowed(host, guard.hosts) and not (guard.room is not None and guard.room.allowed(host)):
            return self.get_handler_delegate(request, ForbiddenHostHandler)
        return super().find_handler(request, **kwargs)


def _other_handler(pattern: str, handler: type) -> type | None:
    """What becomes of a handler of Voilà's table that the app does not replace by name."""
    if pattern.endswith(("/login", "/logout")):
        return None  # the app has no accounts: Jupyter's login pages only answered with errors
    if issubclass(handler, tornado.web.StaticFileHandler) and not issubclass(handler, QuietFileErrors):
        return quiet_file_handler(handler)  # the themes, the lab extensions, static files
    return handler


class MotivesVoila(Voila):
    """Voilà's application with the app's handlers in place of its render and websocket ones."""

    motives_hosts: frozenset[str] = frozenset(LOOPBACK_HOSTS)
    motives_limit: RenderLimit = RenderLimit(10, 10)
    motives_sockets: int = 100  # serve() sets what motives serve was given
    motives_pages: int = 20
    motives_grace: float = GRACE_SECONDS
    motives_unclaimed: float = UNCLAIMED_SECONDS
    motives_open_url: str | None = None
    motives_password_hash: str = ""
    motives_store_service: StoreService | None = None  # the team pages' store (motives.service); None: none
    motives_room: bool = False  # serving the room: the laptop's network addresses, as they are now, are allowed

    def init_handlers(self) -> list:
        swapped = upstream.swap_handlers(
            super().init_handlers(),
            {
                TornadoVoilaTreeHandler: None,  # Voilà's file list and its contents API: the app has a start page
                VoilaContentsHandler: None,
                TemplateStaticFileHandler: TemplateFileHandler,
                TornadoVoilaHandler: RenderHandler,
                VoilaKernelWebsocketHandler: KernelSocketHandler,
                KernelHandler: KernelModelHandler,
            },
            _other_handler,
        )
        start = url_path_join(self.base_url, "/")
        sign_in = url_path_join(self.base_url, SIGN_IN_PAGE)
        return [
            (start, StartPageHandler),
            (sign_in, SignInHandler),
            *swapped,
            (url_path_join(self.base_url, "/.*"), NotFoundHandler),
        ]

    def start(self) -> None:
        # Voilà's own start, with the host check's application and the guard in its settings.
        upstream.start_voila(self, HostCheckedApplication, self._settings, self._listening)

    def _settings(self) -> dict:
        """What the app adds to the Tornado application's settings (once Voilà made its kernel manager)."""
        reaper = Reaper(self.kernel_manager, self.log, self.motives_grace, self.motives_unclaimed)
        sockets = SocketCaps(SOCKETS_PER_KERNEL, self.motives_sockets, self.motives_pages)
        guard = Guard(
            self.motives_hosts,
            self.motives_limit,
            reaper,
            sockets,
            trainer_password_hash=self.motives_password_hash,
            room=NetworkHosts() if self.motives_room else None,
        )
        return {
            "motives_guard": guard,
            "log_function": log_request,
            # Scripts, styles and pages go gzipped to a browser that accepts it (Tornado's own setting, read
            # when the application is made): a phone on a venue's Wi-Fi, shared by forty, pulls a fifth.
            "compress_response": True,
        }

    def _listening(self) -> None:
        if self.motives_store_service is not None:
            self.motives_store_service.listen()
        if self.motives_open_url:
            # Once the server listens (the loop runs): the browser's own process, never waited for.
            url = self.motives_open_url
            IOLoop.current().add_callback(lambda: threading.Thread(target=webbrowser.open, args=(url,)).start())


def serve(
    argv: list[str],
    hosts: frozenset[str],
    limit: RenderLimit,
    grace: float = GRACE_SECONDS,
    unclaimed: float = UNCLAIMED_SECONDS,
    open_url: str | None = None,
    sockets_per_address: int = 100,
    pages_per_address: int = 20,
    trainer_password_hash: str = "",
    store_service: StoreService | None = None,
    room: bool = False,
) -> None:
    """Run Voilà with ``argv`` (its own command-line flags) until it is stopped (Ctrl+C, SIGTERM),
    then shut every kernel down. ``open_url``: opened in the default browser once the server listens.
    ``store_service``: the team pages' store, served from this process (:mod:`motives.service`).
    ``room``: the laptop's network addresses are allowed hosts as they change (:class:`NetworkHosts`)."""
    install_log_redaction()
    raise_open_files_limit()
    app = MotivesVoila()
    app.motives_hosts, app.motives_limit = hosts, limit
    app.motives_grace, app.motives_unclaimed = grace, unclaimed
    app.motives_open_url = open_url
    app.motives_sockets, app.motives_pages = sockets_per_address, pages_per_address
    app.motives_password_hash = trainer_password_hash
    app.motives_store_service = store_service
    app.motives_room = room
    app.initialize(argv)
    app.log.addFilter(unactionable)
    # Ctrl+C stops the server as SIGTERM does (Voilà's handler), also where this process was started
    # with SIGINT ignored (a launcher, a shell's background job): the loop ends and every kernel is shut down.
    upstream.stop_voila_on_ctrl_c(app)
    try:
        app.start()
    finally:
        if store_service is not None:
            store_service.close()


__all__ = [
    "GRACE_SECONDS",
    "UNCLAIMED_SECONDS",
    "RenderLimit",
    "allowed_hosts",
    "client_address",
    "host_allowed",
    "redact",
    "serve",
]
