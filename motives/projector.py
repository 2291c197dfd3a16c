"""The projector's slides: one view at a time, for a room that reads it from the back.

pandas and HTML only (no widgets): :mod:`motives.widgets.projector` shows a slide full screen, and the
trainer's overview lists the slides to move through them. Each slide has a key that stays the same
while the answers change (``talk-split-2``): the store keeps the key of the slide on the projector
(:meth:`motives.store.Store.set_screen`), so the projector window, the trainer's window and a reload
of either agree. What a slide shows is what the room may see: never a key, a team's own link or a
trainer's control. Every piece of user text (team names, own motives) is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from motives import tally
from motives.i18n import N_, message, teams
from motives.likeness import Likeness
from motives.markup import esc
from motives.render import HEAT, alone_label, conclusion_text, likeness_sentences

# How much one slide holds, in heights of the screen (vh, as widgets/app.css sizes the type): a slide
# is packed with as many items as fit, so that nothing is cut off at 1920 × 1080 or 1280 × 720 (both
# 16:9; a 16:10 screen has room to spare). A motive's line holds about this many characters.
TALK_BUDGET = 74.0
TALK_LINE_CHARACTERS = 88
TALK_LINE = 4.7  # a motive's line (3.6vh type)
TALK_ITEM = 7.2  # its detail line and the space around it
HEAT_BUDGET = 52.0  # one side's rows: the heading (8vh), the legend (4.5vh) and the team names (22vh) take the rest
HEAT_LINE_CHARACTERS = 70
HEAT_LINE = 2.8  # a line of the heat map's motive column (2.2vh type)
HEAT_ROW = 1.2
HEAT_TEAMS = 10
BALANCE_TEAMS = 10  # at most, and fewer where long names take two or three lines
BALANCE_BUDGET = 62.0
BALANCE_LINE_CHARACTERS = 22  # the team's column is a fifth of the screen
BALANCE_LINE = 3.6
BALANCE_ROW = 1.8
OWN_BUDGET = 70.0
# The names of the teams that chose a motive, said on a slide only while they are few.
NAMED_TEAMS = 6
KINDS = ("join", "talk", "heat", "balance", "alike", "own")
# Who thinks alike, on one slide: the map of groups first (every team, in boxes), then as many
# sentences and motives every group chose as fit under it.
ALIKE_BUDGET = 70.0
ALIKE_BOX_LINE = 3.4  # a line of team names in a box (2.6vh type)
ALIKE_BOX = 6.5  # a box's heading, padding and border (measured: 47 of 720 pixels)
ALIKE_BOX_CHARACTERS = 28  # a box is a third of the screen wide, its names in bold (about 30 fit)
ALIKE_BOX_LINES = 4  # lines of names a box lists, at most
ALIKE_WORDS = 24.0  # room the sentences and what every group chose want under the last boxes
ALIKE_SENTENCE = 5.0  # one sentence (3.2vh type) and the space under it
ALIKE_SENTENCE_CHARACTERS = 90
ALIKE_ACROSS = 4.2


@dataclass(frozen=True)
class Slide:
    """One view: its key (what the store keeps), its kind, and which part of the kind it shows."""

    key: str
    kind: str
    part: tuple[str | int, ...] = ()

    def title(self, language: str) -> str:
        """How the trainer's overview lists it: 'Verdeelt de teams (2/3)'."""
        if self.kind == "join":
            return message(language, "slide_join")
        if self.kind == "talk":
            category, page, pages = self.part[:3]
            return _paged(message(language, f"category_{category}"), int(page), int(pages))
        if self.kind == "heat":
            side, page, pages = self.part[:3]
            title = f"{message(language, 'tab_comparison')} · {message(language, f'side_{side}')}"
            return _paged(title, int(page), int(pages))
        if self.kind == "alike":
            return _paged(message(language, "tab_alike"), int(self.part[0]), int(self.part[1]))
        heading = {"balance": "tab_balance", "own": "tab_own"}[self.kind]
        return _paged(message(language, heading), int(self.part[0]), int(self.part[1]))


@dataclass(frozen=True)
class Join:
    """What the join slide shows: the app's address to type, the link its QR code holds, and why no
    device in the room can reach either, if none can (the laptop on no network, or serving itself only)."""

    address: str
    link: str
    problem: str = ""  # why no device can reach them (a message key), and what to do; "" when they can


def _paged(title: str, page: int, pages: int) -> str:
    return f"{title} ({page}/{pages})" if pages > 1 else title


def pack(costs: list[float], budget: float, most: int = 0) -> list[tuple[int, int]]:
    """Consecutive items into pages of at most ``budget`` (an item larger than a page gets one of its
    own), and at most ``most`` items a page if given: the ``(start, end)`` of each page, and one empty
    page when there are no items."""
    pages, start, used = [], 0, 0.0
    for index, cost in enumerate(costs):
        if index > start and (used + cost > budget or (most and index - start >= most)):
            pages.append((start, index))
            start, used = index, 0.0
        used += cost
    pages.append((start, len(costs)))
    return pages


def _lines(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / per_line))


def _talk_rows(frames: tally.Frames, category: str) -> pd.DataFrame:
    rows = frames.consensus[frames.consensus["category"] == category] if len(frames.teams) else frames.consensus[:0]
    if category != "none":
        rows = rows.sort_values(["teams", "highest"], ascending=False, kind="stable")
    return rows


def _talk_cost(text: str) -> float:
    return _lines(text, TALK_LINE_CHARACTERS) * TALK_LINE + TALK_ITEM


def _heat_cost(text: str) -> float:
    return _lines(text, HEAT_LINE_CHARACTERS) * HEAT_LINE + HEAT_ROW


def _paging(kind: str, label: str, ranges: list[tuple[int, int]]) -> list[Slide]:
    pages = len(ranges)
    name = f"{kind}-{label}-" if label else f"{kind}-"
    return [
        Slide(f"{name}{page}", kind, (label, page, pages, start, end) if label else (page, pages, start, end))
        for page, (start, end) in enumerate(ranges, start=1)
    ]


def slides(frames: tally.Frames) -> list[Slide]:
    """Every slide the session has now, in the order the plenary goes through them: how to join,
    what to talk about (one category at a time), the comparison, the balance, the own motives."""
    shown: list[Slide] = [Slide("join", "join")]
    for category in tally.CATEGORIES:
        texts = [text for _side, _group, text, _origin in _talk_rows(frames, category).index]
        shown += _paging("talk", category, pack([_talk_cost(t) for t in texts], TALK_BUDGET))
    team_count = len(frames.teams)
    team_ranges = [(start, min(start + HEAT_TEAMS, team_count)) for start in range(0, max(team_count, 1), HEAT_TEAMS)]
    for side in ("against", "for"):
        texts = [frames.comparison.index[i][2] for i in _side_rows(frames, side)]
        heat = [(rows, part) for rows in pack([_heat_cost(t) for t in texts], HEAT_BUDGET) for part in team_ranges]
        shown += [
            Slide(f"heat-{side}-{n}", "heat", (side, n, len(heat), *rows, *part))
            for n, (rows, part) in enumerate(heat, 1)
        ]
    costs = [_lines(str(team), BALANCE_LINE_CHARACTERS) * BALANCE_LINE + BALANCE_ROW for team in frames.balance.index]
    balance = pack(costs, BALANCE_BUDGET, BALANCE_TEAMS)
    shown += _paging("balance", "", balance)
    shown += _paging("alike", "", _alike_pages(frames))
    groups = _own_groups(frames)
    shown += _paging("own", "", pack([_own_cost(group) for group in groups], OWN_BUDGET))
    return shown


def pick(shown: list[Slide], stored: str) -> Slide:
    """The slide the store names, or, once it is gone (fewer teams, a page less), the last of its
    kind that is still there; else the first (the join screen)."""
    for slide in shown:
        if slide.key == stored:
            return slide
    kind = stored.split("-", 1)[0]
    same = [slide for slide in shown if slide.kind == kind and slide.key.startswith(stored.rsplit("-", 1)[0])]
    same = same or [slide for slide in shown if slide.kind == kind]
    return same[-1] if same else shown[0]


def step(shown: list[Slide], stored: str, by: int) -> str:
    """The key of the slide ``by`` places after (or before) the one on the projector; it stops at either end."""
    keys = [slide.key for slide in shown]
    index = keys.index(pick(shown, stored).key)
    return keys[min(max(index + by, 0), len(keys) - 1)]


def slide_html(slide: Slide, frames: tally.Frames, join: Join, language: str) -> str:
    """The slide's markup, in ``language``."""
    if slide.kind == "join":
        body = _join(frames, join, language)
    elif not len(frames.teams):
        body = f'<p class="motives-slide-empty">{esc(message(language, "slide_no_teams"))}</p>'
    elif slide.kind == "talk":
        category, _page, _pages, start, end = slide.part
        body = _talk(frames, str(category), int(start), int(end), language)
    elif slide.kind == "heat":
        side, _n, _of, first, last, team_first, team_last = slide.part
        positions = _side_rows(frames, str(side))[int(first) : int(last)]
        body = _heat(frames, positions, (int(team_first), int(team_last)), language)
    elif slide.kind == "balance":
        body = _balance(frames, int(slide.part[2]), int(slide.part[3]), language)
    elif slide.kind == "alike":
        page, pages, start, end = (int(part) for part in slide.part)
        body = _alike(frames, start, end, page == pages, language)
    else:
        body = _own(frames, int(slide.part[2]), int(slide.part[3]), language)
    heading = "" if slide.kind == "join" else f"<h2>{esc(slide.title(language))}</h2>"
    return f'<section class="motives-slide motives-slide-{slide.kind}">{heading}{body}</section>'


def _join(frames: tally.Frames, join: Join, language: str) -> str:
    joined = len(frames.teams)
    answered = int(frames.teams["answered"].sum()) if joined else 0
    progress = message(language, "progress", joined=joined, answered=answered)
    if join.problem:
        how = f'<p class="motives-slide-warning" role="alert">{esc(message(language, join.problem))}</p>'
    else:
        how = (
            f'<p class="motives-slide-step">{esc(message(language, "slide_join_go"))}</p>'
            f'<p class="motives-slide-address">{esc(join.address)}</p>'
        )
    from motives.qr import qr_image  # segno: for this slide only

    return (
        '<div class="motives-slide-join-grid"><div>'
        f'<h2 class="motives-slide-kicker">{esc(message(language, "slide_join"))}</h2>{how}'
        f'<p class="motives-slide-step">{esc(message(language, "slide_join_code"))}</p>'
        f'<p class="motives-slide-code">{esc(frames.session.code)}</p>'
        f'<p class="motives-slide-progress" aria-live="polite">{esc(progress)}</p></div>'
        f'<figure class="motives-slide-qr">{qr_image(join.link, language, fit=True)}'
        f"<figcaption>{esc(message(language, 'slide_scan'))}</figcaption>"
        "</figure></div>"
    )


def _talk(frames: tally.Frames, category: str, start: int, end: int, language: str) -> str:
    rows = _talk_rows(frames, category).iloc[start:end]
    items = []
    for (side, _group, text, _origin), row in rows.iterrows():
        details = [message(language, f"side_{side}")]
        if category != "none":
            spread = f"{row['lowest']}" if row["lowest"] == row["highest"] else f"{row['lowest']}–{row['highest']}"
            details += [
                message(language, "n_of_teams", n=row["teams"], of=row["of"]),
                message(language, "importance_range", range=spread),
            ]
            if len(row["chosen_by"]) <= NAMED_TEAMS and category != "shared":
                details.append(", ".join(row["chosen_by"]))
        items.append(
            f'<li class="motives-slide-side-{side}"><span class="motives-slide-motive">{esc(text)}</span>'
            f'<span class="motives-slide-detail">{esc(" · ".join(details))}</span></li>'
        )
    if not items:
        return f'<p class="motives-slide-empty">{esc(message(language, "nothing_here"))}</p>'
    return f'<ul class="motives-slide-list">{"".join(items)}</ul>'


def _side_rows(frames: tally.Frames, side: str) -> list[int]:
    """The comparison's rows of one side, by position, in the worksheet's order."""
    return [i for i, found in enumerate(frames.comparison.index.get_level_values("side")) if found == side]


def _heat(frames: tally.Frames, positions: list[int], team_part: tuple[int, int], language: str) -> str:
    comparison = frames.comparison
    names = [str(team) for team in comparison["team"].columns]
    shown_teams = names[team_part[0] : team_part[1]]
    part = comparison.iloc[positions]
    labels = part.index.to_frame(index=False)
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in shown_teams)
    head = (
        f'<tr><th scope="col" class="motives-slide-heat-motive">{esc(message(language, "col_motive"))}</th>'
        f'{head}<th scope="col">{esc(message(language, "col_teams"))}</th></tr>'
    )
    body = []
    values = part["team"][shown_teams]
    chosen = part[("all", "teams")].to_numpy()
    for row, label in enumerate(labels.itertuples()):
        own = f" <small>({esc(message(language, 'origin_own'))})</small>" if label.origin == "own" else ""
        cells = "".join(_heat_cell(value) for value in values.iloc[row])
        of = f"{int(chosen[row])}/{len(names)}"  # one line: the column's heading says what it counts
        body.append(
            f'<tr class="motives-slide-side-{label.side}"><th scope="row">{esc(label.text)}{own}</th>{cells}'
            f"<td>{esc(of)}</td></tr>"
        )
    legend = "".join(
        f'<span class="motives-swatch" style="background:{bg};color:{fg}">{n}</span>' for n, (bg, fg) in HEAT.items()
    )
    where = message(language, "slide_heat_teams", first=team_part[0] + 1, last=team_part[1], teams=len(names))
    where = where if len(names) > len(shown_teams) else ""
    return (
        f'<p class="motives-slide-legend">{esc(message(language, "slide_heat_legend"))} {legend}'
        f' <span class="motives-slide-part">{esc(where)}</span></p>'
        f'<table class="motives-screen-heat"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
    )


def _heat_cell(value: float | None) -> str:
    if value is None or pd.isna(value):
        return '<td class="motives-slide-heat-none">—</td>'
    background, colour = HEAT[int(value)]
    return f'<td style="background-color:{background};color:{colour}">{int(value)}</td>'


def _balance(frames: tally.Frames, start: int, end: int, language: str) -> str:
    balance = frames.balance
    total = tally.group_total(balance)
    scale = max(1, int(balance[["for_importance", "against_importance"]].to_numpy().max()))
    rows = []
    for team, row in balance.iloc[start:end].iterrows():
        against, for_ = int(row["against_importance"]), int(row["for_importance"])
        rows.append(
            f'<tr><th scope="row">{esc(str(team))}</th>'
            f'<td class="motives-slide-bar-against">{_bar(against, scale, "against", language)}</td>'
            f'<td class="motives-slide-bar-for">{_bar(for_, scale, "for", language)}</td>'
            f'<td class="motives-slide-conclusion">{esc(conclusion_text(row["conclusion"], language))}</td></tr>'
        )
    whole = int(total["for_importance"]) + int(total["against_importance"])
    share = 50 if not whole else round(100 * int(total["for_importance"]) / whole)
    group = message(
        language,
        "slide_group_balance",
        for_count=int(total["for_count"]),
        for_total=int(total["for_importance"]),
        against_count=int(total["against_count"]),
        against_total=int(total["against_importance"]),
    )
    head = (
        f'<tr><th scope="col">{esc(message(language, "col_team"))}</th>'
        f'<th scope="col" class="motives-slide-axis-against">{esc(message(language, "slide_axis_against"))}</th>'
        f'<th scope="col" class="motives-slide-axis-for">{esc(message(language, "slide_axis_for"))}</th>'
        f'<th scope="col">{esc(message(language, "col_conclusion"))}</th></tr>'
    )
    whole_group = esc(message(language, "whole_group"))
    return (
        f'<div class="motives-slide-group"><p><strong>{whole_group}</strong> · {esc(group)}</p>'
        f'<div class="motives-slide-share" role="img" aria-label="{esc(group)}">'
        f'<span class="motives-slide-share-against" style="width:{100 - share}%"></span>'
        f'<span class="motives-slide-share-for" style="width:{share}%"></span></div></div>'
        f'<table class="motives-screen-balance"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _bar(value: int, scale: int, side: str, language: str) -> str:
    width = 0 if not value else max(2, round(100 * value / scale))
    label = message(language, f"side_{side}")
    return (
        f'<span class="motives-slide-bar motives-slide-bar-{side}" style="width:{width}%" role="img" '
        f'aria-label="{esc(label)}: {value}"></span><span class="motives-slide-value">{value}</span>'
    )


def _alike_boxes(likeness: Likeness) -> list[tuple[str, list[str], int, str]]:
    """The boxes of the map: (heading key, the names it shows, how many more, CSS class), groups first,
    then the teams that stand alone. A box lists the names its lines hold and says how many more."""
    alone = likeness.singles
    named = [
        (N_("alike_box_weighed") if likeness.weigh_alike(group) else N_("alike_box_chose"), group, "")
        for group in likeness.together
    ]
    if alone:
        named.append(("", alone, " motives-slide-alike-alone"))  # no key: alone_label says it
    boxes = []
    for key, group, kind in named:
        shown = list(group)
        # room for "… en nog 12" (or its translation) on the last line, whatever the language
        while len(shown) > 1 and _lines(", ".join(shown) + " et 99 autres", ALIKE_BOX_CHARACTERS) > ALIKE_BOX_LINES:
            shown.pop()
        boxes.append((key, shown, len(group) - len(shown), kind))
    return boxes


def _alike_rows(boxes: list[tuple[str, list[str], int, str]]) -> list[float]:
    """What each row of three boxes (:func:`_alike_boxes`) costs: its tallest box."""
    costs = [
        ALIKE_BOX + _lines(", ".join(shown) + (" et 99 autres" if more else ""), ALIKE_BOX_CHARACTERS) * ALIKE_BOX_LINE
        for _key, shown, more, _kind in boxes
    ]
    return [max(costs[row : row + 3]) for row in range(0, len(costs), 3)]


def _alike_pages(frames: tally.Frames) -> list[tuple[int, int]]:
    """The rows of boxes on each page; the sentences and what every group chose under the last page's
    boxes, or on a page of their own when they do not fit there."""
    rows = _alike_rows(_alike_boxes(frames.likeness))
    pages = pack(rows, ALIKE_BUDGET)
    start, end = pages[-1]
    if rows and sum(rows[start:end]) + ALIKE_WORDS > ALIKE_BUDGET:
        pages.append((len(rows), len(rows)))
    return pages


def _alike(frames: tally.Frames, start: int, end: int, last: bool, language: str) -> str:
    """The groups of teams that think alike as boxes (a room finds its own team), rows ``start`` to
    ``end``; on the ``last`` page also the sentences and what the groups have in common, as much as fits."""
    likeness = frames.likeness
    if len(likeness.order) < 2:
        return f'<p class="motives-slide-empty">{esc(message(language, "alike_too_few"))}</p>'
    every = _alike_boxes(likeness)
    boxes = []
    for number, (key, shown, more, kind) in list(enumerate(every, start=1))[start * 3 : end * 3]:
        names = ", ".join(shown)
        if more:
            names = message(language, "alike_more", names=names, count=more)
        heading = message(language, key, number=number) if key else alone_label(likeness.singles, language)
        boxes.append(f'<div class="motives-slide-alike-box{kind}"><h3>{esc(heading)}</h3><p>{esc(names)}</p></div>')
    parts = [f'<div class="motives-slide-alike-map">{"".join(boxes)}</div>'] if boxes else []
    if not last:
        return "".join(parts)
    used = sum(_alike_rows(every)[start:end])
    said = []
    for sentence in likeness_sentences(likeness, language, groups=False):
        cost = _lines(sentence, ALIKE_SENTENCE_CHARACTERS) * ALIKE_SENTENCE
        if used + cost > ALIKE_BUDGET:
            break
        used += cost
        said.append(f"<li>{esc(sentence)}</li>")
    if said:
        parts.append(f'<ul class="motives-slide-alike-said">{"".join(said)}</ul>')
    if len(likeness.groups) >= 2 and used + 2 * ALIKE_ACROSS <= ALIKE_BUDGET:
        labels = tally.rows_by_group(tally.motive_rows(frames.answers))
        items = []
        for key in likeness.consensus:
            used += _lines(labels[key].text, TALK_LINE_CHARACTERS) * ALIKE_ACROSS
            if used > ALIKE_BUDGET:
                break
            items.append(
                f'<li class="motives-slide-side-{labels[key].side}">'
                f'<span class="motives-slide-motive">{esc(labels[key].text)}</span></li>'
            )
        across = (
            f'<ul class="motives-slide-list">{"".join(items)}</ul>'
            if items
            else f'<p class="motives-slide-empty">{esc(message(language, "alike_across_none"))}</p>'
        )
        parts.append(
            f'<div class="motives-slide-alike-across"><h3>{esc(message(language, "alike_across_heading"))}</h3>'
            f"{across}</div>"
        )
    return "".join(parts)


def _own_groups(frames: tally.Frames) -> list[dict]:
    """The teams' own motives by group, the ones most teams wrote first."""
    own = tally.own_groups(frames.answers)
    if not len(own):
        return []
    labels = {row.group: row for row in tally.motive_rows(frames.answers).itertuples()}
    groups: dict[str, dict] = {}
    for group, text, team in zip(own["group"], own["text"], own["team"], strict=True):
        found = groups.setdefault(group, {"label": labels[group], "teams": [], "texts": []})
        if team not in found["teams"]:
            found["teams"].append(team)
        if text not in found["texts"] and text != labels[group].text:
            found["texts"].append(text)
    return sorted(groups.values(), key=lambda g: -len(g["teams"]))


def _own_cost(group: dict) -> float:
    also = " · ".join(f"« {text} »" for text in group["texts"][:2])  # as long as it is said in any language
    return _talk_cost(group["label"].text) + (_lines(also, 110) * 3.4 if also else 0.0)


def _own(frames: tally.Frames, start: int, end: int, language: str) -> str:
    groups = _own_groups(frames)[start:end]
    if not groups:
        return f'<p class="motives-slide-empty">{esc(message(language, "no_own"))}</p>'
    items = []
    for group in groups:
        label = group["label"]
        details = [message(language, f"side_{label.side}"), teams(language, len(group["teams"]))]
        if len(group["teams"]) <= NAMED_TEAMS:
            details.append(", ".join(group["teams"]))
        also = ""
        if group["texts"]:
            quoted = " · ".join(message(language, "slide_quoted", text=text) for text in group["texts"][:2])
            also = f'<span class="motives-slide-also">{esc(message(language, "slide_also", texts=quoted))}</span>'
        items.append(
            f'<li class="motives-slide-side-{label.side}"><span class="motives-slide-motive">{esc(label.text)}</span>'
            f'{also}<span class="motives-slide-detail">{esc(" · ".join(details))}</span></li>'
        )
    return f'<ul class="motives-slide-list">{"".join(items)}</ul>'


__all__ = ["Join", "Slide", "pick", "slide_html", "slides", "step"]
