"""projects' tables: its own, and the organisations it keeps from members' events."""

from shared.db import Database, make_base
from shared.projections import OrganisationProjection

Base = make_base()
db = Database("projects", Base.metadata)


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"
