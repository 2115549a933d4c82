"""A test pattern published like an anchor's encoder would: ffmpeg's test source with a clock
and the room's name burned in, a quiet tone, key frames every second (one per HLS fragment)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

WIDTH, HEIGHT, FPS = 640, 360, 15


def _font(lang: str = "zh") -> str | None:
    """A font file with Chinese glyphs (room names are Chinese), when fontconfig knows one."""
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(
        ["fc-list", f":lang={lang}", "file"], capture_output=True, text=True, check=False
    ).stdout.split()
    files = sorted(
        f.rstrip(":") for f in listed if f.rstrip(":").endswith((".ttc", ".ttf", ".otf"))
    )
    sans = [f for f in files if "Sans" in f and "Bold" not in f]
    chosen = sans or files
    return chosen[0] if chosen else None


def _escape(text: str) -> str:
    """drawtext's text= value: escape its own specials, then the filter graph's."""
    for ch in ("\\", ":", "'", "%", ","):
        text = text.replace(ch, "\\" + ch)
    return text


def ffmpeg_command(
    publish_url: str, *, title: str, seconds: float | None = None, clock_bars: bool = False
) -> list[str]:
    """`clock_bars`: the wall clock's milliseconds also drawn as 24 black/white bars along the
    top (bench/glass_to_glass.py reads them back in the viewer to measure delay)."""
    font = _font()
    font_opt = f"fontfile={font}:" if font else ""
    clock = (
        f"drawtext={font_opt}text='%{{localtime\\:%H\\\\\\:%M\\\\\\:%S}}':fontsize=48:"
        "fontcolor=white:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-th-24"
    )
    name = (
        f"drawtext={font_opt}text='{_escape(title)}':fontsize=30:fontcolor=white:"
        "box=1:boxcolor=black@0.6:x=(w-tw)/2:y=40"
    )
    filters = [clock, name]
    if clock_bars:
        filters = [*BARS, *filters]
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re"]
    command += ["-f", "lavfi", "-i", f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}"]
    command += ["-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:sample_rate=44100"]
    if seconds is not None:
        command += ["-t", f"{seconds:g}"]
    command += ["-vf", ",".join(filters), "-af", "volume=0.1"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency"]
    command += ["-g", str(FPS), "-keyint_min", str(FPS), "-sc_threshold", "0", "-b:v", "500k"]
    command += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", "-ar", "44100"]
    command += ["-f", "flv", publish_url]
    return command


BAR_COUNT = 24
BAR_WIDTH = WIDTH // BAR_COUNT  # 26 px
BAR_HEIGHT = 24
# setpts to the wall clock in seconds, draw bit k of the clock's milliseconds (mod 2^24) as bar
# k, then back to stream time: geq's T is the frame's time, here the wall clock when drawn
BARS = [
    "settb=1/1000000,setpts=RTCTIME",
    "geq=lum='if(lt(Y,"
    f"{BAR_HEIGHT}),255*mod(floor(mod(floor(T*1000),16777216)/pow(2,floor(X/{BAR_WIDTH}))),2),"
    "lum(X,Y))'"
    f":cb='if(lt(Y,{BAR_HEIGHT // 2}),128,cb(X,Y))':cr='if(lt(Y,{BAR_HEIGHT // 2}),128,cr(X,Y))'",
    "setpts=PTS-STARTPTS",
]


class Publisher:
    """One ffmpeg publishing the test pattern until stopped (or for `seconds`)."""

    def __init__(self, command: list[str], log: Path | None = None) -> None:
        self.command = command
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Publisher:
        with contextlib.ExitStack() as files:
            out = files.enter_context(self.log.open("wb")) if self.log else subprocess.DEVNULL
            self.process = subprocess.Popen(
                self.command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
