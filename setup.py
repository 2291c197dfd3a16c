"""The wheel carries everything the app reads at run time (motives/resources.py says where it looks).

Two steps beyond setuptools' own, when a wheel is built (never for an editable install, which reads
the repository as it is):

- the repository's ``notebooks/`` and ``share/jupyter/`` are copied into the package, under
  ``motives/app/``;
- every message catalogue (``motives/locale/<lang>/LC_MESSAGES/motives.po``) is compiled to its
  ``.mo`` with Babel, so that an install the user cannot write to speaks every language at once.
  The wheel carries the ``.mo`` files, not the ``.po`` files.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Read as a file, not imported: the build must not depend on the package being importable.
RESOURCES = runpy.run_path(str(HERE / "motives" / "resources.py"), run_name="motives_resources")
# What a checkout has in those folders that the app never reads.
NOT_BUNDLED = shutil.ignore_patterns("conftest.py", "__pycache__", ".ipynb_checkpoints", "*.pyc")


class BuildWithAppFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "motives"
        for folder in RESOURCES["BUNDLED"]:
            target = package / RESOURCES["BUNDLE"] / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / folder, target, ignore=NOT_BUNDLED)
        self.compile_catalogues(package / "locale")

    def compile_catalogues(self, locale: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted((HERE / "motives" / "locale").glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=language, domain=po.stem)
            mo = locale / language / "LC_MESSAGES" / f"{po.stem}.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildWithAppFiles})
