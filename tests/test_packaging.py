"""The project's own files agree with each other: pins, conda environment, notebooks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


# conda-forge's names for the packages PyPI names otherwise.
CONDA_NAMES = {"python-build": "build"}


def canonical(name: str) -> str:
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_NAMES.get(name, name)


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        name = name.split("[")[0]  # psycopg[binary] is psycopg
        assert version, f"{requirement} is not pinned exactly"
        pins[canonical(name)] = version
    return pins


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    for dependency in env["dependencies"]:
        if isinstance(dependency, str) and "=" in dependency:
            name, version = dependency.split("=", 1)
            if canonical(name) != "python":
                conda[canonical(name)] = version.lstrip("=")
        elif isinstance(dependency, dict):  # what conda-forge lacks, from PyPI through pip
            for requirement in dependency["pip"]:
                name, _, version = requirement.partition("==")
                if version:
                    conda[canonical(name)] = version
    assert conda == pyproject_pins()
    assert "python=3.11" in env["dependencies"]


# The first releases with the fixes for the published advisories of the servers the app runs on.
ADVISORY_MINIMUMS = {"voila": "0.5.6", "jupyter-server": "2.14.1", "nbconvert": "7.17.0"}


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_every_pin_is_past_the_known_advisories():
    pins = pyproject_pins()
    for name, minimum in ADVISORY_MINIMUMS.items():
        assert version(pins[name]) >= version(minimum), name
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for name, minimum in ADVISORY_MINIMUMS.items():
        stated = f"{name.replace('-', '_')} >= {minimum}"
        assert stated in pyproject and stated in environment, stated


def test_the_lock_file_agrees_with_the_pins():
    locked = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            locked[canonical(name)] = version
    for name, version in pyproject_pins().items():
        assert locked.get(name) == version, name


def test_notebooks_are_kept_without_outputs():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            assert not cell.get("outputs") and not cell.get("execution_count"), path.name
