"""Events projects handles: members' organisations, kept locally."""

from shared.projections import organisation_handlers

from .models import Organisation

HANDLERS = {**organisation_handlers(Organisation)}
