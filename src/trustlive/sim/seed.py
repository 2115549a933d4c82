"""A small, believable marketplace for the demo: shops, products, buyers, follows, and orders in
every state, made through the real service layer from one seeded random generator."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from sqlalchemy import func, select

from trustlive.accounts import service as accounts
from trustlive.accounts.models import User
from trustlive.catalog import service as catalog
from trustlive.catalog.domain import ProductStatus
from trustlive.kernel.auth import Role
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.runtime import Runtime
from trustlive.live import pins as live_pins
from trustlive.live import rooms as live_rooms
from trustlive.live import wiring as live_wiring
from trustlive.orders import payments
from trustlive.orders import service as orders
from trustlive.orders.router import policy_from
from trustlive.reviews import service as reviews
from trustlive.shops import service as shops
from trustlive.shops.domain import StaffRole

DEMO_PASSWORD = "demo-pass-123"


@dataclass
class Demo:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, note
    shop_ids: list[int] = field(default_factory=list)
    orders_by_status: dict[str, int] = field(default_factory=dict)


SHOPS = [
    (
        "laowang",
        "老王",
        "老王的果园",
        "赣南脐橙产地直发, 坏果包赔",
        "fresh_food",
        [
            ("赣南脐橙 现摘现发", [("5斤装", 3990, 300), ("10斤装", 6990, 200)]),
            ("冰糖心苹果", [("5斤装", 4590, 150)]),
            ("猕猴桃 徐香", [("24个装", 5990, 80)]),
        ],
    ),
    (
        "xiaomei",
        "小美",
        "小美服饰",
        "原创设计女装, 七天无理由",
        "apparel",
        [
            ("法式碎花连衣裙", [("S", 15900, 40), ("M", 15900, 60), ("L", 15900, 30)]),
            ("羊毛针织开衫", [("均码", 19900, 50)]),
            ("高腰阔腿裤", [("S", 12900, 45), ("M", 12900, 45)]),
        ],
    ),
    (
        "dazhuang",
        "大壮",
        "大壮数码",
        "数码配件, 官方授权",
        "electronics",
        [
            ("65W 氮化镓充电器", [("白色", 9900, 500), ("黑色", 9900, 400)]),
            ("降噪蓝牙耳机", [("标准版", 29900, 120)]),
            ("磁吸充电宝 10000mAh", [("白色", 14900, 200)]),
        ],
    ),
]
BUYERS = [
    ("tiezi01", "王小明"),
    ("tiezi02", "李秀英"),
    ("tiezi03", "张伟"),
    ("tiezi04", "刘洋"),
    ("tiezi05", "陈静"),
    ("tiezi06", "杨帆"),
]
ADDRESS = {
    "recipient": "",
    "phone": "13800138000",
    "province": "江西省",
    "city": "赣州市",
    "district": "章贡区",
    "detail": "红旗大道 88 号",
}


async def is_seeded(rt: Runtime) -> bool:
    async with rt.sessions() as session:
        return bool(await session.scalar(select(func.count()).select_from(User)))


async def _register(rt: Runtime, username: str, name: str, *, creator: bool = False) -> int:
    async with unit_of_work(rt.sessions) as session:
        user = await accounts.register(
            session,
            hasher=rt.password_hasher,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            as_creator=creator,
            now=rt.clock.now(),
        )
        return user.id


async def seed_demo(rt: Runtime, *, seed: int = 7) -> Demo:
    """Build the demo marketplace. Idempotent at the level of `is_seeded`: call it once."""
    rng = random.Random(seed)
    demo = Demo()
    now = rt.clock.now
    policy = policy_from(rt.settings)

    operator_id = await _register(rt, "operator", "平台运营")
    async with unit_of_work(rt.sessions) as session:
        await accounts.grant_role(session, user_id=operator_id, role=Role.OPERATOR)
    demo.logins.append(("operator", "operator", "platform operator"))

    skus_by_shop: dict[int, list[int]] = {}
    for username, name, shop_name, blurb, category, products in SHOPS:
        owner_id = await _register(rt, username, name)
        async with unit_of_work(rt.sessions) as session:
            shop = await shops.open_shop(
                session,
                owner_id=owner_id,
                name=shop_name,
                description=blurb,
                logo_url=None,
                now=now(),
            )
        demo.shop_ids.append(shop.id)
        demo.logins.append((username, "merchant", f"owner of {shop_name}"))
        skus_by_shop[shop.id] = []
        for title, skus in products:
            async with unit_of_work(rt.sessions) as session:
                view = await catalog.create_product(
                    session,
                    shop_id=shop.id,
                    actor_id=owner_id,
                    title=title,
                    description=f"{title} — {blurb}",
                    category=category,
                    image_urls=[f"https://picsum.photos/seed/{rng.randrange(10**6)}/600/600"],
                    skus=[catalog.NewSku(spec, price, stock) for spec, price, stock in skus],
                    now=now(),
                )
                await catalog.change_status(
                    session,
                    product_id=view.product.id,
                    actor_id=owner_id,
                    target=ProductStatus.LISTED,
                    now=now(),
                )
                skus_by_shop[shop.id] += [s.id for s in view.skus]
        staff_id = await _register(rt, f"{username}_kefu", f"{name}的客服")
        async with unit_of_work(rt.sessions) as session:
            await shops.add_staff(
                session,
                shop_id=shop.id,
                actor_id=owner_id,
                user_id=staff_id,
                role=StaffRole.CUSTOMER_SERVICE,
                now=now(),
            )
        demo.logins.append((f"{username}_kefu", "shop staff", f"customer service, {shop_name}"))

    buyer_ids = []
    for username, name in BUYERS:
        buyer_ids.append(await _register(rt, username, name))
        demo.logins.append((username, "buyer", name))
    creator_id = await _register(rt, "daren", "达人小K", creator=True)
    demo.logins.append(("daren", "creator", "creator (distribution arrives later)"))

    async with unit_of_work(rt.sessions) as session:
        owners = list(
            await session.scalars(select(User.id).where(User.username.in_([s[0] for s in SHOPS])))
        )
        for buyer in buyer_ids:
            for owner in rng.sample(owners, k=rng.randint(1, len(owners))):
                await accounts.follow(session, follower_id=buyer, followee_id=owner, now=now())
        for a, b in itertools.pairwise(buyer_ids):  # mutual follows (互关)
            await accounts.follow(session, follower_id=a, followee_id=b, now=now())
            await accounts.follow(session, follower_id=b, followee_id=a, now=now())
        await accounts.follow(session, follower_id=buyer_ids[0], followee_id=creator_id, now=now())

    targets = ["pending_payment", "paid", "shipped", "received", "completed", "cancelled"]
    for i, target in enumerate(targets * 3):
        buyer = buyer_ids[i % len(buyer_ids)]
        shop_id = demo.shop_ids[i % len(demo.shop_ids)]
        sku = rng.choice(skus_by_shop[shop_id])
        address = {**ADDRESS, "recipient": BUYERS[i % len(BUYERS)][1]}
        async with unit_of_work(rt.sessions) as session:
            placed = await orders.place_order(
                session,
                buyer_id=buyer,
                lines=[(sku, rng.randint(1, 3))],
                address=address,
                buyer_note="",
                source=orders.Source(),
                policy=policy,
                now=now(),
            )
        order_id = placed.order.id
        if target == "cancelled":
            async with unit_of_work(rt.sessions) as session:
                principal = accounts.principal_of(await accounts.get_user(session, buyer))
                await orders.cancel_order(
                    session, order_id=order_id, viewer=principal, reason="拍错了", now=now()
                )
        if target in ("paid", "shipped", "received", "completed"):
            await payments.pay_with_sandbox(rt, order_id=order_id, buyer_id=buyer)
        if target in ("shipped", "received", "completed"):
            async with unit_of_work(rt.sessions) as session:
                owner = (await shops.get_shop(session, shop_id)).owner_id
                await orders.ship_order(
                    session,
                    order_id=order_id,
                    actor_id=owner,
                    carrier="顺丰速运",
                    tracking_no=f"SF{rng.randrange(10**12)}",
                    policy=policy,
                    now=now(),
                )
        if target in ("received", "completed"):
            async with unit_of_work(rt.sessions) as session:
                await orders.confirm_receipt(
                    session, order_id=order_id, buyer_id=buyer, policy=policy, now=now()
                )
                review = await reviews.create_review(
                    session,
                    order_id=order_id,
                    buyer_id=buyer,
                    ratings=reviews.Ratings(rng.randint(4, 5), rng.randint(3, 5), 5),
                    text=rng.choice(["很新鲜, 还会回购", "老铁推荐的, 没踩雷", "物流很快, 包装好"]),
                    image_urls=[],
                    now=now(),
                )
                owner = (await shops.get_shop(session, shop_id)).owner_id
                await reviews.reply(
                    session, review_id=review.id, actor_id=owner, text="谢谢老铁支持!", now=now()
                )
        if target == "completed":
            async with unit_of_work(rt.sessions) as session:
                order = await orders.load_order(session, order_id)
                await orders.complete_order(session, order, now=now())
        demo.orders_by_status[target] = demo.orders_by_status.get(target, 0) + 1
    await _go_live(rt, demo)
    await rt.dispatcher.run_once()
    return demo


async def _go_live(rt: Runtime, demo: Demo) -> None:
    """Every demo shop is live now: its products pinned, the first one in the spotlight."""
    channel = live_wiring.channel_of(rt)
    for shop_id in demo.shop_ids:
        async with unit_of_work(rt.sessions) as session:
            shop = await shops.get_shop(session, shop_id)
            room = await live_rooms.shop_room(session, shop_id=shop_id, now=rt.clock.now())
            started = await live_rooms.start_session(
                session,
                room_id=room.id,
                user_id=shop.owner_id,
                title=f"{shop.name} 直播中",
                cover_url=None,
                hls_url=None,
                channel=channel,
                now=rt.clock.now(),
            )
            views = await catalog.list_shop_products(
                session, shop_id=shop_id, viewer_id=None, status=None, before=None, limit=20
            )
            pins = []
            for view in reversed(views):
                pins = await live_pins.pin_product(
                    session,
                    session_id=started.id,
                    user_id=shop.owner_id,
                    product_id=view.product.id,
                    channel=channel,
                    now=rt.clock.now(),
                )
            if pins:
                await live_pins.set_spotlight(
                    session,
                    session_id=started.id,
                    user_id=shop.owner_id,
                    pin_id=pins[0].id,
                    channel=channel,
                )
