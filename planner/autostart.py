"""Start at login, on each system, as text and files that tests can read: an XDG
autostart ``.desktop`` entry (Linux), a LaunchAgent plist (macOS), and a value under the
registry's ``Run`` key (Windows; also written as a ``.reg`` text for the tests). The app
then starts minimised to the tray (``planner --tray``). No Qt here."""

from __future__ import annotations

import os
import plistlib
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

from planner import APP_ID, APP_NAME

TRAY_FLAG = "--tray"
LAUNCH_AGENT_LABEL = "org.mentorship-planner.planner"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "MentorshipPlanner"


def start_command(frozen: bool | None = None, executable: str | None = None) -> list[str]:
    """How to start the app minimised to the tray: the bundle's own executable, else
    this Python with ``-m planner``."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    exe = executable or sys.executable
    return [exe, TRAY_FLAG] if frozen else [exe, "-m", "planner", TRAY_FLAG]


# -- Linux ----------------------------------------------------------------------------

def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec says (and double ``%``)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(_desktop_quote(arg) for arg in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Reminds you who to reach out to today\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def xdg_autostart_path(env: Mapping[str, str] | None = None) -> Path:
    found = os.environ if env is None else env
    config = found.get("XDG_CONFIG_HOME") or str(Path(found.get("HOME", "~")).expanduser()
                                                 / ".config")
    return Path(config) / "autostart" / f"{APP_ID}.desktop"


# -- macOS ----------------------------------------------------------------------------

def launch_agent(command: list[str]) -> bytes:
    return plistlib.dumps({
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    })


def launch_agent_path(home: Path | None = None) -> Path:
    return (home or Path.home()) / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


# -- Windows --------------------------------------------------------------------------

def windows_run_value(command: list[str]) -> str:
    """The command line stored under HKCU\\...\\Run (each argument quoted as Windows reads
    it)."""
    import subprocess

    return subprocess.list2cmdline(command)


def registry_text(command: list[str]) -> str:
    """The same value as a ``.reg`` file (what ``apply`` writes with winreg)."""
    value = windows_run_value(command).replace("\\", "\\\\").replace('"', '\\"')
    return ("Windows Registry Editor Version 5.00\r\n\r\n"
            f"[HKEY_CURRENT_USER\\{RUN_KEY}]\r\n"
            f'"{RUN_VALUE}"="{value}"\r\n')


# -- on this system -------------------------------------------------------------------

def set_start_at_login(on: bool, *, platform: str | None = None,
                       command: list[str] | None = None, env: dict | None = None,
                       home: Path | None = None) -> Path | str:
    """Turn starting at login on or off; returns where it is kept (a file, or the
    registry value's name)."""
    platform = platform or sys.platform
    command = command or start_command()
    if platform.startswith("win"):
        _write_windows_run(on, command)
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"
    if platform == "darwin":
        path, data = launch_agent_path(home), launch_agent(command)
    else:
        path, data = xdg_autostart_path(env), desktop_entry(command).encode()
    if on:
        from planner.storage.atomic_file import write_private

        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, data)
    else:
        path.unlink(missing_ok=True)
    return path


def starts_at_login(*, platform: str | None = None, env: dict | None = None,
                    home: Path | None = None) -> bool:
    platform = platform or sys.platform
    if platform.startswith("win"):
        return _windows_run_exists()
    path = launch_agent_path(home) if platform == "darwin" else xdg_autostart_path(env)
    return path.is_file()


def _no_winreg() -> ModuleNotFoundError:
    return ModuleNotFoundError("No module named 'winreg'", name="winreg")


def _write_windows_run(on: bool, command: list[str]) -> None:
    if sys.platform != "win32":  # winreg exists on Windows only (mypy checks this there)
        raise _no_winreg()
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if on:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, windows_run_value(command))
        else:
            try:
                winreg.DeleteValue(key, RUN_VALUE)
            except FileNotFoundError:
                pass


def _windows_run_exists() -> bool:
    if sys.platform != "win32":  # winreg exists on Windows only (mypy checks this there)
        raise _no_winreg()
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.QueryValueEx(key, RUN_VALUE)
        return True
    except OSError:
        return False


def command_text(command: list[str]) -> str:
    return shlex.join(command)
