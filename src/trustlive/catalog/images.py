"""Product images: an upload is checked by its content (not its name or declared type),
re-encoded (which drops EXIF, GPS positions included, and anything hidden after the pixels)
and stored through the file-storage port under a name of our making."""

from __future__ import annotations

import asyncio
import io
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from trustlive.catalog.errors import CatalogError
from trustlive.kernel.errors import Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.storage import FileStore

ALLOWED = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000  # a 6000 × 6000 photo fits; a decompression bomb does not
MAX_SIDE = 2000  # larger images are scaled down: nobody's screen needs more for a product


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class StoredImage:
    url: str
    content_type: str
    width: int
    height: int
    size_bytes: int


def _refuse(detail: str) -> Problem:
    return Problem(CatalogError.IMAGE_REFUSED, detail, status=422, title="Image refused")


def check_image(data: bytes, *, max_bytes: int) -> CheckedImage:
    """Decode `data` as a JPEG, PNG or WebP image and encode it again, or refuse it (422)."""
    if len(data) > max_bytes:
        raise _refuse(f"the image is larger than {max_bytes} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                if kind not in ALLOWED:
                    raise _refuse("send a JPEG, PNG or WebP image")
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse("the image has too many pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as source:
                image = ImageOps.exif_transpose(source)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                if kind == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, format=kind, **({"quality": 88} if kind != "PNG" else {}))
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse("the file is not an image we can read (JPEG, PNG or WebP)") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt pixel data
        raise _refuse("the image is damaged and cannot be read") from exc
    content_type, extension = ALLOWED[kind]
    return CheckedImage(out.getvalue(), content_type, extension, image.width, image.height)


async def store_image(
    store: FileStore, *, shop_id: int, data: bytes, max_bytes: int, now: datetime
) -> StoredImage:
    checked = await asyncio.to_thread(check_image, data, max_bytes=max_bytes)
    key = f"products/{shop_id}/{now:%Y%m}/{new_id()}.{checked.extension}"
    url = await store.put(key, checked.data, content_type=checked.content_type)
    return StoredImage(url, checked.content_type, checked.width, checked.height, len(checked.data))
