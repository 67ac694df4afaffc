"""``planner agenda`` and ``planner snooze``: reminders for cron, systemd timers and
scripts."""

from __future__ import annotations

import click

from planner.cli.common import cli, db_backend, emit_json, with_db
from planner.domain.focus import local_zone
from planner.domain.reminders import BIRTHDAY_DAYS, day_phrase, notification_text, when_phrase
from planner.domain.when import parse_when


def _day(moment, tz, today) -> str:
    return day_phrase(moment.astimezone(tz).date(), today)


@cli.command("agenda")
@click.option("--days", type=int, default=BIRTHDAY_DAYS, show_default=True,
              help="Look this many days ahead (today included).")
@click.option("--as-of", "as_of", metavar="DATETIME", help="As of this moment (default now).")
@click.option("--json", "as_json", is_flag=True, help="Print the agenda as JSON.")
@with_db
def agenda_(days: int, as_of: str | None, as_json: bool) -> None:
    """Who is due today (overdue included), who comes due soon, whose birthday is
    coming and who is snoozed."""
    from planner.services.reminders import agenda, agenda_dict

    tz = local_zone()
    result = agenda(as_of=parse_when(as_of) if as_of else None, days=days, tz=tz)
    if as_json:
        emit_json(agenda_dict(result, tz))
        return
    today = result.today
    click.echo(f"{today.strftime('%A')} {today.day} {today.strftime('%B %Y')}")
    text = notification_text(result)
    if text is None:
        click.echo("Nobody is due today.")
    lines = [("Due today", [_due_line(p) for p in result.due]),
             (f"Due in the next {days} days" if days > 1 else "Due later",
              [f"{p.name} — due {_day(p.next_due, tz, today)}" for p in result.coming]),
             ("Birthdays", [_birthday_line(b) for b in result.birthdays]),
             ("Snoozed", [f"{s.name} — until {_day(s.until, tz, today)}" for s in result.snoozed])]
    for title, items in lines:
        if items:
            click.echo(f"\n{title} ({len(items)}):")
            for item in items:
                click.echo(f"  {item}")


def _due_line(person) -> str:
    if person.status == "never":
        state = "never contacted"
    elif person.days_overdue:
        from planner.domain.formatting import overdue_text

        state = overdue_text(person.days_overdue)
    else:
        state = "due today"
    return f"{person.name} ({person.ring}) — {state} — {person.action}"


def _birthday_line(b) -> str:
    turns = f" (turns {b.age})" if b.age else ""
    return f"{b.name} — {when_phrase(b.in_days, b.on)}{turns}"


@cli.command("snooze")
@click.argument("contact")
@click.argument("duration", required=False, metavar="DURATION")
@click.option("--clear", is_flag=True, help="End their snooze now: back in the focus list.")
@with_db
def snooze_(contact: str, duration: str | None, clear: bool) -> None:
    """Snooze a person: out of your focus list and the daily notification until a day.

    DURATION is 1d, 3d, 1w (any number of days or weeks) or a date (YYYY-MM-DD, the day
    they come back)."""
    from planner.domain.errors import InvalidInput
    from planner.domain.reminders import snooze_phrase
    from planner.services import contacts as people
    from planner.services import snoozes

    if clear and duration:
        raise InvalidInput("give a DURATION or --clear, not both")
    if not clear and not duration:
        raise InvalidInput("give a DURATION (1d, 3d, 1w or a date), or --clear")
    person = people.resolve_contact(contact)
    if clear:
        ended = snoozes.clear(db_backend(), person.id)
        click.echo(f"{person.name} is back in your focus list" if ended
                   else f"{person.name} was not snoozed")
        return
    assert duration is not None  # not --clear, so a DURATION was given (checked above)
    made = snoozes.snooze(db_backend(), person.id, duration)
    tz = local_zone()
    click.echo(f"{person.name} is {snooze_phrase(made.until, tz, made.at.astimezone(tz).date())}")
