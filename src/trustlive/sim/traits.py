"""The agents of a simulated marketplace and their hidden traits, all drawn from one seed.

Traits are what the platform cannot see: a merchant's true quality and honesty, a buyer's price
sensitivity, who belongs to a brushing ring. They drive behaviour (behaviour.py) and are written to
the ground-truth file (truth.py), never to the platform's database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from trustlive.catalog import CATEGORIES

SIM_CATEGORIES = tuple(c for c in CATEGORIES if c not in ("virtual", "custom_made"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅琳飞鹏辉斌宇浩凯健俊帆"
PROVINCES = (
    ("江西省", "赣州市", "章贡区"),
    ("浙江省", "杭州市", "西湖区"),
    ("广东省", "广州市", "天河区"),
    ("四川省", "成都市", "武侯区"),
    ("山东省", "济南市", "历下区"),
    ("河南省", "郑州市", "金水区"),
    ("湖北省", "武汉市", "洪山区"),
    ("黑龙江省", "哈尔滨市", "南岗区"),
)
PRODUCT_WORDS = ("精选", "产地直发", "爆款", "新品", "家庭装", "礼盒装", "经典款", "升级款")
PRICE_BANDS_FEN = {  # typical unit price range per category
    "fresh_food": (1990, 8990),
    "snacks": (990, 4990),
    "apparel": (5990, 29900),
    "shoes_bags": (9900, 49900),
    "beauty": (4990, 39900),
    "home": (1990, 19900),
    "electronics": (4990, 99900),
    "jewellery": (19900, 299900),
    "mother_baby": (2990, 19900),
    "agriculture": (1990, 9990),
}


@dataclass(frozen=True)
class Address:
    recipient: str
    phone: str
    province: str
    city: str
    district: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return dict(vars(self))


@dataclass(frozen=True)
class BuyerTraits:
    index: int
    username: str
    display_name: str
    categories: tuple[str, ...]  # preferred categories, best liked first
    price_sensitivity: float  # 0: price does not matter … 1: buys only cheap
    activity: float  # chance to watch a followed room's session in a broadcast hour
    initial_trust: float  # trust in a room before any experience of it, 0..1
    review_propensity: float  # chance to review after confirming receipt
    confirms_receipt: float  # chance to confirm receipt rather than wait for auto-receipt
    address: Address
    fake: bool = False  # an account of a brushing ring
    ring: int | None = None
    gang: int | None = None


@dataclass(frozen=True)
class ProductPlan:
    title: str
    price_fen: int
    counterfeit: bool  # a counterfeit looks the same on the platform; truth knows


@dataclass(frozen=True)
class MerchantTraits:
    index: int
    username: str
    display_name: str
    shop_name: str
    category: str
    true_quality: float  # 0..1, what buyers actually receive on average
    honesty: float  # 0..1; dishonest merchants misdescribe or sell counterfeits
    sells_counterfeits: bool
    misdescribes: bool
    shipping_hours: float  # typical time from payment to shipment
    responsiveness: float  # 0..1, service quality
    broadcast_hours: tuple[int, ...]  # UTC hours of the day its room is live
    products: tuple[ProductPlan, ...]


@dataclass(frozen=True)
class CreatorTraits:
    index: int
    username: str
    display_name: str
    audience: float  # relative pull of its room: followers are drawn in proportion
    selection_skill: float  # 0..1, how well it picks goods (used once distribution exists)


@dataclass(frozen=True)
class BrushingRing:
    """Fake buyers who order from one shop and leave five-star reviews."""

    index: int
    shop: int  # merchant index
    members: tuple[int, ...]  # buyer indices (fake accounts)
    orders_per_member_per_day: float


@dataclass(frozen=True)
class Gang:
    """Accounts sharing a device, an address and a payment account."""

    index: int
    members: tuple[int, ...]
    device_id: str
    payment_account: str
    address: Address


@dataclass(frozen=True)
class Population:
    seed: int
    buyers: tuple[BuyerTraits, ...]  # real buyers first, then the rings' fake accounts
    merchants: tuple[MerchantTraits, ...]
    creators: tuple[CreatorTraits, ...]
    rings: tuple[BrushingRing, ...]
    gangs: tuple[Gang, ...]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _address(rng: random.Random, recipient: str) -> Address:
    province, city, district = rng.choice(PROVINCES)
    return Address(
        recipient=recipient,
        phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        province=province,
        city=city,
        district=district,
        detail=f"幸福路 {rng.randint(1, 999)} 号 {rng.randint(1, 30)} 栋",
    )


def _buyer(rng: random.Random, index: int) -> BuyerTraits:
    name = _name(rng)
    return BuyerTraits(
        index=index,
        username=f"b{index:06d}",
        display_name=name,
        categories=tuple(rng.sample(SIM_CATEGORIES, k=3)),
        price_sensitivity=rng.betavariate(2, 2),
        activity=min(0.9, rng.lognormvariate(-1.6, 0.6)),
        initial_trust=rng.betavariate(2, 3),
        review_propensity=rng.betavariate(2, 3),
        confirms_receipt=rng.betavariate(3, 2),
        address=_address(rng, name),
    )


def _products(rng: random.Random, category: str, counterfeits: bool) -> tuple[ProductPlan, ...]:
    low, high = PRICE_BANDS_FEN[category]
    zh = CATEGORIES[category].name_zh
    plans = []
    for n in range(rng.randint(2, 4)):
        price = (
            int(round(rng.uniform(low, high), -1)) - 10
            if rng.random() < 0.7
            else rng.randint(low, high)
        )
        plans.append(
            ProductPlan(
                title=f"{zh}{rng.choice(PRODUCT_WORDS)} {n + 1}号",
                price_fen=max(100, price),
                counterfeit=counterfeits and rng.random() < 0.6,
            )
        )
    return tuple(plans)


def _merchant(rng: random.Random, index: int) -> MerchantTraits:
    name = _name(rng)
    category = rng.choice(tuple(PRICE_BANDS_FEN))
    honesty = rng.betavariate(5, 1.5)
    counterfeits = honesty < 0.45 and rng.random() < 0.6
    start = rng.choice((10, 12, 14, 19, 19, 20, 20, 21))
    return MerchantTraits(
        index=index,
        username=f"m{index:05d}",
        display_name=name,
        shop_name=f"{name[0]}家{CATEGORIES[category].name_zh}{index}号店",
        category=category,
        true_quality=rng.betavariate(4, 1.8),
        honesty=honesty,
        sells_counterfeits=counterfeits,
        misdescribes=honesty < 0.6 and not counterfeits,
        shipping_hours=rng.lognormvariate(3.2, 0.6),  # median ~1 day
        responsiveness=rng.betavariate(3, 1.5),
        broadcast_hours=tuple(h % 24 for h in range(start, start + rng.randint(2, 3))),
        products=_products(rng, category, counterfeits),
    )


def generate(seed: int, *, buyers: int, shops: int, creators: int | None = None) -> Population:
    """Everyone in the marketplace, reproducibly: the same arguments give the same population."""
    rng = random.Random(seed)
    real = [_buyer(rng, i) for i in range(buyers)]
    merchants = tuple(_merchant(rng, i) for i in range(shops))
    creator_count = max(1, shops // 20) if creators is None else creators
    creator_rows = tuple(
        CreatorTraits(
            index=i,
            username=f"c{i:05d}",
            display_name="达人" + _name(rng),
            audience=rng.paretovariate(1.2),
            selection_skill=rng.betavariate(2, 2),
        )
        for i in range(creator_count)
    )
    # brushing rings target weak shops: the ones that most need fake reviews
    weakest = sorted(merchants, key=lambda m: (m.true_quality, m.index))
    rings: list[BrushingRing] = []
    fakes: list[BuyerTraits] = []
    gangs: list[Gang] = []
    for r in range(max(1, shops // 40)):
        target = weakest[r % len(weakest)].index
        size = rng.randint(5, 12)
        gang_address = _address(rng, _name(rng))
        members = []
        for _ in range(size):
            index = len(real) + len(fakes)
            base = _buyer(rng, index)
            fakes.append(
                replace(
                    base,
                    username=f"f{index:06d}",
                    address=gang_address,
                    fake=True,
                    ring=r,
                    gang=r,
                )
            )
            members.append(index)
        rings.append(BrushingRing(r, target, tuple(members), rng.uniform(0.3, 0.8)))
        gangs.append(
            Gang(r, tuple(members), f"dev-{rng.randrange(16**8):08x}", f"pay-{r:04d}", gang_address)
        )
    return Population(
        seed, tuple(real + fakes), merchants, creator_rows, tuple(rings), tuple(gangs)
    )
