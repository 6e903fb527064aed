"""Use cases: one function per user action, one transaction each.

Import the modules (``from hall.services import queue``) or the names below.
"""
from .base import Actor, Conflict, HallError, InvalidInput, NotFound, PermissionDenied, system_actor

__all__ = ["Actor", "Conflict", "HallError", "InvalidInput", "NotFound", "PermissionDenied",
           "system_actor"]
