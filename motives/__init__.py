"""motives: a reflection tool for workshops on why (not) to write a social media policy.

Plain Python only: the catalogue, the store, the tally and the exports. The
ipywidgets views live in the sibling package ``widgets``.
"""

__version__ = "0.1.0"
