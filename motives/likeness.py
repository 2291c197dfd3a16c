"""Which teams think alike: how close each pair of teams is, the teams in an order that puts those
alike together, the groups of teams that think alike, and what every group chose.

Plain pandas and numpy on the tidy answers (:func:`motives.tally.answers_frame`). A
team is the weight it gave each row of the comparison: its importance (1–5) where
it chose the row, 0 where not; own motives count by their group, so two teams
that wrote the same idea in other words chose the same row. Two teams:

- **chose alike** (``chose``) by the share of their chosen motives they share;
- **weigh alike** (``weighed``) by the share of their weight they have in common, the
  sum of the smaller weights over the sum of the larger (1: the same motives with
  the same importance; 0: nothing in common);
- are **alike** (``alike``) by the mean of the two: what they ticked and how they
  weighed it count for half each.

Groups of teams are made by average linkage on ``alike``: two groups join while their
teams are, on average, at least ``ALIKE`` alike. A team that joins no group stands alone. The
consensus across groups (Pol.is's "group-informed consensus", for predefined teams)
is what at least half of the teams of every group chose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ALIKE = 0.6  # teams this alike (their weight in common) are said to think alike
UNSURE_IMPORTANCE = 3  # a motive ticked without an importance weighs the middle of the scale


def team_weights(answers: pd.DataFrame, teams: list[str] | None = None) -> pd.DataFrame:
    """Teams down, the comparison's rows (groups) across: the importance a team gave a row, 0 where not chosen.

    ``teams`` are the teams that count, in their order (by default every team of the answers).
    """
    teams = list(answers["team"].drop_duplicates()) if teams is None else teams
    groups = list(answers["group"].drop_duplicates())
    chosen = answers[answers["applies"] & answers["team"].isin(teams)]
    importance = chosen["importance"].astype("Float64").fillna(UNSURE_IMPORTANCE).to_numpy(dtype="float64")
    weights = (
        pd.Series(importance, index=pd.MultiIndex.from_arrays([chosen["team"], chosen["group"]]))
        .groupby(level=[0, 1], sort=False)
        .max()
    )
    # Plain float64 throughout: a session of 40 teams × 25 own motives has a thousand columns.
    table = weights.unstack(1) if len(weights) else pd.DataFrame(index=pd.Index([], name="team"))
    return table.reindex(index=pd.Index(teams, name="team"), columns=groups, fill_value=0.0).fillna(0.0)


def weighed_likeness(weights: pd.DataFrame) -> pd.DataFrame:
    """Teams × teams: the share of their weight two teams have in common (1 on the diagonal)."""
    values = weights.to_numpy(dtype="float64")
    smaller = np.minimum(values[:, None, :], values[None, :, :]).sum(axis=2)
    larger = np.maximum(values[:, None, :], values[None, :, :]).sum(axis=2)
    share = np.divide(smaller, larger, out=np.zeros_like(smaller), where=larger > 0)
    np.fill_diagonal(share, 1.0)
    return pd.DataFrame(share, index=weights.index, columns=weights.index)


def chosen_likeness(weights: pd.DataFrame) -> pd.DataFrame:
    """Teams × teams: the share of their chosen motives two teams share, whatever the importance."""
    return weighed_likeness((weights > 0).astype("float64"))


def team_groups(likeness: pd.DataFrame, alike: float = ALIKE) -> list[list[str]]:
    """The teams in groups that think alike (average linkage), largest and closest first; a team alone is a group.

    The order of the teams, group after group and within a group as they joined, puts those alike
    next to each other: the order of the matrix the overview shows.
    """
    names = list(likeness.index)
    values = likeness.to_numpy(dtype="float64")
    clusters: list[list[int]] = [[i] for i in range(len(names))]
    # The mean likeness between every two clusters, kept up to date as clusters join (the
    # Lance–Williams update of average linkage): 40 teams take 39 steps of a 40 × 40 array.
    between = values.copy()
    np.fill_diagonal(between, -np.inf)
    while len(clusters) > 1:
        found = np.unravel_index(int(np.argmax(between)), between.shape)
        a, b = int(min(found)), int(max(found))
        if between[a, b] < alike:
            break
        size_a, size_b = len(clusters[a]), len(clusters[b])
        joined = (size_a * between[a] + size_b * between[b]) / (size_a + size_b)
        between[a], between[:, a] = joined, joined
        between[a, a] = -np.inf
        between = np.delete(np.delete(between, b, axis=0), b, axis=1)
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]

    def closeness(cluster: list[int]) -> float:
        if len(cluster) < 2:
            return 0.0
        block = values[np.ix_(cluster, cluster)]
        return float((block.sum() - len(cluster)) / (len(cluster) * (len(cluster) - 1)))

    clusters.sort(key=lambda c: (-len(c), -closeness(c), min(c)))
    return [[names[i] for i in cluster] for cluster in clusters]


def across_groups(weights: pd.DataFrame, groups: list[list[str]]) -> list[str]:
    """The comparison's rows that at least half of the teams of every group of teams chose, most chosen first."""
    if len(groups) < 2:
        return []
    # numpy, not a frame per group: a session of 40 teams × 25 own motives has a thousand rows.
    chosen = weights.to_numpy() > 0
    position = {team: n for n, team in enumerate(weights.index)}
    shares = np.stack([chosen[[position[team] for team in group]].mean(axis=0) for group in groups])
    held = (shares >= 0.5).all(axis=0)
    order = np.argsort(-shares.mean(axis=0)[held], kind="stable")
    return [str(weights.columns[i]) for i in np.flatnonzero(held)[order]]


@dataclass(frozen=True)
class Likeness:
    """Which teams think alike, for the overview, the projector and the report."""

    alike: pd.DataFrame  # teams × teams, in the order of ``groups``: the mean of the two below
    weighed: pd.DataFrame  # the share of their weight in common
    chose: pd.DataFrame  # the share of their chosen motives in common
    groups: list[list[str]]  # groups of teams that think alike (a team alone: a group of one)
    consensus: list[str]  # the rows every group chose (keys of the comparison's groups)

    @property
    def order(self) -> list[str]:
        return [team for group in self.groups for team in group]

    @property
    def together(self) -> list[list[str]]:
        """The groups of more than one team."""
        return [group for group in self.groups if len(group) > 1]

    @property
    def alone(self) -> list[str]:
        """The teams that think like no other: each alone, when there are at least three teams."""
        return self.singles if len(self.order) > 2 else []

    @property
    def singles(self) -> list[str]:
        """The teams in no group, whatever the number of teams."""
        return [group[0] for group in self.groups if len(group) == 1]

    def weigh_alike(self, group: list[str]) -> bool:
        """Whether every two teams of ``group`` weigh alike, not only choose alike."""
        return bool((self.weighed.loc[group, group].to_numpy() >= ALIKE).all())


def team_likeness(answers: pd.DataFrame, teams: list[str] | None = None) -> Likeness:
    """Which of ``teams`` think alike (by default every team; the overview gives the teams that answered)."""
    weights = team_weights(answers, teams)
    # A team that chose nothing yet (it only gave a conclusion) is like no one: it is left out.
    weights = weights[weights.to_numpy().sum(axis=1) > 0]
    weighed, chose = weighed_likeness(weights), chosen_likeness(weights)
    alike = (weighed + chose) / 2
    # Within a group, the teams in the order they joined: a room finds its own team more easily.
    position = {team: n for n, team in enumerate(weights.index)}
    groups = [sorted(group, key=position.__getitem__) for group in team_groups(alike)]
    order = [team for group in groups for team in group]
    return Likeness(
        alike=alike.loc[order, order],
        weighed=weighed.loc[order, order],
        chose=chose.loc[order, order],
        groups=groups,
        consensus=across_groups(weights, groups),
    )
