"""Gangs: accounts linked by shared identifiers, clustered, households set apart.

Each identifier value (a device, a client IP, a matched shipping address, a payment instrument, a
phone) links the accounts that used it, with weight kind_weight × idf, idf = log(N / df) / log(N)
(a value two accounts share says much, one fifty share says little); a value used by more than
`hub_max_accounts` (a carrier's NAT address, a campus gate) links nobody. Two accounts are linked
when their summed weight reaches `min_link_weight` and the link is either strong on its own or
closes a triangle (so a single resold device does not bridge two families); clusters are the
connected components of those links. A cluster is a gang when it is big
enough and is neither a household (at most one shared device and one shared address among at most
`household_max_accounts` accounts) nor a workplace (at most one shared personal identifier).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from trustlive.risk.graph.address import address_keys
from trustlive.risk.graph.policy import GangPolicy

KINDS = ("device", "ip", "address", "payment", "phone")


@dataclass(frozen=True, slots=True)
class Sighting:
    """An account used an identifier value (at login or on an order). Addresses come as text."""

    account_id: int
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Gang:
    """A cluster judged to be a gang, and the shared values that hold it together."""

    accounts: frozenset[int]
    link_weight: float
    shared_values: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class GangFindings:
    gangs: list[Gang]
    clusters: int
    largest_cluster: int
    accounts: int


def _value_holders(
    sightings: Iterable[Sighting], policy: GangPolicy, *, fuzzy_addresses: bool = True
) -> tuple[dict[tuple[str, str], set[int]], set[int]]:
    """(kind, value) → accounts; addresses replaced by the key of their matched group (unless
    they come already normalised and hashed: then equal digests are one address)."""
    rows = list(sightings)
    raws = (s.value for s in rows if s.kind == "address")
    keys = address_keys(raws, policy.address_similarity) if fuzzy_addresses else {}
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    accounts: set[int] = set()
    for s in rows:
        accounts.add(s.account_id)
        value = keys.get(s.value, s.value) if s.kind == "address" else s.value
        holders[(s.kind, value)].add(s.account_id)
    return holders, accounts


def link_weights(
    holders: dict[tuple[str, str], set[int]], n_accounts: int, policy: GangPolicy
) -> dict[tuple[int, int], float]:
    """Summed evidence per pair of accounts, hubs left out."""
    weights: dict[tuple[int, int], float] = defaultdict(float)
    log_n = math.log(max(n_accounts, 2))
    for (kind, _), members in holders.items():
        df = len(members)
        w = policy.weight_of(kind)
        if df < 2 or df > policy.hub_max_accounts or w == 0.0:
            continue
        idf = math.log(n_accounts / df) / log_n
        for a, b in combinations(sorted(members), 2):
            weights[(a, b)] += w * idf
    return weights


def supported_links(
    weights: dict[tuple[int, int], float], policy: GangPolicy
) -> list[tuple[int, int]]:
    """Links that reach `min_link_weight` and either stand alone (`standalone_link_weight`) or
    close a triangle with another link: one resold phone between two families is a lone bridge,
    a gang's accounts share neighbours. (Triangle support as in structural clustering.)"""
    links = [pair for pair, w in weights.items() if w >= policy.min_link_weight]
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return [
        (a, b)
        for a, b in links
        if weights[(a, b)] >= policy.standalone_link_weight
        or not neighbours[a].isdisjoint(neighbours[b])
    ]


def _components(nodes: Iterable[int], links: Iterable[tuple[int, int]]) -> list[set[int]]:
    parent = {v: v for v in nodes}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = defaultdict(set)
    for v in parent:
        groups[find(v)].add(v)
    return list(groups.values())


def _shared_values(
    cluster: set[int], holders_of: dict[int, list[tuple[str, str]]]
) -> dict[str, int]:
    """Per kind, how many distinct non-hub values at least two members of the cluster share."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for account in cluster:
        for key in holders_of[account]:
            seen[key] += 1
    shared: dict[str, int] = defaultdict(int)
    for (kind, _), count in seen.items():
        if count >= 2:
            shared[kind] += 1
    return shared


def is_benign(size: int, shared: dict[str, int], policy: GangPolicy) -> bool:
    """A household (few accounts, at most one shared device and one shared address) or a
    workplace or dorm (any size, but at most one personal identifier shared: colleagues share an
    address and a network, not phones, cards and devices)."""
    household = (
        size <= policy.household_max_accounts
        and shared.get("device", 0) <= 1
        and shared.get("address", 0) <= 1
    )
    personal = sum(shared.get(kind, 0) for kind in ("device", "payment", "phone"))
    return household or personal <= 1


def find_gangs(
    sightings: Iterable[Sighting], policy: GangPolicy, *, fuzzy_addresses: bool = True
) -> GangFindings:
    """Clusters of accounts linked by shared identifiers, and those among them that are gangs.
    `fuzzy_addresses=False`: address values are digests of normalised addresses (the database's
    identifiers), matched only when equal."""
    holders, accounts = _value_holders(sightings, policy, fuzzy_addresses=fuzzy_addresses)
    weights = link_weights(holders, len(accounts), policy)
    strong = supported_links(weights, policy)
    clusters = _components(accounts, strong)
    holders_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key, members in holders.items():
        if 2 <= len(members) <= policy.hub_max_accounts:
            for account in members:
                holders_of[account].append(key)
    cluster_of = {v: i for i, cluster in enumerate(clusters) for v in cluster}
    mass = [0.0] * len(clusters)
    for a, b in strong:
        mass[cluster_of[a]] += weights[(a, b)]
    gangs: list[Gang] = []
    for i, cluster in enumerate(clusters):
        if len(cluster) < policy.min_gang_size:
            continue
        shared = _shared_values(cluster, holders_of)
        if is_benign(len(cluster), shared, policy):
            continue
        gangs.append(
            Gang(
                accounts=frozenset(cluster),
                link_weight=mass[i],
                shared_values=tuple(sorted(shared.items())),
            )
        )
    gangs.sort(key=lambda g: (-len(g.accounts), min(g.accounts)))
    return GangFindings(
        gangs=gangs,
        clusters=sum(1 for c in clusters if len(c) >= 2),
        largest_cluster=max((len(c) for c in clusters), default=0),
        accounts=len(accounts),
    )
