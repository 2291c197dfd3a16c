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
from motives.grouping import shared_words
from motives.i18n import colon, day, message, teams, translation_note
from motives.markup import esc, md_escape
from motives.models import CONCLUSIONS, SIDES, Session, SessionRecords, Side
from motives.render import (
    alone_label,
    balance_display,
    conclusion_text,
    consensus_detail,
    consensus_html,
    frame_html,
    heat_legend,
    heatmap_html,
    likeness_html,
    likeness_sentences,
)
from motives.tally import Frames  # the report's tables, built as the dashboard builds them

POLICY_REASONS = 5
CIRCLES = "".join(f'<span class="circle">{n}</span>' for n in range(1, 6))

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
.motives-heatmap { font-size: 8pt; } .motives-heatmap tbody th { width: 62mm; min-width: 38mm; }
.motives-heatmap thead th { overflow-wrap: anywhere; hyphens: auto; } td:last-child { text-align: left; }
.motives-heatmap td:last-child { text-align: center; }
tr { break-inside: avoid; } thead { display: table-header-group; }
.motives-table-wrap { overflow: visible; }
.motives-consensus { columns: 2; column-gap: 14pt; }
.motives-category h3 { break-after: avoid; } .motives-category li { break-inside: avoid; }
.motives-category ul { padding-left: 12pt; margin: 0; }
.summary { border-left: 3pt solid #0b6e99; padding: 2pt 8pt; margin: 8pt 0 4pt; }
.keep { break-inside: avoid; } img.chart { max-height: 200mm; width: auto; }
.motives-legend { font-size: 8.5pt; break-after: avoid; }
.motives-swatch { display: inline-block; width: 14pt; text-align: center;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
td[style] { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
img.chart { max-width: 100%; height: auto; }
.page { break-before: page; } .columns { display: flex; gap: 10pt; } .columns > div { flex: 1; }
.source { margin-top: 18pt; border-top: 1px solid #ccc; font-size: 8.5pt; color: #57606a;
  break-inside: avoid; break-before: avoid; } .draft li, .draft p { break-inside: avoid; }
"""

# A handout: one A4 page per team, so its parts are compact and its credit one small line.
HANDOUT_CSS = """
@page { size: A4; margin: 12mm 14mm; }
body { font-size: 10pt; } h1 { font-size: 16pt; } h2 { font-size: 12pt; margin: 10pt 0 4pt; }
.handout ul, .handout ol { padding-left: 12pt; margin: 0; } .handout li { break-inside: avoid; font-size: 9.5pt; }
.handout small { display: inline; } .handout h3 { font-size: 10.5pt; margin: 6pt 0 2pt; break-after: avoid; }
.chosen { columns: 2; column-gap: 10pt; } .chosen h3:first-child { margin-top: 0; }
.handout ol li { font-size: 8.5pt; }
.handout table { width: auto; } .handout td, .handout th { padding: 1pt 8pt; }
.credit { margin-top: 10pt; font-size: 7.5pt; color: #57606a; border-top: 1px solid #ccc; padding-top: 2pt; }
.long { color: #8a4600; }
"""

# The paper worksheet on one A4 page: a row per motive with a box to tick and circles a pen can fill (8.3 mm).
WORKSHEET_CSS = """
@page { size: A4; margin: 9mm 11mm; }
body { font-size: 9pt; line-height: 1.25; max-width: none; } h1 { font-size: 14pt; } p { margin: 2pt 0; }
h2 { font-size: 11pt; margin: 5pt 0 1pt; }
.sheet { width: 100%; border-collapse: collapse; font-size: 9pt; }
.sheet td { border: none; border-bottom: 1px solid #bbb; padding: 0.6mm 1mm; vertical-align: middle; text-align: left; }
.sheet td.tick { width: 7mm; } .sheet td.circles { width: 46mm; white-space: nowrap; text-align: right; }
.sheet tr { break-inside: avoid; } .sheet tr.own td { height: 9.5mm; }
.square { display: inline-block; width: 5mm; height: 5mm; border: 1.5px solid #1f2328; vertical-align: middle; }
.circle { display: inline-block; width: 8.3mm; height: 8.3mm; border: 1.5px solid #1f2328; border-radius: 50%;
  margin-left: 0.8mm; text-align: center; line-height: 8mm; font-size: 7pt; color: #8c959f; box-sizing: border-box; }
h2.side { display: flex; justify-content: space-between; align-items: flex-end; gap: 4mm; }
.scale-head { font-size: 8pt; font-weight: normal; color: #57606a; white-space: nowrap; }
.sheet-line { border-bottom: 1px solid #888; height: 7mm; } .name-line { display: inline-block; width: 90mm; }
.conclusion { break-inside: avoid; } .option { white-space: nowrap; } .option .square { margin: 0 1.5mm 0 4mm; }
.conclusion .sheet-line { height: 6mm; }
.credit { margin-top: 3pt; font-size: 6.5pt; line-height: 1.2; color: #57606a; }
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


def _page(title: str, language: str, body: str, css: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{PRINT_CSS}{css}</style></head><body>\n{body}\n</body></html>\n"
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


# Past this many teams the comparison is printed in parts, each with this many team columns: forty columns
# on A4 are a letter wide each, and the table ran off the page's right edge.
PRINTED_TEAMS = 10
# A handout fits one A4 page up to the worksheet's motives and this many own motives; past it, it says so.
HANDOUT_OWN = 5
# Empty rows per side on the paper worksheet for a team's own motives (the back of the sheet takes more).
WORKSHEET_OWN = 2


def conclusions_line(frames: Frames) -> str:
    """How many teams concluded what: "Ja: 3 · Nog niet: 1 · Nee: 1"."""
    language = frames.session.language
    counts = frames.teams["conclusion"].map(lambda c: conclusion_text(c if c in CONCLUSIONS else None, language))
    return " · ".join(f"{text}{colon(language)} {n}" for text, n in counts.value_counts(sort=False).items())


def _summary_html(frames: Frames) -> str:
    """What a reader looks for first: which teams took part, and what they concluded."""
    language = frames.session.language
    names = ", ".join(frames.teams["team"])
    said = conclusions_line(frames)
    return (
        '<section class="summary">'
        f"<p><strong>{esc(message(language, 'col_teams'))} ({len(frames.teams)}){colon(language)}</strong> "
        f"{esc(names)}</p>"
        f"<p><strong>{esc(message(language, 'report_conclusions'))}{colon(language)}</strong> {esc(said)}</p>"
        "</section>"
    )


def _comparison_html(frames: Frames) -> str:
    """Per side, the comparison; past :data:`PRINTED_TEAMS` teams in parts of that many teams each."""
    language = frames.session.language
    names = list(frames.comparison["team"].columns)
    parts = [names[start : start + PRINTED_TEAMS] for start in range(0, len(names), PRINTED_TEAMS)] or [[]]
    html = []
    for side in SIDES:
        table = frames.comparison.xs(side, level="side", drop_level=False)
        html.append(f"<h3>{esc(message(language, f'side_{side}'))}</h3>")
        for number, part in enumerate(parts, start=1):
            if len(parts) > 1:
                shown = message(language, "report_teams_part", part=number, parts=len(parts), teams=", ".join(part))
                html.append(f'<p class="help">{esc(shown)}</p>')
            others = [("team", name) for name in names if name not in part]
            html.append(heatmap_html(table.drop(columns=others), language, compact=True))
    return "".join(html)


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
            _summary_html(frames),
            f"<h2>{t('report_talk')}</h2>",
            consensus_html(frames.consensus, language),
            f"<h2>{t('report_comparison')}</h2>",
            heat_legend(language),
            _comparison_html(frames),
            f'<section class="keep"><h2>{t("report_balance")}</h2>'
            f'<img class="chart" alt="{t("chart_alt")}" src="data:image/png;base64,{png}"></section>',
            balance,
            f"<h2>{t('tab_alike')}</h2>",
            # Every pair side by side fits an A4 page up to PRINTED_TEAMS teams; past that, the groups say it.
            likeness_html(
                frames.likeness,
                tally.motive_rows(frames.answers),
                language,
                matrix=len(frames.likeness.order) <= PRINTED_TEAMS,
            ),
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
    """The teams' own motives by group, as the overview groups them: a group's first text, the others
    under it, and the words they share."""
    language = frames.session.language
    own = tally.own_groups(frames.answers)
    if own.empty:
        return f'<p class="help">{esc(message(language, "no_own"))}</p>'
    labels = tally.rows_by_group(tally.motive_rows(frames.answers))
    blocks = []
    for side in SIDES:
        rows = own[own["side"] == side]
        if rows.empty:
            continue
        items = []
        for group, members in rows.groupby("group", sort=False):
            written = "".join(
                f"<li>{esc(r.text)} <small>{esc(r.team)} · {r.importance}</small></li>" for r in members.itertuples()
            )
            if len(members) == 1:
                items.append(written)
                continue
            words = shared_words(labels[group].text, members["text"].tolist(), language)
            why = message(language, "grouped_because", words=", ".join(words)) if words else ""
            count = teams(language, members["team"].nunique())
            items.append(
                f"<li><strong>{esc(labels[group].text)}</strong> <small>{esc(count)}</small><ul>{written}</ul>"
                f"{f'<p class=help>{esc(why)}</p>' if why else ''}</li>"
            )
        blocks.append(f"<h3>{esc(message(language, f'side_{side}'))}</h3><ul>{''.join(items)}</ul>")
    return "".join(blocks)


# A team's balance, in the order a handout lists it, and the label of each.
_HANDOUT_BALANCE = {
    "for_count": "col_for_count",
    "for_importance": "col_for_total",
    "against_count": "col_against_count",
    "against_importance": "col_against_total",
}


def _handout_choices(chosen: pd.Series, frames: Frames) -> str:
    """A team's ticks, a column per side, each with its importance and how many teams chose it."""
    language = frames.session.language
    chosen_by = frames.consensus["teams"]
    of = len(frames.teams)
    columns = []
    for side in SIDES:
        items = []
        for (s, group, text, origin), v in chosen.items():
            if s != side:
                continue
            detail = f"{message(language, 'importance')} {int(v)}"
            teams_count = chosen_by.get((s, group, text, origin))
            if teams_count is not None and of > 1:
                detail += " · " + message(language, "n_of_teams", n=int(teams_count), of=of)
            items.append(f"<li>{esc(text)} <small>{esc(detail)}</small></li>")
        none = f'<p class="help">{esc(message(language, "handout_none"))}</p>'
        columns.append(
            f"<div><h3>{esc(message(language, f'side_{side}'))}</h3>"
            + (f"<ul>{''.join(items)}</ul>" if items else none)
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


def _handout_group(frames: Frames) -> str:
    """The whole group in two lines: what the teams concluded, and the motives most of them chose."""
    language = frames.session.language
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    said = conclusions_line(frames)
    chosen = frames.consensus[frames.consensus["teams"] > 0]
    most = chosen.sort_values(["teams", "highest"], ascending=False, kind="stable").head(3)
    items = "".join(
        f"<li>{esc(text)} <small>{t('n_of_teams', n=int(row['teams']), of=int(row['of']))}</small></li>"
        for (_side, _group, text, _origin), row in most.iterrows()
    )
    return (
        f"<h2>{t('handout_group')}</h2>"
        f"<p><strong>{t('report_conclusions')}{colon(language)}</strong> {esc(said)}</p>"
        f"<h3>{t('handout_most')}</h3>" + (f"<ol>{items}</ol>" if items else f'<p class="help">{t("nothing_here")}</p>')
    )


def _credit_line(session: Session) -> str:
    """The source's credit as one small line: a handout has no room for five."""
    language = session.language
    lines = [*session.catalogue.credit_lines(language), translation_note(session)]
    text = " · ".join(line for line in lines if line)
    return f'<p class="credit">{esc(message(language, "source_heading"))}{colon(language)} {esc(text)}</p>'


def _handout(frames: Frames, team: str, chosen: pd.Series, total: pd.Series | None) -> str:
    session, language = frames.session, frames.session.language
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    row = frames.balance.loc[team]
    said = conclusion_text(row["conclusion"], language)
    balance = _handout_balance(row, total, max(len(frames.teams), 1), language)
    room = len(session.catalogue.motives) + HANDOUT_OWN
    long = f'<p class="long">{t("handout_long", n=len(chosen), room=room)}</p>' if len(chosen) > room else ""
    explanation = f" — {esc(row['explanation'])}" if row["explanation"] else ""
    return (
        f"<h1>{esc(team)}</h1>"
        f'<p class="meta">{t("handout_line", session=session.name, code=session.code)}</p>'
        f"<p>{t('handout_intro')}</p>{long}"
        f'<h2>{t("handout_chosen")}</h2><div class="chosen">{_handout_choices(chosen, frames)}</div>'
        '<div class="columns"><div>'
        f"<h2>{t('conclusion_heading')}</h2><p>{esc(said)}{explanation}</p>"
        f"<h2>{t('handout_balance')}</h2>{frame_html(balance, language)}"
        f"</div><div>{_handout_group(frames)}</div></div>" + _credit_line(session)
    )


def handouts_html(records: SessionRecords) -> str:
    """One A4 page per team: its own choices, conclusion and balance beside the whole group's."""
    frames = Frames.of(records)
    session, language = frames.session, frames.session.language
    matrix = tally.team_matrix(frames.answers)
    total = tally.group_total(frames.balance) if len(frames.teams) else None
    pages = []
    for number, team in enumerate(frames.teams["team"]):
        chosen = matrix[team].dropna() if team in matrix else pd.Series(dtype="Int64")
        page = "handout page" if number else "handout"
        pages.append(f'<section class="{page}">{_handout(frames, team, chosen, total)}</section>')
    if not pages:
        pages.append(f"<p>{esc(message(language, 'no_teams', code=session.code))}</p>")
    title = message(language, "report_title", title=session.name)
    return _page(title, language, "\n".join(pages), HANDOUT_CSS)


def _worksheet_rows(session: Session, side: Side) -> str:
    """A side's motives, a row each (a box to tick, the text, circles for its importance), then empty rows
    for the team's own motives."""
    language = session.language
    label = esc(message(language, "worksheet_own"))
    rows = "".join(
        f'<tr><td class="tick"><span class="square"></span></td><td>{esc(m.text(language))}</td>'
        f'<td class="circles">{CIRCLES}</td></tr>'
        for m in session.catalogue.side(side)
    )
    own = "".join(
        f'<tr class="own"><td class="tick"><span class="square"></span></td><td><small>{label}</small></td>'
        f'<td class="circles">{CIRCLES}</td></tr>'
        for _ in range(WORKSHEET_OWN)
    )
    return f'<table class="sheet">{rows}{own}</table>'


def worksheet_html(session: Session) -> str:
    """The worksheet on paper, for a room without devices: one A4 page, a pen's circles for importance."""
    language = session.language
    catalogue = session.catalogue
    t = lambda key, **p: esc(message(language, key, **p))  # noqa: E731
    scale = f'<span class="scale-head">{t("importance")} (1–5)</span>'
    sides = "".join(
        f'<h2 class="side">{esc(catalogue.heading(side, language))}{scale}</h2>{_worksheet_rows(session, side)}'
        for side in SIDES
    )
    options = "".join(
        f'<span class="option"><span class="square"></span> {t(f"conclusion_{c}")}</span>' for c in CONCLUSIONS
    )
    body = (
        f"<h1>{esc(catalogue.title_in(language))}</h1>"
        f'<p class="meta">{t("session_line", session=session.name, code=session.code)} · {t("worksheet_paper")}</p>'
        f'<p>{t("worksheet_team")}{colon(language)} <span class="sheet-line name-line"></span></p>'
        f"<p>{esc(catalogue.instruction_in(language))} {t('worksheet_tick')}</p>"
        f'{sides}<p class="help">{t("worksheet_back")}</p>'
        f'<div class="conclusion"><h2>{t("conclusion_heading")}</h2>'
        f"<p>{t('conclusion_question')} {options}</p>"
        f"<p>{t('explanation')}{colon(language)}</p>"
        + '<div class="sheet-line"></div>' * 2
        + "</div>"
        + _credit_line(session)
    )
    return _page(catalogue.title_in(language), language, body, WORKSHEET_CSS)


def _md_table(frame: pd.DataFrame, index_name: str = "") -> str:
    header = [index_name, *map(str, frame.columns)]
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    for label, row in frame.iterrows():
        cells = [label if not isinstance(label, tuple) else " · ".join(map(str, label)), *row.tolist()]
        lines.append("| " + " | ".join(md_escape("—" if pd.isna(c) else c) for c in cells) + " |")
    return "\n".join(lines)


def _alike_md(frames: Frames) -> list[str]:
    """Who thinks alike, in Markdown: the sentences, the groups, what every group chose."""
    language = frames.session.language
    m = lambda key, **p: message(language, key, **p)  # noqa: E731
    out: list[str] = []
    likeness = frames.likeness
    out += [f"## {md_escape(m('tab_alike'))}", ""]
    out += [f"- {md_escape(sentence)}" for sentence in likeness_sentences(likeness, language)]
    out.append("")
    if len(likeness.order) >= 3:
        out += [
            f"- **{md_escape(m('alike_group_label', number=n))}**: {md_escape(', '.join(group))}"
            for n, group in enumerate(likeness.together, start=1)
        ]
        if alone := likeness.singles:
            out.append(f"- **{md_escape(alone_label(alone, language))}**: {md_escape(', '.join(alone))}")
        out.append("")
    if len(likeness.groups) >= 2:
        labels = tally.rows_by_group(tally.motive_rows(frames.answers))
        out += [f"### {md_escape(m('alike_across_heading'))}", ""]
        out += [f"- {md_escape(labels[key].text)}" for key in likeness.consensus] or [md_escape(m("alike_across_none"))]
        out.append("")
    return out


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
        out += _alike_md(frames)
        own = tally.own_groups(frames.answers)
        out += [f"## {md_escape(m('report_own'))}", ""]
        if own.empty:
            out.append(md_escape(m("no_own")))
        labels = tally.rows_by_group(tally.motive_rows(frames.answers))
        for group, members in own.groupby("group", sort=False):
            # A group as the overview shows it: its first text, the texts of its teams under it.
            nested = "  " if len(members) > 1 else ""
            if nested:
                out.append(
                    f"- **{md_escape(labels[group].text)}** ({md_escape(teams(language, members['team'].nunique()))})"
                )
            for r in members.itertuples():
                detail = f"{m(f'side_{r.side}')} · {r.team} · {r.importance}"
                out.append(f"{nested}- {md_escape(r.text)} ({md_escape(detail)})")
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
    out += [md_escape(line, links=True) + "  " for line in session.catalogue.credit_lines(language)]
    if note := translation_note(session):
        out.append(md_escape(note))
    return "\n".join(out).rstrip() + "\n"
