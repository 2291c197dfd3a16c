"""Tables as a person reads them, as HTML: the comparison as a heat map, what to talk about, the balance.

pandas only (no matplotlib, no widgets): shared by the dashboard, by the team
page once the trainer reveals the comparison, and by the report. Every label
and cell is escaped: team names and own motives are user text.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd

from motives import tally
from motives.i18n import LOCALES, N_, decimal, language_or_default, message
from motives.likeness import ALIKE, Likeness
from motives.markup import esc

# Light to dark, so the order reads in black and white too; the number is always in the cell.
HEAT = {
    1: ("#f0f6fc", "#1f2328"),
    2: ("#d4e5f7", "#1f2328"),
    3: ("#a8c9ec", "#1f2328"),
    4: ("#2e6ab0", "#ffffff"),
    5: ("#163d6e", "#ffffff"),
}


def styled_html(styler, classes: str = "motives-table", label: str = "", language: str | None = None) -> str:
    """A Styler's table with every label and cell escaped, decimals written as ``language`` writes them.

    A wide table scrolls inside its own box, which the keyboard can reach (tabindex) and
    a screen reader can name.
    """
    styler = (
        styler.format(escape="html", na_rep="—", precision=1, decimal=_decimal_symbol(language))
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_table_attributes(f'class="{classes}"')
    )
    name = f' role="region" aria-label="{esc(label)}"' if label else ""
    return f'<div class="motives-table-wrap" tabindex="0"{name}>{styler.to_html()}</div>'


def _decimal_symbol(language: str | None) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(LOCALES[language_or_default(language)]) if language else "."


def frame_html(frame: pd.DataFrame, language: str | None = None) -> str:
    """A frame as one table with one header row: a named index (the team) becomes the first column,
    instead of a header row of its own that is empty but for that name."""
    if frame.index.nlevels == 1 and frame.index.name is not None and frame.columns.nlevels == 1:
        return styled_html(frame.reset_index().style.hide(axis="index"), language=language)
    return styled_html(frame.style, language=language)


def heatmap_html(comparison: pd.DataFrame, language: str, compact: bool = False) -> str:
    """The comparison table coloured by importance: darker is weightier, and the number says it too.

    ``compact`` (for A4) leaves out the side and origin columns: the caller shows one
    side at a time, and own motives say so after their text.

    Written out directly rather than through pandas' Styler: the dashboard redraws it at
    every tick, and at 40 teams × 274 motives the Styler took over a second. The markup is
    the Styler's (same classes, the side spanning its rows), with the colour on the cell.
    """
    labels = comparison.index.to_frame(index=False)
    sides = [message(language, f"side_{s}") for s in labels["side"]]
    origins = [message(language, f"origin_{o}") for o in labels["origin"]]
    texts = list(labels["text"])
    if compact:
        suffix = f" ({message(language, 'origin_own')})"
        texts = [t + suffix if o == "own" else t for t, o in zip(texts, labels["origin"], strict=True)]
    teams = [str(team) for team in comparison["team"].columns]
    summary = [message(language, "col_chosen"), message(language, "col_mean")]
    shown = [(2, message(language, "col_motive"))]
    if not compact:
        shown = [(0, message(language, "col_side")), *shown, (3, message(language, "col_origin"))]

    # Two header rows, none of them empty: the groups of columns over the blank corner, then the row
    # labels' names beside every team's and the summary's.
    groups = [(message(language, "col_teams"), len(teams)), (message(language, "col_all"), len(summary))]
    corner = f'<th class="blank level0"{_colspan(len(shown))}>&nbsp;</th>'
    spans = "".join(f'<th class="col_heading level0"{_colspan(span)}>{esc(name)}</th>' for name, span in groups if span)
    names = "".join(f'<th class="index_name level{level}">{esc(name)}</th>' for level, name in shown)
    columns = "".join(f'<th class="col_heading level1">{esc(name)}</th>' for name in [*teams, *summary])
    head = [f"<tr>{corner}{spans}</tr>", f"<tr>{names}{columns}</tr>"]

    values = comparison["team"].to_numpy(dtype=object, na_value=None)
    chosen = comparison[("all", "teams")].to_numpy()
    means = comparison[("all", "mean_importance")].to_numpy(dtype=float)
    side_spans, row = {}, 0  # first row of a side -> how many rows it spans (the Styler's sparse index)
    for _side, run in itertools.groupby(sides):
        side_spans[row] = len(list(run))
        row += side_spans[row]
    body = []
    for row, text in enumerate(texts):
        header = f'<th class="row_heading level2">{esc(text)}</th>'
        if not compact:
            if row in side_spans:
                header = f'<th class="row_heading level0"{_rowspan(side_spans[row])}>{esc(sides[row])}</th>{header}'
            header += f'<th class="row_heading level3">{esc(origins[row])}</th>'
        cells = "".join(_HEAT_CELLS.get(value, _EMPTY_CELL) for value in values[row])
        mean = "—" if math.isnan(means[row]) else decimal(language, means[row])
        body.append(f'<tr>{header}{cells}<td class="data">{chosen[row]}</td><td class="data">{mean}</td></tr>')
    table = (
        '<table class="motives-table motives-heatmap">'
        f"<thead>{''.join(head)}</thead><tbody>{''.join(body)}</tbody></table>"
    )
    label = esc(message(language, "tab_comparison"))
    return f'<div class="motives-table-wrap" tabindex="0" role="region" aria-label="{label}">{table}</div>'


def _colspan(span: int) -> str:
    return f' colspan="{span}"' if span > 1 else ""


def _rowspan(span: int) -> str:
    return f' rowspan="{span}"' if span > 1 else ""


# One cell per importance, made once: the colour and the number, so it reads in black and white too.
_HEAT_CELLS = {
    level: f'<td class="data" style="background-color: {bg}; color: {fg};">✓ {level}</td>'
    for level, (bg, fg) in HEAT.items()
}
_EMPTY_CELL = '<td class="data">—</td>'
_BLANK = '<th class="blank">&nbsp;</th>'


def heat_legend(language: str) -> str:
    swatches = "".join(
        f'<span class="motives-swatch" style="background:{bg};color:{fg}">{n}</span>' for n, (bg, fg) in HEAT.items()
    )
    return f'<p class="motives-legend">{esc(message(language, "heat_legend"))} {swatches}</p>'


def conclusion_text(conclusion: object, language: str) -> str:
    if isinstance(conclusion, str):
        return message(language, f"conclusion_{conclusion}")
    return message(language, "conclusion_none")


def consensus_detail(side: str, row: pd.Series, language: str) -> str:
    """'Wel beleid · 3 van 5 teams · belang 2–5 · Noord, Zuid, West' for one row of the consensus."""
    side_label = message(language, f"side_{side}")
    if row["category"] == "none":
        return side_label
    low, high = row["lowest"], row["highest"]
    spread = f"{low}" if low == high else f"{low}–{high}"
    return " · ".join(
        [
            side_label,
            message(language, "n_of_teams", n=row["teams"], of=row["of"]),
            message(language, "importance_range", range=spread),
            ", ".join(row["chosen_by"]),
        ]
    )


def consensus_html(consensus: pd.DataFrame, language: str) -> str:
    """What to talk about: the motives sorted into shared, split, named by one team, and chosen by none."""
    parts = []
    for category in tally.CATEGORIES:
        rows = consensus[consensus["category"] == category]
        if category != "none":
            rows = rows.sort_values(["teams", "highest"], ascending=False, kind="stable")
        items = []
        for (side, _group, text, _origin), row in rows.iterrows():
            details = consensus_detail(side, row, language)
            items.append(f'<li><span class="motives-item">{esc(text)}</span> <small>{esc(details)}</small></li>')
        body = (
            f"<ul>{''.join(items)}</ul>"
            if items
            else f'<p class="motives-help">{esc(message(language, "nothing_here"))}</p>'
        )
        parts.append(
            f'<section class="motives-category motives-category-{category}">'
            f"<h3>{esc(message(language, f'category_{category}'))} ({len(rows)})</h3>{body}</section>"
        )
    return f'<div class="motives-consensus">{"".join(parts)}</div>'


def balance_display(balance: pd.DataFrame, language: str, total: pd.Series | None = None) -> pd.DataFrame:
    conclusion = balance["conclusion"].map(lambda c: conclusion_text(c, language))
    frame = pd.DataFrame(
        {
            message(language, "col_for_count"): balance["for_count"],
            message(language, "col_for_total"): balance["for_importance"],
            message(language, "col_against_count"): balance["against_count"],
            message(language, "col_against_total"): balance["against_importance"],
            message(language, "col_conclusion"): conclusion,
            message(language, "col_explanation"): balance["explanation"],
        }
    ).astype("object")
    if total is not None:
        frame.loc[message(language, "whole_group")] = [
            total["for_count"],
            total["for_importance"],
            total["against_count"],
            total["against_importance"],
            "",
            "",
        ]
    frame.index.name = message(language, "col_team")
    return frame


def names_list(names: list[str], language: str) -> str:
    """'Noord, Zuid en Oost': names as the language lists them."""
    from babel.lists import format_list

    return format_list(list(names), locale=LOCALES[language_or_default(language)])


def percent(share: float, language: str) -> str:
    from babel.numbers import format_percent

    return format_percent(share, locale=LOCALES[language_or_default(language)])


ALONE_NAMED = 3  # teams standing alone get a sentence each up to this many; past it, one sentence names them all


def likeness_sentences(likeness: Likeness, language: str, groups: bool = True) -> list[str]:
    """Which teams think alike, in plain words: the groups (unless ``groups`` is false: the projector
    shows them as boxes), the teams that chose alike but weigh differently, and those that stand alone."""
    teams = likeness.order
    if len(teams) < 2:
        return [message(language, "alike_too_few")]
    if len(teams) == 2:
        a, b = teams
        share = percent(float(likeness.alike.loc[a, b]), language)
        if likeness.together and likeness.weigh_alike(teams):
            key = N_("alike_group_pair")
        elif float(likeness.chose.loc[a, b]) >= ALIKE:
            key = N_("alike_weighed")
        else:
            key = N_("alike_pair_apart")
        return [message(language, key, a=a, b=b, teams=names_list(teams, language), percent=share)]
    said = [
        message(
            language,
            N_("alike_group") if likeness.weigh_alike(group) else N_("alike_group_chose"),
            teams=names_list(group, language),
        )
        for group in likeness.together
        if groups
    ]
    said += _alone_sentences(likeness, language)
    return said


CLOSE = 0.45  # a team standing alone is said to be closest to another from this likeness on


def _alone_sentences(likeness: Likeness, language: str) -> list[str]:
    """What to say of the teams in no group: each one's nearest team while they are few, else their names."""
    alone = likeness.alone
    if not likeness.together and (len(alone) > ALONE_NAMED or not alone):
        return [message(language, "alike_none")]
    said = [] if likeness.together else [message(language, "alike_none_short")]
    if len(alone) > ALONE_NAMED:
        return [*said, message(language, "alike_alone_many", teams=names_list(alone, language))]
    pairs: set[frozenset[str]] = set()
    for team in alone:
        other = str(likeness.alike.loc[team].drop(team).idxmax())
        chose, weighed = float(likeness.chose.loc[team, other]), float(likeness.weighed.loc[team, other])
        if chose >= ALIKE > weighed:
            if frozenset((team, other)) not in pairs:  # two teams alone, each the other's nearest: said once
                pairs.add(frozenset((team, other)))
                said.append(message(language, "alike_weighed", a=team, b=other))
        elif float(likeness.alike.loc[team, other]) >= CLOSE:
            share = percent(float(likeness.alike.loc[team, other]), language)
            said.append(message(language, "alike_closest", team=team, other=other, percent=share))
        else:
            said.append(message(language, "alike_alone", team=team))
    return said


def _likeness_level(share: float) -> int:
    return min(5, 1 + int(share * 5))


def likeness_matrix_html(likeness: Likeness, language: str) -> str:
    """Every pair of teams, in the order that puts those alike together: the share they have in common,
    coloured as the comparison's heat map (darker is more alike), a line between groups."""
    teams = likeness.order
    group_of = {team: n for n, group in enumerate(likeness.groups) for team in group}
    head = "".join(f'<th scope="col" title="{esc(team)}">{n}</th>' for n, team in enumerate(teams, start=1))
    rows = []
    for n, team in enumerate(teams, start=1):
        cells = []
        for column, other in enumerate(teams):
            share = float(likeness.alike.loc[team, other])
            bg, fg = HEAT[_likeness_level(share)]
            same = (
                " motives-alike-same"
                if group_of[team] == group_of[other] and len(likeness.groups[group_of[team]]) > 1
                else ""
            )
            text = "—" if other == team else esc(percent(share, language))
            if column and group_of[other] != group_of[teams[column - 1]]:
                same += " motives-alike-first-column"
            cells.append(f'<td class="motives-alike-cell{same}" style="background:{bg};color:{fg}">{text}</td>')
        first = " motives-alike-first" if n > 1 and group_of[team] != group_of[teams[n - 2]] else ""
        rows.append(f'<tr class="motives-alike-row{first}"><th scope="row">{n}. {esc(team)}</th>{"".join(cells)}</tr>')
    label = message(language, "alike_matrix_heading")
    return (
        f'<div class="motives-table-wrap" tabindex="0" role="region" aria-label="{esc(label)}">'
        f'<table class="motives-table motives-alike"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def alone_label(alone: list[str], language: str) -> str:
    """'Staat alleen' over one team, 'Staan elk alleen' over several."""
    return message(language, N_("alike_alone_label") if len(alone) > 1 else N_("alike_alone_label_one"))


def likeness_groups_html(likeness: Likeness, language: str) -> str:
    """The groups of teams as a list: 'Groep 1: Noord, Zuid', then the teams that each stand alone."""
    items = [
        f"<li><strong>{esc(message(language, 'alike_group_label', number=n))}</strong>: {esc(', '.join(group))}</li>"
        for n, group in enumerate(likeness.together, start=1)
    ]
    if alone := likeness.singles:
        items.append(f"<li><strong>{esc(alone_label(alone, language))}</strong>: {esc(', '.join(alone))}</li>")
    return f'<ul class="motives-alike-groups">{"".join(items)}</ul>'


def likeness_html(likeness: Likeness, rows: pd.DataFrame, language: str, matrix: bool = True) -> str:
    """The overview's and the report's view: the sentences, the groups, what every group chose, and
    (``matrix``) every pair of teams.

    ``rows`` are the comparison's rows (:func:`motives.tally.motive_rows`), to name what every group chose.
    """
    said = "".join(f"<li>{esc(sentence)}</li>" for sentence in likeness_sentences(likeness, language))
    parts = [f'<ul class="motives-alike-said">{said}</ul>']
    if matrix and len(likeness.order) >= 3:  # the groups by number, beside the matrix that lines them up
        parts.append(likeness_groups_html(likeness, language))
    if len(likeness.order) >= 2:
        if len(likeness.groups) >= 2:
            labels = tally.rows_by_group(rows)
            items = "".join(
                f"<li>{esc(labels[key].text)} <small>{esc(message(language, f'side_{labels[key].side}'))}</small></li>"
                for key in likeness.consensus
            )
            body = (
                f"<ul>{items}</ul>"
                if items
                else f'<p class="motives-help">{esc(message(language, "alike_across_none"))}</p>'
            )
            parts.append(
                f'<section class="motives-alike-across"><h3>{esc(message(language, "alike_across_heading"))}</h3>'
                f'<p class="motives-help">{esc(message(language, "alike_across_help"))}</p>{body}</section>'
            )
        if matrix:
            parts.append(
                f'<section class="motives-alike-pairs"><h3>{esc(message(language, "alike_matrix_heading"))}</h3>'
                f'<p class="motives-help">{esc(message(language, "alike_matrix_help"))}</p>'
                f"{likeness_matrix_html(likeness, language)}</section>"
            )
    return f'<div class="motives-alike-view">{"".join(parts)}</div>'
