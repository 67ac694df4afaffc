"""``planner capture caldav add|sync|remove`` and ``planner capture imap add|sync|remove``:
a CalDAV calendar and IMAP folders as sources of proposed touchpoints (issue 24).

The password is asked with a hidden prompt (or read from standard input with
``--password-stdin``) and kept in the keyring — never in the database, a log line or a
message. Syncs show progress on stderr and can be interrupted with Ctrl-C: every batch
stored before stays, the next sync goes on from there.

The two groups attach to ``planner capture`` when this module is imported (the command
table lists it beside planner.cli.capture).
"""

from __future__ import annotations

import sys

import click

from planner.cli.capture import capture
from planner.cli.common import db_backend, open_db
from planner.domain.errors import InvalidInput, PlannerError

TRUST_HELP = ("Trust the server's certificate with this SHA-256 fingerprint (as shown when "
              "it was refused), though it does not verify; it is pinned: another certificate "
              "is refused.")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True)
    else:
        raise InvalidInput("give the password with --password-stdin, or run in a terminal")
    if not password:
        raise InvalidInput("the password is empty")
    return password


def _since(text: str | None):
    if not text:
        return None
    from planner.domain.when import parse_when

    return parse_when(text).date()


def _chosen(kind: str, ids: tuple[int, ...]) -> list:
    from planner.services import capture as svc

    if ids:
        return [svc.get_source(i) for i in ids]
    return [s for s in svc.list_sources() if s.kind == kind]


BATCH_OPTION = click.option("--batch-size", "batch", type=click.IntRange(1, 10_000),
                            hidden=True, help="Items per stored batch (tests).")


def _sync(kind: str, ids: tuple[int, ...], password_stdin: bool, trust: str | None,
          batch: int | None = None) -> None:
    from planner.cli.progress import StderrProgress
    from planner.services import capture_sync
    from planner.services.capture_sync import SyncResult

    name = {"caldav": "CalDAV calendar", "imap": "mail"}[kind]
    sources = _chosen(kind, ids)
    if not sources:
        click.echo(f"No {name} sources yet: planner capture {kind} add …")
        return
    if (trust or password_stdin) and len(sources) != 1:
        raise click.UsageError("--trust-certificate and --password-stdin are for one source: "
                               "give its ID")
    password = _password(True) if password_stdin else None
    for source in sources:
        if source.kind != kind:
            raise InvalidInput(f"capture source {source.id} is not a {kind} source "
                               f"(it is {source.kind})")
        if trust:
            source = capture_sync.trust(db_backend(), source.id, trust)
        stored: list[SyncResult] = []  # the running total, as each batch is stored

        progress = StderrProgress(f"reading {source.label}",
                                  "events" if kind == "caldav" else "messages")
        sync = capture_sync.sync_caldav if kind == "caldav" else capture_sync.sync_imap
        options = {"batch": batch} if batch else {}
        try:
            result = sync(db_backend(), source, progress, password=password, on_batch=stored.append,
                          **options)
        except KeyboardInterrupt:
            progress.close()
            new = stored[-1].proposed if stored else 0
            click.echo(f"planner: interrupted; what was read from {source.label} before is "
                       f"kept ({new} new); sync again to go on", err=True)
            raise click.exceptions.Exit(130) from None
        except PlannerError:
            progress.close()
            if stored:
                click.echo(f"{source.label}: stored before it stopped: "
                           f"{stored[-1].summary()}.")
            raise
        finally:
            progress.close()
        for problem in result.problems:
            click.echo(f"planner: warning: {source.label}: {problem}", err=True)
        if result.batches == 0:
            click.echo(f"{source.label}: nothing new.")
        else:
            click.echo(f"{source.label}: {result.summary()}.")


def _removed(kind: str, source_id: int) -> None:
    from planner.domain.capture_match import SourceKind
    from planner.services import capture as svc
    from planner.services import capture_sync

    source = svc.get_source(source_id)
    dropped = capture_sync.remove(db_backend(), source_id, SourceKind(kind))
    click.echo(f"Removed {source.label} and its password; {dropped} pending proposal"
               f"{'s' if dropped != 1 else ''} dropped.")


def _added(source, kind: str) -> None:
    click.echo(f"Added {kind} source {source.id}: {source.label} (the password is in the "
               f"keyring). Read it with: planner capture {kind} sync {source.id}")


# --------------------------------------------------------------------------- caldav


@capture.group("caldav")
def caldav() -> None:
    """A CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale…), read-only."""


@caldav.command("add")
@click.argument("url")
@click.option("--user", "username", required=True, help="The user name to sign in with.")
@click.option("--label", default="", help="A name for the source (default: the URL).")
@click.option("--since", metavar="DATE", help="Read events from this day (default: 30 days "
              "ago).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (one line) instead of asking.")
@click.option("--trust-certificate", "trust", metavar="SHA256-FINGERPRINT", help=TRUST_HELP)
@click.pass_context
def caldav_add(ctx: click.Context, url: str, username: str, label: str, since: str | None,
               password_stdin: bool, trust: str | None) -> None:
    """Add the calendar at URL (the address of one calendar): signs in to try it, then
    keeps it; the password goes to the keyring."""
    from planner.services import capture_sync

    password = _password(password_stdin)
    open_db(ctx)
    source = capture_sync.add_caldav(db_backend(), url, username, password, label=label,
                                     trusted=trust, since=_since(since))
    _added(source, "caldav")


@caldav.command("sync")
@click.argument("ids", nargs=-1, type=int)
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (when the keyring has none).")
@click.option("--trust-certificate", "trust", metavar="SHA256-FINGERPRINT", help=TRUST_HELP)
@BATCH_OPTION
@click.pass_context
def caldav_sync(ctx: click.Context, ids: tuple[int, ...], password_stdin: bool,
                trust: str | None, batch: int | None) -> None:
    """Read what changed in the calendars (or the IDs given) since the last sync."""
    open_db(ctx)
    _sync("caldav", ids, password_stdin, trust, batch)


@caldav.command("remove")
@click.argument("source_id", type=int)
@click.pass_context
def caldav_remove(ctx: click.Context, source_id: int) -> None:
    """Stop reading a calendar and forget its password (reviewed proposals are kept)."""
    open_db(ctx)
    _removed("caldav", source_id)


# ----------------------------------------------------------------------------- imap


@capture.group("imap")
def imap() -> None:
    """Mail folders over IMAP (TLS), read-only: headers only, nothing marked as read."""


@imap.command("add")
@click.argument("host")
@click.option("--user", "username", required=True, help="The user name to sign in with.")
@click.option("--port", type=int, help="Default 993 (tls) or 143 (starttls).")
@click.option("--security", type=click.Choice(["tls", "starttls"]), default="tls",
              show_default=True, help="TLS from the start, or STARTTLS.")
@click.option("--folder", "folders", multiple=True, metavar="NAME",
              help="A folder of mail you sent (default: the server's Sent folder); repeat "
                   "for more.")
@click.option("--inbox", is_flag=True, help="Read INBOX too (mail you received).")
@click.option("--since", metavar="DATE", help="Read mail from this day (default: 30 days "
              "ago).")
@click.option("--keep-subject", is_flag=True,
              help="Keep a mail's subject as the touchpoint's note (default: no subject is "
                   "stored).")
@click.option("--label", default="", help="A name for the source.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (one line) instead of asking.")
@click.option("--trust-certificate", "trust", metavar="SHA256-FINGERPRINT", help=TRUST_HELP)
@click.pass_context
def imap_add(ctx: click.Context, host: str, username: str, port: int | None, security: str,
             folders: tuple[str, ...], inbox: bool, since: str | None, keep_subject: bool,
             label: str, password_stdin: bool, trust: str | None) -> None:
    """Add a mailbox on HOST: a mail to or from a person becomes a proposed e-mail
    touchpoint (one per thread per day). Signs in and finds the folders first; the
    password goes to the keyring."""
    from planner.services import capture_sync

    password = _password(password_stdin)
    open_db(ctx)
    source = capture_sync.add_imap(db_backend(), host, username, password, port=port,
                                   security=security, folders=list(folders) or None, inbox=inbox,
                                   since=_since(since), keep_subject=keep_subject,
                                   label=label, trusted=trust)
    _added(source, "imap")


@imap.command("sync")
@click.argument("ids", nargs=-1, type=int)
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (when the keyring has none).")
@click.option("--trust-certificate", "trust", metavar="SHA256-FINGERPRINT", help=TRUST_HELP)
@BATCH_OPTION
@click.pass_context
def imap_sync(ctx: click.Context, ids: tuple[int, ...], password_stdin: bool,
              trust: str | None, batch: int | None) -> None:
    """Read the new mail of the mailboxes (or the IDs given) since the last sync."""
    open_db(ctx)
    _sync("imap", ids, password_stdin, trust, batch)


@imap.command("remove")
@click.argument("source_id", type=int)
@click.pass_context
def imap_remove(ctx: click.Context, source_id: int) -> None:
    """Stop reading a mailbox and forget its password (reviewed proposals are kept)."""
    open_db(ctx)
    _removed("imap", source_id)
