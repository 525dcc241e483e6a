"""The words projects use: kinds of project, states and the moves allowed between them."""

from __future__ import annotations

KINDS = (
    "technology_offer",
    "technology_request",
    "business_offer",
    "business_request",
    "rd_partnership",
)
VISIBILITIES = ("public", "members")
STATES = ("draft", "open", "active", "completed", "cancelled")
# from state -> the states a project may move to; completed and cancelled are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open", "cancelled"),
    "open": ("active", "cancelled"),
    "active": ("completed", "cancelled"),
    "completed": (),
    "cancelled": (),
}
# States other organisations may see (a draft is its owner's alone).
PUBLISHED_STATES = ("open", "active", "completed", "cancelled")
PARTNER_ROLES = ("lead", "partner")
DECISIONS = ("accepted", "rejected")
APPLICATION_STATUSES = ("pending", "accepted", "rejected", "withdrawn")
