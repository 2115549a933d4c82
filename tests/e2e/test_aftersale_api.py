"""The after-sales and messaging operations are published, and the disputes page is served."""

from __future__ import annotations

import httpx

OPERATIONS = {
    "openAftersaleRequest",
    "getAftersaleRequest",
    "listMyAftersaleRequests",
    "listShopAftersaleRequests",
    "acceptAftersaleRequest",
    "rejectAftersaleRequest",
    "shipReturn",
    "confirmReturnReceived",
    "escalateToDispute",
    "addDisputeEvidence",
    "listDisputes",
    "decideDispute",
    "getShopGuarantees",
    "setShopGuarantees",
    "getProductGuarantees",
    "topUpDeposit",
    "getDeposit",
    "listGuaranteePayouts",
    "sendMessage",
    "listMessageThreads",
    "getMessageThread",
}


async def test_after_sales_operations_are_published(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert ids >= OPERATIONS


async def test_the_disputes_queue_page_is_served_and_uses_the_api(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/operator/disputes")
    assert r.status_code == 200
    assert 'id="queue"' in r.text
    assert "/disputes?status=" in r.text
    assert "/decision" in r.text
