"""What agents decide, as pure functions of their traits, their state and a seeded rng.

No I/O and no clock here: the run loop (run.py) asks, the driver (driver.py) acts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from trustlive.aftersale import Reason
from trustlive.sim.traits import BuyerTraits, MerchantTraits, ProductPlan

GOOD_EXPERIENCE = 0.6  # received quality at or above this builds trust
BAD_EXPERIENCE = 0.35  # below this a buyer asks for after-sales (if they care to)
LOST_TRUST = 0.12  # below this a fan unfollows the room
ABANDON_PAYMENT = 0.04  # placed, then never paid (the order times out)


def clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, x))


def category_fit(buyer: BuyerTraits, category: str) -> float:
    """1 for the favourite category, less for the others a buyer likes, little for the rest."""
    fits = (1.0, 0.7, 0.45)
    return fits[buyer.categories.index(category)] if category in buyer.categories else 0.12


def watches(rng: random.Random, buyer: BuyerTraits, trust: float, *, fan: bool) -> bool:
    """A fan watches a live session of a room they follow more often the more they trust it."""
    chance = buyer.activity * (0.6 + trust) if fan else buyer.activity * 0.8
    return rng.random() < chance


def affordability(buyer: BuyerTraits, price_fen: int) -> float:
    """1 for cheap goods; falls with price for price-sensitive buyers (¥300 halves it at s=1)."""
    return 1.0 / (1.0 + buyer.price_sensitivity * price_fen / 30_000)


def purchase_probability(
    buyer: BuyerTraits, merchant: MerchantTraits, plan: ProductPlan, trust: float
) -> float:
    fit = category_fit(buyer, merchant.category)
    return clamp(0.06 + 1.2 * trust * fit * affordability(buyer, plan.price_fen))


def choose_product(rng: random.Random, merchant: MerchantTraits) -> int:
    """The anchor presents products in turn; earlier ones are presented more."""
    weights = [1.0 / (i + 1) for i in range(len(merchant.products))]
    return rng.choices(range(len(merchant.products)), weights=weights)[0]


def quantity(rng: random.Random) -> int:
    return rng.choices((1, 2, 3), weights=(85, 12, 3))[0]


def pays(rng: random.Random) -> bool:
    return rng.random() >= ABANDON_PAYMENT


def shipping_delay_hours(rng: random.Random, merchant: MerchantTraits) -> int:
    """Whole hours after the purchase hour; at least 2, so a parcel never leaves before payment."""
    return max(2, round(merchant.shipping_hours * rng.lognormvariate(0, 0.35)))


def transit_hours(rng: random.Random) -> int:
    return rng.randint(24, 96)


def received_quality(rng: random.Random, merchant: MerchantTraits, plan: ProductPlan) -> float:
    """What the buyer finds in the parcel: counterfeits and misdescribed goods disappoint."""
    quality = merchant.true_quality + rng.gauss(0, 0.1)
    if plan.counterfeit:
        quality *= 0.35
    elif merchant.misdescribes:
        quality -= 0.2
    return clamp(quality)


@dataclass(frozen=True)
class Ratings:
    described: int
    service: int
    logistics: int


def _stars(rng: random.Random, score: float) -> int:
    return int(clamp(round(1.5 + 4 * score + rng.gauss(0, 0.5)), 1, 5))


def ratings(
    rng: random.Random, merchant: MerchantTraits, quality: float, delay_hours: int
) -> Ratings:
    """Honest ratings follow what was received, how the shop served, and how fast it shipped."""
    logistics = clamp(1.0 - delay_hours / 120)
    return Ratings(
        _stars(rng, quality), _stars(rng, merchant.responsiveness), _stars(rng, logistics)
    )


FIVE_STARS = Ratings(5, 5, 5)


def confirms_receipt(rng: random.Random, buyer: BuyerTraits) -> bool:
    return buyer.fake or rng.random() < buyer.confirms_receipt


def reviews(rng: random.Random, buyer: BuyerTraits, quality: float) -> bool:
    """Brushers always review; others more often after a very good or a very bad experience."""
    if buyer.fake:
        return True
    extreme = quality < BAD_EXPERIENCE or quality > 0.9
    return rng.random() < buyer.review_propensity + (0.3 if extreme else 0.0)


def wants_aftersale(rng: random.Random, buyer: BuyerTraits, quality: float) -> bool:
    return not buyer.fake and quality < BAD_EXPERIENCE and rng.random() < 0.75


def trust_after(trust: float, quality: float) -> float:
    """Good experiences build trust slowly; bad ones destroy it fast."""
    if quality >= GOOD_EXPERIENCE:
        return trust + 0.15 * (1.0 - trust)
    if quality < BAD_EXPERIENCE:
        return trust * 0.4
    return trust * 0.9


def follows_after(rng: random.Random, trust: float) -> bool:
    """A stranger who had a good experience follows the room with a chance that grows with trust."""
    return rng.random() < 0.5 * trust


def unfollows(trust: float) -> bool:
    return trust < LOST_TRUST


REVIEW_TEXTS = {
    5: ("很好, 还会回购", "老铁推荐的, 没踩雷", "质量超出预期"),
    4: ("挺好的", "物流快, 东西不错"),
    3: ("一般般", "凑合用"),
    2: ("和描述不太一样", "有点失望"),
    1: ("假货, 大家别买", "质量太差了"),
}


def review_text(rng: random.Random, stars: int) -> str:
    return rng.choice(REVIEW_TEXTS[stars])


# after-sales: what buyers ask for, and how merchants and operators answer

IMPATIENT_AFTER_HOURS = 48  # a buyer still waiting for the parcel after this may give up on it
OPERATOR_HOURS = (12, 72)  # an operator rules on a dispute within this many hours


def asks_refund_before_shipping(rng: random.Random, buyer: BuyerTraits, delay_hours: int) -> bool:
    """Some buyers still waiting two days after paying ask for their money back instead."""
    return not buyer.fake and delay_hours > IMPATIENT_AFTER_HOURS + 1 and rng.random() < 0.15


def aftersale_reason(merchant: MerchantTraits, plan: ProductPlan) -> Reason:
    """The reason names what went wrong: a fake, goods unlike the room's pitch, or poor quality."""
    if plan.counterfeit:
        return Reason.COUNTERFEIT_SUSPECTED
    if merchant.misdescribes:
        return Reason.NOT_AS_DESCRIBED
    return Reason.QUALITY_PROBLEM


def merchant_accepts(rng: random.Random, merchant: MerchantTraits) -> bool:
    """Honest merchants accept a complaint about goods; dishonest ones refuse it."""
    return rng.random() < clamp((merchant.honesty - 0.4) / 0.4)


def merchant_answer_hours(rng: random.Random, merchant: MerchantTraits) -> int | None:
    """Hours until the merchant answers; None when it never does (the 48 h deadline decides)."""
    if merchant.responsiveness < 0.35 and rng.random() < 0.5:
        return None
    return 1 + int(40 * (1.0 - merchant.responsiveness) * rng.random())


def escalates(rng: random.Random) -> bool:
    """A refused buyer takes it to the platform more often than not."""
    return rng.random() < 0.6


def posts_return_after_hours(rng: random.Random) -> int | None:
    """Hours until the buyer posts the goods back; None for the few who never do."""
    return None if rng.random() < 0.05 else rng.randint(2, 48)


def confirms_return(merchant: MerchantTraits) -> bool:
    """Honest merchants confirm a return when it arrives; others wait for the deadline."""
    return merchant.honesty >= 0.6


def trust_after_claim(trust: float, *, made_good: bool) -> float:
    """A room that makes a bad parcel good wins some trust back; one that refuses loses more."""
    return trust + 0.2 * (1.0 - trust) if made_good else trust * 0.5


COMMENT_TEXTS = (
    "主播讲得好清楚",
    "上链接!",
    "这个还有货吗",
    "已下单, 期待",
    "老粉来了",
    "求讲解 2 号",
)


def comments(rng: random.Random) -> bool:
    return rng.random() < 0.05


def comment_text(rng: random.Random) -> str:
    return rng.choice(COMMENT_TEXTS)
