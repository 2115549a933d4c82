"""Against the app as `trustlive serve` runs it: a client generated from /openapi.json completes
the order loop, and the server answers malformed WebSocket upgrades instead of hanging."""

from __future__ import annotations

import compileall
import contextlib
import importlib
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.browser.server import Server, served_app
from tests.support.api import ADDRESS, PASSWORD

PACKAGE = "trustlive_client"
ANSWER_SECONDS = 5.0  # a safety net: a server that never answers fails instead of hanging


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with served_app(tmp_path_factory.mktemp("served")) as served:
        yield served


@pytest.fixture(scope="module")
def client_package(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """openapi-python-client run on the served schema, the way an SDK would be built."""
    workdir = tmp_path_factory.mktemp("client")
    spec = workdir / "openapi.json"
    spec.write_bytes(httpx.get(f"{server.url}/openapi.json").content)
    bin_dir = Path(sys.executable).parent
    generated = subprocess.run(
        [
            *(str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec)),
            *("--output-path", str(workdir / PACKAGE), "--meta", "none"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout  # no operation or model dropped
    sys.path.insert(0, str(workdir))
    try:
        yield PACKAGE
    finally:
        sys.path.remove(str(workdir))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_the_generated_client_compiles(client_package: str) -> None:
    root = Path(importlib.import_module(client_package).__file__ or "").parent
    assert compileall.compile_dir(str(root), quiet=1, force=True)
    operations = {p.stem for p in root.glob("api/*/*.py")} - {"__init__"}
    assert {"register_user", "login", "create_shop", "create_product", "place_order"} <= operations


def _op(package: str, context: str, operation: str) -> ModuleType:
    return importlib.import_module(f"{package}.api.{context}.{operation}")


def _model(package: str, name: str) -> Any:
    return getattr(importlib.import_module(f"{package}.models"), name)


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    return response.parsed


def test_the_generated_client_completes_the_order_loop(server: Server, client_package: str) -> None:
    pkg = client_package
    client_module = importlib.import_module(f"{pkg}.client")
    with contextlib.ExitStack() as open_clients:
        _order_loop(pkg, server, client_module, open_clients)


def _order_loop(
    pkg: str, server: Server, client_module: ModuleType, open_clients: contextlib.ExitStack
) -> None:
    anonymous = open_clients.enter_context(client_module.Client(base_url=server.url))

    def login(username: str) -> Any:
        _ok(
            _op(pkg, "accounts", "register_user").sync_detailed(
                client=anonymous,
                body=_model(pkg, "RegisterIn")(
                    username=username, display_name="王小明", password=PASSWORD
                ),
            ),
            201,
        )
        token = _ok(
            _op(pkg, "accounts", "login").sync_detailed(
                client=anonymous,
                body=_model(pkg, "LoginIn")(username=username, password=PASSWORD),
            ),
            200,
        )
        authenticated = client_module.AuthenticatedClient(base_url=server.url, token=token.token)
        return open_clients.enter_context(authenticated)

    suffix = uuid.uuid4().hex[:8]
    merchant = login(f"m{suffix}")
    shop = _ok(
        _op(pkg, "shops", "create_shop").sync_detailed(
            client=merchant, body=_model(pkg, "ShopIn")(name="老王的果园")
        ),
        201,
    )
    product = _ok(
        _op(pkg, "catalog", "create_product").sync_detailed(
            shop.id,
            client=merchant,
            body=_model(pkg, "ProductIn")(
                title="赣南脐橙",
                category="fresh_food",
                image_urls=["https://img.example.com/a.jpg"],
                skus=[_model(pkg, "SkuIn")(spec_name="5斤装", price_fen=3990, stock=5)],
            ),
        ),
        201,
    )
    _ok(_op(pkg, "catalog", "list_product").sync_detailed(product.id, client=merchant), 200)

    buyer = login(f"b{suffix}")
    order = _ok(
        _op(pkg, "orders", "place_order").sync_detailed(
            client=buyer,
            idempotency_key=str(uuid.uuid4()),
            body=_model(pkg, "OrderIn")(
                lines=[_model(pkg, "LineIn")(sku_id=product.skus[0].id, quantity=2)],
                address=_model(pkg, "AddressIn")(**ADDRESS),
            ),
        ),
        201,
    )
    assert order.status == "pending_payment"
    assert order.total_fen == 2 * 3990
    _ok(_op(pkg, "orders", "pay_order").sync_detailed(order.id, client=buyer), 200)
    paid = _ok(_op(pkg, "orders", "get_order").sync_detailed(order.id, client=buyer), 200)
    assert paid.status == "paid"

    refused = _op(pkg, "orders", "place_order").sync_detailed(
        client=buyer,
        idempotency_key=str(uuid.uuid4()),
        body=_model(pkg, "OrderIn")(
            lines=[_model(pkg, "LineIn")(sku_id=product.skus[0].id, quantity=4)],
            address=_model(pkg, "AddressIn")(**ADDRESS),
        ),
    )
    problem = _ok(refused, 409)  # only 3 left: the problem parses as the documented schema
    assert problem.type_.endswith("/insufficient-stock")


def _upgrade(server: Server, path: str) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=ANSWER_SECONDS) as conn:
        conn.sendall(request.encode())
        try:
            return conn.recv(64)
        except TimeoutError:
            return b""  # never answered


@pytest.mark.parametrize("length", [8 * 1024, 20 * 1024, 70 * 1024])
def test_an_upgrade_with_an_over_long_request_line_is_answered(server: Server, length: int) -> None:
    answer = _upgrade(server, "/ws/rooms/1?pad=" + "a" * length)
    assert answer.startswith(b"HTTP/1.1 400 "), answer


def test_an_upgrade_for_a_room_id_past_64_bits_is_a_422(server: Server) -> None:
    answer = _upgrade(server, f"/ws/rooms/{1 << 63}")
    assert answer.startswith(b"HTTP/1.1 422 "), answer
