"""The app's resources: present, well-formed, and found from a checkout or a bundle."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import planner
from planner import resources as R
from planner.domain.kinds import Kind

ROOT = Path(__file__).resolve().parents[2] / "resources"
SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ALL_SVGS = sorted(name for name in R.expected_resources() if name.endswith(".svg"))
BADGES = [f"icons/kinds/{name}.svg" for name in (*R.KIND_ICON_NAMES, *R.EVENT_ICON_NAMES)]
ACTIONS = [f"icons/actions/{name}.svg" for name in R.ACTION_ICON_NAMES]

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = {
    "icp4": 16,
    "icp5": 32,
    "icp6": 64,
    "ic07": 128,
    "ic08": 256,
    "ic09": 512,
    "ic10": 1024,
    "ic11": 32,
    "ic12": 64,
    "ic13": 256,
    "ic14": 512,
}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (and check it is one, RGBA)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6), "expected 8-bit RGBA"
    return width, height


# --- presence --------------------------------------------------------------------------------


def test_every_expected_resource_is_present():
    assert R.resources_root() == ROOT
    assert R.missing_resources() == []


def test_there_is_a_badge_for_every_touchpoint_kind_and_timeline_event():
    names = {p.stem for p in (ROOT / "icons" / "kinds").glob("*.svg")}
    assert {kind.value for kind in Kind} <= names
    assert {"note", "move", "created", "win", "ask", "give"} <= names


def test_the_expected_set_covers_every_file_shipped_under_icons():
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "icons").rglob("*") if p.is_file()}
    assert shipped <= set(R.expected_resources())


def test_planner_resources_does_not_import_qt():
    code = (
        "import sys, planner.resources as r; r.missing_resources(); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT.parent)


# --- SVG --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_SVGS)
def test_svg_is_well_formed_xml(name):
    root = ET.parse(ROOT / name).getroot()
    assert root.tag == f"{SVG_NS}svg"
    if name in BADGES or name in ACTIONS:
        assert root.get("viewBox") == "0 0 24 24"


def _render(qapp, path: Path, size: int):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), f"QtSvg cannot render {path.name}"
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _pixels(image):
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


@pytest.mark.gui
@pytest.mark.parametrize("name", ALL_SVGS)
def test_svg_renders_to_a_non_blank_image(qapp, name):
    pixels = _pixels(_render(qapp, ROOT / name, 32))
    opaque = sum(1 for c in pixels if c.alpha() > 128)
    assert opaque >= len(pixels) // 20, f"{name} renders (almost) blank"


@pytest.mark.gui
@pytest.mark.parametrize("name", BADGES)
def test_badge_carries_its_own_contrast(qapp, name):
    """A coloured disc with a white glyph: reads the same on light and dark backgrounds."""
    pixels = _pixels(_render(qapp, ROOT / name, 48))
    white = sum(1 for c in pixels if c.alpha() == 255 and min(c.red(), c.green(), c.blue()) > 235)
    badge = [c for c in pixels if c.alpha() == 255 and min(c.red(), c.green(), c.blue()) < 190]
    assert white >= 60, f"{name}: glyph too small or not white"
    assert len(badge) >= 600, f"{name}: badge disc missing"
    # neither too light (white glyph vanishes) nor black (badge vanishes on dark)
    lum = sum(0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue() for c in badge) / len(badge)
    assert 60 < lum < 170, f"{name}: badge luminance {lum:.0f}"


def test_badge_colours_are_distinct_per_kind():
    fills = {}
    for name in BADGES:
        disc = ET.parse(ROOT / name).getroot().find(f"{SVG_NS}circle")
        fills[name] = disc.get("fill").lower()
    assert len(set(fills.values())) == len(fills), fills


@pytest.mark.parametrize("name", ACTIONS)
def test_action_icons_are_mid_grey_strokes(name):
    root = ET.parse(ROOT / name).getroot()
    colours = {el.get("stroke") for el in root.iter() if el.get("stroke") not in (None, "none")}
    colours |= {el.get("fill") for el in root.iter() if el.get("fill") not in (None, "none")}
    assert colours == {"#5f6b7a"}


# --- rendered app icon ------------------------------------------------------------------------


@pytest.mark.parametrize("size", R.APP_ICON_SIZES)
def test_app_png_has_its_size(size):
    assert png_size((ROOT / "icons" / "png" / f"app-{size}.png").read_bytes()) == (size, size)


def test_ico_header_lists_every_size_with_png_payloads():
    data = (ROOT / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, colours, res, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        w, h = w or 256, h or 256
        assert (colours, res, planes, bpp) == (0, 0, 1, 32)
        payload = data[offset : offset + length]
        assert len(payload) == length, "entry runs past the end of the file"
        assert png_size(payload) == (w, h)
        # the same pixels as the PNG shipped for that size
        assert payload == (ROOT / "icons" / "png" / f"app-{w}.png").read_bytes()
        sizes.append(w)
    assert sizes == list(ICO_SIZES)


def test_icns_header_lists_every_size_with_png_payloads():
    data = (ROOT / "icons" / "app.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        ostype = data[pos : pos + 4].decode("ascii")
        length = struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        assert length > 8 and pos + length <= len(data), f"bad length for {ostype}"
        found[ostype] = png_size(data[pos + 8 : pos + length])
        pos += length
    assert pos == len(data)
    assert found == {ostype: (size, size) for ostype, size in ICNS_SIZES.items()}


@pytest.mark.gui
@pytest.mark.parametrize("name", ["app.ico", "app.icns"])
def test_qt_reads_every_image_in_the_icon_containers(qapp, name):
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ROOT / "icons" / name))
    expected = len(ICO_SIZES) if name.endswith(".ico") else len(ICNS_SIZES)
    assert reader.imageCount() == expected
    for i in range(expected):
        assert reader.jumpToImage(i)
        assert not reader.read().isNull(), f"{name} image {i}"


# --- desktop integration ----------------------------------------------------------------------


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(ROOT / "desktop" / f"{R.DESKTOP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_required_keys():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == planner.APP_NAME
    assert entry["Exec"] == "planner"
    assert entry["Icon"] == R.DESKTOP_ID
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == R.WM_CLASS
    assert entry["Comment"]
    categories = entry["Categories"]
    assert categories.endswith(";")
    assert {"Office", "ContactManagement"} <= set(categories.split(";"))
    assert entry["Keywords"].endswith(";")
    assert "mentorship" in entry["Keywords"].split(";")


def _metainfo() -> ET.Element:
    return ET.parse(ROOT / "desktop" / f"{R.DESKTOP_ID}.metainfo.xml").getroot()


def test_metainfo_describes_this_app():
    root = _metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == R.DESKTOP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("name") == planner.APP_NAME
    assert root.findtext("summary")
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == f"{R.DESKTOP_ID}.desktop"
    assert root.find("content_rating").get("type").startswith("oars-")
    text = " ".join(p.text or "" for p in root.find("description").iter("p"))
    for needle in (" 3 ", " 12 ", " 72 ", "touchpoint", "focus list", "dvocat"):
        assert needle in text, needle


def test_metainfo_newest_release_is_this_version():
    release = _metainfo().find("releases/release")
    assert release.get("version") == planner.__version__
    if release.get("version") == "0.1.0":
        assert release.get("date") == "2026-11-22"


def test_desktop_file_validate_accepts_the_entry():
    if shutil.which("desktop-file-validate") is None:
        if os.environ.get("CI"):  # .ci/run installs it: never a silent skip there
            pytest.fail("desktop-file-validate is not installed (.ci/run installs it)")
        pytest.skip("no desktop-file-utils")
    path = ROOT / "desktop" / f"{R.DESKTOP_ID}.desktop"
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="no appstreamcli")
def test_appstreamcli_accepts_the_metainfo():
    path = ROOT / "desktop" / f"{R.DESKTOP_ID}.metainfo.xml"
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- style sheets -----------------------------------------------------------------------------


@pytest.mark.parametrize("theme", R.THEMES)
def test_style_sheet_text(theme):
    text = R.style_sheet(theme)
    assert "#banner" in text and "QPushButton" in text
    assert text.count("{") == text.count("}")
    assert R.style_sheet(theme.upper()) == text


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="light, dark"):
        R.style_sheet("solarized")


@pytest.mark.gui
@pytest.mark.parametrize("theme", R.THEMES)
def test_qt_parses_the_style_sheet(qapp, theme):
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QStatusBar, QVBoxLayout, QWidget

    messages = []

    def handler(kind, _context, message):
        if kind != QtMsgType.QtDebugMsg:
            messages.append(message)

    window = QWidget(objectName="sidePanel")
    layout = QVBoxLayout(window)
    banner = QLabel("3 people are overdue", objectName="banner")
    banner.setProperty("level", "warning")
    status = QStatusBar()
    status.addWidget(banner)
    for widget in (QLabel("Heading"), QListWidget(), QPushButton("Log"), status):
        layout.addWidget(widget)
    previous = qInstallMessageHandler(handler)
    try:
        window.setStyleSheet(R.style_sheet(theme))
        for widget in (window, *window.findChildren(QWidget)):
            widget.ensurePolished()
    finally:
        qInstallMessageHandler(previous)
    window.deleteLater()
    assert not [m for m in messages if "parse" in m.lower()], messages


# --- lookup API -------------------------------------------------------------------------------


def test_resource_path_finds_files_by_parts_or_by_slashes():
    assert R.resource_path("icons", "app.svg") == ROOT / "icons" / "app.svg"
    assert R.resource_path("styles/dark.qss") == ROOT / "styles" / "dark.qss"


def test_resource_path_names_the_missing_resource():
    with pytest.raises(FileNotFoundError, match=r"missing resource 'icons/nope\.svg'") as err:
        R.resource_path("icons", "nope.svg")
    assert str(ROOT / "icons" / "nope.svg") in str(err.value)


@pytest.mark.parametrize("parts", [("..", "pyproject.toml"), ("/etc/passwd",), ("icons/../../x",)])
def test_resource_path_stays_inside_resources(parts):
    with pytest.raises(ValueError, match="inside resources"):
        R.resource_path(*parts)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_its_own_badge(kind):
    assert R.kind_icon_path(kind) == ROOT / "icons" / "kinds" / f"{kind.value}.svg"
    assert R.kind_icon_path(kind.value) == R.kind_icon_path(kind)


@pytest.mark.parametrize(
    ("given", "icon"),
    [
        ("note", "note"),
        ("win", "win"),
        ("give", "give"),
        ("move", "move"),
        ("In Person", "in-person"),
        ("in_person", "in-person"),
        ("zoom", "video"),
        ("beer", "meal"),
        ("carrier pigeon", "other"),
        ("", "other"),
        ("../app", "other"),
    ],
)
def test_kind_icon_lookup_normalises_and_falls_back_to_other(given, icon):
    assert R.kind_icon_path(given) == ROOT / "icons" / "kinds" / f"{icon}.svg"


def test_action_icon_path():
    assert R.action_icon_path("undo") == ROOT / "icons" / "actions" / "undo.svg"
    with pytest.raises(FileNotFoundError, match="frobnicate"):
        R.action_icon_path("frobnicate")


@pytest.mark.parametrize(
    ("size", "file"),
    [
        (None, "app.svg"),
        (16, "png/app-16.png"),
        (20, "png/app-24.png"),
        (256, "png/app-256.png"),
        (4096, "png/app-512.png"),
    ],
)
def test_app_icon_path(size, file):
    assert R.app_icon_path(size) == ROOT / "icons" / file


def test_app_icon_size_must_be_positive():
    with pytest.raises(ValueError):
        R.app_icon_path(0)


# --- frozen (PyInstaller) ---------------------------------------------------------------------


@pytest.fixture
def frozen_bundle(tmp_path, monkeypatch):
    """A fake PyInstaller bundle holding only a few resources."""
    bundle = tmp_path / "bundle"
    for name in (
        "icons/app.svg",
        "icons/kinds/other.svg",
        "icons/kinds/call.svg",
        "styles/dark.qss",
    ):
        target = bundle / "resources" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle / "resources"


def test_frozen_app_reads_resources_from_the_bundle(frozen_bundle):
    assert R.resources_root() == frozen_bundle
    assert R.app_icon_path() == frozen_bundle / "icons" / "app.svg"
    assert R.kind_icon_path("call") == frozen_bundle / "icons" / "kinds" / "call.svg"
    # not bundled: the fallback badge, from the bundle too
    assert R.kind_icon_path("coffee") == frozen_bundle / "icons" / "kinds" / "other.svg"
    # the sheet's images are found in the bundle too (issue 20: the dark check mark)
    sheet = (ROOT / "styles" / "dark.qss").read_text(encoding="utf-8")
    assert R.style_sheet("dark") == sheet.replace("@RESOURCES@", frozen_bundle.as_posix())
    assert f"url({frozen_bundle.as_posix()}/icons/ui/check-light.svg)" in R.style_sheet("dark")


def test_frozen_app_reports_what_the_bundle_lacks(frozen_bundle):
    missing = R.missing_resources()
    assert "styles/light.qss" in missing
    assert "icons/app.ico" in missing
    assert "icons/app.svg" not in missing
    with pytest.raises(FileNotFoundError, match="bundle") as err:
        R.style_sheet("light")
    assert "styles/light.qss" in str(err.value)


def test_frozen_flag_without_meipass_uses_the_checkout(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert R.resources_root() == ROOT
