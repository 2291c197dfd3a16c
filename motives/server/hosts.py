"""Which requests the server answers, and where they come from: the hosts it is meant for (a
defence against DNS rebinding), the client's address behind a proxy on this machine, the laptop itself."""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import tornado.httputil
import tornado.routing
from tornado.httputil import split_host_and_port

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# The device of a forwarder on this machine that names no client: every device it forwards is this one.
FORWARDED_CLIENT = "forwarded"


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


def from_the_laptop(request: tornado.httputil.HTTPServerRequest) -> bool:
    """Whether ``request`` comes from the laptop itself, to the laptop's own name: its client address
    (a local proxy's forwarded one included) is this machine, and so is its ``Host``. A tunnel or a
    proxy on the laptop that forwards a device without saying so still sends that device's Host (a
    LAN address, a public name): it gets what any device gets."""
    address = client_address(request.remote_ip or "", request.headers.get("X-Forwarded-For"))
    host, _port = split_host_and_port(request.headers.get("Host", "").strip().lower())
    return from_this_machine(address) and _bare_host(host) in LOOPBACK_HOSTS


def over_https(request: tornado.httputil.HTTPServerRequest) -> bool:
    """Whether the browser's connection is TLS: the server's own, or that of a proxy on this machine
    that says so (``X-Forwarded-Proto``, as docs/deploy.md's nginx sets it)."""
    if request.protocol == "https":
        return True
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
    return forwarded == "https" and from_this_machine(request.remote_ip or "")


class AllowedHost(tornado.routing.Matcher):
    """Tornado's routing rule for the hosts the server is meant for: the names in ``hosts`` and, serving
    the room, the laptop's network addresses as they are at each request (``room``). Every other
    request, whatever its method or path, goes to the rule after it (the app's "not at this address")."""

    def __init__(self, hosts: frozenset[str], room: NetworkHosts | None = None) -> None:
        self.hosts = hosts
        self.room = room

    def match(self, request: tornado.httputil.HTTPServerRequest) -> dict | None:
        host = request.host or ""
        if host_allowed(host, self.hosts) or (self.room is not None and self.room.allowed(host)):
            return {}
        return None
