"""``planner win``, ``ask``, ``give``, ``stage``, ``celebrate``, ``thank``, ``stats``, ``goals``."""

from __future__ import annotations

import click

from planner.cli.common import cli, db_backend, emit_json, short_time, with_db
from planner.domain import advocacy as rules
from planner.domain.when import parse_when
from planner.services import advocacy as svc
from planner.services import advocacy_stats
from planner.services import contacts as people

ASK_TYPES = ", ".join(t.value for t in rules.AskType)
GIVE_TYPES = ", ".join(t.value for t in rules.GiveType)
STAGES = ", ".join(s.value for s in rules.Stage)
STATUSES = ", ".join(s.value for s in rules.AskStatus)


def _when(text: str | None):
    return parse_when(text) if text else None


@cli.command("stage")
@click.argument("contact")
@click.argument("stage", metavar="STAGE")
@with_db
def stage(contact: str, stage: str) -> None:
    """Set a person's advocacy stage: none, cultivating, succeeded or advocate."""
    c = people.resolve_contact(contact)
    outcome = svc.set_stage(db_backend(), c.id, stage)
    if not outcome.changed:
        click.echo(f"{c.name} is already at the stage {outcome.after.value}")
        return
    click.echo(f"{c.name}: {outcome.before.value} → {outcome.after.value}")


@cli.command("win")
@click.argument("contact")
@click.argument("text")
@click.option("--at", "when", metavar="WHEN", help="When it happened (default now).")
@click.option("--link", default="", help="Where to see it (a talk, a post…).")
@click.option("--note", default="", help="More about it (Markdown).")
@with_db
def win(contact: str, text: str, when: str | None, link: str, note: str) -> None:
    """Record a win of theirs (a talk, a post, a launch, a promotion) to celebrate."""
    c = people.resolve_contact(contact)
    w = svc.add_win(db_backend(), c.id, text, at=_when(when), link=link, note=note)
    click.echo(f"Win #{w.id} for {c.name} on {short_time(w.at)}: {w.text} "
               f"(celebrate it with: planner celebrate {w.id})")


@cli.command("celebrate")
@click.argument("win_id", type=int)
@click.option("--kind", default="amplify", show_default=True,
              help="How: amplify, congratulate, or any touchpoint kind (im, email, call…).")
@click.option("--at", "when", metavar="WHEN", help="When (default now).")
@click.option("--note", default="", help="What you said or shared.")
@with_db
def celebrate(win_id: int, kind: str, when: str | None, note: str) -> None:
    """Celebrate a win: logs the touchpoint that did it and links it to the win."""
    done = svc.celebrate_win(db_backend(), win_id, kind, at=_when(when), note=note)
    name = people.get_contact(done.win.contact_id).name
    click.echo(f"Celebrated {name}'s win ({done.win.text}) with {done.touchpoint.kind}")


@cli.command("ask")
@click.argument("contact")
@click.argument("ask_type", metavar="TYPE")
@click.option("--status", default="asked", show_default=True, help=f"One of: {STATUSES}.")
@click.option("--at", "when", metavar="WHEN", help="When it was (or will be) asked.")
@click.option("--note", default="", help="What exactly (Markdown).")
@click.option("--force", is_flag=True, help="Log it even if they were asked too often lately.")
@with_db
def ask(contact: str, ask_type: str, status: str, when: str | None, note: str,
        force: bool) -> None:
    """Record something you asked of a person.

    TYPE is one of: reference-call, case-study, talk, co-authored-post, review-draft,
    intro, feedback, beta-test, other. More asks in a quarter than the limit
    (planner goals) is refused unless --force."""
    c = people.resolve_contact(contact)
    a = svc.add_ask(db_backend(), c.id, ask_type, status=status, at=_when(when), note=note,
                    force=force)
    balance = svc.ledger(c.id).balance
    click.echo(f"Ask #{a.id} of {c.name}: {a.type.label.lower()} ({a.status.value}); "
               f"balance {balance.text}")


@cli.command("ask-status")
@click.argument("ask_id", type=int)
@click.argument("status", metavar="STATUS")
@click.option("--at", "when", metavar="WHEN", help="When it changed (default now).")
@with_db
def ask_status(ask_id: int, status: str, when: str | None) -> None:
    """Change an ask's status: planned, asked, done or declined."""
    a = svc.set_ask_status(db_backend(), ask_id, status, at=_when(when))
    hint = f" (say thanks with: planner thank {a.id})" if a.thanks_due else ""
    click.echo(f"Ask #{a.id} is now {a.status.value}{hint}")


@cli.command("give")
@click.argument("contact")
@click.argument("give_type", metavar="TYPE")
@click.option("--at", "when", metavar="WHEN", help="When (default now).")
@click.option("--note", default="", help="What you gave (Markdown).")
@click.option("--for-ask", "for_ask", type=int, help="The ask (id) this thanks them for.")
@with_db
def give(contact: str, give_type: str, when: str | None, note: str,
         for_ask: int | None) -> None:
    """Record something you gave back.

    TYPE is one of: thank-you-note, congratulations, early-access, intro, amplify,
    invitation, gift, other."""
    c = people.resolve_contact(contact)
    g = svc.add_give(db_backend(), c.id, give_type, at=_when(when), note=note, for_ask=for_ask)
    balance = svc.ledger(c.id).balance
    click.echo(f"Give #{g.id} to {c.name}: {g.type.label.lower()}; balance {balance.text}")


@cli.command("thank")
@click.argument("ask_id", type=int)
@click.option("--kind", default=None, help="Also log a touchpoint of this kind (im, email…).")
@click.option("--note", default="", help="What you said.")
@with_db
def thank(ask_id: int, kind: str | None, note: str) -> None:
    """Say thank you for an ask: a thank-you note linked to it (and a touchpoint with --kind)."""
    t = svc.thank_for_ask(db_backend(), ask_id, kind, note=note)
    name = people.get_contact(t.ask.contact_id).name
    click.echo(f"Thanked {name} for {t.ask.type.phrase}")


@cli.command("stats")
@click.option("--as-of", "as_of", metavar="DATETIME",
              help="Compute as of this moment (default now): later touchpoints, wins, asks "
                   "and gives are left out (people, rings and stages are as they are now).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def stats(as_of: str | None, as_json: bool) -> None:
    """The dashboard's figures: advocates against the target, the funnel, ring fill,
    touchpoints per week (the last 12 ISO weeks, local time), time per ring, wins to
    celebrate and asks to thank for."""
    s = advocacy_stats.stats(db_backend(), _when(as_of))
    if as_json:
        emit_json(advocacy_stats.stats_as_dict(s))
        return
    t = s.target
    click.echo(f"Advocates: {t.advocates} of {t.network} ({t.share:.0%}); target "
               f"{t.target_share:.0%} = {t.target_count}"
               + ("  ✓" if t.met else f", {t.missing} to go"))
    f = s.funnel
    click.echo("Funnel: " + " → ".join(
        f"{stage.value} {f.reached(stage)}" for stage in rules.FUNNEL_STAGES))
    for fill in s.rings:
        click.echo(f"{fill.ring.label:<7} {fill.count}/{fill.capacity}: {fill.on_track} on track, "
                   f"{fill.due_soon} due soon, {fill.overdue} overdue, {fill.never} never")
    totals = {key: sum(values) for key, values in s.touches.items()}
    click.echo(f"Touchpoints in the last {len(s.weeks)} weeks: " + ", ".join(
        f"{key} {n}" for key, n in totals.items()))
    click.echo("Time per ring: " + ", ".join(
        f"{rt.ring.value} {rt.minutes} min ({rt.share:.0%}, intended {rt.intended:.0%})"
        for rt in s.time))
    click.echo(f"Balance: {s.balance.text}")
    click.echo(f"Wins waiting to be celebrated: {len(s.wins_waiting)}")
    for w in s.wins_waiting:
        click.echo(f"  #{w.id} {w.contact}: {w.text} ({short_time(w.at)})")
    click.echo(f"Asks waiting for a thank-you: {len(s.thanks_waiting)}")
    for a in s.thanks_waiting:
        click.echo(f"  #{a.id} {a.contact}: {a.type.label.lower()}")
    if s.tired:
        click.echo(f"Asked enough this quarter (limit {s.fatigue_limit}): " + ", ".join(
            f"{t.name} ({t.fatigue.count})" for t in s.tired))


@cli.command("goals")
@click.option("--target", metavar="SHARE",
              help="Advocates you want, as a share of your network: 10% (or 10), "
                   "a whole percentage from 1% to 100%.")
@click.option("--ask-limit", type=int, metavar="N", help="Most asks per person per quarter.")
@click.option("--time-share", metavar="SHARES",
              help="Intended minutes per ring: inner=50,middle=35,outer=15.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def goals(target: str | None, ask_limit: int | None, time_share: str | None,
          as_json: bool) -> None:
    """Show (or set) the advocacy goals: target share, ask limit, intended time per ring."""
    if target is not None:
        svc.set_target_share(db_backend(), target)
    if ask_limit is not None:
        svc.set_fatigue_limit(db_backend(), ask_limit)
    if time_share is not None:
        svc.set_time_share(db_backend(), time_share)
    share, limit, split = svc.target_share(), svc.fatigue_limit(), svc.time_share()
    if as_json:
        emit_json({"target_share": round(share, 4), "ask_limit": limit,
                   "time_share": {r.value: round(v, 4) for r, v in split.items()}})
        return
    click.echo(f"Advocate target: {share:.0%} of your network")
    click.echo(f"Ask limit: {limit} per person per quarter")
    click.echo("Intended time: " + ", ".join(f"{r.value} {v:.0%}" for r, v in split.items()))
