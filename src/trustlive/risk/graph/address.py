"""Shipping addresses for linking: normalised, split into numbers and text, matched fuzzily.

Two writings of one address must meet ("建国路８８号1栋3-502" and "北京市朝阳区建国路88号1号楼
3单元502室"), two flats of one building must not. So the numbers (house, building, unit, room)
must agree exactly, and only the text around them is compared, by character-bigram overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_DIGITS |= {"八": 8, "九": 9}
_CN_NUMBER = re.compile("[〇零一二两三四五六七八九十百]+")
# Words that only say which number is which: the numbers themselves carry the identity.
_UNIT_WORDS = re.compile("号楼|单元|号|室|层|楼|栋|幢|座|户|门牌|门")
_NOISE = re.compile(r"[\s\-—_#,，。.、·/\\()（）]+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class NormalAddress:
    """An address as compared: its numbers in order and the text without them."""

    numbers: tuple[int, ...]
    text: str


def _cn_to_int(run: str) -> int:
    """三 → 3, 十二 → 12, 八十八 → 88, 一百零五 → 105, 五零二 → 502."""
    if "十" not in run and "百" not in run:
        return int("".join(str(_DIGITS[ch]) for ch in run))
    total, digit = 0, 0
    for ch in run:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


def normalise(raw: str) -> NormalAddress:
    """Full-width to half-width (NFKC), lower case, Chinese numerals to digits, noise removed."""
    text = unicodedata.normalize("NFKC", raw).lower()
    text = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group())), text)
    numbers = tuple(int(n) for n in _NUMBER.findall(text))
    text = _NUMBER.sub("", text)
    text = _UNIT_WORDS.sub("", text)
    text = _NOISE.sub("", text)
    return NormalAddress(numbers=numbers, text=text)


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


def similarity(a: NormalAddress, b: NormalAddress) -> float:
    """0 unless the numbers agree; then the overlap of the texts' bigrams (a dropped city or
    district prefix still matches: |A ∩ B| / min(|A|, |B|))."""
    if a.numbers != b.numbers:
        return 0.0
    if a.text == b.text:
        return 1.0
    x, y = _bigrams(a.text), _bigrams(b.text)
    return len(x & y) / min(len(x), len(y))


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def address_keys(raws: Iterable[str], threshold: float) -> dict[str, str]:
    """Each raw address → the key of its group of matching addresses (the group's first raw).

    Addresses are compared only within the same numbers (blocking), distinct texts pairwise.
    """
    groups: dict[tuple[int, ...], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for raw in dict.fromkeys(raws):
        norm = normalise(raw)
        groups[norm.numbers][norm.text].append(raw)
    keys: dict[str, str] = {}
    for numbers, by_text in groups.items():
        texts = list(by_text)
        parent = list(range(len(texts)))
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = NormalAddress(numbers, texts[i]), NormalAddress(numbers, texts[j])
                if similarity(a, b) >= threshold:
                    parent[_root(parent, j)] = _root(parent, i)
        for i, text in enumerate(texts):
            root = by_text[texts[_root(parent, i)]][0]
            for raw in by_text[text]:
                keys[raw] = root
    return keys
