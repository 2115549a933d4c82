"""Text normalisation for the detectors: one compact, folded form of a message that keeps, for
every character, where it came from in the raw text, and the digit runs hidden in it.

Folding, in order, one raw character at a time:
1. circled, parenthesised, full-stop and dingbat digits (①, ⑴, ⒈, ❶, ➀, ➊, ⓵, ㈠, ㊀) → digits;
2. NFKC (fullwidth ０-９ and Ａ-Ｚ, compatibility forms), then lower case;
3. Cyrillic and Greek look-alikes → Latin (о→o, а→a, р→p, с→c, х→x, ν→v …);
4. separators are dropped: white space, dashes, dots, slashes, commas, brackets, quotes,
   emoji and other pictographs, zero-width and other format characters, combining marks.
   Characters that say what a number is (":" of a time, "%", "#", "@", "¥", "+") stay.
Digit runs are read from the compact form: ASCII digits, CJK and financial numerals
(一二三 / 壹贰叁 / 〇 / 零), homophones (幺=1, 洞=0, 拐=7, 两=2, 勾=9 …) and, only inside a run
that has real digits, the look-alike letters l / i / | (→1) and o (→0).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# 1. digits NFKC leaves alone or turns into "(1)" / "1." -------------------------------------
_ENCLOSED: dict[str, str] = {}
for _base, _count, _first in (
    (0x2460, 20, 1),  # ① … ⑳
    (0x2474, 20, 1),  # ⑴ … ⒇
    (0x2488, 20, 1),  # ⒈ … ⒛
    (0x2776, 10, 1),  # ❶ … ❿
    (0x2780, 10, 1),  # ➀ … ➉
    (0x278A, 10, 1),  # ➊ … ➓
    (0x24F5, 10, 1),  # ⓵ … ⓾
    (0x24EB, 10, 11),  # ⓫ … ⓴
    (0x3220, 10, 1),  # ㈠ … ㈩
    (0x3280, 10, 1),  # ㊀ … ㊉
):
    for _i in range(_count):
        _ENCLOSED[chr(_base + _i)] = str(_first + _i)
_ENCLOSED.update({"⓪": "0", "⓿": "0", "🄀": "0", "🄁": "0"})
_ENCLOSED.update({chr(0x1F101 + i): str(i) for i in range(1, 10)})  # 🄂 … 🄊 (digit comma)

# 3. look-alike letters of other scripts ------------------------------------------------------
_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԛ": "q",
        "ԝ": "w",
        "ѵ": "v",
        "ν": "v",
        "ο": "o",
        "α": "a",
        "ι": "i",
        "κ": "k",
        "ρ": "p",
        "τ": "t",
        "χ": "x",
        "υ": "u",
        "β": "b",
        "ε": "e",
        "ӏ": "l",
    }
)

# 4. characters that stay although they are punctuation or symbols ------------------------------
_KEPT = frozenset(":：%#@&!！?？;；+=¥$￥")
_DROPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "So", "Sk"})

# digits of a run -------------------------------------------------------------------------------
NUMERALS: dict[str, str] = {
    **{str(d): str(d) for d in range(10)},
    # CJK numerals
    "〇": "0",
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    # financial numerals, simplified and traditional
    "壹": "1",
    "贰": "2",
    "貳": "2",
    "叁": "3",
    "參": "3",
    "肆": "4",
    "伍": "5",
    "陆": "6",
    "陸": "6",
    "柒": "7",
    "捌": "8",
    "玖": "9",
}
HOMOPHONES: dict[str, str] = {
    "幺": "1",
    "妖": "1",
    "洞": "0",
    "拐": "7",
    "两": "2",
    "俩": "2",
    "勾": "9",
    "钩": "9",
    "巴": "8",
    "扒": "8",
    "久": "9",
    "酒": "9",
    "溜": "6",
    "妻": "7",
    "伞": "3",
    "舞": "5",
    "吾": "5",
    "死": "4",
    "司": "4",
    "尔": "2",
}
LETTER_DIGITS: dict[str, str] = {"l": "1", "i": "1", "|": "1", "o": "0"}
DIGIT_OF: dict[str, str] = {**NUMERALS, **HOMOPHONES, **LETTER_DIGITS}


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """What one raw character becomes in the compact form ("" when it is a separator)."""
    enclosed = _ENCLOSED.get(ch)
    if enclosed is not None:
        return enclosed
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower().translate(_LOOKALIKES):
        if c in _KEPT or c in DIGIT_OF:
            out.append(c)
            continue
        category = unicodedata.category(c)
        if category in _DROPPED_CATEGORIES or category[0] == "P" or c.isspace():
            continue
        if 0x1F000 <= ord(c) <= 0x1FAFF:  # pictographs outside So (keycaps, flags' parts)
            continue
        out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class Compact:
    """The folded message: `text`, and for each of its characters the raw index it came from."""

    text: str
    origin: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) of compact [start, end)."""
        if start >= end:
            return (0, 0)
        return (self.origin[start], self.origin[end - 1] + 1)


def compact(raw: str) -> Compact:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(raw):
        folded = fold_char(ch)
        for c in folded:
            chars.append(c)
            origin.append(i)
    return Compact("".join(chars), tuple(origin))


def join(parts: list[Compact], offsets: list[int]) -> Compact:
    """Consecutive messages read as one: raw indices shifted by each message's offset."""
    text = "".join(p.text for p in parts)
    origin = tuple(o + off for p, off in zip(parts, offsets, strict=True) for o in p.origin)
    return Compact(text, origin)


@dataclass(frozen=True)
class DigitRun:
    """A run of digit-like characters in the compact text, read as digits.

    `real[i]` says whether digit i came from a numeral (True) or a look-alike letter (False);
    `breaks` are the positions in the run where a separator was dropped ("138 1234" breaks at 3)."""

    start: int  # compact index of the first character
    digits: str
    real: tuple[bool, ...]
    breaks: frozenset[int]


def digit_runs(folded: Compact, *, min_length: int = 5) -> list[DigitRun]:
    """Maximal runs of digit-like characters with at least `min_length` real digits.

    Look-alike letters count only inside a run: a word like "oil" or "lol" is no number."""
    text, origin = folded.text, folded.origin
    runs: list[DigitRun] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in DIGIT_OF:
            i += 1
            continue
        j = i
        while j < n and text[j] in DIGIT_OF:
            j += 1
        piece = text[i:j]
        real = tuple(c not in LETTER_DIGITS for c in piece)
        if sum(real) >= min_length:
            breaks = frozenset(k - i for k in range(i + 1, j) if origin[k] - origin[k - 1] > 1)
            runs.append(DigitRun(i, "".join(DIGIT_OF[c] for c in piece), real, breaks))
        i = j
    return runs
