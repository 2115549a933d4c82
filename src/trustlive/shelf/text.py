"""Chinese-aware terms for search: words (jieba), characters, full pinyin and initials.

The index stores each document as space-separated terms; a query becomes terms each matched as a
prefix, all required. Both sides use the same functions, so any engine behind the search port
(SQLite FTS5, PostgreSQL tsvector, an external engine) finds the same documents.

- 红富士苹果 → 红富士 富士 苹果 红 富 士 苹 果 hongfushi hfs pingguo pg hongfushipingguo hfspg
- a buyer typing 苹, 富士, pingg, hfs or hongfu finds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba
from pypinyin import lazy_pinyin

_TERM = re.compile(r"^[0-9a-z\u3400-\u9fff]+$")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_ASCII_WORD = re.compile(r"[0-9a-z]+")
MAX_WHOLE_PINYIN = 48  # the whole title's pinyin as one term, for typing from its start


def _clean(words: Iterable[str]) -> list[str]:
    return [w for w in (w.strip().lower() for w in words) if w and _TERM.match(w)]


def _initials(syllables: list[str]) -> str:
    return "".join(x[0] for x in syllables if x)


def _dedupe(terms: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(terms))


def index_terms(*texts: str) -> list[str]:
    """Every term a document is found by, each once, in a stable order."""
    terms: list[str] = []
    for text in texts:
        lowered = text.lower()
        terms += _clean(rjieba.cut_for_search(lowered))
        chinese = "".join(_CJK.findall(lowered))
        terms += list(chinese)
        terms += _ASCII_WORD.findall(lowered)
        if not chinese:
            continue
        syllables = [x.lower() for x in lazy_pinyin(chinese)]  # one per character, in context
        if len(syllables) != len(chinese):  # never for Chinese-only input; be safe anyway
            syllables = [lazy_pinyin(ch)[0].lower() for ch in chinese]
        at = 0
        for word in _clean(rjieba.cut(lowered)):
            if _CJK.fullmatch(word):
                start = chinese.find(word, at)
                if start < 0:
                    continue
                at = start + len(word)
                own = syllables[start:at]
                terms += ["".join(own), _initials(own)]
        terms += ["".join(syllables)[:MAX_WHOLE_PINYIN], _initials(syllables)[:MAX_WHOLE_PINYIN]]
    return _dedupe(terms)


def query_terms(query: str) -> list[str]:
    """What a typed query asks for: words of its Chinese, its letters and digits as typed."""
    lowered = query.lower()
    terms: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[0-9a-z]+", lowered):
        terms += _clean(rjieba.cut(run)) if _CJK.fullmatch(run) else [run]
    return _dedupe(terms)[:8]  # a query of more than eight terms is a paste, not a search
