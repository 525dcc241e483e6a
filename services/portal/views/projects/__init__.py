"""Projects: search, detail, create and edit, state changes, applications, matchmaking.

Every page calls the projects API as the signed-in person, who sees what the API lets them see:
a discreet owner stays discreet, a draft is its owner's alone. The API decides who may do what;
the pages only hide the actions it would refuse, and show its refusals when it does.
"""

from __future__ import annotations

# The blueprint lives in `common`; the pages put their routes on it when imported.
from . import detail, editing, listing
from .common import bp

__all__ = ["bp", "detail", "editing", "listing"]
