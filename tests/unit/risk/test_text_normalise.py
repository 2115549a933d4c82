"""One test per normalisation rule: what the compact form of a message is."""

from __future__ import annotations

import pytest

from trustlive.risk.text.normalise import compact, digit_runs


def digits_of(raw: str) -> list[str]:
    return [run.digits for run in digit_runs(compact(raw), min_length=1)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１３８", "138"),  # NFKC: fullwidth digits
        ("ＶＸ", "vx"),  # NFKC: fullwidth letters, then lower case
        ("①③⑧", "138"),  # circled digits
        ("❶❸❽", "138"),  # dingbat negative circled digits
        ("➀➂➇", "138"),  # dingbat circled sans-serif digits
        ("➊➌➑", "138"),  # dingbat negative circled sans-serif digits
        ("⑴⑶⑻", "138"),  # parenthesised digits (NFKC would make "(1)(3)(8)")
        ("⒈⒊⒏", "138"),  # digits with a full stop
        ("⓵⓷⓼", "138"),  # double circled digits
        ("㈠㈢㈧", "138"),  # parenthesised ideographs
    ],
)
def test_enclosed_and_fullwidth_forms_fold_to_plain(raw: str, expected: str) -> None:
    assert compact(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一三八", ["138"]),  # CJK numerals
        ("〇零", ["00"]),  # both zeros
        ("壹叁捌", ["138"]),  # financial numerals
        ("貳參陸", ["236"]),  # traditional financial numerals
        ("幺", ["1"]),  # homophone 幺 = 1
        ("洞", ["0"]),  # homophone 洞 = 0
        ("拐", ["7"]),  # homophone 拐 = 7
        ("两", ["2"]),  # homophone 两 = 2
        ("勾", ["9"]),  # homophone 勾 = 9
        ("巴", ["8"]),  # homophone 巴 = 8
    ],
)
def test_numerals_and_homophones_read_as_digits(raw: str, expected: list[str]) -> None:
    assert digits_of(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "138 1234 5678",  # spaces
        "138.1234.5678",  # dots
        "138-1234-5678",  # dashes
        "138—1234—5678",  # em dashes
        "138/1234/5678",  # slashes
        "138_1234_5678",  # underscores
        "1\u200b3\u200c8\u200d1\u20602\ufeff345678",  # zero-width characters
        "13😀8🔥1234❤️5678",  # emoji, with a variation selector
        "1️⃣3️⃣8️⃣12345678",  # keycap digits
        "138，1234、5678",  # CJK commas
    ],
)
def test_separators_and_invisible_characters_drop_out(raw: str) -> None:
    assert compact(raw).text == "13812345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("vх", "vx"),  # Cyrillic х
        ("wесhаt", "wechat"),  # Cyrillic е, с, а
        ("ѵx", "vx"),  # Cyrillic izhitsa
        ("qq", "qq"),
    ],
)
def test_lookalike_letters_of_other_scripts_fold_to_latin(raw: str, expected: str) -> None:
    assert compact(raw).text == expected


def test_lookalike_letters_are_digits_only_inside_a_run_with_real_digits() -> None:
    assert digits_of("l38I2345678") == ["13812345678"]  # l and I → 1
    assert digits_of("|38 1234 567O") == ["13812345670"]  # | → 1, O → 0
    assert digit_runs(compact("lol oil"), min_length=1) == []  # letters alone: no number


def test_kept_marks_break_a_run() -> None:
    assert digits_of("13:30") == ["13", "30"]  # the colon of a time
    assert digits_of("¥199") == ["199"]
    assert digits_of("50%") == ["50"]


def test_each_compact_character_remembers_its_raw_position() -> None:
    folded = compact("加 ①3")
    assert folded.text == "加13"
    assert folded.origin == (0, 2, 3)
    assert folded.raw_span(1, 3) == (2, 4)
