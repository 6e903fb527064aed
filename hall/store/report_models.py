"""Frozen monthly figures: a closed month's statistics as they were when the
month was frozen, with the SHA-256 of their canonical JSON."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, BigId, UTCDateTime


class MonthlySnapshot(Base):
    __tablename__ = "monthly_snapshots"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)          # "2026-11"
    frozen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    frozen_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frozen_by_name: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[str] = mapped_column(Text)                          # canonical JSON
    sha256: Mapped[str] = mapped_column(String(64))
