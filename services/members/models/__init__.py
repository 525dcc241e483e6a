"""members' tables. Organisations in `organisations.py`, people and credentials in `identity.py`."""

from shared.db import Database, make_base

Base = make_base()
db = Database("members", Base.metadata)

from .identity import *  # noqa: E402,F403
from .keys import *  # noqa: E402,F403
from .organisations import *  # noqa: E402,F403
