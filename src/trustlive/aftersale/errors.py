"""After-sales error codes."""

from enum import StrEnum


class AftersaleError(StrEnum):
    ILLEGAL_TRANSITION = "illegal-aftersale-transition"
    REQUEST_CHANGED = "aftersale-request-changed-concurrently"
    NOT_REQUESTABLE = "order-not-requestable"
    WINDOW_CLOSED = "aftersale-window-closed"
    AMOUNT_TOO_HIGH = "aftersale-amount-too-high"
    BAD_LINES = "aftersale-bad-lines"
    KIND_NEEDS_SHIPMENT = "aftersale-kind-needs-shipment"
    SEVEN_DAY_NOT_APPLICABLE = "seven-day-return-not-applicable"
    OPEN_REQUEST_EXISTS = "aftersale-request-already-open"
    GUARANTEE_NOT_OPTIONAL = "guarantee-not-optional"
    GUARANTEE_NEEDS_TIER = "guarantee-needs-tier"
    DISPUTE_CLOSED = "dispute-closed"
    COUNTERFEIT_NEEDS_FAULT = "counterfeit-needs-merchant-fault"
    TOP_UP_TOO_LARGE = "deposit-top-up-too-large"
