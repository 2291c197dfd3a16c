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


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def advisory_minimums(text: str) -> dict[str, str]:
    """The minimums a file states for the servers the app runs on ("voila >= 0.5.6"): pyproject.toml
    keeps the record, with what each release fixed; environment.yml repeats it for conda users."""
    return {canonical(name): minimum for name, minimum in re.findall(r"\b([a-z_]+) >= (\d+\.\d+\.\d+)", text)}


def test_every_pin_is_past_the_known_advisories():
    pyproject = advisory_minimums((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The record names each server the pages run on; a minimum dropped from it would leave a pin unchecked.
    assert set(pyproject) == {"voila", "jupyter-server", "nbconvert"}
    assert advisory_minimums((ROOT / "environment.yml").read_text(encoding="utf-8")) == pyproject
    pins = pyproject_pins()
    for name, minimum in pyproject.items():
        assert version(pins[name]) >= version(minimum), f"{name}=={pins[name]} is older than {minimum}"
    # And what the lock file installs (also what the wheel's tests install), not only what pyproject pins.
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    locked = {canonical(line.partition("==")[0]): line.partition("==")[2] for line in lines if "==" in line}
    for name, minimum in pyproject.items():
        assert version(locked[name]) >= version(minimum), f"the lock file's {name}=={locked[name]}"


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
