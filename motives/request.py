"""What a page's request says, read in one place: the variables Voilà gives the page's kernel.

Voilà passes the page's query string as ``QUERY_STRING`` and its path as ``SCRIPT_NAME``;
``motives serve`` adds the connection's own address (``HTTP_X_MOTIVES_CLIENT``), and on the
trainer's home whether the trainer password opened it (``HTTP_X_MOTIVES_TRAINER``), to the
kernel's environment itself (motives.server.kernels): the browser cannot choose them. A page's
entry point reads them once (:meth:`Request.from_env`) and hands them on.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from motives.urls import pages_path

QUERY_VARIABLE = "QUERY_STRING"
SCRIPT_VARIABLE = "SCRIPT_NAME"
CLIENT_VARIABLE = "HTTP_X_MOTIVES_CLIENT"  # set by motives serve from the connection itself
TRAINER_VARIABLE = "HTTP_X_MOTIVES_TRAINER"  # set by motives serve: the trainer password was given
FILES_VARIABLE = "MOTIVES_FILES_PATH"  # set by motives serve: where it serves a session's files (motives.server.files)
# Voilà gives every kernel it starts for a page (or keeps warm for one) these variables.
VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_BASE_URL", "VOILA_SERVER_URL")


def warm_kernel(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel was started before its page was asked for (Voilà's preheat pool,
    motives.server.pool): its request arrives later (:func:`the_request`)."""
    return (os.environ if environ is None else environ).get("VOILA_PREHEAT") == "True"


async def the_request(environ: MutableMapping[str, str] | None = None) -> Request:
    """In a warm kernel, the request of the page that takes it, once one does: its variables are added
    to ``environ`` (this process's environment) as a page's kernel started for it would have them."""
    from motives.upstream import request_of_warm_kernel

    environ = os.environ if environ is None else environ
    environ.update(await request_of_warm_kernel(environ))
    return Request.from_env(environ)


def query_params(query: str) -> dict[str, str]:
    """A query string as a dict of first values, each stripped."""
    return {key: values[0].strip() for key, values in parse_qs(query, keep_blank_values=False).items()}


def device_of(address: str) -> str:
    """Whose requests an address's are, for every count the server and the pages keep (wrong codes,
    passwords, renders, websockets, joins): the address itself, or for IPv6 its /64 (one device or home
    network has a whole /64, and could otherwise take a new address for every request)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and not parsed.ipv4_mapped:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class Request:
    """One page's request: its query, the folder its pages are served from, the device that asked."""

    params: dict[str, str] = field(default_factory=dict)
    pages: str = pages_path("")  # the pages' folder, under any prefix (urls.pages_path)
    client: str = ""  # the device's address as motives serve saw it; "" elsewhere
    served: bool = False  # by Voilà, as a page (not in JupyterLab or a script)
    trainer: bool = False  # motives serve let the trainer password open the trainer's home for it
    files: str = ""  # where motives serve gives a session's files for its key, one click each; "" elsewhere

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Request:
        environ = os.environ if environ is None else environ
        return cls(
            params=query_params(environ.get(QUERY_VARIABLE, "")),
            pages=pages_path(environ.get(SCRIPT_VARIABLE, "")),
            client=environ.get(CLIENT_VARIABLE, ""),
            served=any(environ.get(name) for name in VOILA_VARIABLES) or environ.get("VOILA_PREHEAT") == "True",
            trainer=environ.get(TRAINER_VARIABLE) == "1",
            files=environ.get(FILES_VARIABLE, ""),
        )

    @property
    def on_this_machine(self) -> bool:
        """Whether the device is the server's own machine (the laptop's browser; a proxy there says otherwise)."""
        try:
            return ipaddress.ip_address(self.client).is_loopback
        except ValueError:
            return False

    @property
    def device(self) -> str:
        """The device the page's counts are kept for (:func:`device_of`); "" outside motives serve."""
        return device_of(self.client) if self.client else ""
