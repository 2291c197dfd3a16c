"""What the server writes in its log: no trainer key, team key, token or (above debug level)
kernel id, and no line a trainer can do nothing about."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from urllib.parse import unquote_plus

import tornado.web

from motives import upstream

# Every parameter that carries a secret: the trainer's key, a team's (teamkey), the projector's (screen),
# however its name is spelled in the URL (the server reads "team%6Bey" as "teamkey").
_PARAMETER = re.compile(r"(?<![\w%.-])([\w%.+-]+)=([^&\s\"'#]*)")

_SECRET_NAME = re.compile(r"(?i)\w*key|token|_xsrf|screen")

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)

_RUN_SECRET = secrets.token_bytes(16)


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
