"""A two-indicator policy small enough to compute scores by hand."""

from __future__ import annotations

from trustlive.trust.policy import Policy, parse_policy

SMALL_POLICY = """
version = "test.1"
[measures]
shipping_promise_hours = 48
fast_ship_hours = 24
handle_target_hours = 24
refund_target_hours = 48
first_reply_target_seconds = 180
quality_reasons = ["quality_problem"]
bad_rating_max = 2
good_rating_min = 4
[smoothing]
window_days = 30
half_life_days = 10
prior_strength = 10
confidence_z = 1.645
min_distinct_buyers = 3
[fit]
min_subjects = 3
min_prior_strength = 1
max_prior_strength = 1000
[indicators."shop.bad_review_rate"]
prior_mean = 0.1
penalty_threshold = 0.2
penalty_cap = 1.0
[indicators."shop.on_time_shipment_rate"]
prior_mean = 0.9
[scores.shop_experience]
subject = "shop"
scale = 5.0
[scores.shop_experience.dimensions.quality]
weight = 0.6
indicators = { "shop.bad_review_rate" = 1.0 }
[scores.shop_experience.dimensions.logistics]
weight = 0.4
indicators = { "shop.on_time_shipment_rate" = 1.0 }
[tier_rules]
penalised_max_tier = "basic"
[[tiers]]
name = "gold"
share = 0.2
min_score = 4.5
traffic_weight = 1.3
guarantees = ["fast_shipping"]
[[tiers]]
name = "basic"
share = 0.6
min_score = 3.0
traffic_weight = 1.0
guarantees = []
[[tiers]]
name = "restricted"
share = 0.2
min_score = 0.0
traffic_weight = 0.5
guarantees = []
[campaign]
min_shop_score = 4.0
max_quality_refund_rate = 0.002
no_active_penalty = true
[subsidy]
tiers = ["gold"]
min_trust_index = 75.0
"""


def small_policy(text: str = SMALL_POLICY) -> Policy:
    return parse_policy(text)
