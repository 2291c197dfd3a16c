"""Where the app's run-time files are: the pages Voilà serves, the reflection notebooks, the Voilà
template and JupyterLab's page config. Nothing else in the app knows where they are kept.

The repository keeps them in ``notebooks/`` and ``share/jupyter/``. A wheel carries the same two
trees inside the package, under ``motives/app/`` (setup.py copies them there when the wheel is
built), so an installed app finds them through its own package, wherever it was installed; a
checkout or an editable install reads them where the repository keeps them. The catalogue, the
message catalogues and the page's CSS already live inside their packages and are found beside
the module that reads them.
"""

from __future__ import annotations

from pathlib import Path

# The repository's folders a wheel carries, under BUNDLE (setup.py and tests/test_wheel.py read this).
BUNDLED = ("notebooks", "share/jupyter")
BUNDLE = "app"

_PACKAGE = Path(__file__).resolve().parent  # the installed package, or motives/ in a checkout
_IN_WHEEL = _PACKAGE / BUNDLE
ROOT = _IN_WHEEL if (_IN_WHEEL / "notebooks").is_dir() else _PACKAGE.parent

NOTEBOOKS = ROOT / "notebooks"
"""The folder ``motives serve`` hands to Voilà: it renders :data:`PAGES` from it and nothing else."""

PAGES = ("team.ipynb", "dashboard.ipynb", "home.ipynb", "projector.ipynb")
"""The only notebooks the server renders."""

REFLECTION = ("reflect.ipynb", "reflect-en.ipynb", "reflect-fr.ipynb")
"""The trainer's notebooks for looking back across workshops, in Dutch, English and French; ``motives lab``
gives the trainer copies. scripts/make-reflect writes them from scripts/reflect.template.toml."""

JUPYTER_DATA = ROOT / "share" / "jupyter"
"""A Jupyter data folder with the app's Voilà template (``voila/templates/motives``): no CDN links."""

LAB_CONFIG = JUPYTER_DATA / "lab-config"
"""A Jupyter config folder for JupyterLab: its page config turns off the plugin that asks for news."""
