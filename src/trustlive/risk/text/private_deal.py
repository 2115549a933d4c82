"""Private deals (私单): contact details and invitations to trade off the platform, read from the
compact form of a message (see normalise.py).

Mobile numbers. A run of digits is a mobile number when, after dropping look-alike letters at its
edges and a +86 / 0086 prefix, it is exactly 11 digits matching 1[3-9]\\d{9}. Longer runs (order
numbers are 16-19 digits, most tracking numbers 12-15) and runs glued to letters (SF…, JD…,
model numbers) are never mobile numbers. An 11-digit run is an order or tracking number instead
when an order word (订单, 单号, 快递, 物流, 编号 …) stands within `order_context_chars` before it
and the message has no contact cue (电话, 手机, 联系, 微信, 加我 …): a buyer quoting an order is
not asking anyone to call.
"""

from __future__ import annotations

import re

from trustlive.risk.text.findings import Match, Rule
from trustlive.risk.text.normalise import Compact, DigitRun, digit_runs

WECHAT = r"(?:\+vx?|微信|薇信|徽信|维信|威信|微芯|薇芯|v信|v芯|vx|wx|weixin|wechat|微x|薇x|绿泡泡)"
QQ = r"(?:qq|扣扣|抠抠|企鹅|q号|扣q)"
_CONNECTOR = r"[号码id账是为:：搜加我的]{0,4}"
_WECHAT_ID = re.compile(WECHAT + _CONNECTOR + r"([a-z][a-z0-9]{4,19})")  # "_" and "-" dropped
_CHANNEL_THEN_DIGITS = re.compile(rf"(?P<wechat>{WECHAT})|(?P<qq>{QQ})")
_CONNECTOR_AT = re.compile(_CONNECTOR)

TRIGGERS = re.compile(
    "|".join(
        (
            r"私下(?:交易|转账|付款|联系|成交|买|卖|发货)",
            r"线下(?:交易|转账|付款|成交)",
            r"(?:微信|支付宝|银行卡|vx|v信)(?:转账|付款|收款)",
            r"私聊",
            r"私单",
            r"(?:不走|绕过|绕开|跳过|避开)平台",
            r"平台外(?:交易|下单|付款)",
            rf"加(?:我|个|下|一下)?的?(?:{WECHAT}|{QQ}|微|薇|v(?![a-z])|我好友)",
            r"加我(?![一二两三四五六七八九十0-9]?[单份件个套])",
            rf"(?:留|给|发|报)(?:个|一下|下)?(?:你的|我|你)?(?:电话|手机号?|{WECHAT}号?|联系方式|qq号?)",
            rf"(?:{WECHAT}|{QQ})号?(?:多少|是多少|发我|给我)",
            rf"(?:{WECHAT}|{QQ})号",
            r"联系方式",
            r"v信|薇信|徽信|vx(?![a-z])",
        )
    )
)
ORDER_WORDS = re.compile(
    r"订单|单号|运单|快递|物流|编号|货号|工单|流水|取件码|条码|序列号|批号|批次|券码|兑换码|卡号|卡密|sn|imei"
)
CONTACT_CUES = re.compile(
    rf"电话|手机|联系|打我|致电|call|tel|{WECHAT}|{QQ}|加我|私聊|号码|找我|dianhua"
)
_CONTACT_LETTERS = re.compile(r"(?:tel|call|phone|mobile|dh|sj|vx|wx|v|q|qq)$")
_LETTER = re.compile(r"[a-z]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
CODE_PREFIX_LETTERS = 4  # courier prefixes: SF, JD, YT, ZTO, EMS
MIN_REAL_DIGITS = 6  # of a mobile number's 11: at most 5 look-alike letters inside (l, i, |, o)


def find(folded: Compact, *, order_context_chars: int) -> list[Match]:
    """Every private-deal match in the compact text, in order of position."""
    text = folded.text
    found: list[Match] = []
    runs = digit_runs(folded, min_length=5)
    found += _mobiles(text, runs, order_context_chars)
    found += _channel_ids(text, runs)
    found += [Match(Rule.TRIGGER, m.group(0), m.start(), m.end()) for m in TRIGGERS.finditer(text)]
    return sorted(found, key=lambda m: (m.start, m.end, m.rule))


def _mobiles(text: str, runs: list[DigitRun], order_context_chars: int) -> list[Match]:
    out: list[Match] = []
    for run in runs:
        found = _mobile_in(run)
        if found is None:
            continue
        start, end = found
        if _glued_to_code(text, start, end) or _is_order_number(text, start, order_context_chars):
            continue
        out.append(Match(Rule.MOBILE, run.digits[start - run.start : end - run.start], start, end))
    return out


def _mobile_in(run: DigitRun) -> tuple[int, int] | None:
    """Compact [start, end) of the mobile number in a run, if there is one: the whole run, or a
    part of it between separators ("138 1234 5678 24小时在线"), less look-alike letters at its
    edges ("hello 138…") and a +86 / 0086 prefix."""
    n = len(run.digits)
    lead = next((i for i, real in enumerate(run.real) if real), n)
    trail = next((i for i, real in enumerate(reversed(run.real)) if real), 0)
    edges = {*range(lead + 1), *run.breaks, *range(n - trail, n + 1)}
    for lo in sorted(edges):
        for prefix in ("", "86", "0086"):
            hi = lo + len(prefix) + 11
            if hi not in edges or not run.digits.startswith(prefix, lo):
                continue
            at = lo + len(prefix)
            if _MOBILE.fullmatch(run.digits, at, hi) and sum(run.real[at:hi]) >= MIN_REAL_DIGITS:
                return (run.start + at, run.start + hi)
    return None


def _glued_to_code(text: str, start: int, end: int) -> bool:
    """Letters right after the digits, or a short code of letters right before them (SF, JD,
    YT, EMS …), make a code rather than a number to call; a contact word before them (tel, vx,
    q …) or a longer word (spaces are gone in the compact form: "hello 138…") does not."""
    if end < len(text) and _LETTER.match(text[end]):
        return True
    if start == 0 or not _LETTER.match(text[start - 1]):
        return False
    word_start = start
    while word_start > 0 and _LETTER.match(text[word_start - 1]):
        word_start -= 1
    word = text[word_start:start]
    return len(word) <= CODE_PREFIX_LETTERS and not _CONTACT_LETTERS.search(word)


def _is_order_number(text: str, start: int, context: int) -> bool:
    before = text[max(0, start - context) : start]
    return bool(ORDER_WORDS.search(before)) and not CONTACT_CUES.search(text)


def _channel_ids(text: str, runs: list[DigitRun]) -> list[Match]:
    """A WeChat id after a WeChat word; a WeChat or QQ number after its word."""
    out = [Match(Rule.WECHAT, m.group(1), m.start(), m.end()) for m in _WECHAT_ID.finditer(text)]
    run_at = {run.start: run for run in runs}
    for m in _CHANNEL_THEN_DIGITS.finditer(text):
        after = _CONNECTOR_AT.match(text, m.end())
        assert after is not None  # the connector may be empty
        run = run_at.get(after.end())
        if run is None:
            continue
        rule, shortest, longest = (Rule.QQ, 5, 11) if m.group("qq") else (Rule.WECHAT, 6, 20)
        digits = _leading_number(run, shortest, longest)
        if digits is not None:
            out.append(Match(rule, digits, m.start(), run.start + len(digits)))
    return out


def _leading_number(run: DigitRun, shortest: int, longest: int) -> str | None:
    """The longest start of the run, ending where it ends or at a separator, of an allowed
    length: "QQ 12345678 24小时" is QQ number 12345678."""
    for end in sorted({*run.breaks, len(run.digits)}, reverse=True):
        if shortest <= end <= longest:
            return run.digits[:end]
    return None
