"""What differs between the operating systems a trainer runs the app on: Windows, macOS, Linux.

Every call that exists on one system only lives here, with what the others do instead, so that a
reader can check the app's portability in one place. ``motives``, ``motives serve`` and ``motives
lab`` need no POSIX-only call: the server stops on Ctrl+C (SIGINT, on every system) and on
SIGTERM; kernels are started and stopped by jupyter_client, which has its own Windows code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def data_folder() -> Path:
    """Where the app keeps the trainer's store when ``MOTIVES_DB`` is not set.

    Each system's place for an application's own data: ``%LOCALAPPDATA%\\motives`` on Windows,
    ``~/Library/Application Support/motives`` on macOS, ``$XDG_DATA_HOME/motives`` (else
    ``~/.local/share/motives``) elsewhere.
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / "motives"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "motives"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "motives"


def cache_folder() -> Path:
    """Where the app may keep files it can make again (compiled message catalogues): the XDG cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "motives"


def notebooks_folder() -> Path:
    """The trainer's own folder for ``motives lab``: ``motives`` in Documents where the user has one
    (Windows and macOS always do), else ``~/motives``. A folder a trainer finds again in the file manager."""
    documents = Path.home() / "Documents"
    return (documents if documents.is_dir() else Path.home()) / "motives"


def runs_as_root() -> bool:
    """Whether this process is the POSIX superuser (JupyterLab then wants ``--allow-root``). Never on Windows."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


OPEN_FILES_WANTED = 8192
"""Open files the server asks for: every page's websocket costs it about nine (its kernel's channels)."""


def raise_open_files_limit(wanted: int = OPEN_FILES_WANTED) -> tuple[int, int] | None:
    """Raise this process's soft limit on open files towards ``wanted`` (never past the hard limit).

    macOS starts programs with 256, which a room of phones can use up; Linux usually with 1,024.
    Windows has no such per-process limit here (``resource`` does not exist there): None.
    Returns the (soft, hard) limits in force afterwards.
    """
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        # macOS refuses more than its kernel's own maximum: the soft limit then stays as it was.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


# Interfaces no device in the room reaches the laptop on: containers' and virtual machines' bridges,
# VPN tunnels. A laptop with Docker or a VPN still shows the room its Wi-Fi's address.
# Names as Linux, macOS (bridge100: Internet Sharing) and Windows (VirtualBox, VMware, Hyper-V's vEthernet) give them.
VIRTUAL_INTERFACES = (
    "docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg", "utun", "tailscale", "zt", "ham",
    "lxcbr", "lxdbr", "cni", "podman", "flannel", "bridge", "awdl", "llw", "virtualbox", "vmware", "vethernet",
)  # fmt: skip
# Where the route to the wider network leads: a documentation address (RFC 5737) that no host has. Asking
# the system which local address a datagram to it would leave from sends nothing.
ROUTE_PROBE = "192.0.2.1"


def network_addresses() -> list[str]:
    """This machine's IPv4 addresses on its networks (not loopback): every one a request may name
    in its ``Host`` when the app serves the room. The same call on every system (psutil)."""
    import socket

    import psutil

    found = {
        address.address
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family == socket.AF_INET and not address.address.startswith("127.")
    }
    return sorted(found)


def room_addresses() -> list[str]:
    """The addresses a phone or a tablet in the room can reach this laptop at, best first: interfaces
    that are up, not a container's, a virtual machine's or a VPN's, not link-local (169.254.…, a
    network without a router that gave none); the one the default route leaves from first, then a
    private network's address (a venue's Wi-Fi, a phone's hotspot) before any other. Empty: the
    laptop is on no network."""
    import ipaddress
    import socket

    import psutil

    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    found: set[tuple[bool, str, str]] = set()
    for name, addresses in psutil.net_if_addrs().items():
        if name not in up or name.lower().startswith(("lo", *VIRTUAL_INTERFACES)):
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            parsed = ipaddress.ip_address(address.address)
            if parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified:
                continue
            found.add((not parsed.is_private, name, address.address))
    ranked = [address for _public, _name, address in sorted(found)]
    routed = default_route_address()
    return [routed, *(a for a in ranked if a != routed)] if routed in ranked else ranked


def default_route_address() -> str | None:
    """The local address the system would send from towards the wider network (the interface that
    carries the default route: the Wi-Fi, not a virtual machine's bridge), or None without a route.
    A datagram socket's connect only looks the route up: nothing is sent."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((ROUTE_PROBE, 9))
            return probe.getsockname()[0]
        except OSError:
            return None


# What a page's kernel was given for its own request and its own server, which a process it starts must not
# take along: Voilà's variables (a notebook that sees them believes it is a served page and refuses to open
# the store), the request's, the store service's address and secret, the file links' path.
_PAGE_ONLY = ("VOILA_", "HTTP_", "JPY_", "MOTIVES_STORE_SERVICE", "MOTIVES_STORE_TOKEN", "MOTIVES_FILES_PATH")
_REQUEST = (
    "QUERY_STRING",
    "SCRIPT_NAME",
    "PATH_INFO",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "SERVER_SOFTWARE",
)


def child_environment(added: dict[str, str]) -> dict[str, str]:
    """The environment of a process a page starts (``motives lab`` from the home): this process's without
    what belongs to the page's request and server, and ``added``."""
    kept = {
        name: value for name, value in os.environ.items() if not name.startswith(_PAGE_ONLY) and name not in _REQUEST
    }
    return {**kept, **added}
