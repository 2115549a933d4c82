"""Gangs: address matching, hub suppression, households and workplaces set apart."""

from __future__ import annotations

from trustlive.risk.graph import Sighting, find_gangs
from trustlive.risk.graph.address import normalise, similarity
from trustlive.risk.graph.policy import GangPolicy

POLICY = GangPolicy()


def test_writings_of_one_flat_normalise_to_the_same_numbers() -> None:
    forms = [
        "北京市朝阳区建国路88号1号楼3单元502室",
        "朝阳区建国路88号1栋3-502",
        "北京市 朝阳区 建国路８８号 １号楼 ３单元 ５０２",
        "北京市朝阳区建国路八十八号一号楼三单元502室",
    ]
    first = normalise(forms[0])
    assert first.numbers == (88, 1, 3, 502)
    assert all(similarity(first, normalise(f)) == 1.0 for f in forms[1:])


def test_two_flats_of_one_building_do_not_match() -> None:
    a = normalise("北京市朝阳区建国路88号1号楼3单元502室")
    b = normalise("北京市朝阳区建国路88号1号楼3单元503室")
    assert similarity(a, b) == 0.0


def _ring(first: int, size: int) -> list[Sighting]:
    """Accounts cycling through two devices, two phones and one card."""
    out: list[Sighting] = []
    for i in range(size):
        a = first + i
        out += [
            Sighting(a, "device", f"ring-dev-{i % 2}"),
            Sighting(a, "phone", f"ring-phone-{i % 2}"),
            Sighting(a, "payment", "ring-card"),
        ]
    return out


def _crowd(n: int) -> list[Sighting]:
    """Honest singles: own everything, and one public IP shared by all."""
    out: list[Sighting] = []
    for a in range(1000, 1000 + n):
        out += [Sighting(a, "device", f"d{a}"), Sighting(a, "ip", "carrier-nat")]
    return out


def test_a_ring_is_one_gang_and_the_crowd_behind_a_public_ip_is_not() -> None:
    findings = find_gangs(_ring(1, 8) + _crowd(300), POLICY)
    [gang] = findings.gangs
    assert gang.accounts == frozenset(range(1, 9))
    assert findings.largest_cluster == 8


def test_a_family_sharing_a_device_and_an_address_is_not_a_gang() -> None:
    family = [
        s
        for a in range(1, 6)
        for s in (
            Sighting(a, "device", "family-tablet"),
            Sighting(a, "address", "成都市武侯区天府大道100号2栋1单元301室"),
            Sighting(a, "ip", "home-broadband"),
        )
    ]
    findings = find_gangs(family + _crowd(300), POLICY)
    assert findings.gangs == []
    assert findings.largest_cluster == 5


def test_colleagues_sharing_an_office_address_and_wifi_are_not_a_gang() -> None:
    office = [
        s
        for a in range(1, 31)
        for s in (
            Sighting(a, "address", "深圳市南山区科技园路9号A座12层"),
            Sighting(a, "ip", "office-wifi"),
            Sighting(a, "device", f"own-{a}"),
        )
    ]
    assert find_gangs(office + _crowd(300), POLICY).gangs == []


def test_a_lone_resold_device_does_not_bridge_two_families() -> None:
    def family(first: int, tablet: str, address: str) -> list[Sighting]:
        return [
            s
            for a in range(first, first + 4)
            for s in (Sighting(a, "device", tablet), Sighting(a, "address", address))
        ]

    sightings = (
        family(1, "tab-1", "杭州市西湖区文一西路10号1幢2单元201室")
        + family(11, "tab-2", "杭州市西湖区文一西路20号3幢1单元101室")
        + [Sighting(1, "device", "resold"), Sighting(11, "device", "resold")]
        + _crowd(300)
    )
    findings = find_gangs(sightings, POLICY)
    assert findings.gangs == []
    assert findings.largest_cluster == 4
