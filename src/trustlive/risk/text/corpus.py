"""Labelled messages for evaluating the text checks, from a seeded `random.Random`.

Two independent template sets ("a" and "b") write the same families in different words and
obfuscate in different mixes, so a rule tuned to one set is measured on the other. Families:
- normalisable (target recall ≥ 0.95): plain, separators, enclosed, numerals, lookalike,
  invisible, wechat, qq, trigger;
- hard (target recall ≥ 0.85): homophones, split (a contact over 2-3 consecutive messages);
- hard negatives (target: ≥ 0.98 left alone): prices, dates and times, order and tracking
  numbers, model numbers, sizes, coupon codes, ordinals and quantities, room chatter,
  innocent sequences of several messages;
- claims: absolute and medical positives, and everyday words that look like them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PRIVATE_DEAL = "private_deal"
    HARD_NEGATIVE = "hard_negative"
    CLAIM_ABSOLUTE = "claims_absolute"
    CLAIM_MEDICAL = "claims_medical"
    CLAIM_NEGATIVE = "claims_negative"


@dataclass(frozen=True)
class Sample:
    kind: Kind
    family: str
    messages: tuple[str, ...]  # consecutive messages of one user in one place; the last is judged
    template_set: str


NORMALISABLE: tuple[str, ...] = ("plain", "separators", "enclosed", "numerals", "lookalike")
NORMALISABLE += ("invisible", "wechat", "qq", "trigger")
HARD = ("homophones", "split")

_CIRCLED = ["⓪①②③④⑤⑥⑦⑧⑨", "⓿❶❷❸❹❺❻❼❽❾", "⓪➀➁➂➃➄➅➆➇➈", "⓿➊➋➌➍➎➏➐➑➒"]
_PAREN = "0⑴⑵⑶⑷⑸⑹⑺⑻⑼"
_STOP = "0⒈⒉⒊⒋⒌⒍⒎⒏⒐"
_CJK = "〇一二三四五六七八九"
_CJK_ZERO = "零一二三四五六七八九"
_FIN = "零壹贰叁肆伍陆柒捌玖"
_FULL = "０１２３４５６７８９"
_HOMO = {"1": "幺", "0": "洞", "7": "拐", "2": "两", "9": "勾"}
_HOMO_B = {"1": "妖", "0": "洞", "7": "拐", "2": "俩", "9": "钩", "8": "巴"}
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_EMOJI = ["😀", "🔥", "❤️", "👍", "🌟", "🎁", "💰", "✨"]


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _groups(number: str, rng: random.Random) -> list[str]:
    if rng.random() < 0.6:
        return [number[:3], number[3:7], number[7:]]
    cut = sorted(rng.sample(range(2, 10), 2))
    return [number[: cut[0]], number[cut[0] : cut[1]], number[cut[1] :]]


def _spell(number: str, table: str | dict[str, str]) -> str:
    if isinstance(table, str):
        return "".join(table[int(d)] for d in number)
    return "".join(table.get(d, d) for d in number)


class _Set:
    """A template set: the words around a contact and the way it is obfuscated."""

    name = ""
    lead: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    wechat_words: tuple[str, ...] = ()
    qq_words: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    separators: tuple[str, ...] = ()

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def wrap(self, contact: str) -> str:
        return self.rng.choice(self.lead) + contact + self.rng.choice(self.tail)

    def positive(self, family: str) -> tuple[str, ...]:
        make: Callable[[str], str] = getattr(self, f"_{family}")
        if family == "split":
            return self._split(mobile(self.rng))
        return (make(mobile(self.rng)),)

    # families ---------------------------------------------------------------------------
    def _plain(self, number: str) -> str:
        return self.wrap(number)

    def _separators(self, number: str) -> str:
        sep = self.rng.choice(self.separators)
        return self.wrap(sep.join(_groups(number, self.rng)))

    def _enclosed(self, number: str) -> str:
        table = self.rng.choice([*_CIRCLED, _PAREN, _STOP])
        return self.wrap(_spell(number, table))

    def _numerals(self, number: str) -> str:
        return self.wrap(_spell(number, self.rng.choice([_CJK, _CJK_ZERO, _FIN])))

    def _lookalike(self, number: str) -> str:
        out = []
        for d in _spell(number, _FULL) if self.rng.random() < 0.5 else number:
            if d in "1１" and self.rng.random() < 0.3:
                out.append(self.rng.choice("lI|"))
            elif d in "0０" and self.rng.random() < 0.5:
                out.append(self.rng.choice("Oo"))
            else:
                out.append(d)
        return self.wrap("".join(out))

    def _invisible(self, number: str) -> str:
        fillers = _INVISIBLE if self.rng.random() < 0.5 else _EMOJI
        return self.wrap("".join(d + self.rng.choice(fillers) for d in number).rstrip())

    def _homophones(self, number: str) -> str:
        table = _HOMO if self.name == "a" else _HOMO_B
        base = self.rng.choice([_CJK, _FIN, "0123456789"])
        spelled = "".join(table.get(d) or base[int(d)] for d in number)
        return self.wrap(spelled)

    def _split(self, number: str) -> tuple[str, ...]:
        parts = _groups(number, self.rng) if self.rng.random() < 0.5 else [number[:5], number[5:]]
        spell = self.rng.choice([None, _CIRCLED[0], _CJK, _FULL])
        if spell is not None:
            parts = [_spell(p, spell) for p in parts]
        lead = self.rng.choice(("", "号码", "打我 ", "记一下 "))
        return (lead + parts[0], *parts[1:-1], parts[-1] + self.rng.choice(self.tail))

    def _wechat(self, number: str) -> str:
        letters = "abcdefghijkmnpqrstuvwxyz"
        handle = self.rng.choice(letters) + "".join(
            self.rng.choice(letters + "0123456789_") for _ in range(self.rng.randint(5, 12))
        )
        handle = handle if self.rng.random() < 0.7 else number
        return self.wrap(self.rng.choice(self.wechat_words) + handle)

    def _qq(self, number: str) -> str:
        qq = str(self.rng.randint(10_000, 9_999_999_999))
        return self.wrap(self.rng.choice(self.qq_words) + qq)

    def _trigger(self, number: str) -> str:
        return self.rng.choice(self.triggers)


class SetA(_Set):
    name = "a"
    lead = ("", "我电话", "联系我 ", "有事打", "手机：", "号码 ", "call ")
    tail = ("", " 谢谢", " 便宜卖", "～", " 拿货找我")
    wechat_words = ("微信 ", "vx:", "VX ", "薇信：", "v信", "wx ", "威信号 ")
    qq_words = ("QQ ", "qq号:", "扣扣 ", "企鹅：")
    triggers: tuple[str, ...] = (
        "加我微信",
        "私下交易便宜",
        "线下转账更划算",
        "主播私聊我",
        "不走平台价格低",
        "加v详聊",
        "留个电话",
        "微信转账吧",
        "加个QQ",
        "私单可以吗",
    )
    separators = (" ", ".", "-", "/", " - ", "  ")


class SetB(_Set):
    name = "b"
    lead = ("姐妹们找我 ", "想要的直接打 ", "老铁加 ", "📞", "速度 ", "Tel ", "手机号是")
    tail = (" 包邮", "!!", " 比直播间便宜", " 24小时在线", "")
    wechat_words = ("＋V ", "加vx ", "徽信", "微❤信 ", "wеchat ", "VX号是", "绿泡泡 ")
    qq_words = ("Q号 ", "扣Q", "QQ：", "抠抠 ")
    triggers: tuple[str, ...] = (
        "想要的加我",
        "私下联系我",
        "线下交易可以",
        "绕过平台更便宜",
        "加薇详聊",
        "私聊发你链接",
        "可以私下转账",
        "微信号多少",
        "留个联系方式",
        "加我好友",
    )
    separators = ("·", "、", "_", "，", "—", "\\")


# hard negatives ---------------------------------------------------------------------------------
def _negative_a(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    n = rng.randint
    choices: list[tuple[str, Callable[[], tuple[str, ...]]]] = [
        ("prices", lambda: (f"¥{n(9, 9999)}",)),
        ("prices", lambda: (f"{n(2, 9)}件{n(9, 999)}元",)),
        ("dates", lambda: (f"2026-{n(1, 12):02d}-{n(1, 28):02d}",)),
        ("dates", lambda: (f"{n(1, 12)}.{n(1, 31)} {n(10, 23)}:{n(0, 5)}0 开播",)),
        ("orders", lambda: (f"订单号 {mobile(rng)}",)),
        ("orders", lambda: (f"订单号：2026{n(10**11, 10**12 - 1)}",)),
        ("tracking", lambda: (f"快递单号 SF{n(10**11, 10**12 - 1)}",)),
        ("tracking", lambda: (f"运单号是{mobile(rng)}",)),
        ("models", lambda: (f"iPhone {n(11, 16)} Pro Max {rng.choice([128, 256, 512])}G",)),
        ("models", lambda: (f"型号 SM-G{n(9000, 9999)}",)),
        ("sizes", lambda: (f"身高{n(150, 190)} 体重{n(40, 90)} 穿什么码",)),
        ("sizes", lambda: (f"尺码 {n(35, 40)} {n(41, 44)}",)),
        ("coupons", lambda: (f"优惠券码 {rng.choice('ABCDEF')}{n(1000, 9999)}-{n(1000, 9999)}",)),
        ("ordinals", lambda: (f"第{n(1, 9)}单",)),
        ("ordinals", lambda: ("第一次买", "最后一件了")),
        ("quantities", lambda: (f"再加我{rng.choice('一两三')}件", f"要{n(1, 5)}份")),
        ("chatter", lambda: ("扣1",)),
        ("chatter", lambda: ("1", "1", "1")),
        ("chatter", lambda: ("666", "888", rng.choice(("支持微信支付吗", "QQ音乐会员怎么买")))),
        ("sequences", lambda: (f"{n(2, 5)}件", f"{n(99, 199)}元", f"第{n(1, 3)}单")),
    ]
    family, make = rng.choice(choices)
    return family, make()


def _negative_b(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    n = rng.randint
    choices: list[tuple[str, Callable[[], tuple[str, ...]]]] = [
        ("prices", lambda: (f"原价{n(100, 999)} 现在只要{n(9, 99)}块",)),
        ("prices", lambda: (f"满{n(100, 300)}减{n(10, 50)}，到手价{n(50, 200)}.{n(0, 9)}元",)),
        ("dates", lambda: (f"{n(2024, 2027)}年{n(1, 12)}月{n(1, 28)}日发货",)),
        ("dates", lambda: (f"{n(10, 12)}/{n(10, 28)} {n(10, 23)}:00-{n(10, 23)}:30 直播",)),
        ("orders", lambda: (f"我的订单 {mobile(rng)} 什么时候发货",)),
        ("orders", lambda: (f"单号{n(10**15, 10**16 - 1)}麻烦查一下",)),
        ("tracking", lambda: (f"物流编号 YT{n(10**12, 10**13 - 1)}",)),
        ("tracking", lambda: (f"快递 {mobile(rng)} 到哪了",)),
        ("models", lambda: (f"华为 Mate {n(40, 70)} RS {n(8, 16)}+{rng.choice([256, 512])}",)),
        ("models", lambda: (f"货号 A{n(100000, 999999)}",)),
        ("sizes", lambda: (f"{n(160, 185)}/{n(80, 100)}A 穿L码吗",)),
        ("sizes", lambda: (f"腰围{n(60, 90)} 臀围{n(80, 110)}",)),
        ("coupons", lambda: (f"兑换码 {n(1000, 9999)} {n(1000, 9999)} {n(100, 999)}",)),
        ("ordinals", lambda: (f"这是我第{rng.choice('一二三')}单了",)),
        ("ordinals", lambda: ("最近很忙", "最新到货吗")),
        ("quantities", lambda: (f"拍{n(2, 9)}件", f"一共{n(2, 30)}斤")),
        ("chatter", lambda: ("想要的扣1", "主播好")),
        ("chatter", lambda: ("2", "2", "2")),
        ("chatter", lambda: (f"{n(1, 9)}{n(1, 9)}{n(1, 9)}", "微信支付可以吗")),
        ("sequences", lambda: (f"{n(2020, 2026)}年", f"{n(1, 12)}月", f"{n(1, 28)}号到的")),
    ]
    family, make = rng.choice(choices)
    return family, make()


_ABSOLUTE_A = ("全网最低价", "国家级工艺", "销量第一", "顶级面料", "极品大红袍", "100%有效")
_ABSOLUTE_B = ("史上最划算", "世界级品质", "行业第一品牌", "最佳选择", "顶尖技术", "独一无二")
_MEDICAL_A = ("包治百病", "三天根治失眠", "抗癌神器", "喝了降血压", "治愈脱发")
_MEDICAL_B = ("专治颈椎病", "降血糖效果好", "有疗效", "消炎止痛", "防癌抗衰")
_CLAIM_NEG_A = ("第一单", "最后一件", "最近很忙", "第一次来", "质量好", "很实惠")
_CLAIM_NEG_B = ("最新到货", "第一天开播", "性价比高", "面料舒服", "做工精致", "口感不错")
_CLAIM_FRAME = ("", "这款", "主播说", "我们家", "宝宝们 ")


def _claims(rng: random.Random, kind: Kind, name: str) -> tuple[str, ...]:
    pool = {
        Kind.CLAIM_ABSOLUTE: _ABSOLUTE_A if name == "a" else _ABSOLUTE_B,
        Kind.CLAIM_MEDICAL: _MEDICAL_A if name == "a" else _MEDICAL_B,
        Kind.CLAIM_NEGATIVE: _CLAIM_NEG_A if name == "a" else _CLAIM_NEG_B,
    }[kind]
    return (rng.choice(_CLAIM_FRAME) + rng.choice(pool),)


def generate(seed: int, per_family: int, template_set: str) -> Iterator[Sample]:
    """`per_family` samples of each positive family, hard negatives for 3 families' worth each,
    and claims samples, from template set "a" or "b"."""
    rng = random.Random(f"{seed}:{template_set}")
    templates: _Set = SetA(rng) if template_set == "a" else SetB(rng)
    negative = _negative_a if template_set == "a" else _negative_b
    for family in NORMALISABLE + HARD:
        for _ in range(per_family):
            yield Sample(Kind.PRIVATE_DEAL, family, templates.positive(family), template_set)
    for _ in range(per_family * 3):
        family, messages = negative(rng)
        yield Sample(Kind.HARD_NEGATIVE, family, messages, template_set)
    for kind in (Kind.CLAIM_ABSOLUTE, Kind.CLAIM_MEDICAL, Kind.CLAIM_NEGATIVE):
        for _ in range(per_family):
            yield Sample(kind, kind.value, _claims(rng, kind, template_set), template_set)
