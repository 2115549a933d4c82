"""Terms for Chinese search: words, characters, pinyin and initials on both sides."""

from __future__ import annotations

import tomllib
from importlib import resources

from trustlive.shelf.text import index_terms, query_terms


def test_a_title_is_found_by_words_characters_pinyin_and_initials() -> None:
    terms = index_terms("红富士苹果")
    for expected in ["红富士", "富士", "苹果", "苹", "hongfushi", "hfs", "pingguo", "pg"]:
        assert expected in terms
    assert "hongfushipingguo" in terms
    assert "hfspg" in terms
    assert len(terms) == len(set(terms))


def test_latin_and_digits_are_kept_and_punctuation_dropped() -> None:
    assert query_terms("iPhone 15 手机壳!") == ["iphone", "15", "手机", "壳"]
    assert "iphone" in index_terms("iPhone 15 手机壳")
    assert query_terms("   ") == []
    assert query_terms("'\" OR 1=1 --") == ["or", "1"]


def test_every_policy_value_says_where_it_came_from() -> None:
    text = resources.files("trustlive.shelf").joinpath("policy.toml").read_text("utf-8")
    tomllib.loads(text)
    in_groups = False
    for line in text.splitlines():
        if line.startswith("[[mall.groups]]"):
            in_groups = True  # names of the tree, not numbers
        if "=" in line and not line.startswith("#") and not in_groups:
            assert "source:" in line or line.startswith("version"), line
