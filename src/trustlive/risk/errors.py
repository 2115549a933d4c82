"""Risk error codes."""

from enum import StrEnum


class RiskError(StrEnum):
    ACTION_DOES_NOT_FIT = "risk-action-does-not-fit"
    ALREADY_APPEALED = "risk-already-appealed"
    NOT_APPEALABLE = "risk-not-appealable"
    APPEAL_WINDOW_CLOSED = "risk-appeal-window-closed"
    APPEAL_NOT_PENDING = "risk-appeal-not-pending"
    ALREADY_REPORTED = "risk-already-reported"
    BAD_ACTION_PARAMS = "risk-bad-action-params"
    CASE_NOT_OPEN = "risk-case-not-open"
