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
- renders are rate-limited per client address (a token bucket), with a small page in every
  language (the one asked for first) instead of a kernel;
- only the hosts the server is meant for get an answer (a defence against DNS rebinding);
- no log line carries a trainer key, a token or (above debug level) a kernel id.

Under Voilà's Jupyter Server extension none of this applies; docs/deploy.md says what to set there.

One module per kind: :mod:`~motives.server.app` (Voilà's application, configured by traitlets),
:mod:`~motives.server.hosts`, :mod:`~motives.server.limits`, :mod:`~motives.server.reaper`,
:mod:`~motives.server.signin`, :mod:`~motives.server.kernels` (what a page's kernel is given),
:mod:`~motives.server.handlers`, :mod:`~motives.server.pages` (with ``templates/``) and
:mod:`~motives.server.logs`. They extend Voilà, Jupyter Server and Tornado through their supported
hooks; what those hooks are relied on to do is checked in tests/test_server_parts.py, and every
patch of an internal is in :mod:`motives.upstream`.
"""
