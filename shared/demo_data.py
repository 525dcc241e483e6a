"""What the services' demo seeds share: waiting for members' demo organisations to arrive.

A service's seed acts for organisations it only knows through members' events, which the
workers carry; so it waits until its projection holds them, verified, or says what to do.
"""

from __future__ import annotations

import logging
import time
import uuid

from sqlalchemy import select

log = logging.getLogger(__name__)


class OrganisationsMissing(Exception):
    """members' demo organisations have not reached this service (or are not verified here)."""

    def __init__(self, service: str, missing: list[str], timeout: float):
        self.missing = missing
        super().__init__(
            f"After {timeout:g} s, {service} still does not know these demo organisations as "
            f"verified: {', '.join(missing)}. They arrive as members' events through the "
            "workers: run `flask --app services.members seed-demo`, make sure Redis and the "
            f"{service} worker are running, then run this command again."
        )


def wait_for_rows(db, query, names: list[str], what: str, service: str, timeout: float, poll=0.5):
    """`{name: row}` of `query`'s rows (name first) once every name is there; the names still
    missing after `timeout` otherwise. Says once what it waits for, so an operator knows."""
    deadline = time.monotonic() + timeout
    waited = False
    while True:
        with db.transaction() as session:
            found = {row[0]: row for row in session.execute(query)}
        missing = [name for name in names if name not in found]
        if not missing:
            return found, []
        if not waited:
            log.info("%s waits for members' demo %s: %s", service, what, ", ".join(missing))
            waited = True
        if time.monotonic() >= deadline:
            return found, missing
        time.sleep(poll)


def wait_for_organisations(
    db, organisation_model, service: str, names: list[str], timeout: float, poll: float = 0.5
) -> dict[str, uuid.UUID]:
    """The ids of the named organisations once all are verified in the service's projection."""
    query = select(organisation_model.name, organisation_model.id).where(
        organisation_model.name.in_(names), organisation_model.status == "verified"
    )
    found, missing = wait_for_rows(db, query, names, "organisations", service, timeout, poll)
    if missing:
        raise OrganisationsMissing(service, missing, timeout)
    return {name: row.id for name, row in found.items()}


def register_seed_command(app, service: str, seed, done: str, default_timeout: float) -> None:
    """`flask seed-demo` on a service's app: `seed(timeout)` runs, `done` (with `{added}`) says
    what it added; the missing organisations' message when they never came."""
    import click

    @app.cli.command("seed-demo")
    @click.option(
        "--timeout",
        default=default_timeout,
        show_default=True,
        help=f"Seconds to wait for members' demo organisations to reach {service}.",
    )
    def seed_demo_command(timeout: float):
        """Add the service's demo data (adds nothing the second time)."""
        try:
            added = seed(timeout)
        except OrganisationsMissing as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(done.format(added=added))
