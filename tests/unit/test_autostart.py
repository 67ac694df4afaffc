"""Start at login on each system, as the files and values the systems read: the XDG
autostart entry (written here, on Linux), the macOS LaunchAgent and the Windows Run
value (as text, and the plist read back with plistlib)."""

from __future__ import annotations

import plistlib
import shlex

from planner import autostart

COMMAND = ["/opt/My Apps/planner", "--tray"]


def test_the_command_starts_minimised_to_the_tray():
    assert autostart.start_command(False, "/usr/bin/python3") == [
        "/usr/bin/python3", "-m", "planner", "--tray"]
    assert autostart.start_command(True, "/opt/planner/planner") == ["/opt/planner/planner",
                                                                     "--tray"]


def test_the_xdg_entry_is_written_read_and_removed(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    assert not autostart.starts_at_login(platform="linux", env=env)
    path = autostart.set_start_at_login(True, platform="linux", command=COMMAND, env=env)
    assert path == tmp_path / "config" / "autostart" / "mentorship-planner.desktop"
    text = path.read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\nName=Mentorship Planner\n")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/My Apps/planner" --tray'
    assert shlex.split(exec_line[5:]) == COMMAND
    assert autostart.starts_at_login(platform="linux", env=env)
    autostart.set_start_at_login(False, platform="linux", env=env)
    assert not path.exists() and not autostart.starts_at_login(platform="linux", env=env)


def test_a_percent_and_quotes_in_the_exec_line_are_escaped():
    entry = autostart.desktop_entry(["/home/a%b/pl\"anner", "--tray"])
    assert 'Exec="/home/a%%b/pl\\"anner" --tray' in entry


def test_the_macos_launch_agent(tmp_path):
    path = autostart.set_start_at_login(True, platform="darwin", command=COMMAND, home=tmp_path)
    assert path == tmp_path / "Library/LaunchAgents/org.mentorship-planner.planner.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent == {"Label": "org.mentorship-planner.planner", "ProgramArguments": COMMAND,
                     "RunAtLoad": True, "ProcessType": "Interactive"}
    assert autostart.starts_at_login(platform="darwin", home=tmp_path)
    autostart.set_start_at_login(False, platform="darwin", home=tmp_path)
    assert not path.exists()


def test_the_windows_run_value():
    command = [r"C:\Program Files\Mentorship Planner\planner.exe", "--tray"]
    assert autostart.windows_run_value(command) == (
        r'"C:\Program Files\Mentorship Planner\planner.exe" --tray')
    assert autostart.registry_text(command) == (
        "Windows Registry Editor Version 5.00\r\n\r\n"
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
        '"MentorshipPlanner"="\\"C:\\\\Program Files\\\\Mentorship Planner\\\\planner.exe\\" '
        '--tray"\r\n')
