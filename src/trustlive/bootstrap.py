"""Wiring the contexts together: every context's event handlers and scheduled jobs, once per
runtime. The app, the worker and the simulator all start from here; none of it is HTTP."""

from __future__ import annotations

from trustlive import aftersale, catalog, live, messaging, orders, risk, shelf, trust
from trustlive.aftersale import handlers as aftersale_handlers
from trustlive.aftersale import jobs as aftersale_jobs
from trustlive.aftersale.ledger import config_from as aftersale_config
from trustlive.catalog import handlers as catalog_handlers
from trustlive.kernel.runtime import Runtime
from trustlive.live import handlers as live_handlers
from trustlive.live import jobs as live_jobs
from trustlive.media import jobs as media_jobs
from trustlive.orders import jobs as order_jobs
from trustlive.orders.policy import policy_from
from trustlive.risk import handlers as risk_handlers
from trustlive.risk import jobs as risk_jobs
from trustlive.shelf import handlers as shelf_handlers
from trustlive.trust import handlers as trust_handlers
from trustlive.trust import jobs as trust_jobs
from trustlive.trust.context import EXTRAS_KEY as TRUST_KEY


def wire(runtime: Runtime) -> None:
    """Subscribe event handlers and schedule jobs of every context (once per runtime)."""
    if runtime.extras.get("wired"):
        return
    runtime.extras["wired"] = True
    # each context subscribes its handlers and schedules its jobs here, one line each
    runtime.registry.subscribe(orders.OrderPaid, catalog_handlers.count_paid_units_as_sold)
    order_jobs.register(runtime.scheduler, policy_from(runtime.settings))
    # risk fills the rating exclusion; live rooms the creator attribution when they land
    risk_ctx = risk.context_of(runtime)
    trust_ctx = trust.build_context(
        runtime.clock,
        exclusion=risk.ExclusionByVerdict(),
        grant_guarantees=aftersale.set_tier_guarantees,
    )
    TRUST_KEY.put(runtime, trust_ctx)
    trust_handlers.register(runtime.registry, trust_ctx)
    trust_jobs.register(runtime.scheduler, trust_ctx)
    aftersale_handlers.register(runtime.registry, aftersale_config(runtime.settings).policy)
    aftersale_jobs.register(runtime.scheduler, aftersale_config(runtime.settings))
    live_handlers.register(runtime.registry, runtime)
    live_jobs.register(runtime)
    media_jobs.register(runtime)  # the watchdog over streams on air
    # risk: identifiers from logins and orders, the inline order check behind orders' port, its
    # text checks behind the ports of live comments, product texts and messages, its jobs
    risk_handlers.register(runtime.registry, risk_ctx.order_check)
    risk_jobs.register(runtime.scheduler, risk_ctx)
    orders.CHECK_KEY.put(runtime, risk_ctx.order_check)
    text_checks = risk_ctx.text_checks
    live.MODERATOR_KEY.put(runtime, risk.CommentModerator(text_checks))
    catalog.TEXT_SCREEN_KEY.put(runtime, risk.ProductTextScreen(text_checks))
    messaging.SCREEN_KEY.put(runtime, risk.MessageScreen(text_checks))
    # the shelf follows the catalog, orders, trust and rooms (subscribed after catalog's sold
    # count, so a paid order's index entry reads the new count)
    shelf_ctx = shelf.build_context(runtime.settings.database_url)
    shelf.EXTRAS_KEY.put(runtime, shelf_ctx)
    shelf_handlers.register(runtime.registry, shelf_ctx.engine, shelf_ctx.policy, runtime.clock)
