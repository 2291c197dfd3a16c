"""The app as a trainer installs it: the wheel, built from the sdist, in a fresh virtual environment of
every Python that ``requires-python`` accepts, run from another folder with the checkout nowhere on
``sys.path``. And a test that fails when the wheel lacks a file the app opens at run time.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from joining import open_team_page
from playwright.sync_api import expect
from processes import free_port, motives, wait_until_answering
from servers import ROOT, answers_of, eventually, fetch, start_server, stop_server

from motives import resources
from motives.catalogue import default_catalogue

PYTHONS = ("3.11", "3.12", "3.13")  # what requires-python accepts (checked below)
PIPX = "3.13"  # the one installed with pipx; the others with pip into a venv of their own
LOCK = ROOT / "requirements.lock"


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """``python -m build``: the sdist, then the wheel built from that sdist (so the sdist is complete)."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return Dist(sdist, wheel)


def test_requires_python_is_the_pythons_tested_here():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    assert PYTHONS == ("3.11", "3.12", "3.13")


def interpreter(version: str) -> Path:
    """This machine's Python ``version`` (pyenv's, else one on PATH). Missing is a failure, not a skip."""
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if shutil.which("pyenv"):
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    found = sorted(Path(root, "versions").glob(f"{version}.*/bin/python{version}"))
    on_path = shutil.which(f"python{version}")
    if found:
        return found[-1]
    if on_path:
        return Path(on_path)
    pytest.fail(f"Python {version} is needed to test the wheel on it (pyenv install {version})", pytrace=False)


@dataclass
class Installed:
    """A fresh venv with the wheel in it, the ``motives`` command a trainer types, and a folder outside
    the checkout to run it from."""

    version: str
    venv: Path
    command: Path
    home: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "MOTIVES_"))}
        return env | {
            "PATH": f"{self.venv / 'bin'}{os.pathsep}{env['PATH']}",
            "MOTIVES_DB": str(self.home / "motives.db"),
            # Where a read-only install would have to compile its catalogues: it must never need it.
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "jupyter-runtime"),
            "JUPYTER_DATA_DIR": str(self.home / "jupyter-data"),
        }

    def motives(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.command), *args],
            cwd=self.home,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def python(self, code: str) -> str:
        done = subprocess.run(
            [str(self.venv / "bin" / "python"), "-c", code],
            cwd=self.home,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()


@pytest.fixture(scope="module", params=PYTHONS)
def installed(request: pytest.FixtureRequest, dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    version = request.param
    folder = tmp_path_factory.mktemp(f"python{version}")
    venv, home = folder / "venv", folder / "elsewhere"
    home.mkdir()
    python = interpreter(version)
    if version == PIPX:
        # As the README says first: pipx, which makes the venv and puts `motives` on the PATH.
        pipx = {
            "PIPX_HOME": str(folder / "pipx"),
            "PIPX_BIN_DIR": str(folder / "bin"),
            "PIPX_MAN_DIR": str(folder / "man"),
        }
        command = [
            sys.executable,
            "-m",
            "pipx",
            "install",
            "--python",
            str(python),
            "--pip-args",
            f"-c {LOCK}",
            str(dist.wheel),
        ]
        done = subprocess.run(command, env=os.environ | pipx, capture_output=True, text=True, timeout=900)
        venv, motives = folder / "pipx" / "venvs" / "motives-workshop", folder / "bin" / "motives"
    else:
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True, timeout=120)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*pip, "-c", str(LOCK), str(dist.wheel)], capture_output=True, text=True, timeout=900)
        motives = venv / "bin" / "motives"
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # Beside it, another package that installs a top-level `widgets`, as an organisation's environment may have.
    other = other_widgets_wheel(folder)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(other)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Installed(version, venv, motives, home)


OTHER_WIDGETS = "theirs: a package of someone else's named widgets"


def other_widgets_wheel(folder: Path) -> Path:
    """A wheel of another project whose package is a top-level ``widgets``, as pip installs any wheel."""
    files = {
        "widgets/__init__.py": f"WHOSE = {OTHER_WIDGETS!r}\n",
        "other_widgets-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: other-widgets\nVersion: 1.0\n",
        "other_widgets-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "other_widgets-1.0.dist-info/top_level.txt": "widgets\n",
    }
    rows = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        rows.append(f"{name},sha256={digest},{len(text.encode())}")
    rows.append("other_widgets-1.0.dist-info/RECORD,,")
    wheel = folder / "other_widgets-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("other_widgets-1.0.dist-info/RECORD", "\n".join(rows) + "\n")
    return wheel


def test_the_wheel_puts_motives_and_nothing_else_at_the_top_level(dist: Dist):
    with zipfile.ZipFile(dist.wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        declared = archive.read(top_level).decode().split()
    version = version_of_wheel()
    assert {n.split("/")[0] for n in names} == {
        "motives",
        f"motives_workshop-{version}.data",
        f"motives_workshop-{version}.dist-info",
    }
    assert declared == ["motives"]
    assert {n for n in names if n.startswith("motives/widgets/")} >= {
        "motives/widgets/__init__.py",
        "motives/widgets/team.py",
        "motives/widgets/app.css",
    }


def test_the_app_lives_beside_another_package_named_widgets(installed: Installed):
    seen = json.loads(
        installed.python(
            "import json, widgets, motives.widgets.team; "
            "print(json.dumps([widgets.WHOSE, motives.widgets.team.__name__, motives.widgets.team.__file__]))"
        )
    )
    assert seen[:2] == [OTHER_WIDGETS, "motives.widgets.team"]
    assert Path(seen[2]).resolve().is_relative_to(installed.venv.resolve())


def test_the_installed_app_is_the_wheel_not_the_checkout(installed: Installed):
    seen = json.loads(
        installed.python(
            "import json, sys, motives, motives.widgets; from motives import resources; "
            "print(json.dumps({'version': sys.version_info[:2], 'path': sys.path, "
            "'motives': motives.__file__, 'widgets': motives.widgets.__file__, "
            "'notebooks': str(resources.NOTEBOOKS)}))"
        )
    )
    assert ".".join(map(str, seen["version"])) == installed.version
    assert not any(entry and Path(entry).resolve().is_relative_to(ROOT) for entry in seen["path"])
    site = installed.venv.resolve()
    for name in ("motives", "widgets", "notebooks"):
        assert Path(seen[name]).resolve().is_relative_to(site), seen[name]


def test_the_installed_app_says_its_version(installed: Installed):
    said = installed.motives("--version")
    assert (said.returncode, said.stdout, said.stderr) == (0, f"motives {version_of_wheel()}\n", "")


def version_of_wheel() -> str:
    import motives

    return motives.__version__


def test_a_french_session_serves_exports_and_keeps_a_tick(installed: Installed, new_page):
    made = installed.motives("session", "new", "Atelier à Namur", "--lang", "fr", "--json")
    assert made.returncode == 0, made.stderr
    session = json.loads(made.stdout)

    log = installed.home / f"serve-{time.monotonic_ns()}.log"
    command = [str(installed.command)]
    process, base = start_server(
        installed.env["MOTIVES_DB"], log, command=command, env=installed.env, cwd=installed.home
    )
    try:
        page = new_page(1280, 900)
        open_team_page(page, f"{base}{session['team_path']}&team=Équipe Meuse")
        french = default_catalogue().motives
        choices = page.locator(".motives-choice")
        expect(choices).to_have_count(len(french))
        for motive in french:
            expect(page.get_by_role("checkbox", name=motive.text("fr"), exact=True)).to_be_visible()
        first = french[0]
        page.get_by_role("checkbox", name=first.text("fr"), exact=True).check()

        def ticked() -> set[str]:
            stored = answers_of(installed.env["MOTIVES_DB"], session["code"], "Équipe Meuse")
            return {motive for motive, answer in stored.answers.items() if answer.applies} if stored else set()

        assert eventually(ticked) == {first.id}
    finally:
        stop_server(process)

    report = installed.home / "rapport.html"
    exported = installed.motives("export", session["code"], "--format", "html", "-o", str(report))
    assert (exported.returncode, exported.stderr) == (0, "")
    html = report.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Atelier à Namur" in html and "Équipe Meuse" in html

    answers = installed.motives("export", session["code"], "--format", "csv", "--table", "data")  # the data format
    rows = list(csv.DictReader(answers.stdout.splitlines()))
    assert [(r["team"], r["motive_id"]) for r in rows if r["applies"] == "True"] == [("Équipe Meuse", first.id)]
    # The catalogues came compiled in the wheel: nothing was compiled into a cache folder.
    assert not (installed.home / "cache" / "motives").exists()


# --- every file the app opens is in the wheel ---------------------------------------------------------

AUDIT = """
import os, sys
_log = os.open(os.environ["MOTIVES_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
def _hook(event, args):
    # os.write on a descriptor opened before the hook: writing the log raises no "open" event of its own.
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        os.write(_log, os.fsencode(os.path.abspath(os.fsdecode(args[0]))) + b"\\n")
sys.addaudithook(_hook)
"""


def opened_by_the_app(tmp: Path) -> set[Path]:
    """Every file of the checkout that the app opens while it serves a French team page and a dashboard,
    exports a report, and starts JupyterLab: recorded by an audit hook in every process, kernels too."""
    hook, log = tmp / "hook", tmp / "opened.txt"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook), "MOTIVES_AUDIT_LOG": str(log), "MOTIVES_DB": str(tmp / "m.db")}
    session = json.loads(motives("session", "new", "Atelier", "--lang", "fr", "--json", env=env).stdout)
    process, base = start_server(tmp / "m.db", tmp / "serve.log", env=env)
    try:
        for path in (f"{session['team_path']}&team=Nord", session["dashboard_path"]):
            status, rendered = fetch(base + path, timeout=120)
            assert status == 200 and "<title>" in rendered
    finally:
        stop_server(process)
    motives("export", session["code"], "--format", "html", env=env)
    lab_port = free_port()
    lab = subprocess.Popen(
        [sys.executable, "-m", "motives", "lab", "--folder", str(tmp / "lab"), "--port", str(lab_port), "--no-browser"],
        env=env | {"JUPYTER_TOKEN": "audit", "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        lab_base = f"http://127.0.0.1:{lab_port}"
        wait_until_answering(lab, lab_base, seconds=120)
        status, page = fetch(f"{lab_base}/lab?token=audit", timeout=120)
        assert status == 200 and "jupyter-config-data" in page
    finally:
        stop_server(lab)
    opened = set()
    for line in log.read_text(encoding="utf-8").splitlines():
        path = Path(line)
        if path.is_file() and path.resolve().is_relative_to(ROOT) and "__pycache__" not in path.parts:
            relative = path.resolve().relative_to(ROOT)
            if relative.parts[0] not in (".venv", "tests"):
                opened.add(relative)
    return opened


def in_the_wheel(relative: Path) -> str:
    """Where the wheel carries a file of the checkout (motives/resources.py and setup.py say so)."""
    for folder in resources.BUNDLED:
        if relative.is_relative_to(folder):
            return f"motives/{resources.BUNDLE}/{relative.as_posix()}"
    if relative.suffix == ".po":  # compiled when the wheel is built
        return relative.with_suffix(".mo").as_posix()
    if relative.parts[0] == "widgets":  # the views, installed as motives.widgets (pyproject.toml)
        return f"motives/{relative.as_posix()}"
    if relative.parts[0] == "motives_workshop.egg-info":  # the editable install's metadata (its entry points)
        return f"motives_workshop-{version_of_wheel()}.dist-info/{'METADATA' if relative.name == 'PKG-INFO' else relative.name}"
    return relative.as_posix()


def record_of(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
        rows = csv.reader(archive.read(name).decode("utf-8").splitlines())
        return {path: digest for path, digest, _size in rows}


def test_the_wheel_carries_every_file_the_app_opens(dist: Dist, tmp_path: Path):
    opened = opened_by_the_app(tmp_path)
    # What the audit must have seen for the comparison to mean anything: each kind of run-time file.
    kinds = {
        "page notebook": Path("notebooks/team.ipynb"),
        "Voilà template": Path("share/jupyter/voila/templates/motives/index.html.j2"),
        "lab page config": Path("share/jupyter/lab-config/labconfig/page_config.json"),
        "catalogue": Path("motives/catalogues/sociale-mediabeleid.toml"),
        "CSS": Path("widgets/app.css"),
    }
    assert {kind: path in opened for kind, path in kinds.items()} == dict.fromkeys(kinds, True)
    assert any(p.suffix in (".mo", ".po") and "fr" in p.parts for p in opened), "the French catalogue"

    record = record_of(dist.wheel)
    missing = sorted(str(p) for p in opened if in_the_wheel(p) not in record)
    assert missing == []
    # And the same bytes: the wheel's copy of each data file is the checkout's (RECORD's sha256).
    for path in opened:
        if path.suffix not in (".po", ".mo", ".py"):
            digest = hashlib.sha256((ROOT / path).read_bytes()).digest()
            assert record[in_the_wheel(path)] == "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
