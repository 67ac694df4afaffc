#!/usr/bin/env python3
"""Render the app icon to PNGs, a Windows .ico and a macOS .icns.

Sources (hand-written SVG, the only files to edit):

- ``resources/icons/app.svg``       the full icon, used from 32 px up;
- ``resources/icons/app-small.svg`` a pixel-fitted variant (fewer people, strokes on
  whole pixels) used at 24 px and below, where the full drawing turns to mush.

Outputs (commit them; the app and the packagers read them, not the SVG):

- ``resources/icons/png/app-<size>.png`` for every size in ``PNG_SIZES``;
- ``resources/icons/app.ico``  Windows icon, one PNG-compressed entry per ``ICO_SIZES``;
- ``resources/icons/app.icns`` macOS icon, PNG entries (``ICNS_ENTRIES``).

Qt's own "ico"/"icns" image writers exist but write one image per file (and
BMP-style ICO entries), so both containers are written here by hand: each is a
short header, a directory and the PNG bytes.

Usage::

    .venv/bin/python resources/tools/render_icons.py           # regenerate
    .venv/bin/python resources/tools/render_icons.py --check   # exit 1 if stale

``--check`` compares against a fresh render with this machine's Qt; a different Qt
version may anti-alias differently, so use it where the icons were made.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "icons"
FULL_SVG = ICONS / "app.svg"
SMALL_SVG = ICONS / "app-small.svg"
#: Sizes at or below this use the pixel-fitted drawing.
SMALL_MAX = 24

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: (OSType, pixel size) -- all PNG payloads; the @2x types carry the doubled size.
ICNS_ENTRIES = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),  # 512@2x
    ("ic11", 32),  # 16@2x
    ("ic12", 64),  # 32@2x
    ("ic13", 256),  # 128@2x
    ("ic14", 512),  # 256@2x
)


def render_png(size: int) -> bytes:
    """The app icon at ``size`` x ``size`` as PNG bytes (transparent corners)."""
    source = SMALL_SVG if size <= SMALL_MAX else FULL_SVG
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: cannot parse {source}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"png")
    writer.setQuality(0)  # PNG: quality 0 = strongest zlib compression, still lossless
    if not writer.write(image):
        raise SystemExit(f"render_icons: PNG encode failed at {size}px: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: ICONDIR, one ICONDIRENTRY per size, then the PNG payloads."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, payload = [], []
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        payload.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(payload)


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' + total length, then (OSType, length incl. 8-byte header, PNG)."""
    body = b"".join(
        ostype.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for ostype, size in ICNS_ENTRIES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs() -> dict[Path, bytes]:
    """Every generated file and its bytes."""
    needed = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_ENTRIES})
    pngs = {size: render_png(size) for size in needed}
    files = {ICONS / "png" / f"app-{size}.png": pngs[size] for size in PNG_SIZES}
    files[ICONS / "app.ico"] = build_ico({size: pngs[size] for size in ICO_SIZES})
    files[ICONS / "app.icns"] = build_icns(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if any output is stale"
    )
    args = parser.parse_args(argv)

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    root = ICONS.parent.parent
    stale = []
    for path, data in outputs().items():
        rel = path.relative_to(root)
        if path.is_file() and path.read_bytes() == data:
            continue
        stale.append(rel)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {rel} ({len(data):,} bytes)")
    if args.check:
        for rel in stale:
            print(f"stale: {rel}")
        return 1 if stale else 0
    if not stale:
        print("icons are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
