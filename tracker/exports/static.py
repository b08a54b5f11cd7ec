"""Static chart files (PNG, SVG, PDF) through kaleido and a Chrome or Chromium browser.

kaleido 1.x draws the figure in a headless browser with the plotly.js shipped inside the
plotly package; MathJax is switched off, so nothing is fetched from the internet. Starting
the browser costs 2-5 s, so :class:`ExportServer` keeps one open and exports take a fraction
of a second each; the Reports page holds one per process, the command line one per run.

Why not ``kaleido.start_sync_server``: when its browser cannot start (none installed, a
broken install), its worker thread dies and every later export waits forever on a queue with
no timeout. Here the browser is looked for before anything starts, the server runs kaleido on
its own event-loop thread, and every wait has a timeout; failures become
:class:`ExportUnavailable` or :class:`ExportFailed` with a message saying what to do.
"""

from __future__ import annotations

import asyncio
import os
import struct
import threading
import zlib
from collections.abc import Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import plotly.graph_objects as go

from ..charts.network import vector
from ..charts.style import EXPORT_SIZE
from ..errors import TrackerError

__all__ = [
    "FORMATS",
    "PRINT_SCALE",
    "ExportFailed",
    "ExportServer",
    "ExportUnavailable",
    "find_browser",
    "png_dpi",
    "to_bytes",
    "with_dpi",
]

# format -> MIME type of the download
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
# PNG pixels per CSS pixel: 1100 x 650 at 3 is 3300 x 1950, 11 x 6.5 inches at 300 dpi.
PRINT_SCALE = 3
# CSS pixels per printed inch in that sizing (1100 px = 11 in), so a PNG's dpi is 100 x scale.
CSS_PX_PER_INCH = 100
STARTUP_SECONDS = 60
EXPORT_SECONDS = 60
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

T = TypeVar("T")


class ExportUnavailable(TrackerError):
    """No browser (or no kaleido) to draw static files with; the message says what to
    install. Interactive charts and CSV files do not need one."""

    key = "reports.export.no_browser"


class ExportFailed(TrackerError):
    """The browser was there but the export did not finish (crash or timeout)."""

    key = "reports.export.failed"


def png_dpi(scale: float) -> int:
    """The resolution a PNG drawn at ``scale`` prints at (300 for PRINT_SCALE)."""
    return round(CSS_PX_PER_INCH * scale)


def with_dpi(png: bytes, dpi: int) -> bytes:
    """``png`` with a pHYs chunk saying ``dpi`` (in pixels per metre, as PNG stores it), so
    word processors and layout tools place it at its print size instead of guessing 72 or
    96 dpi. Chrome writes none.

    The chunk is written into the file as it is, right after the header (before any image
    data, as the PNG specification asks), replacing one that is there: the pixels and their
    compression stay Chrome's. Decoding and saving again with Pillow gives the same chunk
    but cost about 0.4 s per 3300 x 1950 chart, 4 s on a report pack of ten.
    """
    if png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    per_metre = round(dpi / 0.0254)
    data = struct.pack(">IIB", per_metre, per_metre, 1)  # unit 1: the metre
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data
    chunk += struct.pack(">I", zlib.crc32(b"pHYs" + data))
    header_end = 8 + 8 + 13 + 4  # signature, IHDR's length and type, its 13 bytes, CRC
    out = bytearray(png[:header_end])
    at = header_end
    while at < len(png):  # copy every chunk but an old pHYs; the new one goes first
        (length,) = struct.unpack(">I", png[at : at + 4])
        end = at + 12 + length
        if png[at + 4 : at + 8] != b"pHYs":
            out += png[at:end]
        at = end
    return bytes(out[:header_end]) + chunk + bytes(out[header_end:])


def find_browser() -> str | None:
    """Path of the Chrome or Chromium kaleido would use (BROWSER_PATH first), or None.

    Debian's ``chromium`` package is found on PATH; a path that is set but does not exist
    counts as none.
    """
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    path = Chromium.find_browser(skip_local=False)
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return str(path)
    return None


def _require() -> tuple[Any, str]:
    """The kaleido module and the browser path, or ExportUnavailable."""
    try:
        import kaleido
    except ImportError:
        raise ExportUnavailable("reports.export.no_kaleido") from None
    browser = find_browser()
    if browser is None:
        raise ExportUnavailable()
    return kaleido, browser


class ExportServer:
    """A headless browser kept open for exports, on its own event-loop thread.

    Safe to share between threads (Streamlit sessions): exports queue for the browser's tab.
    Use it as a context manager, or call :meth:`close` when done.
    """

    def __init__(self, *, timeout: float = EXPORT_SECONDS) -> None:
        kaleido, browser = _require()
        self.browser = browser
        self._timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="chart-export", daemon=True
        )
        self._thread.start()
        self._lock = threading.Lock()
        self._closed = False

        async def start() -> Any:
            k = kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=browser)
            await k.open()
            return k

        try:
            self._kaleido = self._run(start(), STARTUP_SECONDS)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coro: Coroutine[Any, Any, T], seconds: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(seconds)
        except FutureTimeout:
            future.cancel()
            raise ExportFailed(reason="timeout") from None
        except TrackerError:
            raise
        except RuntimeError as exc:
            # kaleido's "Kaleido requires Google Chrome to be installed" (ChromeNotFoundError)
            # when the browser vanished after find_browser() saw it.
            if "chrome" in str(exc).lower() and "install" in str(exc).lower():
                raise ExportUnavailable() from exc
            raise ExportFailed(reason=type(exc).__name__) from exc
        except Exception as exc:  # any other browser failure: say so, without a traceback
            raise ExportFailed(reason=type(exc).__name__) from exc

    @property
    def alive(self) -> bool:
        """True while the server can take exports."""
        return not self._closed and self._thread.is_alive()

    def export(
        self,
        fig: go.Figure,
        fmt: str,
        *,
        width: int | None = None,
        height: int | None = None,
        scale: float | None = None,
    ) -> bytes:
        """``fig`` as a PNG, SVG or PDF file (bytes).

        Args:
            fig: the figure; WebGL traces are drawn as SVG traces so SVG and PDF stay vector.
            fmt: "png", "svg" or "pdf".
            width / height: size in CSS pixels (default EXPORT_SIZE, or the figure's height).
            scale: PNG pixels per CSS pixel (default PRINT_SCALE; 1 for SVG and PDF). A PNG
                carries its resolution (100 dpi x scale, 300 at PRINT_SCALE) in a pHYs chunk.
        """
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if not self.alive:
            raise ExportFailed(reason="closed")
        opts = {
            "format": fmt,
            "width": width or EXPORT_SIZE[0],
            "height": height or fig.layout.height or EXPORT_SIZE[1],
            "scale": scale if scale is not None else (PRINT_SCALE if fmt == "png" else 1),
        }
        spec = vector(fig).to_dict()
        data = bytes(self._run(self._kaleido.calc_fig(spec, opts=opts), self._timeout + 5))
        if fmt == "png":
            data = with_dpi(data, png_dpi(opts["scale"]))
        return data

    def close(self) -> None:
        """Close the browser and stop the thread (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._run(self._kaleido.close(), 15)
        except TrackerError:
            pass  # the browser is gone either way; the thread stops below
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> ExportServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_bytes(
    fig: go.Figure,
    fmt: str,
    *,
    server: ExportServer | None = None,
    width: int | None = None,
    height: int | None = None,
    scale: float | None = None,
) -> bytes:
    """Export one figure: through ``server`` when given (fast), else a browser started for
    this file alone (2-5 s)."""
    if server is not None:
        return server.export(fig, fmt, width=width, height=height, scale=scale)
    with ExportServer() as own:
        return own.export(fig, fmt, width=width, height=height, scale=scale)
