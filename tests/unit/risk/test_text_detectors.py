"""Private deals and false claims: what each rule finds, and the hard negatives it leaves alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from trustlive.risk.text import Level, Rule, TextChecker, load_text_policy

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


@pytest.fixture
def checker() -> TextChecker:
    return TextChecker(load_text_policy())


def found(checker: TextChecker, text: str) -> list[tuple[str, str]]:
    return [(f.rule.value, f.span) for f in checker.check_text(text).findings]


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "电话 138 1234 5678",
        "①③⑧①②③④⑤⑥⑦⑧",
        "幺三八 幺二三四 五六七八",
        "壹叁捌壹贰叁肆伍陆柒捌",
        "l38l2345678",
        "+86 138-1234-5678",
        "call 13812345678",
    ],
)
def test_a_mobile_number_in_any_form_is_found(checker: TextChecker, text: str) -> None:
    assert ("private_deal.mobile", "13812345678") in found(checker, text)


def test_an_11_digit_number_after_an_order_word_is_an_order_number(checker: TextChecker) -> None:
    assert found(checker, "订单号 13812345678 还没发货") == []
    assert found(checker, "快递单号是 13812345678") == []


def test_an_order_word_with_a_contact_cue_is_still_a_mobile_number(checker: TextChecker) -> None:
    assert found(checker, "订单 13812345678 是我手机") == [("private_deal.mobile", "13812345678")]


def test_an_order_word_far_before_the_number_does_not_excuse_it(checker: TextChecker) -> None:
    assert found(checker, "订单已经收到了谢谢主播 13812345678") == [
        ("private_deal.mobile", "13812345678")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "订单号 2026120613812345",  # an order number
        "SF13812345678",  # a courier code
        "13812345678kg",  # glued to letters after
        "12812345678",  # 12x is not a mobile prefix
    ],
)
def test_not_exactly_a_mobile_number_is_not_one(checker: TextChecker, text: str) -> None:
    assert found(checker, text) == []


@pytest.mark.parametrize(
    ("text", "rule", "span"),
    [
        ("vx: tl_8888a", "private_deal.wechat", "tl8888a"),
        ("薇信号 abc12345", "private_deal.wechat", "abc12345"),
        ("微信 20261206", "private_deal.wechat", "20261206"),
        ("QQ 123456789", "private_deal.qq", "123456789"),
        ("扣扣：幺二三四五六七", "private_deal.qq", "1234567"),
        ("企鹅 12345678", "private_deal.qq", "12345678"),
    ],
)
def test_channel_ids(checker: TextChecker, text: str, rule: str, span: str) -> None:
    assert (rule, span) in found(checker, text)


@pytest.mark.parametrize(
    "text",
    ["加我微信", "私下交易更便宜", "可以线下转账", "主播私聊我", "不走平台", "加v", "留个电话"],
)
def test_trigger_words(checker: TextChecker, text: str) -> None:
    assert [rule for rule, _ in found(checker, text)] == ["private_deal.trigger"]


@pytest.mark.parametrize(
    "text",
    [
        "¥199",
        "3件99元",
        "2026-12-06",
        "2026-12-06 13:30 开播",
        "iPhone 15 Pro Max 256G",
        "第1单",
        "扣1",
        "想要的扣1",
        "支持微信支付吗",
        "QQ音乐会员 365天",
        "再加我两件",
        "尺码 S M L XL",
        "优惠券码 ABCD-1234-5678",
        "身高170 体重55",
    ],
)
def test_hard_negatives_are_left_alone(checker: TextChecker, text: str) -> None:
    assert found(checker, text) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("全网最低价", "最低价"),
        ("国家级工艺", "国家级"),
        ("销量第一", "销量第一"),
        ("顶级面料", "顶级"),
        ("极品好茶", "极品"),
        ("100%有效", "100%有效"),
    ],
)
def test_absolute_terms_remind_with_article_9(checker: TextChecker, text: str, span: str) -> None:
    (finding,) = checker.check_text(text).findings
    assert (finding.rule, finding.span, finding.level) == (Rule.ABSOLUTE_TERM, span, Level.REMIND)
    assert finding.clause.startswith("《广告法》第九条第（三）项")


@pytest.mark.parametrize(
    ("text", "span"),
    [("包治百病", "包治"), ("三天根治失眠", "根治"), ("抗癌神器", "抗癌"), ("降血压", "降血压")],
)
def test_medical_claims_block_with_article_17(checker: TextChecker, text: str, span: str) -> None:
    (finding,) = checker.check_text(text).findings
    assert (finding.rule, finding.span, finding.level) == (Rule.MEDICAL_CLAIM, span, Level.BLOCK)
    assert finding.clause.startswith("《广告法》第十七条")


@pytest.mark.parametrize("text", ["第一单", "第一次买", "最后一件", "最近很忙", "最新到货"])
def test_ordinal_and_everyday_words_are_no_claims(checker: TextChecker, text: str) -> None:
    assert checker.check_text(text).findings == ()


def test_a_finding_points_at_its_raw_span(checker: TextChecker) -> None:
    (finding,) = checker.check_text("好的 ①③⑧ 1234 5678 谢谢").findings
    assert (finding.raw_start, finding.raw_end) == (3, 16)
    assert finding.as_evidence() == {
        "rule": "private_deal.mobile",
        "clause": "平台规则：禁止引导站外交易（私单）",
        "level": "block",
        "span": "13812345678",
        "raw_start": 3,
        "raw_end": 16,
        "split": False,
    }


def test_a_number_split_over_three_messages_is_found_at_the_last(checker: TextChecker) -> None:
    said = ["138", "1234", "5678"]
    verdicts = [
        checker.check_message(text, user_id=7, place="room:1", now=NOW + timedelta(seconds=i))
        for i, text in enumerate(said)
    ]
    assert [v.findings for v in verdicts[:2]] == [(), ()]
    (finding,) = verdicts[2].findings
    assert (finding.rule, finding.span, finding.split) == (Rule.MOBILE, "13812345678", True)
    assert (finding.raw_start, finding.raw_end) == (-7, 4)


def test_split_messages_of_other_users_or_places_stay_apart(checker: TextChecker) -> None:
    checker.check_message("138 1234", user_id=7, place="room:1", now=NOW)
    other_user = checker.check_message("5678", user_id=8, place="room:1", now=NOW)
    other_place = checker.check_message("5678", user_id=7, place="room:2", now=NOW)
    assert (other_user.findings, other_place.findings) == ((), ())


def test_messages_further_apart_than_the_window_are_read_alone(checker: TextChecker) -> None:
    window = checker.policy.history_window
    checker.check_message("138 1234", user_id=7, place="room:1", now=NOW)
    late = checker.check_message("5678", user_id=7, place="room:1", now=NOW + window * 2)
    assert late.findings == ()


def test_the_history_is_bounded(checker: TextChecker) -> None:
    small = TextChecker(replace(checker.policy, history_places=2))
    for user in range(5):
        small.check_message("hi", user_id=user, place="room:1", now=NOW)
    assert len(small.history) == 2
