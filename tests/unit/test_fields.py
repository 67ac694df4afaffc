"""A person's editable fields (planner.domain.fields): one set of cleaning rules for the
form, the command line, imports and captures, and the small forms people type."""

from __future__ import annotations

import pytest

from planner.domain.contact import Birthday, Contact
from planner.domain.errors import InvalidInput
from planner.domain.fields import clean_fields, field_value, split_handle, split_items


def test_clean_fields_trims_and_normalises():
    cleaned = clean_fields({"name": "  Zoe\u0308 Ng ", "email": " zoe@example.org ",
                            "tags": ["mentor", "Mentor", " "], "handles": {"GitHub": " zoe "},
                            "birthday": "--02-29"})
    assert cleaned == {"name": "Zoë Ng", "email": "zoe@example.org", "tags": ["mentor"],
                       "handles": {"github": "zoe"}, "birthday": "--02-29"}


@pytest.mark.parametrize("values", [{"name": " "}, {"email": "not an address"},
                                    {"stage": "famous"}, {"cadence_days": 0}])
def test_clean_fields_refuses_bad_input_with_one_message(values):
    with pytest.raises(InvalidInput):
        clean_fields(values)


def test_clean_fields_refuses_a_field_that_is_not_editable():
    with pytest.raises(TypeError):
        clean_fields({"ring": "inner"})


def test_field_value_is_what_the_form_gives_back():
    ada = Contact(id=1, name="Ada", tags=("a", "b"), birthday=Birthday(12, 10, 1815))
    assert field_value(ada, "tags") == ["a", "b"]
    assert field_value(ada, "birthday") == "1815-12-10"
    assert field_value(Contact(id=2, name="B"), "birthday") == ""
    assert field_value(ada, "name") == "Ada"


def test_split_items_takes_commas_and_semicolons():
    assert split_items(" im, email ;; sms ") == ["im", "email", "sms"]
    assert split_items("") == []


def test_split_handle_at_the_first_separator():
    assert split_handle("GitHub: ada") == ("github", "ada")
    assert split_handle("github=ada") == ("github", "ada")
    assert split_handle("web=https://ada.example.org") == ("web", "https://ada.example.org")
    assert split_handle("web: https://ada.example.org") == ("web", "https://ada.example.org")
    assert split_handle("ada") is None
    assert split_handle("github:") is None
    assert split_handle(": ada") is None
