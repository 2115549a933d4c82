"""One settings object, read from environment variables (prefix-free, as twelve-factor apps do)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me"
MIN_SECRET_BYTES = 32  # 256 bits, the HMAC-SHA256 key size


class Settings(BaseSettings):
    """Every knob of a trustlive process; documented field by field."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="production refuses the development secrets"
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///./trustlive.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///file.db or postgresql+asyncpg://…",
    )
    database_pool_size: int = Field(8, ge=1, le=64, description="PostgreSQL pool; ~8 fits 2 cores")
    redis_url: str | None = Field(None, description="optional; used by live rooms and hot stock")
    secret_key: str = Field(DEV_SECRET, description="signs nothing yet; reserved for sessions")
    sandbox_payment_secret: str = Field(
        DEV_SECRET, description="HMAC key shared with the sandbox payment provider"
    )
    payment_notification_tolerance_seconds: int = Field(
        300, ge=10, description="a notification older than this is refused as a possible replay"
    )
    token_cache_seconds: float = Field(
        10,
        ge=0,
        le=300,
        description="how long a process trusts a verified token without a "
        "database read; logout elsewhere takes effect after at most this (0: off)",
    )
    token_ttl_seconds: int = Field(7 * 24 * 3600, ge=60, description="bearer token lifetime")
    unpaid_order_timeout_seconds: int = Field(
        15 * 60,
        ge=60,
        description="unpaid orders are cancelled after this (PLATFORM_RULES: 15–30 min)",
    )
    auto_confirm_receipt_days: int = Field(
        10, ge=1, le=30, description="shipped orders are received automatically after this"
    )
    aftersale_window_days: int = Field(
        7, ge=1, le=30, description="received orders complete after this (168 h no-reason return)"
    )
    worker_id: int | None = Field(
        None,
        ge=0,
        le=1023,
        description="id-generator worker number, unique per process; unset: derived from the PID "
        "(set it explicitly when processes on several hosts share one database)",
    )
    run_background_jobs: bool = Field(
        True, description="serve runs the event dispatcher and scheduler in-process"
    )
    job_interval_seconds: float = Field(
        1.0, gt=0, description="scheduler and dispatcher poll period"
    )
    max_request_body_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        description="a request body past this is refused with 413 while it streams in; the API "
        "takes JSON only, and its largest bodies (a product with 9 image URLs) are a few kB",
    )
    api_docs: bool = Field(
        True, description="serve the interactive API docs at /docs and /redoc (false hides them)"
    )
    password_hash_fast: bool = Field(
        False, description="cheap argon2 parameters for tests and benchmarks; refused in production"
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="`json`: one JSON object per log line, with the request id"
    )
    metrics_token: str | None = Field(
        None,
        description="when set, /metrics answers only `Authorization: Bearer <token>` "
        "(otherwise keep /metrics on a private network)",
    )
    password_hash_workers: int = Field(
        2, ge=1, le=32, description="threads that hash and check passwords (argon2: ~64 MiB each)"
    )
    password_hash_queue: int = Field(
        32,
        ge=0,
        le=10_000,
        description="password checks that may wait for a thread; past this a login gets 503",
    )
    login_failures_per_account: int = Field(
        10,
        ge=1,
        description="failed logins allowed per username within the window, then 429 until the "
        "oldest leaves it (OWASP ASVS 2.2.1: at most 100 an hour); nothing is locked for good",
    )
    login_failures_per_address: int = Field(
        100,
        ge=1,
        description="failed logins allowed per client address within the window, whatever the "
        "usernames (credential stuffing); high enough for many users behind one NAT",
    )
    login_failure_window_seconds: int = Field(
        15 * 60, ge=1, description="the sliding window login failures are counted in"
    )
    channel_ticket_seconds: int = Field(
        30,
        ge=5,
        le=300,
        description="lifetime of a one-use ticket that opens a room's WebSocket (keeps the "
        "bearer token out of URLs and logs)",
    )
    media_dir: str = Field(
        "./media",
        description="uploaded files (product images) when no bucket is set; served under /media",
    )
    media_max_image_bytes: int = Field(
        5 * 1024 * 1024,
        ge=1024,
        le=50 * 1024 * 1024,
        description="an uploaded image past this is refused",
    )
    media_s3_bucket: str | None = Field(
        None, description="store uploads in this S3-compatible bucket instead of media_dir"
    )
    media_s3_endpoint_url: str | None = Field(
        None, description="the S3-compatible endpoint (MinIO, OSS…); unset: AWS S3"
    )
    media_s3_region: str | None = Field(None, description="the bucket's region")
    media_public_base_url: str | None = Field(
        None, description="where browsers read the bucket's files (a CDN); unset: endpoint/bucket"
    )

    # -- live video: the media server (nginx-rtmp by default) and its publish callbacks --
    media_hook_secret: str = Field(
        DEV_SECRET,
        description="shared secret the media server sends with every publish callback "
        "(`?secret=` in the callback URL nginx-rtmp calls; logs redact it)",
    )
    media_hook_networks: str = Field(
        "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
        description="comma-separated networks the media server calls from; callbacks from any "
        "other address are refused (403) even with the right secret",
    )
    media_rtmp_url: str = Field(
        "rtmp://127.0.0.1:1935/live",
        description="where anchors publish (OBS: server), shown in the console with the key",
    )
    media_hls_url: str = Field(
        "http://127.0.0.1:8080/hls",
        description="where viewers fetch HLS: a stream's playlist is <this>/<stream name>.m3u8",
    )
    media_publish_without_session: Literal["start", "refuse"] = Field(
        "start",
        description="a publish with a valid key into a room that is not live: `start` opens a "
        "session for the key's anchor, `refuse` turns the stream away",
    )
    media_stale_after_seconds: float = Field(
        6.0,
        gt=0,
        description="the watchdog calls a stream dropped when its HLS playlist has not advanced "
        "for this long (three 1 s fragments and slack); a media server that died sends no "
        "publish_done, so this is how viewers learn of it",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            secrets = (self.secret_key, self.sandbox_payment_secret, self.media_hook_secret)
            if DEV_SECRET in secrets:
                raise ValueError(
                    "set SECRET_KEY, SANDBOX_PAYMENT_SECRET and MEDIA_HOOK_SECRET in production"
                )
            if any(len(secret.encode()) < MIN_SECRET_BYTES for secret in secrets):
                raise ValueError(
                    "SECRET_KEY, SANDBOX_PAYMENT_SECRET and MEDIA_HOOK_SECRET need "
                    f"{MIN_SECRET_BYTES} bytes or more "
                    "in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
                )
            if self.password_hash_fast:
                raise ValueError("PASSWORD_HASH_FAST is for tests only")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
