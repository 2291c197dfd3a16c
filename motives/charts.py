"""Charts as PNG bytes (matplotlib, no display): the dashboard shows them, the report embeds them, and the
trainer's reflection notebooks (:mod:`motives.notebook`) show theirs.

Every chart is readable in black and white: 'against' is hatched as well as coloured, and each side has
the one colour the pages give it (widgets/app.css): Okabe and Ito's blue and vermillion, a pair that
people with any common colour blindness tell apart.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any, cast

import matplotlib
import pandas as pd
from matplotlib.axes import Axes

# Figure and the Agg canvas, never pyplot: no display on a server (the chart travels as a PNG), no
# figure manager to close, and 0.15 s less to import for the dashboard and the notebooks.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from motives import tally
from motives.i18n import decimal, message
from motives.models import NO_CONCLUSION, SIDES

SIDE_COLOURS = {"for": "#0072b2", "against": "#d55e00"}
SIDE_HATCHES = {"for": "", "against": "//"}
INK = "#1f2328"  # outlines, and the hatching on a light fill
# A conclusion's fill, hatching and hatching colour: 'yes' and 'no' in the colours of the sides they choose.
CONCLUSION_STYLES = {
    "yes": (SIDE_COLOURS["for"], "", "white"),
    "not_yet": ("#d0d7de", "..", INK),
    "no": (SIDE_COLOURS["against"], "//", "white"),
    NO_CONCLUSION: ("#ffffff", "xx", INK),
}
DPI = 110


def _plain(text: str) -> str:
    """``text`` as matplotlib should draw it: matplotlib reads $…$ as mathematics, and a team's name or a
    motive is plain text."""
    return text.replace("$", r"\$")


def _figure(width: float, height: float, **options: Any) -> Figure:
    """A figure on the Agg canvas, which :func:`_png` draws."""
    fig = Figure(figsize=(width, height), dpi=DPI, **options)
    FigureCanvasAgg(fig)
    return fig


def balance_chart(balance: pd.DataFrame, language: str, large: bool = False) -> bytes:
    """Grouped bars: each team's total importance for and against a policy, with its conclusion; the
    whole group's totals in the title, apart from the teams (a bar of their sum would set the scale
    and squeeze every team's bar); the axis says what the length counts.

    ``large`` sets the type for a projector, where the chart is read from the back of the room.
    """
    labels = []
    for team, row in balance.iterrows():
        conclusion = row["conclusion"]
        said = message(language, f"conclusion_{conclusion}") if isinstance(conclusion, str) else "…"
        labels.append(_plain(f"{team} ({said})"))
    total = tally.group_total(balance)
    for_values = balance["for_importance"].tolist()
    against_values = balance["against_importance"].tolist()
    height = max(3.4, 0.62 * len(labels) + 2.4)
    with matplotlib.rc_context({"font.size": 15 if large else 10}):
        fig = _figure(12 if large else 9, height * (1.4 if large else 1))
        ax = fig.subplots()
    positions = list(range(len(labels)))
    ax.barh(
        [p - 0.2 for p in positions],
        for_values,
        height=0.4,
        color=SIDE_COLOURS["for"],
        label=message(language, "chart_for"),
    )
    ax.barh(
        [p + 0.2 for p in positions],
        against_values,
        height=0.4,
        color=SIDE_COLOURS["against"],
        hatch=SIDE_HATCHES["against"],
        edgecolor="white",
        label=message(language, "chart_against"),
    )
    for p, (f, a) in enumerate(zip(for_values, against_values, strict=True)):
        ax.text(f, p - 0.2, f" {f}", va="center", fontsize=14 if large else 9)
        ax.text(a, p + 0.2, f" {a}", va="center", fontsize=14 if large else 9)
    ax.set_yticks(positions, labels, fontsize=15 if large else 10)
    ax.invert_yaxis()
    whole = message(
        language,
        "chart_whole_group",
        for_total=int(total["for_importance"]),
        against_total=int(total["against_importance"]),
    )
    ax.set_title(f"{message(language, 'chart_title')}\n{whole}", fontsize=17 if large else 12, loc="left")
    ax.set_xlabel(message(language, "chart_axis"), fontsize=14 if large else 10)
    # Above the bars, beside the title: never over a team's bar.
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False, fontsize=15 if large else 10)
    ax.spines[["top", "right"]].set_visible(False)
    _whole_numbers(ax)
    _margins(fig, ax, labels, max(for_values + against_values))
    return _png(fig)


def _agg(fig: Figure) -> FigureCanvasAgg:
    """The Agg canvas :func:`_figure` gave ``fig``."""
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg), "a figure not made by _figure"
    return canvas


def _whole_numbers(ax: Axes) -> None:
    """Only whole numbers on the x axis: a count of motives or an importance has no halves."""
    # The axis's default locator is an AutoLocator, a MaxNLocator with matplotlib's own steps.
    cast(MaxNLocator, ax.xaxis.get_major_locator()).set_params(integer=True)


def _margins(fig: Figure, ax: Axes, labels: list[str], largest: int) -> None:
    """Room for the team names, the title, the axis and the numbers behind the bars, measured once.

    ``tight_layout`` measures every text of the chart, and the axis places its (empty) label
    by measuring every tick again: at 40 teams that was half of the chart's time, on a
    dashboard that redraws it at a tick.
    """
    from matplotlib.font_manager import FontProperties

    renderer = _agg(fig).get_renderer()
    width, height = fig.canvas.get_width_height()
    points = fig.dpi / 72  # pixels per typographic point

    def size(text: str, font_size: float, weight: str = "normal") -> tuple[float, float]:
        w, h, _descent = renderer.get_text_width_height_descent(
            text, FontProperties(size=font_size, weight=weight), ismath=False
        )
        return w, h

    label_size = float(ax.get_yticklabels()[0].get_fontsize())
    names = max(size(label, label_size)[0] for label in labels)
    tick_size = float(ax.xaxis.get_major_ticks()[0].label1.get_fontsize())
    value_size = float(ax.texts[0].get_fontsize())  # every bar has its number
    title = size("X", float(ax.title.get_fontsize()))[1] * (1 + ax.get_title().count("\n"))
    axis = size(ax.get_xlabel() or "X", float(ax.xaxis.label.get_fontsize()))[1]
    tick = size("0", tick_size)[1]
    pad = 10 * points  # a tick and its gap to the text, plus a little air at the edge
    bottom = (tick + axis + 3.2 * pad) / height
    fig.subplots_adjust(
        left=min(0.7, (names + pad) / width),
        right=1 - (size(f" {largest}0", value_size)[0] + pad) / width,
        top=1 - (1.3 * title + 3 * pad) / height,
        bottom=bottom,
    )
    # A position of its own for each axis label, under the ticks: otherwise the axis measures every tick to place it.
    ax.xaxis.set_label_coords(0.5, (pad * 0.8 + axis / 2) / height, transform=fig.transFigure)
    ax.yaxis.set_label_coords(-0.05, 0.5)


def _png(fig: Figure) -> bytes:
    """The figure as PNG, drawn once: ``savefig`` draws it again after the layout did, and compresses
    hard. At 40 teams that was 0.6 of the chart's 0.9 s, on a dashboard that redraws it at a tick;
    a PNG a quarter larger on a page that never leaves the laptop is the better deal."""
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), _agg(fig).buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def motives_chart(table: pd.DataFrame, language: str) -> bytes:
    """Horizontal bars, one per motive of ``table`` (its side, text, teams and mean_importance, as the
    reflection's :meth:`motives.notebook.Reflection.catalogue_motives`), the first at the top, as a PNG.

    The bar's length is the number of teams; its label names the side, and the number behind it the mean importance.

    >>> table = pd.DataFrame({"side": ["for", "against"], "text": ["It costs $5", "No time"], "teams": [3, 0],
    ...                       "mean_importance": [3.5, None]})
    >>> motives_chart(table, "fr")[:4]
    b'\\x89PNG'
    """
    table = table.iloc[::-1]
    fig = _figure(10, max(2.5, 0.55 * len(table) + 1.5), layout="constrained")
    ax = fig.subplots()
    positions = list(range(len(table)))
    labels = [
        _plain(textwrap.shorten(f"[{message(language, f'side_{side}')}] {text}", 90, placeholder=" …"))
        for side, text in zip(table["side"], table["text"], strict=True)
    ]
    for position, row in zip(positions, table.itertuples(), strict=True):
        ax.barh(position, row.teams, **_side_style(row.side))
        mean = "—" if pd.isna(row.mean_importance) else decimal(language, row.mean_importance)
        ax.text(row.teams, position, f" {row.teams} · ⌀ {mean}", va="center", fontsize=9)
    ax.set_yticks(positions, labels, fontsize=9)
    ax.set_title(_plain(message(language, "reflect_motives_chart")))
    ax.set_xlabel(_plain(message(language, "reflect_number_of_teams")))
    _whole_numbers(ax)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    sides = [Patch(**_side_style(side), label=_plain(message(language, f"side_{side}"))) for side in reversed(SIDES)]
    fig.legend(handles=sides, loc="outside lower center", ncols=len(sides), frameon=False)
    return _png(fig)


def _side_style(side: str) -> dict[str, Any]:
    return {
        "facecolor": SIDE_COLOURS[side],
        "hatch": SIDE_HATCHES[side],
        "hatchcolor": "white",
        "edgecolor": INK,
        "linewidth": 0.6,
    }


def conclusions_chart(table: pd.DataFrame, language: str) -> bytes:
    """Stacked bars: per row of ``table`` (its index is the row's label), the teams by conclusion (its
    columns: the conclusions, and :data:`motives.models.NO_CONCLUSION`), as a PNG.

    Each conclusion has its own hatching and its count written in the bar.

    >>> table = pd.DataFrame({"yes": [4, 0], "no": [1, 2], "not_yet": [0, 0], "none": [1, 0]}, index=["Pour", "Contre"])
    >>> conclusions_chart(table, "fr")[:4]
    b'\\x89PNG'
    """
    fig = _figure(9, 3.6, layout="constrained")
    ax = fig.subplots()
    positions = list(range(len(table)))
    left = [0] * len(table)
    for conclusion in table.columns:
        values = table[conclusion].tolist()
        face, hatch, hatch_colour = CONCLUSION_STYLES[conclusion]
        label = _plain(message(language, f"conclusion_{conclusion}"))
        style: dict[str, Any] = {"hatch": hatch, "hatchcolor": hatch_colour, "edgecolor": INK, "linewidth": 0.6}
        ax.barh(positions, values, left=left, color=face, label=label, **style)
        for position, start, n in zip(positions, left, values, strict=True):
            if n:
                box = {"facecolor": "white", "edgecolor": "none", "pad": 1}
                ax.text(start + n / 2, position, str(n), ha="center", va="center", fontsize=10, bbox=box)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, [_plain(str(label)) for label in table.index])
    ax.invert_yaxis()
    ax.set_title(_plain(message(language, "reflect_conclusions_chart")))
    ax.set_xlabel(_plain(message(language, "reflect_number_of_teams")))
    _whole_numbers(ax)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=len(table.columns), frameon=False)
    return _png(fig)
