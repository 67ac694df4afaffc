"""``planner capture``: touchpoints that log themselves (issue 24).

Calendar files (``capture ics``) — and CalDAV calendars and IMAP folders, whose commands
attach to this same group from their own module (``capture.add_command`` or
``@capture.command``) — propose touchpoints; ``capture list`` shows them, ``accept``
turns them into ordinary touchpoints, ``reject`` dismisses them for good, ``sync`` reads
every registered source again.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import PathType, cli, db_backend, emit_json, short_time, with_db


@cli.group("capture")
def capture() -> None:
    """Touchpoints captured from calendars and mail, waiting for your review."""
    # What a read logs (an event it could not read, a library's traceback) goes to the log
    # file: every command here prints each problem once, in its own words (_warn). Without
    # a handler Python prints warnings on stderr again, and the CalDAV library's
    # logging.error() even installs a stderr handler on the root logger.
    from planner.logs import setup_logging

    setup_logging()


def _when(text: str | None):
    if not text:
        return None
    from planner.domain.when import parse_when

    return parse_when(text)


def _progress(label: str, unit: str):
    from planner.cli.progress import StderrProgress

    return StderrProgress(label, unit)


def _warn(problems: list[str], where: str = "") -> None:
    """What a source held and could not be read: one warning line each on stderr, as
    ``capture caldav|imap sync`` says them (the rest was read)."""
    for problem in problems:
        named = not where or problem.startswith(f"{where}: ")  # a file source's own name
        click.echo(f"planner: warning: {'' if named else where + ': '}{problem}", err=True)


def _warned(problems: list[str]) -> str:
    n = len(problems)
    return f"; {n} warning{'s' if n != 1 else ''} above" if n else ""


@capture.command("ics")
@click.argument("location", type=PathType(path_type=Path))
@click.option("--since", metavar="DATE", help="Read from this day (default: 30 days ago).")
@click.option("--until", metavar="DATE", help="Read up to this day (default: now; never later).")
@click.option("--watch", is_flag=True,
              help="Keep the file or folder as a source: 'capture sync' reads it again.")
@click.option("--label", default="", help="A name for the watched source.")
@click.option("--auto-accept", is_flag=True,
              help="With --watch: accept this source's proposals for known people at once.")
@with_db
def ics_(location: Path, since: str | None, until: str | None, watch: bool, label: str,
         auto_accept: bool) -> None:
    """Propose a touchpoint for every meeting in LOCATION (an .ics file, or a folder of
    them) with someone in your network: one per person, kind from the event (video link,
    coffee, lunch, call; else meeting), time and length from the event. Recurring events
    count once per occurrence; nothing in the future is proposed. An event that cannot be
    read is left out with one warning line on stderr naming it and why, and the rest is
    read: a file with nothing usable in it is read as an empty one (exit code 0)."""
    from planner.services import capture_ics

    progress = _progress(f"reading {location.name}", "files")
    try:
        result, source = capture_ics.import_ics(
            db_backend(), location, since=_when(since), until=_when(until), watch=watch,
            label=label, auto_accept=auto_accept, progress=progress)
    finally:
        progress.close()
    _warn(result.problems)
    click.echo(f"Captured from {location.name}: {result.summary()}{_warned(result.problems)}.")
    if source is not None:
        click.echo(f"Watching it as source {source.id} ({source.label}); "
                   "'planner capture sync' reads it again.")
    if result.proposed or result.updated:
        click.echo("Review them with: planner capture list")


@capture.command("list")
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "withdrawn",
                                             "all"]), default="pending", show_default=True)
@click.option("--person", metavar="NAME", help="Only the proposals for this person.")
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
@with_db
def list_(status: str, person: str | None, as_json: bool) -> None:
    """The captured touchpoints waiting for review (newest first)."""
    from planner.services import capture as svc
    from planner.services.contacts import resolve_contact

    contact_id = resolve_contact(person).id if person else None
    found = svc.list_proposals(None if status == "all" else status, contact_id)
    if as_json:
        emit_json([svc.proposal_as_dict(p) for p in found])
        return
    if not found:
        click.echo("Nothing to review." if status == "pending" else f"No {status} proposals.")
        return
    for p in found:
        who = p.contact_name or p.candidate_email
        if p.is_candidate:
            who = f"{who} <{p.candidate_email}> (new person)" if p.contact_name else \
                f"{who} (new person)"
        length = f", {p.minutes} min" if p.minutes else ""
        state = "" if status == "pending" else f"  [{p.status}]"
        note = f" — {p.note}" if p.note else ""
        click.echo(f"{p.id:>5}  {short_time(p.at)}  {p.kind}{length} with {who}{note}{state}")


def _ids_for(ids: tuple[int, ...], every: bool, person: str | None) -> list[int]:
    from planner.domain.errors import InvalidInput
    from planner.services import capture as svc
    from planner.services.contacts import resolve_contact

    if ids and (every or person):
        raise click.UsageError("give IDs, or --all / --person, not both")
    if ids:
        return list(ids)
    if not (every or person):
        raise click.UsageError("say which: IDs, --all, or --person NAME")
    contact_id = resolve_contact(person).id if person else None
    found = [p.id for p in svc.list_proposals("pending", contact_id)]
    if not found:
        raise InvalidInput("there is nothing pending to review"
                           + (f" for {person}" if person else ""))
    return found


@capture.command("accept")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Accept every pending proposal.")
@click.option("--person", metavar="NAME", help="Accept every pending proposal for this person.")
@with_db
def accept_(ids: tuple[int, ...], every: bool, person: str | None) -> None:
    """Make captured touchpoints ordinary touchpoints (a new person is added, unplaced,
    for a proposal about someone not yet in your network). All in one step."""
    from planner.services import capture as svc

    done = svc.accept(db_backend(), _ids_for(ids, every, person))
    people = len(set(done.contact_ids))
    added = len(done.created_contact_ids)
    click.echo(f"Accepted {len(done.touchpoint_ids)} touchpoint"
               f"{'s' if len(done.touchpoint_ids) != 1 else ''} with {people} "
               f"{'people' if people != 1 else 'person'}"
               + (f" ({added} added to your network, unplaced)" if added else "") + ".")


@capture.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@with_db
def reject_(ids: tuple[int, ...]) -> None:
    """Dismiss captured touchpoints: a later sync does not bring them back."""
    from planner.services import capture as svc

    done = svc.reject(db_backend(), ids)
    click.echo(f"Rejected {len(done)}.")


@capture.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
@with_db
def sources_(as_json: bool) -> None:
    """The calendars and mailboxes read on every sync."""
    from planner.services import capture as svc

    found = svc.list_sources()
    if as_json:
        emit_json([{"id": s.id, "kind": s.kind, "label": s.label, "location": s.location,
                    "username": s.username, "auto_accept": s.auto_accept,
                    "last_sync_at": s.last_sync_at.isoformat() if s.last_sync_at else None}
                   for s in found])
        return
    if not found:
        click.echo("No sources yet: planner capture ics FILE --watch (or caldav / imap).")
        return
    for s in found:
        auto = ", accepted automatically" if s.auto_accept else ""
        click.echo(f"{s.id:>3}  {s.kind:<6} {s.label} — {s.location} "
                   f"(last read {short_time(s.last_sync_at)}{auto})")


@capture.command("sync")
@click.argument("ids", nargs=-1, type=int)
@with_db
def sync_(ids: tuple[int, ...]) -> None:
    """Read every source (or the IDs given) again. Each source is stored as it is read,
    in one transaction: an interruption (Ctrl-C) keeps the sources already done, and a
    source that cannot be read changes nothing and is named (exit code 1) while the
    others are read."""
    from planner.domain.errors import PlannerError
    from planner.services import capture as svc

    chosen = [svc.get_source(i) for i in ids] or svc.list_sources()
    if not chosen:
        click.echo("No sources to read: planner capture ics FILE --watch adds one.")
        return
    failed = 0
    for source in chosen:
        progress = _progress(f"reading {source.label}", "items")
        try:
            result = svc.sync_source(db_backend(), source.id, progress=progress)
        except PlannerError as exc:
            failed += 1
            click.echo(f"planner: {source.label}: {exc}", err=True)
            continue
        finally:
            progress.close()
        _warn(result.problems, source.label)
        click.echo(f"{source.label}: {result.summary()}{_warned(result.problems)}.")
    if failed:
        raise click.exceptions.Exit(1)


@capture.command("auto-accept")
@click.argument("source_id", type=int)
@click.option("--off", is_flag=True, help="Back to reviewing this source's proposals.")
@with_db
def auto_accept_(source_id: int, off: bool) -> None:
    """Accept a source's proposals for people you know as soon as they are read (new
    people still wait for review)."""
    from planner.services import capture as svc

    source = svc.set_source_options(db_backend(), source_id, auto_accept=not off)
    click.echo(f"{source.label}: proposals are "
               + ("accepted automatically." if source.auto_accept else "reviewed first."))


@capture.command("forget")
@click.argument("source_id", type=int)
@with_db
def forget_(source_id: int) -> None:
    """Stop reading a source; its pending proposals go (reviewed ones are remembered)."""
    from planner.services import capture as svc

    source = svc.get_source(source_id)
    if source.kind in ("caldav", "imap"):  # its password goes from the keyring with it
        from planner.domain.capture_match import SourceKind
        from planner.services import capture_sync

        dropped = capture_sync.remove(db_backend(), source_id, SourceKind(source.kind))
    else:
        dropped = svc.remove_source(db_backend(), source_id)
    click.echo(f"Forgot {source.label}; {dropped} pending proposal"
               f"{'s' if dropped != 1 else ''} dropped.")


@capture.command("me")
@click.argument("addresses", nargs=-1)
@with_db
def me_(addresses: tuple[str, ...]) -> None:
    """Your own e-mail addresses (never proposed as people); with none, show them."""
    from planner.services import capture as svc

    found = svc.set_own_addresses(db_backend(), addresses) if addresses else svc.own_address_list()
    click.echo(", ".join(found) if found else "No addresses of yours are set.")
