"""The trainer's dashboard: every team compared, from the store, on request.

Heavy imports (pandas, matplotlib) belong here and not on the team page.
"""

from __future__ import annotations

import io

import ipywidgets as w
import matplotlib
import pandas as pd

matplotlib.use("Agg")  # no display on a server; the chart travels as a PNG
import matplotlib.pyplot as plt

from motives import tally
from motives.errors import MotivesError
from motives.i18n import message
from motives.store import Session, Store
from widgets.common import (
    TEAM_PATH,
    AppPage,
    Status,
    clock,
    esc,
    explain,
    text_block,
)
from widgets.team import source_note

SIDE_COLOURS = {"for": "#0b6e4f", "against": "#b35c00"}


def _styled_html(frame: pd.DataFrame, na: str = "—") -> str:
    """A table as HTML with every label and cell escaped: team names and own motives are user text."""
    styler = (
        frame.style.format(escape="html", na_rep=na)
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_table_attributes('class="motives-table"')
    )
    return f'<div class="motives-table-wrap">{styler.to_html()}</div>'


def _mpl_text(text: str) -> str:
    # matplotlib reads $…$ as mathematics; a team name is plain text.
    return text.replace("$", r"\$")


def comparison_display(comparison: pd.DataFrame, language: str) -> pd.DataFrame:
    """The comparison as a person reads it: ✓ and importance per team, labels in the session's language."""
    teams = comparison["team"]
    summary = comparison["all"]
    cells = teams.apply(lambda col: col.map(lambda v: "—" if pd.isna(v) else f"✓ {int(v)}")).astype("object")
    cells.columns = pd.MultiIndex.from_product([[message(language, "col_teams")], list(teams.columns)])
    summary_cells = pd.DataFrame(
        {
            (message(language, "col_all"), message(language, "col_chosen")): summary["teams"],
            (message(language, "col_all"), message(language, "col_mean")): summary["mean_importance"].map(
                lambda v: "—" if pd.isna(v) else f"{v:.1f}"
            ),
        },
        index=comparison.index,
    )
    frame = pd.concat([cells, summary_cells], axis=1)
    index = comparison.index.to_frame(index=False)
    frame.index = pd.MultiIndex.from_arrays(
        [
            index["side"].map(lambda s: message(language, f"side_{s}")),
            index["text"],
            index["origin"].map(lambda o: message(language, f"origin_{o}")),
        ],
        names=[message(language, "col_side"), message(language, "col_motive"), message(language, "col_origin")],
    )
    return frame


def balance_display(balance: pd.DataFrame, language: str) -> pd.DataFrame:
    conclusion = balance["conclusion"].map(
        lambda c: message(language, f"conclusion_{c}") if isinstance(c, str) else message(language, "conclusion_none")
    )
    frame = pd.DataFrame(
        {
            message(language, "col_for_count"): balance["for_count"],
            message(language, "col_for_total"): balance["for_importance"],
            message(language, "col_against_count"): balance["against_count"],
            message(language, "col_against_total"): balance["against_importance"],
            message(language, "col_conclusion"): conclusion,
            message(language, "col_explanation"): balance["explanation"],
        }
    )
    frame.index.name = message(language, "col_team")
    return frame


def balance_chart(balance: pd.DataFrame, language: str) -> bytes:
    """Grouped bars: each team's total importance for and against a policy, as PNG."""
    names = [_mpl_text(name) for name in balance.index]
    height = max(2.6, 0.6 * len(names) + 1.6)
    fig, ax = plt.subplots(figsize=(8, height), dpi=110)
    try:
        positions = range(len(names))
        ax.barh(
            [p - 0.2 for p in positions],
            balance["for_importance"],
            height=0.4,
            color=SIDE_COLOURS["for"],
            label=message(language, "chart_for"),
        )
        ax.barh(
            [p + 0.2 for p in positions],
            balance["against_importance"],
            height=0.4,
            color=SIDE_COLOURS["against"],
            hatch="//",
            edgecolor="white",
            label=message(language, "chart_against"),
        )
        ax.set_yticks(list(positions), names)
        ax.invert_yaxis()
        ax.set_title(message(language, "chart_title"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


class Dashboard(w.VBox):
    """The comparison of one session's teams. Only built once the trainer key matched."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        language = self.language = session.language
        self.refresh_button = w.Button(description=message(language, "refresh"), button_style="primary")
        self.refresh_button.add_class("motives-refresh")
        self.status = Status(language)
        self.teams_view = w.HTML()
        self.comparison_view = w.HTML()
        self.balance_view = w.HTML()
        self.balance_view.add_class("motives-balance")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.answers: pd.DataFrame | None = None
        self.teams: pd.DataFrame | None = None
        self.comparison: pd.DataFrame | None = None
        self.balance: pd.DataFrame | None = None
        header = w.HTML(
            f"<h2>{esc(message(language, 'dashboard_title'))}: {esc(session.name)}</h2>"
            f'<p class="motives-meta">{esc(session.catalogue.title_in(language))}</p>'
            f'<p class="motives-join">{esc(message(language, "join_at", path=TEAM_PATH, code=session.code))}</p>'
        )
        super().__init__(
            [
                header,
                w.HBox([self.refresh_button, self.status]),
                text_block(message(language, "teams_heading"), "h3"),
                self.teams_view,
                text_block(message(language, "comparison_heading"), "h3"),
                text_block(message(language, "comparison_help"), "p", "motives-help"),
                self.comparison_view,
                text_block(message(language, "balance_heading"), "h3"),
                self.balance_view,
                self.chart,
                source_note(session),
            ]
        )
        self.add_class("motives-dashboard")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Read the store again and redraw every table and the chart."""
        try:
            records = self.store.records(self.session)
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        language = self.language
        self.answers = tally.answers_frame(records)
        self.teams = tally.teams_frame(records)
        self.comparison = tally.comparison(self.answers)
        self.balance = tally.balance(self.answers, self.teams)
        self.teams_view.value = self._teams_html()
        if len(self.teams):
            self.comparison_view.value = _styled_html(comparison_display(self.comparison, language))
            self.balance_view.value = _styled_html(balance_display(self.balance, language))
            self.chart.value = balance_chart(self.balance, language)
            self.chart.layout.display = None
        else:
            self.comparison_view.value = self.balance_view.value = ""
            self.chart.layout.display = "none"
        self.status.ok(message(language, "refreshed_at", time=clock()))

    def _teams_html(self) -> str:
        language = self.language
        teams = self.teams
        if teams is None or teams.empty:
            return f"<p>{esc(message(language, 'no_teams', code=self.session.code))}</p>"
        items = "".join(
            f"<li><strong>{esc(row.team)}</strong> — "
            + (
                f'<span class="motives-answered">{esc(message(language, "answered"))}</span>'
                if row.answered
                else f'<span class="motives-waiting">{esc(message(language, "not_answered"))}</span>'
            )
            + "</li>"
            for row in teams.itertuples()
        )
        summary = message(language, "teams_answered", answered=int(teams["answered"].sum()), teams=len(teams))
        return f'<p>{esc(summary)}</p><ul class="motives-team-list">{items}</ul>'


class DashboardPage(AppPage):
    """The page the trainer opens: without the session's trainer key it shows no team data at all."""

    page_class = "motives-dashboard-page"

    def __init__(self, params: dict[str, str] | None = None, store: Store | None = None) -> None:
        self.dashboard: Dashboard | None = None
        super().__init__(params, store)
        code, key = self.params.get("session", ""), self.params.get("key", "")
        if code and key:
            self.open_session(code, key)
        else:
            self.ask(code, message(self.language, "need_key") if code else "")

    def ask(self, code: str = "", error: str = "") -> None:
        lang = self.language
        self.code_field = w.Text(value=code, description=message(lang, "session_code"))
        self.key_field = w.Password(description=message(lang, "trainer_key"))
        self.open_button = button = w.Button(description=message(lang, "open"), button_style="primary")
        self.form_status = Status(lang)
        if error:
            self.form_status.error(error)
        button.on_click(lambda _b: self.open_session(self.code_field.value, self.key_field.value))
        form = w.VBox(
            [
                text_block(message(lang, "dashboard_form_title"), "h2"),
                self.code_field,
                self.key_field,
                button,
                self.form_status,
            ]
        )
        form.add_class("motives-form")
        self.body.children = [form]

    def open_session(self, code: str, key: str) -> None:
        try:
            session = self.store.session(code)
        except MotivesError as exc:
            self.ask(code, explain(exc, self.language))
            return
        if not session.key_matches(key):
            self.language = session.language
            self.ask(session.code, message(self.language, "wrong_key" if key else "need_key"))
            return
        self.language = session.language
        self.dashboard = Dashboard(self.store, session)
        self.body.children = [self.dashboard]
