"""What an organisation's people may do, by its status: one rule for every service.

- *pending* (registered, not verified): its profile, its people, drafts of projects and news,
  public content and public events; nothing members-only, no publishing, no API clients or
  webhooks.
- *verified*: everything its people's roles allow.
- *suspended*: its people read a notice, their notifications, and export their data; all else is
  refused, and its clients and webhooks stop (held, not dropped) until it is reinstated.
- *closed* (its last person left): nothing.

Each service reads the caller's organisation status from its own data (members' table, the
others' projection of it) and asks `ensure(status, capability)`; the table below is the only
place the rule is written. Platform staff act for no organisation and are not judged by it.
"""

from __future__ import annotations

from shared.errors import Forbidden

PUBLIC = "public"  # read what anyone may read
PROFILE = "profile"  # edit one's organisation's profile
COLLEAGUES = "colleagues"  # invite, manage one's organisation's people
DRAFTS = "drafts"  # write drafts of projects and news
NOTIFICATIONS = "notifications"  # read one's inbox, choose one's preferences
EXPORT = "export"  # download one's data, delete one's account
PARTICIPATE = "participate"  # register for events open to one's organisation
MEMBERS_ONLY = "members_only"  # read members-only content, register for members' events
PUBLISH = "publish"  # publish projects, submit news, apply to projects
INTEGRATE = "integrate"  # API clients, webhook endpoints

NO_ORGANISATION = "none"  # a person who belongs to no organisation (left it, or never joined)

EVERYTHING = frozenset(
    {
        PUBLIC,
        PROFILE,
        COLLEAGUES,
        DRAFTS,
        NOTIFICATIONS,
        EXPORT,
        PARTICIPATE,
        MEMBERS_ONLY,
        PUBLISH,
        INTEGRATE,
    }
)
ALLOWED: dict[str, frozenset[str]] = {
    "pending": frozenset({PUBLIC, PROFILE, COLLEAGUES, DRAFTS, NOTIFICATIONS, EXPORT, PARTICIPATE}),
    "verified": EVERYTHING,
    "suspended": frozenset({PUBLIC, NOTIFICATIONS, EXPORT}),
    "closed": frozenset({PUBLIC}),
    NO_ORGANISATION: frozenset({PUBLIC, NOTIFICATIONS, EXPORT}),
}
REASONS = {
    "pending": "Your organisation is not verified yet: platform staff check its registration "
    "number first. Meanwhile you can complete its profile, invite colleagues and write drafts.",
    "suspended": "Your organisation is suspended: you can read your notifications and download "
    "your data; everything else waits until platform staff reinstate it.",
    "closed": "Your organisation is closed.",
    NO_ORGANISATION: "You belong to no organisation: join one by invitation, or register yours.",
}


def allows(status: str | None, capability: str) -> bool:
    """Whether an organisation with `status` (None: unknown here) may use `capability`."""
    return capability in ALLOWED.get(status or "", frozenset({PUBLIC}))


def ensure(status: str | None, capability: str) -> None:
    """Forbidden, with a code clients translate, when the status does not allow it."""
    if not allows(status, capability):
        raise Forbidden(
            REASONS.get(status or "", "Your organisation is not known here yet."),
            code=f"organisation.{status or 'unknown'}",
        )
