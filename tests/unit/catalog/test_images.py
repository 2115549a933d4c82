"""Uploaded images are judged by their content and re-encoded without their metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from botocore.stub import Stubber
from PIL import Image

from trustlive.catalog.images import check_image
from trustlive.kernel.errors import Problem
from trustlive.kernel.settings import Settings
from trustlive.kernel.storage import LocalFileStore, S3FileStore, build_file_store


def encoded(kind: str, size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (250, 120, 30)).save(out, format=kind, **save)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_jpeg_png_and_webp_pass_as_what_their_bytes_say(kind: str, content_type: str) -> None:
    checked = check_image(encoded(kind), max_bytes=1_000_000)
    assert (checked.content_type, checked.width, checked.height) == (content_type, 40, 30)
    assert Image.open(io.BytesIO(checked.data)).format == kind


def test_the_gps_position_in_a_photo_is_not_kept() -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"  # Make
    photo = encoded("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(photo)).getexif()  # the upload carries it
    checked = check_image(photo, max_bytes=1_000_000)
    assert dict(Image.open(io.BytesIO(checked.data)).getexif()) == {}


def test_a_huge_image_is_scaled_down_to_2000_pixels() -> None:
    checked = check_image(encoded("PNG", (4000, 1000)), max_bytes=10_000_000)
    assert (checked.width, checked.height) == (2000, 500)


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image we can read"),
        (b"GIF89a" + b"\0" * 40, "not an image we can read"),
        (encoded("GIF"), "send a JPEG, PNG or WebP image"),
        (encoded("PNG")[:60], "damaged"),
        (b"%PDF-1.4 \xff\xd8\xff", "not an image we can read"),
    ],
)
def test_what_is_not_a_readable_jpeg_png_or_webp_is_refused(data: bytes, detail: str) -> None:
    with pytest.raises(Problem) as refused:
        check_image(data, max_bytes=1_000_000)
    assert (refused.value.status, refused.value.code) == (422, "product-image-refused")
    assert detail in refused.value.detail


def test_an_image_past_the_size_limit_is_refused_before_decoding() -> None:
    data = encoded("PNG")
    with pytest.raises(Problem) as refused:
        check_image(data, max_bytes=len(data) - 1)
    assert refused.value.detail == f"the image is larger than {len(data) - 1} bytes"


async def test_the_local_store_writes_under_its_folder_and_answers_a_media_path(
    tmp_path: Path,
) -> None:
    store = LocalFileStore(tmp_path)
    url = await store.put("products/1/a.png", b"png-bytes", content_type="image/png")
    assert url == "/media/products/1/a.png"
    assert (tmp_path / "products/1/a.png").read_bytes() == b"png-bytes"
    with pytest.raises(ValueError, match="leaves the media folder"):
        await store.put("../escape.png", b"x", content_type="image/png")
    assert not (tmp_path.parent / "escape.png").exists()


async def test_the_s3_store_puts_the_object_through_the_sdk_and_answers_its_public_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings = Settings(
        media_s3_bucket="shop-images",
        media_s3_endpoint_url="http://127.0.0.1:9000",
        media_s3_region="us-east-1",
        media_public_base_url="https://cdn.example.test/images",
    )
    store = build_file_store(settings)
    assert isinstance(store, S3FileStore)
    with Stubber(store.client) as stub:
        stub.add_response(
            "put_object",
            {"ETag": '"1"'},
            {
                "Bucket": "shop-images",
                "Key": "products/1/a.jpg",
                "Body": b"jpeg",
                "ContentType": "image/jpeg",
                "CacheControl": "public, max-age=31536000, immutable",
            },
        )
        url = await store.put("products/1/a.jpg", b"jpeg", content_type="image/jpeg")
        stub.assert_no_pending_responses()
    assert url == "https://cdn.example.test/images/products/1/a.jpg"
