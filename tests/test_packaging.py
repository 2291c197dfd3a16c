"""The project's own files agree with each other: pins, conda environment, notebooks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


# conda-forge's names for the packages PyPI names otherwise.
CONDA_NAMES = {"python-build": "build"}


def canonical(name: str) -> str:
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_NAMES.get(name, name)


def requirements() -> dict[str, Requirement]:
    """Every dependency pyproject.toml names, the app's and the tests', by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    found: dict[str, Requirement] = {}
    for requirement in map(Requirement, texts):  # the app's range first (psycopg: the test tools' pin too)
        found.setdefault(canonical(requirement.name), requirement)
    return found


def runtime() -> set[str]:
    """The app's own dependencies (and its PostgreSQL driver): ranges, not pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["dependencies"] + project["optional-dependencies"]["postgresql"]
    return {canonical(Requirement(t).name) for t in texts}


def locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return {canonical(line.partition("==")[0]): line.partition("==")[2] for line in lines if "==" in line}


def lower_bound(requirement: Requirement) -> str:
    (bound,) = [s.version for s in requirement.specifier if s.operator == ">="]
    return bound


def test_the_app_asks_for_ranges_and_the_tools_for_exact_versions():
    """A range lets the wheel join an environment whose servers differ by a release; below the next
    major release, which may change what the app relies on. The test tools are pinned."""
    for name, requirement in requirements().items():
        operators = sorted(s.operator for s in requirement.specifier)
        assert operators == (["<", ">="] if name in runtime() else ["=="]), str(requirement)
    assert {"voila", "jupyter-server", "ipykernel", "ipywidgets", "tornado"} <= runtime()


def test_the_lock_file_installs_a_version_in_every_range():
    lock = locked()
    for name, requirement in requirements().items():
        assert requirement.specifier.contains(lock[name]), f"the lock file's {name}=={lock[name]} is not {requirement}"


def test_environment_yml_lists_the_dependencies_at_the_locked_versions():
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
    lock = locked()
    assert conda == {name: lock[name] for name in requirements()}
    assert "python=3.11" in env["dependencies"]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def advisory_minimums(text: str) -> dict[str, str]:
    """The minimums a file states for the servers the app runs on ("voila >= 0.5.6"): pyproject.toml
    keeps the record, with what each release fixed; environment.yml repeats it for conda users."""
    return {canonical(name): minimum for name, minimum in re.findall(r"\b([a-z_][a-z0-9_]*) >= (\d+\.\d+\.\d+)", text)}


def test_every_lower_bound_is_past_the_known_advisories():
    pyproject = advisory_minimums((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The record names each server the pages run on; a minimum dropped from it would leave a bound unchecked.
    assert set(pyproject) == {"voila", "jupyter-server", "nbconvert", "tornado", "jupyterlab", "jinja2"}
    assert advisory_minimums((ROOT / "environment.yml").read_text(encoding="utf-8")) == pyproject
    wanted, lock = requirements(), locked()
    for name, minimum in pyproject.items():
        assert version(lower_bound(wanted[name])) >= version(minimum), f"{wanted[name]} allows older than {minimum}"
        assert version(lock[name]) >= version(minimum), f"the lock file's {name}=={lock[name]}"


def test_the_lowest_run_pins_every_range_to_its_lower_bound_and_the_rest_as_locked():
    """make test-lowest installs with these constraints (and CI runs it): the same run whatever the
    package index offers that day."""
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lowest-constraints")], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    pinned = {canonical(line.partition("==")[0]): line.partition("==")[2] for line in printed}
    wanted, lock = requirements(), locked()
    assert len(pinned) == len(printed)  # one pin a package
    assert pinned == lock | {name: lower_bound(wanted[name]) for name in runtime()}
    assert "$(MAKE) test-lowest" in (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:")[1].split("\n\n")[0]


def test_notebooks_are_kept_without_outputs():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            assert not cell.get("outputs") and not cell.get("execution_count"), path.name
