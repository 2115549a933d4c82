"""Buyer pages answer 200 with the parts their scripts fill in, and labels go through _()."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po

from trustlive.web.rendering import WEB_DIR

PAGES = {
    "/register": ['id="register-form"', "/static/register.js", 'for="reg-username"'],
    "/me": ['id="profile-form"', 'id="address-form"', 'id="addresses-empty"', "/static/me.js"],
    "/me/orders": ['id="status-tabs"', 'data-status="pending_payment"', "/static/orders.js"],
    "/me/orders/123/aftersale": ['data-order-id="123"', 'id="aftersale-form"', 'id="guarantees"'],
    "/me/aftersales": ['id="status-tabs"', 'id="requests-empty"', "/static/aftersale.js"],
    "/me/aftersales/456": ['data-request-id="456"', 'id="ship-form"', 'id="dispute-form"'],
    "/me/messages": ['id="threads"', 'id="threads-empty"', 'id="message-form"'],
    "/me/following": ['id="follow-tabs"', 'id="people-empty"', "/static/following.js"],
}


@pytest.mark.parametrize("path", sorted(PAGES))
async def test_each_buyer_page_has_its_parts(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for part in PAGES[path]:
        assert part in r.text, part


async def test_page_labels_are_a_json_dictionary_scripts_read(client: httpx.AsyncClient) -> None:
    r = await client.get("/me/aftersales/1")
    found = re.search(r'<script type="application/json" id="labels">(.*?)</script>', r.text, re.S)
    assert found is not None
    labels = json.loads(found.group(1))
    assert labels["status.refunded"] == "Refunded"
    assert labels["answer_by"].endswith("accepted for it.")
    assert "{when}" in labels["answer_by"]


async def test_login_links_to_registration_keeping_where_to_go(client: httpx.AsyncClient) -> None:
    r = await client.get("/login")
    assert 'href="/register" id="to-register"' in r.text
    assert "safeNext" in r.text  # ?next= is followed only to a path on this site


async def test_an_aftersale_page_with_a_bad_id_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.get("/me/aftersales/abc")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


BUYER_TEMPLATES = [
    "register.html",
    "login.html",
    "me.html",
    "my_orders.html",
    "aftersale_new.html",
    "my_aftersales.html",
    "aftersale.html",
    "_aftersale_labels.html",
    "messages.html",
    "following.html",
]


@pytest.mark.parametrize("name", BUYER_TEMPLATES)
def test_buyer_templates_have_no_hard_coded_chinese_labels(name: str) -> None:
    """Labels are English source text through _(); the zh-CN catalogue translates them."""
    text = (WEB_DIR / "templates" / name).read_text()
    outside_placeholders = re.sub(r'placeholder="[^"]*"', "", text)
    assert not re.search(r"[\u4e00-\u9fff]", outside_placeholders), name
    assert Path(WEB_DIR / "templates" / name).exists()


def _catalogue() -> dict[str, str]:
    path = WEB_DIR.parent / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def test_every_buyer_label_has_a_chinese_translation_keeping_its_placeholders() -> None:
    catalogue = _catalogue()
    for name in [*BUYER_TEMPLATES, "room.html", "product.html"]:
        text = (WEB_DIR / "templates" / name).read_text()
        for match in re.finditer(r'_\((["\'])(.*?)\1', text):
            msgid = match.group(2)
            assert catalogue.get(msgid), f"{name}: {msgid!r} has no translation"
            assert re.findall(r"%\(\w+\)s", catalogue[msgid]) == re.findall(r"%\(\w+\)s", msgid), (
                msgid
            )
