"""The trainer's files, one click each: ``GET {base}/motives/files/CODE/NAME?key=KEY`` answers with the file
``NAME`` of session ``CODE`` (the report, the policy draft, the spreadsheet...), made when it is asked for.

Whoever holds the session's trainer key may have its files, as they may open its overview: the link is on
the overview and on the trainer's home, with the key the overview's own link carries (the log never shows
it: motives.server.logs). An unknown session, a wrong key and a name that is not one of the session's files
get the same "not found". A file is always an attachment: a browser saves it and never shows an HTML
report as a page of this site.
"""

from __future__ import annotations

from urllib.parse import quote

import tornado.web

from motives.server.handlers import answer_not_found
from motives.service import StoreService

FILES_PATH = "motives/files"


class SessionFileHandler(tornado.web.RequestHandler):
    def initialize(self, service: StoreService | None) -> None:
        self.service = service

    async def get(self, code: str, name: str) -> None:
        key = self.get_query_argument("key", "")
        made = await self.service.session_file(code, key, name) if self.service is not None else None
        if made is None:
            answer_not_found(self)
            return
        content = made.content.encode("utf-8") if isinstance(made.content, str) else made.content
        charset = "; charset=utf-8" if isinstance(made.content, str) else ""
        self.set_header("Content-Type", made.mime + charset)
        # The name as the browser saves it, accents and all (RFC 6266), and an ASCII one for old browsers.
        ascii_name = made.name.encode("ascii", "replace").decode().replace("?", "_")
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(made.name)}"
        self.set_header("Content-Disposition", disposition)
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(content)
