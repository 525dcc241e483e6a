"""notifications' tables: its own, and the organisations, people and memberships it keeps
from members' events."""

from shared.db import Database, make_base
from shared.projections import (
    ForgottenUser,
    MembershipProjection,
    OrganisationProjection,
    UserProjection,
)

Base = make_base()
db = Database("notifications", Base.metadata)


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"


class User(UserProjection, Base):
    __tablename__ = "users"


class Membership(MembershipProjection, Base):
    __tablename__ = "memberships"


class ForgottenPerson(ForgottenUser, Base):
    __tablename__ = "forgotten_users"
