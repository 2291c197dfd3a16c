"""The documents a trainer hands over: the report, a handout per team, and a paper worksheet.

HTML files are self-contained (styles inline, the chart as an embedded PNG,
no external request) and print on A4. The Markdown report says the same in
plain text. Everything is in the session's language, and every piece of user
text is escaped for the format it lands in.
"""

from __future__ import annotations

import base64

import pandas as pd

from motives import tally
from motives.charts import balance_chart
from motives.i18n import colon, day, message, teams, translation_note
from motives.markup import esc, md_escape
from motives.models import CONCLUSIONS, SIDES, Session, SessionRecords
from motives.render import (
    balance_display,
    conclusion_text,
    consensus_detail,
    consensus_html,
    frame_html,
    heat_legend,
    heatmap_html,
)
from motives.tally import Frames  # the report's tables, built as the dashboard builds them

POLICY_REASONS = 5
SCALE = '<span class="scale">① ② ③ ④ ⑤</span>'

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1f2328; line-height: 1.4;
       max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13.5pt; margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 10pt 0 4pt; break-after: avoid; }
p, li { margin: 3pt 0; } .meta, .help, small { color: #57606a; } small { display: block; }
.draft { border: 2px dashed #b35c00; padding: 6pt 10pt; } .draft-label { color: #8a4600; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; text-align: left; }
td { text-align: center; } tbody th { font-weight: normal; } tbody th.level0 { font-weight: bold; }
.motives-heatmap { font-size: 8pt; } .motives-heatmap tbody th { width: 62mm; }
.motives-heatmap thead th { overflow-wrap: break-word; hyphens: auto; } td:last-child { text-align: left; }
.motives-heatmap td:last-child { text-align: center; }
tr { break-inside: avoid; } thead { display: table-header-group; }
.motives-table-wrap { overflow: visible; }
.motives-consensus { columns: 2; column-gap: 14pt; } .motives-category { break-inside: avoid; }
.motives-category ul { padding-left: 12pt; margin: 0; }
.motives-legend { font-size: 8.5pt; } .motives-swatch { display: inline-block; width: 14pt; text-align: center;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
td[style] { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
img.chart { max-width: 100%; height: auto; }
.page { break-before: page; } .columns { display: flex; gap: 10pt; } .columns > div { flex: 1; }
.source { margin-top: 18pt; border-top: 1px solid #ccc; font-size: 8.5pt; color: #57606a; }
.sheet-line { border-bottom: 1px solid #888; height: 18pt; }
.box { font-size: 13pt; } .scale { white-space: nowrap; letter-spacing: 3pt; }
.motive { break-inside: avoid; margin-bottom: 6pt; }
"""


def meta_line(frames: Frames, html: bool = True) -> str:
    """The session, its code, its date and how many teams: the line under a title."""
    session = frames.session
    text = message(
        session.language,
        "report_meta",
        session=session.name,
        code=session.code,
        date=day(session.language, session.created_at),
        teams=len(frames.teams),
    )
    return esc(text) if html else text


def _page(title: str, language: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{PRINT_CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _source_html(session: Session) -> str:
    lines = [*session.catalogue.credit_lines(session.language), translation_note(session)]
    body = "<br>".join(esc(line) for line in lines if line)
    return f'<div class="source"><strong>{esc(message(session.language, "source_heading"))}</strong><br>{body}</div>'


def policy_points(frames: Frames) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """The 'for' motives weighed most (reasons to start from) and the 'against' motives to answer.

    Each as (text, number of teams, total importance), weightiest first.
    """
    matrix = tally.team_matrix(frames.answers)
    totals = pd.DataFrame({"teams": matrix.notna().sum(axis=1), "total": matrix.sum(axis=1).astype("int64")})
    totals = totals[totals["teams"] > 0].sort_values(["total", "teams"], ascending=False, kind="stable")
    points: dict[str, list[tuple[str, int, int]]] = {side: [] for side in SIDES}
    for (side, _group, text, _origin), row in totals.iterrows():
        points[side].append((text, int(row["teams"]), int(row["total"])))
    return points["for"][:POLICY_REASONS], points["against"]


def report_html(records: SessionRecords) -> str:
    frames = Frames.of(records)
    session, language = frames.session, frames.session.language
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    title = message(language, "report_title", title=session.catalogue.title_in(language))
    parts = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{meta_line(frames)}</p>',
    ]
    if len(frames.teams):
        png = base64.b64encode(balance_chart(frames.balance, language)).decode()
        balance = frame_html(balance_display(frames.balance, language, tally.group_total(frames.balance)), language)
        parts += [
            f"<h2>{t('report_talk')}</h2>",
            consensus_html(frames.consensus, language),
            f"<h2>{t('report_comparison')}</h2>",
            heat_legend(language),
            *(
                f"<h3>{t(f'side_{side}')}</h3>"
                + heatmap_html(frames.comparison.xs(side, level="side", drop_level=False), language, compact=True)
                for side in SIDES
            ),
            f"<h2>{t('report_balance')}</h2>",
            f'<img class="chart" alt="{t("chart_alt")}" src="data:image/png;base64,{png}">',
            balance,
            f"<h2>{t('report_own')}</h2>",
            _own_html(frames),
        ]
    else:
        parts.append(f"<p>{t('no_teams', code=session.code)}</p>")
    reasons, concerns = policy_points(frames)
    parts += [
        f'<div class="draft"><h2>{t("report_policy")}</h2><p class="draft-label">{t("report_draft")}</p>',
        f"<p>{t('policy_intro')}</p>" if reasons else f"<p>{t('policy_none_for')}</p>",
        "<ol>"
        + "".join(f"<li>{t('policy_reason', text=x, teams=teams(language, n), total=s)}</li>" for x, n, s in reasons)
        + "</ol>",
        f"<p>{t('policy_answer_intro')}</p>" if concerns else f"<p>{t('policy_none_against')}</p>",
        "<ul>"
        + "".join(f"<li>{t('policy_reason', text=x, teams=teams(language, n), total=s)}</li>" for x, n, s in concerns)
        + "</ul>",
        f"<p>{t('policy_next')}</p></div>",
        _source_html(session),
    ]
    return _page(title, language, "\n".join(parts))


def _own_html(frames: Frames) -> str:
    language = frames.session.language
    own = tally.own_groups(frames.answers)
    if own.empty:
        return f'<p class="help">{esc(message(language, "no_own"))}</p>'
    blocks = []
    for side in SIDES:
        rows = own[own["side"] == side]
        if rows.empty:
            continue
        items = "".join(
            f"<li>{esc(r.text)} <small>{esc(r.team)} · {r.importance}</small></li>" for r in rows.itertuples()
        )
        blocks.append(f"<h3>{esc(message(language, f'side_{side}'))}</h3><ul>{items}</ul>")
    return "".join(blocks)


# A team's balance, in the order a handout lists it, and the label of each.
_HANDOUT_BALANCE = {
    "for_count": "col_for_count",
    "for_importance": "col_for_total",
    "against_count": "col_against_count",
    "against_importance": "col_against_total",
}


def _handout_choices(chosen: pd.Series, language: str) -> str:
    """A team's ticks, a column per side, each with its importance."""
    columns = []
    for side in SIDES:
        mine = [(text, int(v)) for (s, _g, text, _o), v in chosen.items() if s == side]
        importance = esc(message(language, "importance"))
        items = "".join(f"<li>{esc(text)} <small>{importance} {v}</small></li>" for text, v in mine)
        none = f'<p class="help">{esc(message(language, "handout_none"))}</p>'
        columns.append(
            f"<div><h3>{esc(message(language, f'side_{side}'))}</h3>"
            + (f"<ul>{items}</ul>" if items else none)
            + "</div>"
        )
    return "".join(columns)


def _handout_balance(row: pd.Series, total: pd.Series, teams_count: int, language: str) -> pd.DataFrame:
    """A team's balance beside the whole group's, per team on average."""
    return pd.DataFrame(
        {
            message(language, "handout_team_col"): [row[key] for key in _HANDOUT_BALANCE],
            message(language, "handout_group_col"): [round(total[key] / teams_count, 1) for key in _HANDOUT_BALANCE],
        },
        index=[message(language, label) for label in _HANDOUT_BALANCE.values()],
    )


def handouts_html(records: SessionRecords) -> str:
    """One A4 page per team: its own choices and balance beside the whole group's."""
    frames = Frames.of(records)
    session, language = frames.session, frames.session.language
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    matrix = tally.team_matrix(frames.answers)
    shared = frames.consensus[frames.consensus["category"] == "shared"].index.get_level_values("text")
    shared_items = "".join(f"<li>{esc(text)}</li>" for text in shared)
    teams_count = max(len(frames.teams), 1)
    total = tally.group_total(frames.balance) if len(frames.teams) else None
    pages = []
    for number, team in enumerate(frames.teams["team"]):
        chosen = matrix[team].dropna() if team in matrix else pd.Series(dtype="Int64")
        row = frames.balance.loc[team]
        said = conclusion_text(row["conclusion"], language)
        balance = _handout_balance(row, total, teams_count, language)
        pages.append(
            f'<section class="{"page" if number else ""}">'
            f"<h1>{t('handout_title', team=team)}</h1>"
            f'<p class="meta">{t("session_line", session=session.name, code=session.code)}</p>'
            f"<p>{t('handout_intro')}</p>"
            f'<h2>{t("handout_chosen")}</h2><div class="columns">{_handout_choices(chosen, language)}</div>'
            f"<h2>{t('report_balance')}</h2>{frame_html(balance, language)}"
            f"<p><strong>{t('col_conclusion')}{colon(language)}</strong> {esc(said)}"
            + (f" — {esc(row['explanation'])}" if row["explanation"] else "")
            + "</p>"
            f"<h2>{t('handout_group')}</h2><h3>{t('handout_shared')}</h3>"
            + (f"<ul>{shared_items}</ul>" if shared_items else f'<p class="help">{t("nothing_here")}</p>')
            + _source_html(session)
            + "</section>"
        )
    if not pages:
        pages.append(f"<p>{t('no_teams', code=session.code)}</p>")
    return _page(message(language, "report_title", title=session.name), language, "\n".join(pages))


def worksheet_html(session: Session) -> str:
    """The worksheet on paper, for a room without devices (A4)."""
    language = session.language
    catalogue = session.catalogue
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    columns = []
    for side in SIDES:
        motives = "".join(
            f'<div class="motive"><span class="box">☐</span> {esc(m.text(language))}<br>'
            f"<small>{t('importance')}{colon(language)} {SCALE}</small></div>"
            for m in catalogue.side(side)
        )
        own = "".join(
            f'<div class="motive"><small>{t("worksheet_own")}</small><div class="sheet-line"></div>'
            f'<div class="sheet-line"></div><small>{t("importance")}{colon(language)} {SCALE}</small></div>'
            for _ in range(3)
        )
        columns.append(f"<div><h2>{esc(catalogue.heading(side, language))}</h2>{motives}{own}</div>")
    options = " &nbsp; ".join(f'<span class="box">☐</span> {t(f"conclusion_{c}")}' for c in CONCLUSIONS)
    body = (
        f"<h1>{esc(catalogue.title_in(language))}</h1>"
        f'<p class="meta">{t("session_line", session=session.name, code=session.code)} · {t("worksheet_paper")}</p>'
        f'<p>{t("worksheet_team")}{colon(language)}</p><div class="sheet-line"></div>'
        f"<p>{esc(catalogue.instruction_in(language))} {t('worksheet_tick')}</p>"
        f'<div class="columns">{"".join(columns)}</div>'
        f'<div class="motive"><h2>{t("conclusion_heading")}</h2><p>{t("conclusion_question")}</p><p>{options}</p>'
        f"<p>{t('explanation')}{colon(language)}</p>"
        + '<div class="sheet-line"></div>' * 3
        + "</div>"
        + _source_html(session)
    )
    return _page(catalogue.title_in(language), language, body)


def _md_table(frame: pd.DataFrame, index_name: str = "") -> str:
    header = [index_name, *map(str, frame.columns)]
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    for label, row in frame.iterrows():
        cells = [label if not isinstance(label, tuple) else " · ".join(map(str, label)), *row.tolist()]
        lines.append("| " + " | ".join(md_escape("—" if pd.isna(c) else c) for c in cells) + " |")
    return "\n".join(lines)


def report_md(records: SessionRecords) -> str:
    """The report as Markdown: the same sections as the HTML report, in plain text."""
    frames = Frames.of(records)
    session, language = frames.session, frames.session.language
    m = lambda key, **p: message(language, key, **p)  # noqa: E731
    out = [
        f"# {md_escape(m('report_title', title=session.catalogue.title_in(language)))}",
        "",
        md_escape(meta_line(frames, html=False)),
        "",
    ]
    if len(frames.teams):
        out += [f"## {md_escape(m('report_talk'))}", ""]
        for category in tally.CATEGORIES:
            rows = frames.consensus[frames.consensus["category"] == category]
            out += [f"### {md_escape(m(f'category_{category}'))} ({len(rows)})", ""]
            for (side, _g, text, _o), row in rows.iterrows():
                out.append(f"- {md_escape(text)} ({md_escape(consensus_detail(side, row, language))})")
            out.append("")
        display = frames.comparison["team"].apply(lambda c: c.map(lambda v: "—" if pd.isna(v) else f"✓ {int(v)}"))
        display[m("col_chosen")] = frames.comparison[("all", "teams")]
        display.index = frames.comparison.index.get_level_values("text")
        out += [f"## {md_escape(m('report_comparison'))}", "", _md_table(display, m("col_motive")), ""]
        balance = balance_display(frames.balance, language, tally.group_total(frames.balance))
        out += [f"## {md_escape(m('report_balance'))}", "", _md_table(balance, m("col_team")), ""]
        own = tally.own_groups(frames.answers)
        out += [f"## {md_escape(m('report_own'))}", ""]
        if own.empty:
            out.append(md_escape(m("no_own")))
        for r in own.itertuples():
            detail = f"{m(f'side_{r.side}')} · {r.team} · {r.importance}"
            out.append(f"- {md_escape(r.text)} ({md_escape(detail)})")
        out.append("")
    reasons, concerns = policy_points(frames)
    out += [f"## {md_escape(m('report_policy'))}", "", f"*{md_escape(m('report_draft'))}*", ""]
    out += [md_escape(m("policy_intro") if reasons else m("policy_none_for")), ""]
    out += [
        f"{i}. {md_escape(m('policy_reason', text=x, teams=teams(language, n), total=s))}"
        for i, (x, n, s) in enumerate(reasons, 1)
    ]
    out += ["", md_escape(m("policy_answer_intro") if concerns else m("policy_none_against")), ""]
    out += [f"- {md_escape(m('policy_reason', text=x, teams=teams(language, n), total=s))}" for x, n, s in concerns]
    out += ["", md_escape(m("policy_next")), "", f"## {md_escape(m('source_heading'))}", ""]
    out += [md_escape(line) + "  " for line in session.catalogue.credit_lines(language)]
    if note := translation_note(session):
        out.append(md_escape(note))
    return "\n".join(out).rstrip() + "\n"
