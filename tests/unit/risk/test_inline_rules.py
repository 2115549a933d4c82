"""The inline check's pure rules: velocity windows, identifier digests, the decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trustlive.kernel.fingerprint import identifier_digest, identifier_key
from trustlive.risk.identifiers import normal_address, normal_phone, order_digests
from trustlive.risk.policy import load_policy
from trustlive.risk.velocity import (
    Signal,
    Velocity,
    banned_signals,
    decision,
    velocity_signals,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = load_policy().inline
KEY = identifier_key("test-secret")
SHIPPING = {
    "recipient": "王小明",
    "phone": "138 0013 8000",
    "province": "北京市",
    "city": "北京市",
    "district": "朝阳区",
    "detail": "建国路88号1栋3单元502室",
}


def _signals(v: Velocity, buyer: int, digests: dict[str, str], at: datetime) -> list[Signal]:
    return velocity_signals(v, buyer_id=buyer, shop_id=5, digests=digests, now=at)


def test_a_buyers_third_order_at_one_shop_within_the_hour_is_reviewed_the_tenth_blocked() -> None:
    v = Velocity(POLICY)
    levels = []
    for i in range(10):
        at = NOW + timedelta(minutes=i)
        levels.append(decision(_signals(v, 1, {}, at))[0])
        v.record(1, 5, {}, at)
    assert levels == ["allow", "allow"] + ["review"] * 7 + ["block"]


def test_orders_older_than_the_window_no_longer_count() -> None:
    v = Velocity(POLICY)
    for i in range(2):
        v.record(1, 5, {}, NOW + timedelta(minutes=i))
    assert decision(_signals(v, 1, {}, NOW + timedelta(minutes=30)))[0] == "review"
    later = NOW + POLICY.buyer_shop_window + timedelta(minutes=1, seconds=1)
    assert _signals(v, 1, {}, later) == []


def test_a_loyal_buyer_ordering_twice_and_a_flash_burst_of_distinct_buyers_pass() -> None:
    v = Velocity(POLICY)
    assert decision(_signals(v, 1, {}, NOW))[0] == "allow"
    v.record(1, 5, {}, NOW)
    assert decision(_signals(v, 1, {}, NOW + timedelta(minutes=5)))[0] == "allow"
    for buyer in range(100, 400):  # 300 buyers in one minute, each on their own device
        digests = {"device": f"d{buyer}", "payment": f"p{buyer}"}
        assert _signals(v, buyer, digests, NOW) == []
        v.record(buyer, 5, digests, NOW)


def test_accounts_sharing_one_payment_instrument_are_reviewed_then_blocked() -> None:
    v = Velocity(POLICY)
    levels = []
    for buyer in range(1, 6):
        digests = {"payment": "card"}
        levels.append(decision(_signals(v, buyer, digests, NOW))[0])
        v.record(buyer, 7 + buyer, digests, NOW)
    assert levels == ["allow", "allow", "review", "review", "block"]


def test_a_household_of_three_on_one_device_passes() -> None:
    v = Velocity(POLICY)
    for buyer in (1, 2, 3):
        assert _signals(v, buyer, {"device": "family-pad"}, NOW) == []
        v.record(buyer, 5, {"device": "family-pad"}, NOW)


def test_a_banned_identifier_blocks_and_the_strictest_signal_decides() -> None:
    signals = [
        Signal("velocity.buyer_shop", "review", "3 orders"),
        *banned_signals({"device": 42}, "block"),
    ]
    level, first = decision(signals)
    assert (level, first.rule if first else None) == ("block", "banned.device")
    assert decision([]) == ("allow", None)


def test_two_writings_of_one_address_give_one_digest_two_flats_two() -> None:
    a = normal_address("北京市朝阳区建国路88号1栋3单元502室")
    b = normal_address("北京市朝阳区建国路８８号１栋３单元５０２室")
    c = normal_address("北京市朝阳区建国路88号1栋3单元501室")
    assert a == b
    assert a != c


def test_phones_lose_separators_and_the_country_code() -> None:
    assert normal_phone("+86 138-0013-8000") == "13800138000"
    assert normal_phone("138 0013 8000") == "13800138000"
    assert normal_phone("12") is None


def test_digests_are_keyed_per_kind_and_never_contain_the_raw_value() -> None:
    digests = order_digests(
        KEY,
        shipping=SHIPPING,
        device_id="device-abc",
        client_address="10.0.0.7",
        payment_instrument="tok_visa_4242",
    )
    assert set(digests) == {"device", "ip", "address", "payment", "phone"}
    assert all(len(d) == 32 for d in digests.values())
    joined = " ".join(digests.values())
    for raw in ("device-abc", "10.0.0.7", "4242", "13800138000", "建国路"):
        assert raw not in joined
    assert digests["phone"] == identifier_digest(KEY, "phone", "13800138000")
    other_key = identifier_key("another-secret")
    assert identifier_digest(other_key, "phone", "13800138000") != digests["phone"]
    assert identifier_digest(KEY, "device", "13800138000") != digests["phone"]


def test_an_order_without_device_or_payment_carries_only_what_it_has() -> None:
    digests = order_digests(
        KEY, shipping=SHIPPING, device_id="  ", client_address=None, payment_instrument=None
    )
    assert set(digests) == {"address", "phone"}


def test_a_shared_recipient_phone_is_reviewed_but_never_blocked() -> None:
    v = Velocity(POLICY)
    levels = []
    for buyer in range(1, 21):
        levels.append(decision(_signals(v, buyer, {"phone": "reception"}, NOW))[0])
        v.record(buyer, 5, {"phone": "reception"}, NOW)
    assert levels == ["allow"] * 3 + ["review"] * 17
