"""``planner --self-test`` as a person runs it: in a subprocess, in hostile places (no
display, no keyring, a data folder that cannot be written, fonts missing). Each line
says in plain words what is wrong; the exit code is 1 only for a real problem; never a
traceback, and no Qt chatter between the lines."""

from __future__ import annotations

import os

import pytest

from tests.helpers.cli import _fresh_process_state, run_cli

FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def bare_session(monkeypatch):
    """No display and no platform chosen (a server, a CI job, a fresh container)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def lines(result) -> dict[str, str]:
    """Each check's line by its name: {"keyring backend": "warn …", …}."""
    out = {}
    for line in result.stdout.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("ok", "warn", "FAIL"):
            name, _, _detail = rest.strip().partition(":")
            out[name] = line
    return out


@pytest.mark.usefixtures("bare_session")
def test_no_keyring_and_fonts_missing_are_warnings_and_it_passes(tmp_path, monkeypatch):
    """Missing fonts and no keyring were 'ok' lines (ok … no font for Thai …); the offscreen
    platform's 'This plugin does not support propagateSizeHints()' came between them."""
    fonts = "/usr/share/fonts/truetype/dejavu"
    if not os.path.isdir(fonts):
        pytest.skip("needs the DejaVu fonts (fonts-dejavu-core)")
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=fonts, cache=tmp_path / "cache"))
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))  # Latin, Greek, Cyrillic… only
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    result = run_cli("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    said = lines(result)
    assert said["fonts for every script"].startswith("warn ")
    assert "no font for" in said["fonts for every script"] and "Thai" in said[
        "fonts for every script"]
    assert said["keyring backend"].startswith("warn keyring backend: no usable keyring")
    assert said["data folder"].startswith("ok ")
    assert result.stdout.rstrip().endswith("self-test passed")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""


@pytest.mark.usefixtures("bare_session")
def test_a_data_folder_that_cannot_be_written_fails_in_plain_words(tmp_path, monkeypatch):
    """It passed, while `planner` itself then said 'cannot create the database …: Not a
    directory'."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    result = run_cli("--self-test")
    assert result.returncode == 1
    said = lines(result)["data folder"]
    assert said.startswith(f"FAIL data folder: cannot keep data in {blocker}/data/")
    assert f"({blocker} is not a folder)" in said and "--db FILE" in said
    for other in ("database and migrations", "main window renders", "resources"):
        assert lines(result)[other].startswith("ok "), other
    assert result.stdout.rstrip().endswith("self-test FAILED")
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(capsys):
    from planner import selftest
    from planner.logs import log_path

    results: list[bool] = []
    with _fresh_process_state():  # (the log it sets up goes away afterwards)
        selftest._check("a check", lambda: {}["missing"], results)
    out, err = capsys.readouterr()
    assert results == [False]
    assert out == f"FAIL a check: KeyError: 'missing' (details in {log_path()})\n"
    assert err == "" and "Traceback" in log_path().read_text()
