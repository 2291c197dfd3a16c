"""ipywidgets views of the app: the team page and the trainer dashboard."""
