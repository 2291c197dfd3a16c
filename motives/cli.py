"""The ``motives`` command: start the app, create and list sessions, export answers.

``motives`` alone (or ``motives start``) is what a trainer types: it serves the app and opens
the browser at its start page. Every failure a person can cause is one line on stderr and a
non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from motives import __version__, resources, system
from motives.errors import InvalidInput, MotivesError, OutputRefused, Phrase
from motives.formats import DOCUMENTS, MIME, TABLES
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES
from motives.models import normalise_code
from motives.server.reaper import CULL_IDLE_SECONDS
from motives.settings import DEFAULT_BASE_URL, Settings, system_language
from motives.urls import PAGES, dashboard_path, public_url, team_path

# Per client address. With --lan every device has its own address: a phone opens one page and
# reloads it now and then, a trainer opens a dashboard and a few team pages to try them. A room
# behind one NAT address (a server on the internet) needs more: docs/deploy.md.
RENDER_BURST = 10
RENDER_RATE = 10
# Websockets (open pages) one address may hold: a whole room may be one address, forty teams behind
# one NAT address reaching a server on the internet, each page reconnecting, and the dashboards. At
# about nine open files a websocket, 100 stay well within the limit the server raises itself to.
SOCKETS_PER_ADDRESS = 100
# Pages (each a kernel of 50 MB and more) one device may hold open at once: a phone holds one or two,
# a second laptop the overview, the projector and a few team pages. A room behind one NAT address
# needs more (docs/deploy.md). This laptop's own browser is not counted.
PAGES_PER_ADDRESS = 20
DEFAULT_PORT = 8866
# Team pages kept warm when the store has known no session as large (motives.server.pool).
WARM_AT_LEAST = 10
WARM_MINUTES = 20.0  # motives.server.pool.IDLE_SECONDS
LAB_PORT = 8888
DESCRIPTION = (
    "Teams weigh the motives for and against a social media policy; the trainer compares them. "
    "Without a command, motives starts the app and opens it in the browser."
)


def _store(args: argparse.Namespace):
    from motives.store import Store

    # The trainer's own commands reach every session, also those the pages treat as expired.
    return Store(args.db, settings=args.settings, expire_days=0)


def _session_paths(session, pages: str = PAGES) -> dict[str, str]:
    return {
        "code": session.code,
        "trainer_key": session.trainer_key,
        "team_path": team_path(session.code, pages=pages, language=session.language),
        "dashboard_path": dashboard_path(session.code, session.trainer_key, pages, session.language),
    }


def cli_language() -> str:
    """The language the command line speaks to the trainer: ``MOTIVES_LANG``, else the system's
    (:func:`motives.settings.system_language`)."""
    return system_language()


def _say(key: str, /, **params: object) -> str:
    from motives.i18n import message

    return message(cli_language(), key, **params)


def _labelled(pairs: list[tuple[str, str]]) -> list[str]:
    """'  join code:   ABC234' lines, the values aligned whatever the language's labels."""
    labels = [_say(key) + ":" for key, _value in pairs]
    # One width for every list the CLI prints (session new, session list --links): the longest label.
    width = max(len(_say(key)) + 1 for key in ("cli_join_code", "cli_trainer_key", "cli_team_page", "cli_dashboard"))
    return [f"  {label:<{width}} {value}" for label, (_key, value) in zip(labels, pairs, strict=True)]


def _print_session(session, base: str = "", pages: str = PAGES) -> None:
    paths = _session_paths(session, pages)
    print(_say("cli_session", name=session.name, lang=session.language))
    lines = _labelled(
        [
            ("cli_join_code", session.code),
            ("cli_trainer_key", session.trainer_key),
            ("cli_team_page", public_url(base, paths["team_path"])),
            ("cli_dashboard", public_url(base, paths["dashboard_path"])),
        ]
    )
    print("\n".join(lines))


def cmd_session_new(args: argparse.Namespace) -> int:
    from motives.catalogue import default_catalogue, load_catalogue

    catalogue = load_catalogue(args.catalogue) if args.catalogue else default_catalogue()
    session = _store(args).create_session(args.name, catalogue, args.lang)
    if args.json:
        print(json.dumps(_session_paths(session)))
    else:
        _print_session(session)
    return 0


def cmd_session_delete(args: argparse.Namespace) -> int:
    store = _store(args)
    session = store.session(args.code)
    teams = len(store.records(session).teams)
    if not args.yes:
        if not sys.stdin.isatty():
            raise MotivesError("cli_delete_needs_yes", code=session.code)
        answer = input(_say("cli_delete_confirm", name=repr(session.name), code=session.code, teams=teams) + " ")
        if normalise_code(answer) != session.code:
            raise MotivesError("cli_not_deleted")
    store.delete_session(session)
    print(_say("cli_deleted", code=session.code, teams=teams))
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    summaries = _store(args).sessions()
    if args.links and args.json:
        raise MotivesError("cli_links_json")
    if args.json:
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "language": s.language,
                "created_at": s.created_at.isoformat(),
                "teams": s.teams,
            }
            for s in summaries
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not summaries:
        print(_say("cli_no_sessions"))
    store = _store(args)
    base = (args.base or args.settings.base_url).rstrip("/")
    for s in summaries:
        teams = _say("cli_teams", teams=f"{s.teams:>3}")
        print(f"{s.code}  {s.created_at.astimezone():%Y-%m-%d %H:%M}  {s.language}  {teams}  {s.name}")
        if args.links:
            session = store.session(s.code)
            team = team_path(session.code, language=session.language)
            dashboard = dashboard_path(session.code, session.trainer_key, language=session.language)
            lines = [("cli_team_page", public_url(base, team)), ("cli_dashboard", public_url(base, dashboard))]
            print("\n".join(_labelled(lines)))
    return 0


def _refuse_output(args: argparse.Namespace, store) -> Path | None:
    """The file ``-o`` names, checked before anything is made: never the store, never an existing file unasked."""
    if not args.output or args.output == "-":
        return None
    path = Path(args.output).expanduser()
    if path.is_dir():
        raise OutputRefused("output_is_folder", path=args.output)
    resolved = path.resolve()
    for protected in store.files():
        # samefile also catches a hard link to the store, which resolve() does not.
        if resolved == protected or (path.exists() and protected.exists() and path.samefile(protected)):
            raise OutputRefused("output_is_store", path=args.output)
    if path.exists() and not getattr(args, "force", False):
        raise OutputRefused("output_exists", path=args.output)
    return path


def _write(args: argparse.Namespace, content: str | bytes, store) -> None:
    """To the file ``-o`` names, else standard output; binary content never to a terminal."""
    path = _refuse_output(args, store)
    if path is not None:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            # "x" creates the file or fails: a file that appeared since the check is not overwritten either.
            with path.open("wb" if getattr(args, "force", False) else "xb") as fh:
                fh.write(data)
        except FileExistsError:
            raise OutputRefused("output_exists", path=args.output) from None
        except OSError as exc:
            raise MotivesError("cli_cannot_write", path=args.output, reason=exc.strerror) from None
    elif isinstance(content, bytes):
        if sys.stdout.isatty():
            raise MotivesError("cli_binary")
        sys.stdout.buffer.write(content)
    else:
        sys.stdout.write(content)


def cmd_export(args: argparse.Namespace) -> int:
    store = _store(args)
    session = store.session(args.code)
    _refuse_output(args, store)  # before the work: a refused file is said at once
    from motives.export import session_file

    _write(args, session_file(store, session, args.format, args.table, args.document).content, store)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from motives import archive

    text = archive.read(args.file)
    store = _store(args)
    code, parsed = archive.parse(text, str(args.file))
    if args.as_code is None and store.code_exists(code):
        raise MotivesError("cli_code_taken", code=code)
    try:
        session = archive.restore_parsed(store, code, parsed, args.as_code)
    except InvalidInput as exc:  # the code given with --as: taken or malformed
        raise MotivesError("cli_not_imported", reason=exc) from None
    teams = len(parsed.teams)
    if session.trainer_key == parsed.trainer_key:
        print(_say("cli_imported", name=repr(session.name), code=session.code, teams=teams))
        print(_say("cli_imported_same_key"))
    else:
        print(_say("cli_imported_new_key", name=repr(session.name), code=session.code, teams=teams))
        print(_say("cli_imported_key_note"))
    _print_session(session)
    return 0


def cmd_catalogue_add_from(args: argparse.Namespace) -> int:
    from motives import tally
    from motives.catalogue import (
        catalogue_from_dict,
        catalogue_to_toml,
        default_catalogue,
        load_catalogue,
    )

    store = _store(args)
    _refuse_output(args, store)
    catalogue = load_catalogue(args.base) if args.base else default_catalogue()
    records = [store.records(store.session(code)) for code in dict.fromkeys(args.codes)]
    grown = tally.grown_catalogue(catalogue, tally.catalogue_growth(records, catalogue), args.min_teams)
    # The file must start a session: a catalogue grown past the limits is refused here, not at the next workshop.
    catalogue_from_dict(grown.to_dict(), origin=Phrase("cli_not_written", path=args.output), limits=True)
    _write(args, catalogue_to_toml(grown), store)
    added = len(grown.motives) - len(catalogue.motives)
    print(f"motives: {_say('cli_catalogue_grown', added=added, total=len(grown.motives))}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from motives.demo import create_demo

    store = _store(args)
    if args.if_empty and store.sessions():
        print(f"motives: {_say('cli_demo_not_needed')}")
        return 0
    session = create_demo(store, args.lang)
    print(_say("cli_demo_made"))
    _print_session(session, args.base)
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """What a trainer types: an empty store gets the demo session, then the app is served and the
    browser opens at its start page (``--no-browser``: not)."""
    from motives.demo import create_demo

    if args.local and args.lan:
        raise MotivesError("cli_local_or_lan")
    store = _store(args)  # fails here, with one line, if the store cannot be opened
    if not store.sessions():
        session = create_demo(store, args.lang)
        print(_say("cli_demo_made"))
        # Where the room joins; no trainer key: the home, which the browser opens, has the overview.
        room = system.room_addresses() if serves_the_room(args) else []
        base = f"http://{room[0] if room else args.host or '127.0.0.1'}:{args.port}"
        print(_say("cli_session", name=session.name, lang=session.language))
        team = public_url(base, team_path(session.code, language=session.language))
        print("\n".join(_labelled([("cli_join_code", session.code), ("cli_team_page", team)])))
    store.close()
    return cmd_serve(args, open_browser=not args.no_browser)


def _serve_settings(args: argparse.Namespace) -> Settings:
    """The deployment's settings with the limits given on the command line, each option checked."""
    settings = args.settings
    chosen = {
        "max_teams": args.max_teams,
        "expire_days": args.expire_days,
        "max_own": args.max_own,
        "store_connections": args.store_connections,
        "form_seconds": args.form_seconds,
    }
    for name, value in chosen.items():
        if value is not None:
            if value < 1:
                raise MotivesError("cli_at_least_one", option="--" + name.replace("_", "-"))
            settings = replace(settings, **{name: value})
    if args.cull_idle < 1:
        raise MotivesError("cli_at_least_one_second", option="--cull-idle")
    if args.render_burst < 1:
        raise MotivesError("cli_at_least_one", option="--render-burst")
    if args.render_rate <= 0:
        raise MotivesError("cli_more_than_zero", option="--render-rate")
    if args.sockets_per_address < 1:
        raise MotivesError("cli_at_least_one", option="--sockets-per-address")
    if args.pages_per_address < 1:
        raise MotivesError("cli_at_least_one", option="--pages-per-address")
    if args.warm_pages is not None and args.warm_pages < 0:
        raise MotivesError("cli_not_negative", option="--warm-pages")
    if args.warm_minutes <= 0:
        raise MotivesError("cli_more_than_zero", option="--warm-minutes")
    if args.trainer_password_file:
        from motives.password import password_from_file, password_hash

        # Only the hash stays in memory; the file's path may be shown, never what it holds.
        password = password_from_file(Path(args.trainer_password_file))
        settings = replace(settings, trainer_password_hash=password_hash(password))
    return settings


def serves_the_room(args: argparse.Namespace) -> bool:
    """Whether the team pages are open to the laptop's network: ``motives`` (start) does it unless told
    ``--local`` or a ``--host``; ``motives serve`` (scripts, servers behind a proxy) only with ``--lan``."""
    return args.lan or (args.command == "start" and not args.local and args.host is None)


def _listen_on(args: argparse.Namespace) -> tuple[str, str, list[str]]:
    """The address to bind to, the one to show in links, and this laptop's network addresses (when
    serving the room: then stderr says, in the trainer's language, where the room joins)."""
    if not serves_the_room(args):
        return args.host or "127.0.0.1", args.host or "127.0.0.1", []
    room = system.room_addresses()
    if room:
        print(f"motives: {_say('cli_room_open', url=f'http://{room[0]}:{args.port}/')}", file=sys.stderr)
    else:
        print(f"motives: {_say('cli_room_none')}", file=sys.stderr)
    return "0.0.0.0", room[0] if room else "127.0.0.1", room


def _print_serving(args: argparse.Namespace, url: str, store, settings: Settings, hosts) -> None:
    from motives.server.reaper import GRACE_SECONDS, UNCLAIMED_SECONDS

    print(f"motives: serving on {url} (store: {store.display_url}, at most {settings.max_teams} teams a session)")
    print(f"motives: answering for {', '.join(sorted(hosts))}; other host names get 403")
    print(
        f"motives: at most {args.render_burst} pages at once per address, then {args.render_rate:g} a minute; "
        f"a page gone for {GRACE_SECONDS:g} s frees its kernel, one never connected after "
        f"{UNCLAIMED_SECONDS:g} s, an idle one after {args.cull_idle} s"
    )
    if args.warm_pages:
        print(f"motives: {args.warm_pages} team pages kept warm, ready for a room that joins at once")
    if settings.trainer_password_hash:
        print(f"motives: the trainer's home at {url}trainer asks other devices for the trainer password")
    print("motives: the pages' links: motives session list --links", flush=True)
    print("Stop with Ctrl+C.", flush=True)


def _server_config(args: argparse.Namespace, notebooks: Path, host: str, prefix: str, hosts, open_url: str, room: bool):
    """The server's configuration from the command line (motives.server.app.MotivesVoila's traits and Voilà's)."""
    from traitlets.config import Config

    config = Config()
    config.Voila.root_dir = str(notebooks)
    config.Voila.ip = host
    config.Voila.port = args.port
    config.Voila.base_url = prefix
    config.MappingKernelManager.cull_idle_timeout = args.cull_idle
    if args.command == "start":
        # What a trainer types (motives) prints what they can act on: warnings and errors, not a line
        # per kernel started; motives serve keeps Voilà's information for a server's log.
        config.Voila.log_level = "WARN"
    config.MotivesVoila.allowed_hosts = sorted(hosts)
    config.MotivesVoila.room = room
    config.MotivesVoila.render_burst = args.render_burst
    config.MotivesVoila.render_rate = args.render_rate
    config.MotivesVoila.sockets_per_address = args.sockets_per_address
    config.MotivesVoila.pages_per_address = args.pages_per_address
    config.MotivesVoila.open_url = open_url
    config.MotivesVoila.warm_pages = args.warm_pages
    config.MotivesVoila.warm_idle_seconds = args.warm_minutes * 60
    return config


def _warm_pages(args: argparse.Namespace, store, settings: Settings, available: int | None = None) -> int:
    """How many team pages the server keeps warm (motives.server.pool): as asked, or as many as the most
    teams a session of the store had (at least WARM_AT_LEAST, at most a session's limit), as far as the
    memory free now (``available`` bytes; None: as the system says) allows; the trainer is told when it does not."""
    if args.warm_pages is not None:
        return args.warm_pages
    from motives.server.pool import memory_allows

    expected = min(max([WARM_AT_LEAST, *(summary.teams for summary in store.sessions())]), settings.max_teams)
    allowed = memory_allows(expected, available)
    if allowed < expected:
        print(f"motives: {_say('cli_warm_memory', allowed=allowed, expected=expected)}", file=sys.stderr)
    return allowed


def cmd_serve(args: argparse.Namespace, open_browser: bool = False) -> int:
    settings = _serve_settings(args)
    store = _store(args)  # fails here, with one line, if the store cannot be opened
    notebooks = Path(args.notebooks)
    if not (notebooks / "team.ipynb").is_file():
        raise MotivesError("cli_no_notebooks", folder=notebooks)
    host, shown, lan = _listen_on(args)
    prefix = f"/{args.base_url.strip('/')}/".replace("//", "/")  # Voilà's base_url: a proxy's path to the app
    base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{args.port}"
    # Behind a reverse proxy (or JupyterHub's) teams use the proxy's address; the deployment says which.
    proxied = settings.base_url if settings.base_url != DEFAULT_BASE_URL else ""
    settings = replace(settings, db=store.url, base_url=proxied or base, room=serves_the_room(args) and not proxied)
    from motives.server.app import serve
    from motives.server.hosts import allowed_hosts

    hosts = allowed_hosts(host, lan, proxied, args.allowed_host)
    # A warm kernel asks this machine's loopback address for its request (Voilà's VOILA_APP_IP): a server
    # bound to one other address only would never answer it.
    loopback = host in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::")
    args.warm_pages = _warm_pages(args, store, settings) if loopback else 0
    _print_serving(args, base + prefix, store, settings, hosts)
    # Voilà finds the app's template in this Jupyter data folder: jupyter_core's own way to add one.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(resources.JUPYTER_DATA), os.environ.get("JUPYTER_PATH")])
    )
    # The trainer password's hash is the server's alone: no process it starts inherits it (the browser it
    # opens; a page's kernel never gets it either way, motives.server.kernels).
    os.environ.pop("MOTIVES_TRAINER_PASSWORD_HASH", None)
    store.close()
    from motives.service import StoreService

    # The team pages' store, kept by this process for all of them; each kernel is told where it listens.
    service = StoreService(settings)
    # The trainer's own browser on this laptop: the loopback address, also under --lan.
    start_page = (f"http://127.0.0.1:{args.port}" if host == "0.0.0.0" else base) + prefix
    config = _server_config(args, notebooks, host, prefix, hosts, start_page if open_browser else "", settings.room)
    serve(config, settings, store_service=service)
    return 0


def cmd_password_hash(args: argparse.Namespace) -> int:
    """The hash of the password on standard input's first line, for MOTIVES_TRAINER_PASSWORD_HASH."""
    from motives.password import password_hash

    line = sys.stdin.readline()
    print(password_hash(line.rstrip("\r\n")))
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """JupyterLab on the trainer's own folder, with copies of the reflection notebooks (the trainer
    edits a copy, never the installed file) and the store the app uses."""
    folder = Path(args.folder).expanduser() if args.folder else system.notebooks_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in resources.REFLECTION:
            copy = folder / name
            if not copy.exists():  # the trainer's own edits of an earlier copy are kept
                shutil.copyfile(resources.NOTEBOOKS / name, copy)
    except OSError as exc:
        raise MotivesError("cli_cannot_write", path=folder, reason=exc.strerror) from None
    store = _store(args)  # fails here, with one line, if the store cannot be opened
    settings = replace(args.settings, db=store.url)
    store.close()
    os.environ.update(settings.to_env())
    # The page config that turns off the toast asking whether to fetch Jupyter news.
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(resources.LAB_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH")])
    )
    argv = [
        f"--ServerApp.ip={args.host}",
        f"--ServerApp.port={args.port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={folder}",
        # Nothing asked of the internet: no news feed, no update check, no extension manager.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    argv += ["--no-browser"] if args.no_browser else []
    if args.stop_when_idle > 0:
        seconds = args.stop_when_idle * 60
        argv += [
            f"--ServerApp.shutdown_no_activity_timeout={seconds}",
            f"--MappingKernelManager.cull_idle_timeout={seconds}",
        ]
    argv += ["--allow-root"] if system.runs_as_root() else []
    print(f"motives: JupyterLab on {folder} (store: {store.display_url})", flush=True)
    from jupyterlab.labapp import LabApp

    lab = LabApp.initialize_server(argv=argv)
    # Ctrl+C stops JupyterLab's server at once, as it stops `motives` (its own handler asks "Shut down
    # (y/[n])?" in a terminal, and in none lets SIGINT land wherever the loop happens to be).
    signal.signal(signal.SIGINT, lambda _signal, _frame: lab.stop(from_signal=True))
    lab.start()
    return 0


def cmd_team_remove(args: argparse.Namespace) -> int:
    store = _store(args)
    session = store.session(args.code)
    team = store.find_team(session, args.name)
    if team is None:
        raise MotivesError("cli_no_team", code=session.code, name=repr(args.name))
    store.remove_team(session, team.name, bar=args.bar)
    if args.bar:
        print(_say("cli_team_removed_barred", name=repr(team.name), code=session.code))
    else:
        print(_say("cli_team_removed", name=repr(team.name), code=session.code))
    return 0


def cmd_team_unbar(args: argparse.Namespace) -> int:
    store = _store(args)
    session = store.session(args.code)
    if not store.unbar_team(session, args.name):
        raise MotivesError("cli_not_barred", code=session.code, name=repr(args.name))
    print(_say("cli_team_unbarred", name=repr(args.name), code=session.code))
    return 0


def _home_relative(path: Path) -> str:
    """``~/…`` for a path in the user's home, as a trainer reads it; else the whole path."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def serve_options(serve: argparse.ArgumentParser, start: bool = False) -> None:
    """The server's options, for ``motives serve`` and ``motives start`` (which serves the room)."""
    if start:
        serve.add_argument(
            "--local",
            action="store_true",
            help="serve this laptop only: no device in the room can join (default: the team pages are open "
            "to this laptop's network; the home and every key stay on this laptop)",
        )
        serve.add_argument("--host", default=None, help="address to bind to (default: every address, for the room)")
    else:
        serve.add_argument(
            "--host", default="127.0.0.1", help="address to bind to (default: 127.0.0.1, this laptop only)"
        )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the port to listen on (default: {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--lan",
        action="store_true",
        help="the team pages reachable from other devices on this network (what motives alone does)",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (a proxy's; repeatable). "
        "This laptop's names, the --lan addresses and $MOTIVES_BASE_URL's host are always allowed",
    )
    serve.add_argument(
        "--render-burst",
        type=int,
        default=RENDER_BURST,
        metavar="N",
        help=f"pages one address may open at once before it has to wait (default: {RENDER_BURST})",
    )
    serve.add_argument(
        "--render-rate",
        type=float,
        default=RENDER_RATE,
        metavar="N",
        help=f"pages one address may open per minute after that (default: {RENDER_RATE})",
    )
    serve.add_argument(
        "--sockets-per-address",
        type=int,
        default=SOCKETS_PER_ADDRESS,
        metavar="N",
        help="open pages one address may hold at once; a room behind one NAT address is one address "
        f"(default: {SOCKETS_PER_ADDRESS})",
    )
    serve.add_argument(
        "--pages-per-address",
        type=int,
        default=PAGES_PER_ADDRESS,
        metavar="N",
        help="pages (kernels) one address may keep open, this laptop's own browser aside; a room behind one "
        f"NAT address is one address (default: {PAGES_PER_ADDRESS})",
    )
    serve.add_argument(
        "--form-seconds",
        type=int,
        metavar="SECONDS",
        help="a page still on its form (a code, a team name, a key) this long after it opened ends its kernel "
        "and asks for a reload (default: $MOTIVES_FORM_SECONDS, else 600)",
    )
    serve.add_argument("--max-teams", type=int, help="teams one session accepts (default: $MOTIVES_MAX_TEAMS, else 40)")
    serve.add_argument(
        "--expire-days",
        type=int,
        metavar="DAYS",
        help="join codes of sessions older than this stop working on the pages (default: never; for shared servers)",
    )
    serve.add_argument(
        "--max-own", type=int, help="own motives one team may write (default: $MOTIVES_MAX_OWN, else 100)"
    )
    serve.add_argument(
        "--store-connections",
        type=int,
        metavar="N",
        help="PostgreSQL connections this server keeps for all its team pages together "
        "(default: $MOTIVES_STORE_CONNECTIONS, else 4)",
    )
    serve.add_argument(
        "--cull-idle",
        type=int,
        default=CULL_IDLE_SECONDS,
        metavar="SECONDS",
        help=f"shut down the kernel of a page gone this long without a browser (default: {CULL_IDLE_SECONDS})",
    )
    serve.add_argument(
        "--base-url",
        default="/",
        metavar="PREFIX",
        help="serve under this path, as a proxy forwards it (e.g. /services/motives/ under JupyterHub; default: /)",
    )
    serve.add_argument(
        "--trainer-password-file",
        metavar="FILE",
        help="on a server: the trainer's home opens for other devices that give the password on this file's "
        "first line (at least 10 characters; or set $MOTIVES_TRAINER_PASSWORD_HASH, see motives password-hash)",
    )
    serve.add_argument(
        "--warm-pages",
        type=int,
        metavar="N",
        help="team pages kept ready for a room that opens its link at once (default: as many as the most teams "
        f"a session of the store had, at least {WARM_AT_LEAST}, as far as half the free memory allows; 0: none)",
    )
    serve.add_argument(
        "--warm-minutes",
        type=float,
        default=WARM_MINUTES,
        metavar="M",
        help="give the warm team pages' memory back after M minutes in which nobody opened a page; a trainer's "
        f"page (the home, an overview, the projector) makes them ready again (default: {WARM_MINUTES:g})",
    )
    serve.add_argument("--notebooks", default=str(resources.NOTEBOOKS), help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motives", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"motives {__version__}")
    default_db = _home_relative(system.data_folder() / "motives.db")
    db_help = f"the store: a file path or an SQLAlchemy URL (default: $MOTIVES_DB, else {default_db})"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None, help=db_help)

    # Every action that runs takes --db and names the function that runs it where it is declared.
    def command(
        actions: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        action = actions.add_parser(name, parents=[common], help=help)
        action.set_defaults(func=run)
        return action

    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = command(sub, "start", cmd_start, help="start the app and open it in the browser (what motives alone does)")
    start.add_argument("--no-browser", action="store_true", help="do not open the browser")
    start.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="the demo session's language")
    serve_options(start, start=True)
    serve_options(command(sub, "serve", cmd_serve, help="serve the team page and the dashboard with Voilà"))

    lab = command(sub, "lab", cmd_lab, help="JupyterLab with the reflection notebooks, to look back across workshops")
    lab.add_argument(
        "--folder",
        metavar="DIR",
        help=f"the folder of your own notebooks, made on first use (default: {system.notebooks_folder()})",
    )
    lab.add_argument("--host", default="127.0.0.1", help="address to bind to (default: 127.0.0.1, this laptop only)")
    lab.add_argument("--port", type=int, default=LAB_PORT, help=f"the port to listen on (default: {LAB_PORT})")
    lab.add_argument("--no-browser", action="store_true", help="do not open the browser")
    lab.add_argument(
        "--stop-when-idle",
        type=int,
        default=0,
        metavar="MINUTES",
        help="stop after this many minutes nobody used it (the home starts it so; default: never)",
    )

    session = sub.add_parser("session", help="create or list sessions")
    session_sub = session.add_subparsers(dest="session_command", required=True, metavar="ACTION")
    new = command(session_sub, "new", cmd_session_new, help="create a session")
    new.add_argument("name")
    new.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    new.add_argument("--catalogue", help="a catalogue file (TOML) instead of the worksheet's motives")
    new.add_argument("--json", action="store_true", help="print one JSON object")
    listing = command(session_sub, "list", cmd_session_list, help="list sessions, newest first")
    listing.add_argument("--json", action="store_true")
    listing.add_argument(
        "--links", action="store_true", help="also print each session's team page and dashboard link (with its key)"
    )
    listing.add_argument(
        "--base",
        metavar="URL",
        help=f"the address the links start with (default: $MOTIVES_BASE_URL, else {DEFAULT_BASE_URL})",
    )
    delete = command(session_sub, "delete", cmd_session_delete, help="delete a session and everything in it")
    delete.add_argument("code")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    export = command(sub, "export", cmd_export, help="write a session to a file: answers, report, archive")
    export.add_argument("code")
    export.add_argument(
        "--format",
        choices=list(MIME),
        default="csv",
        help="csv: a table; xlsx: every table as a sheet; json: the whole session (for motives import); "
        "html/md: the report; docx: the policy draft, to go on writing in Word or LibreOffice",
    )
    export.add_argument(
        "--table",
        choices=TABLES,
        default="answers",
        help="for csv: the answers, the comparison, or data (for analysts)",
    )
    export.add_argument(
        "--document",
        choices=DOCUMENTS,
        default="report",
        help="for html: the report, a handout per team, or the paper worksheet",
    )
    export.add_argument("-o", "--output", help="file to write (default: standard output); never an existing one")
    export.add_argument("--force", action="store_true", help="overwrite the file -o names if it exists")

    restore = command(sub, "import", cmd_import, help="restore a session from a json archive")
    restore.add_argument("file")
    restore.add_argument(
        "--as",
        dest="as_code",
        metavar="NEWCODE",
        help="import a copy under another join code, with a new trainer key (without: the archive's code and key)",
    )

    catalogue = sub.add_parser("catalogue", help="grow a catalogue with the teams' own motives")
    catalogue_sub = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    add_from = command(
        catalogue_sub,
        "add-from",
        cmd_catalogue_add_from,
        help="write a catalogue file: the worksheet plus own motives from sessions",
    )
    add_from.add_argument("codes", nargs="+", metavar="CODE")
    add_from.add_argument(
        "-o", "--output", required=True, help="the catalogue file to write (TOML); never an existing one"
    )
    add_from.add_argument("--force", action="store_true", help="overwrite the file -o names if it exists")
    add_from.add_argument("--base", help="the catalogue to extend (default: the worksheet's)")
    add_from.add_argument("--min-teams", type=int, default=1, help="only motives named by at least this many teams")

    command(
        sub,
        "password-hash",
        cmd_password_hash,
        help="print the hash of the trainer password read from standard input, for $MOTIVES_TRAINER_PASSWORD_HASH",
    )
    demo = command(sub, "demo", cmd_demo, help="create a demo session with three example teams")
    demo.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    demo.add_argument("--if-empty", action="store_true", help="only when the store has no sessions yet")
    demo.add_argument("--base", default="", help=argparse.SUPPRESS)

    team = sub.add_parser("team", help="manage a session's teams")
    team_sub = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    remove = command(
        team_sub, "remove", cmd_team_remove, help="remove a team and its answers (frees its place under the team cap)"
    )
    remove.add_argument("code")
    remove.add_argument("name")
    remove.add_argument("--bar", action="store_true", help="and let no team join by that name again (a script's teams)")
    unbar = command(team_sub, "unbar", cmd_team_unbar, help="let a barred name join again")
    unbar.add_argument("code")
    unbar.add_argument("name")
    return parser


COMMANDLESS = ("-h", "--help", "--version")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in COMMANDLESS):
        argv = ["start", *argv]  # `motives`, `motives --no-browser`: what a trainer types
    args = build_parser().parse_args(argv)
    try:
        args.settings = Settings.from_env()  # read once, here; every command gets them through args
        return args.func(args)
    except MotivesError as exc:  # every refusal has a message key: said in the trainer's language
        print(f"motives: {exc.say(cli_language())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
