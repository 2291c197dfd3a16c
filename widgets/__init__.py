"""ipywidgets views of the app: the team page, the trainer's home, overview and projector.

They are ``motives.widgets``: the repository keeps them in its top-level ``widgets/`` folder, which
``motives/widgets`` links to, and the wheel installs them under ``motives`` (pyproject.toml). Imported
as a top-level ``widgets`` from a checkout, each module would exist twice, each with its own classes
and state: that name belongs to whatever other package an environment has.
"""

if __name__ != "motives.widgets":
    raise ImportError(f"the app's views are motives.widgets, not {__name__}: import them from there")
