"""Choosing a language, and catalogues that translate every text the pages and problems show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from trustlive.kernel.i18n import (
    LOCALES,
    negotiate,
    script_messages,
    translate,
    translate_template,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("accept", "cookie", "chosen"),
    [
        (None, None, "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", None, "zh-CN"),
        ("zh-TW", None, "zh-CN"),  # the one Chinese catalogue there is
        ("en-US,en;q=0.9,zh-CN;q=0.8", None, "en"),
        ("en;q=0.2,zh;q=0.5", None, "zh-CN"),  # weights, not order
        ("fr-FR,de;q=0.9", None, "en"),
        ("zh;q=0, en", None, "en"),  # q=0 means "not this one"
        ("zh;q=abc", None, "en"),
        ("en", "zh-CN", "zh-CN"),  # the switch wins
        ("zh-CN", "xx", "zh-CN"),  # a cookie naming no language we have is ignored
    ],
)
def test_negotiation(accept: str | None, cookie: str | None, chosen: str) -> None:
    assert negotiate(accept, cookie) == chosen


def test_templates_translate_their_parameters_too() -> None:
    assert translate_template(
        "zh-CN", "%(what)s %(id)s not found", {"what": "order", "id": "7"}
    ) == ("找不到订单 7")
    assert translate("en", "Forbidden") == "Forbidden"
    assert translate("zh-CN", "a text nobody translated") == "a text nobody translated"


def test_scripts_get_only_the_texts_found_in_scripts() -> None:
    messages = script_messages("zh-CN")
    assert messages["sold out"] == "售罄"
    assert "Log in" not in messages  # a template text: rendered on the server
    assert script_messages("en") == {}


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "N_": None, "t": None, "TL.t": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_the_extraction_finds_every_text_a_script_asks_for() -> None:
    """Babel's script lexer misses t() deep inside nested template literals: hoist those."""
    asked = {
        found[1]
        for script in (ROOT / "src/trustlive/web/static").glob("*.js")
        for found in re.finditer(r'\bt\("((?:[^"\\]|\\.)*)"', script.read_text())
    }
    assert len(asked) > 50
    assert sorted(asked - _extracted()) == []


def test_every_text_shown_has_a_chinese_translation() -> None:
    """A text added to a page without a translation fails here: run `make messages`, then
    translate what it lists as untranslated in src/trustlive/locale/zh_CN/LC_MESSAGES/."""
    texts = _extracted()
    assert len(texts) > 100
    untranslated = sorted(t for t in texts if translate("zh-CN", t) == t and t != "GMV")
    assert untranslated == []
    assert set(LOCALES) == {"en", "zh-CN"}
