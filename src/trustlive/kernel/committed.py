"""After commit: the one way to act on a change the moment it is durable, never before.

`after_commit(session, action)` keeps `action` with the transaction; when it commits the actions
run in order, and when it rolls back they are forgotten. Announcing a purchase in its live room,
telling in-process listeners about an event, answering a waiting flash-sale buyer: all go through
here. An action must be quick and must not write (it runs inside the commit's bookkeeping); one
that fails is logged and the rest still run, for the commit stands.

The listeners are installed on each runtime's own session class (`install`, called by
`kernel.db.make_sessionmaker`), not on SQLAlchemy's global Session at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_ACTIONS = "trustlive.after_commit"
Action = Callable[[], None]


def after_commit(session: AsyncSession | Session, action: Action) -> None:
    """Run `action` right after this session's transaction commits; forget it on rollback."""
    session.info.setdefault(_ACTIONS, []).append(action)


def _run(session: Session) -> None:
    for action in session.info.pop(_ACTIONS, ()):
        try:
            action()
        except Exception:  # the commit stands; one failed action does not stop the others
            log.exception("after-commit action %r failed", action)


def _forget(session: Session) -> None:
    session.info.pop(_ACTIONS, None)


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "after_commit", _run)
    event.listen(session_class, "after_rollback", _forget)
