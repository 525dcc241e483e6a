"""Token signing keys: the private half encrypted at rest, the public half published as JWKS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import utcnow

from .base import Base

__all__ = ["SigningKey"]


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[bytes] = mapped_column(LargeBinary)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set on rotation: the key stops signing but stays published until tokens it signed expire.
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
