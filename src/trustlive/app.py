"""The composition root: builds the runtime, wires every context, returns the ASGI app."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from trustlive import __version__, ops
from trustlive.accounts.router import router as accounts_router
from trustlive.aftersale.router import router as aftersale_router
from trustlive.analytics.router import router as analytics_router
from trustlive.bootstrap import wire
from trustlive.catalog.router import router as catalog_router
from trustlive.kernel.errors import install_problem_handlers
from trustlive.kernel.headers import SecurityHeadersMiddleware
from trustlive.kernel.http import BodyLimitMiddleware, JsonOnlyMiddleware
from trustlive.kernel.migrations import ensure_migrated
from trustlive.kernel.observability import RequestContextMiddleware
from trustlive.kernel.openapi import publish_problems
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings, get_settings
from trustlive.kernel.storage import MEDIA_PREFIX
from trustlive.kernel.tasks import stop_tasks
from trustlive.live import jobs as live_jobs
from trustlive.live import wiring as live_wiring
from trustlive.live.flash.lane import FlashLane
from trustlive.live.router import router as live_router
from trustlive.live.ws import router as live_ws_router
from trustlive.media.router import hooks as media_hooks
from trustlive.media.router import router as media_router
from trustlive.messaging.router import router as messaging_router
from trustlive.orders.router import router as orders_router
from trustlive.reviews.router import router as reviews_router
from trustlive.risk.router import router as risk_router
from trustlive.shelf.router import router as shelf_router
from trustlive.shops.router import router as shops_router
from trustlive.trust.router import router as trust_router
from trustlive.web import aftersale_pages, risk_pages, seller_pages, trust_pages
from trustlive.web import buyer as web_buyer
from trustlive.web import dashboards as web_dashboards
from trustlive.web import live as web_live
from trustlive.web import pages as web_pages
from trustlive.web import shopping as web_shopping
from trustlive.web.rendering import STATIC_DIR

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
IMAGE_UPLOADS = re.compile(rf"{API_PREFIX}/shops/[0-9]+/images")  # uploadProductImage
STOP_SECONDS = 10.0  # how long shutting down waits for the background passes under way


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    runtime: Runtime = app.state.runtime
    await ensure_migrated(runtime.engine, runtime.settings.database_url)
    await live_wiring.start_channel(runtime)
    await live_jobs.on_start(runtime)
    tasks: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    if runtime.settings.run_background_jobs:
        interval = runtime.settings.job_interval_seconds
        tasks.append(asyncio.create_task(runtime.dispatcher.run_forever(interval, stop)))
        tasks.append(asyncio.create_task(runtime.scheduler.run_forever(interval, stop)))
    try:
        yield
    finally:
        stop.set()  # let the passes under way finish: a cancelled one can leave a transaction open
        runtime.dispatcher.nudge()
        await stop_tasks(tasks, STOP_SECONDS)
        if app.state.owns_runtime:
            await runtime.close()


def create_app(runtime: Runtime | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app. Tests and the simulator pass their own runtime (fixed clock, own database)."""
    owns_runtime = runtime is None
    runtime = runtime or Runtime.build(settings or get_settings())
    wire(runtime)
    docs = runtime.settings.api_docs
    app = FastAPI(
        title="trustlive",
        version=__version__,
        summary="Trust-driven live-stream commerce: shops, live rooms, orders, guarantees, scores.",
        lifespan=_lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.runtime = runtime
    app.state.owns_runtime = owns_runtime
    install_problem_handlers(app)
    publish_problems(app)
    # the last added runs first: headers on every answer, then the body limit before anything
    # reads a body (FlashLane buffers one before routing, see its module)
    app.add_middleware(JsonOnlyMiddleware, prefix=API_PREFIX + "/", image_paths=IMAGE_UPLOADS)
    app.add_middleware(FlashLane, runtime=runtime)  # before routing, see its module
    app.add_middleware(
        BodyLimitMiddleware,
        limit=runtime.settings.max_request_body_bytes,
        larger=[(IMAGE_UPLOADS, runtime.settings.media_max_image_bytes)],
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)  # outermost: every answer has a request id
    api_routers = [accounts_router, shops_router, catalog_router, orders_router, reviews_router]
    api_routers += [aftersale_router, messaging_router]
    api_routers += [trust_router]
    api_routers += [analytics_router]
    api_routers += [live_router, media_router]
    api_routers += [shelf_router, risk_router]
    for router in api_routers:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(live_ws_router)  # the room channel: /ws/rooms/{room_id}
    app.include_router(media_hooks)  # the media server's publish callbacks: /media/hooks/…
    page_routers = [web_pages.router, web_shopping.router, web_live.router]
    page_routers += [aftersale_pages.router, trust_pages.router, web_dashboards.router]
    page_routers += [web_buyer.router, seller_pages.router, risk_pages.router]
    for router in page_routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if runtime.settings.media_s3_bucket is None:  # uploads kept on this machine
        media = Path(runtime.settings.media_dir)
        media.mkdir(parents=True, exist_ok=True)
        app.mount(MEDIA_PREFIX, StaticFiles(directory=media), name="media")

    app.include_router(ops.router)  # /healthz, /readyz, /metrics

    return app
