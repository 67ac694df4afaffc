"""Numbers people type (an id, a cadence, a birthday's month) are digits 0-9: "²", "①" or
"٣" pass ``str.isdigit`` but not ``int``, which raised a ValueError in every place that
trusted isdigit (found by the hostile-input test: ``planner win ² …``)."""

from __future__ import annotations

import pytest

from planner.domain.formatting import is_whole_number
from planner.importers import parse_file
from tests.helpers.cli import invoke

ODD_DIGITS = ["²", "³", "①", "𝟘", "٣", "१२", "1²", "⁴2"]


@pytest.mark.parametrize("text", ["0", "7", "42", "0012"])
def test_digits_are_a_whole_number(text):
    assert is_whole_number(text) and int(text) >= 0


@pytest.mark.parametrize("text", [*ODD_DIGITS, "", " 1", "-1", "+1", "1.0", "1_000"])
def test_anything_else_is_not(text):
    assert not is_whole_number(text)


@pytest.mark.parametrize("odd", ODD_DIGITS)
def test_commands_given_odd_digits_answer_in_one_line(tmp_path, odd):
    db = tmp_path / "p.db"
    assert invoke("contacts", "add", "Zoë", db=db).returncode == 0
    for args in (["win", odd, "a talk"], ["log", f"#{odd}", "coffee"], ["contacts", "show", odd],
                 ["contacts", "edit", "Zoë", "--cadence", odd], ["note-share", odd]):
        result = invoke(*args, db=db)
        assert result.returncode in (1, 2), (args, result)
        assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr, \
            (args, result.stderr)
        assert result.stderr.startswith(("planner: ", "Usage:")), (args, result.stderr)


def test_a_birthday_month_in_odd_digits_is_a_problem_of_its_row(tmp_path):
    path = tmp_path / "thunderbird.csv"
    header = ("First Name,Last Name,Display Name,Primary Email,"  # as Thunderbird writes it
              "Birth Year,Birth Month,Birth Day")
    path.write_text(f"{header}\nAda,Lovelace,Ada Lovelace,ada@example.org,1815,¹²,10\n",
                    encoding="utf-8")
    result = parse_file(path)
    (ada,) = result.contacts
    assert result.format == "thunderbird"
    assert ada.name == "Ada Lovelace" and ada.birthday is None
