"""members' tables. Organisations in `organisations.py`, people and credentials in `identity.py`,
signing keys in `keys.py`; the base, the database handle and the revocations in `base.py`."""

from .base import Base, access_revocations, db, read_connection  # noqa: F401
from .identity import *  # noqa: F403
from .keys import *  # noqa: F403
from .organisations import *  # noqa: F403
