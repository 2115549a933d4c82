"""Languages: which one a request wants, and the gettext catalogues that translate into it.

Source texts are English (`_("Log in")`); `src/trustlive/locale/<locale>/LC_MESSAGES/messages.po`
translates them. The catalogues are compiled in memory the first time a language is asked for,
so nobody runs a compile step by hand; `make messages` re-extracts the texts for translators.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LOCALE: Final = "en"
LOCALES: Final = ("en", "zh-CN")  # the first is the source language
LOCALE_NAMES: Final = {"en": "English", "zh-CN": "简体中文"}
LANG_COOKIE: Final = "lang"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
_DOMAIN = "messages"


def _catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES" / f"{_DOMAIN}.po"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of `locale`; the source language (and any unknown one) is as is."""
    path = _catalogue_path(locale)
    if locale == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale.replace("-", "_"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@lru_cache(maxsize=len(LOCALES))
def script_messages(locale: str) -> dict[str, str]:
    """The translations the pages' JavaScript asks for (texts found in static/*.js)."""
    path = _catalogue_path(locale)
    if locale == DEFAULT_LOCALE or not path.exists():
        return {}
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale.replace("-", "_"))
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and m.string and any(file.endswith(".js") for file, _ in m.locations)
    }


def translate(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def translate_template(locale: str, template: str, params: Mapping[str, object]) -> str:
    """`template % params` in `locale`; text parameters are translated too (`product` → 商品)."""
    shown = {k: translate(locale, v) if isinstance(v, str) else v for k, v in params.items()}
    return translate(locale, template) % shown


def _supported(tag: str) -> str | None:
    tag = tag.strip().lower().replace("_", "-")
    if tag.startswith("zh"):
        return "zh-CN"  # zh, zh-CN, zh-Hans…: the one Chinese catalogue there is
    if tag.startswith("en"):
        return "en"
    return None


def negotiate(accept_language: str | None, cookie: str | None = None) -> str:
    """The cookie a person chose wins; else the most wanted language of Accept-Language we
    have; else English."""
    if cookie in LOCALES:
        return cookie
    wanted: list[tuple[float, int, str]] = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, q = part.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        found = _supported(tag)
        if found and weight > 0:
            wanted.append((-weight, n, found))
    return min(wanted)[2] if wanted else DEFAULT_LOCALE


def locale_of_headers(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The language of a raw ASGI request (for answers given before routing)."""
    accept: str | None = None
    cookie: str | None = None
    for name, value in headers:
        key = name.lower()
        if key == b"accept-language":
            accept = value.decode("latin-1")
        elif key == b"cookie":
            cookie = _cookie_value(value.decode("latin-1"), LANG_COOKIE)
    return negotiate(accept, cookie)


def _cookie_value(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def N_(text: str) -> str:
    """Marks a text for the catalogues where it is written; it is translated where it is shown."""
    return text
