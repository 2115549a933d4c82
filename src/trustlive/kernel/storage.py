"""The file-storage port: uploaded files go to a local folder (served under /media) by default,
or to an S3-compatible bucket when MEDIA_S3_BUCKET is set. Callers see only `FileStore`."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from trustlive.kernel.runtime import Runtime, Slot
from trustlive.kernel.settings import Settings

MEDIA_PREFIX = "/media"


class FileStore(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> str:
        """Store `data` under `key` (a relative path of safe characters); return its URL."""
        ...


@dataclass(frozen=True)
class LocalFileStore:
    """Files in a folder of this machine; the app serves it under /media."""

    root: Path
    url_prefix: str = MEDIA_PREFIX

    async def put(self, key: str, data: bytes, *, content_type: str) -> str:
        target = (self.root / key).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise ValueError(f"{key!r} leaves the media folder")
        await asyncio.to_thread(_write_atomically, target, data)
        return f"{self.url_prefix}/{key}"


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)  # readers never see half a file


@dataclass(frozen=True)
class S3FileStore:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph, Aliyun OSS…) through boto3, which signs."""

    client: Any  # a boto3 S3 client (boto3 ships no type hints)
    bucket: str
    public_base_url: str

    async def put(self, key: str, data: bytes, *, content_type: str) -> str:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl="public, max-age=31536000, immutable",
        )
        return f"{self.public_base_url.rstrip('/')}/{key}"


def build_file_store(settings: Settings) -> FileStore:
    if settings.media_s3_bucket is None:
        return LocalFileStore(Path(settings.media_dir))
    import boto3  # only when configured: the local store needs none of it

    client = boto3.client(
        "s3",
        endpoint_url=settings.media_s3_endpoint_url,
        region_name=settings.media_s3_region,
    )  # credentials: the SDK's usual chain (AWS_ACCESS_KEY_ID…, a profile, an instance role)
    base = settings.media_public_base_url or (
        f"{(settings.media_s3_endpoint_url or 'https://s3.amazonaws.com').rstrip('/')}/"
        f"{settings.media_s3_bucket}"
    )
    return S3FileStore(client, settings.media_s3_bucket, base)


STORE_KEY: Slot[FileStore] = Slot("kernel.file_store")


def file_store_of(runtime: Runtime) -> FileStore:
    return STORE_KEY.get_or_make(runtime, lambda: build_file_store(runtime.settings))
