"""Glass-to-glass delay of live video on this machine: from the moment ffmpeg draws a frame to
the moment Chromium shows it, through nginx-rtmp and HLS played by hls.js as the room page does.

    .venv/bin/python bench/glass_to_glass.py --seconds 20

ffmpeg burns the wall clock's milliseconds into the top of every frame as 24 black/white bars
(media/testpattern.py); the page reads them back from each frame it shows (canvas) and compares
them with its own clock (same machine, same clock). Prints p50/p95/max over the frames shown.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import os
import platform
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _media_rig import free_port, media_rig
from trustlive.media.testpattern import BAR_COUNT, BAR_HEIGHT, BAR_WIDTH, HEIGHT, WIDTH
from trustlive.web.rendering import STATIC_DIR

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--autoplay-policy=no-user-gesture-required",
]
PAGE = """<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline></video>
<script src="hls.min.js"></script><script>
const W = %(w)d, H = %(h)d, BARS = %(bars)d, BW = %(bw)d, BH = %(bh)d, MOD = 1 << 24;
window.samples = [];
const video = document.getElementById("v");
const hls = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 6 });
hls.loadSource(%(url)r); hls.attachMedia(video);
const canvas = document.createElement("canvas"); canvas.width = W; canvas.height = BH;
const ctx = canvas.getContext("2d", { willReadFrequently: true });
function onFrame() {
  const shownAt = Date.now();
  ctx.drawImage(video, 0, 0, W, H);
  const px = ctx.getImageData(0, 0, W, BH).data;
  let stamp = 0;
  for (let k = 0; k < BARS; k++) {
    const i = ((BH >> 1) * W + k * BW + (BW >> 1)) * 4;
    if ((px[i] + px[i + 1] + px[i + 2]) / 3 > 128) stamp += 2 ** k;
  }
  window.samples.push(((shownAt %% MOD) - stamp + MOD) %% MOD);
  video.requestVideoFrameCallback(onFrame);
}
video.requestVideoFrameCallback(onFrame);
</script>"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(playlist_url: str, seconds: float) -> list[float]:
    www = Path(tempfile.mkdtemp(prefix="trustlive-g2g-"))
    shutil.copy(STATIC_DIR / "vendor" / "hls.min.js", www / "hls.min.js")
    values = {"w": WIDTH, "h": HEIGHT, "bars": BAR_COUNT, "bw": BAR_WIDTH, "bh": BAR_HEIGHT}
    (www / "index.html").write_text(PAGE % {**values, "url": playlist_url})
    handler = functools.partial(_Quiet, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = await browser.new_page()
            await page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            await page.wait_for_timeout(5000)  # the player settles at its live position
            await page.evaluate("window.samples = []")
            await page.wait_for_timeout(seconds * 1000)
            samples: list[float] = await page.evaluate("window.samples")
            await browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(www, ignore_errors=True)
    return [s for s in samples if s < 60_000]  # a misread frame (bars torn mid-decode) is dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(f"# glass-to-glass — {platform.node()}, {os.cpu_count()} cores, Chromium + hls.js 1.7.4")
    print(
        "# ffmpeg 640x360 15 fps, key frame every 1 s -> nginx-rtmp (1 s fragments, 4 s playlist)"
    )
    print("# -> hls.js liveSyncDurationCount 2 (as the room page)")
    with media_rig(clock_bars=True) as rig:
        samples = asyncio.run(measure(rig.playlist_url, args.seconds))
    if not samples:
        sys.exit("no frames were read")
    print(
        f"frames {len(samples)}  p50 {_quantile(samples, 0.5) / 1000:.2f} s  "
        f"p95 {_quantile(samples, 0.95) / 1000:.2f} s  max {max(samples) / 1000:.2f} s"
    )


if __name__ == "__main__":
    main()
