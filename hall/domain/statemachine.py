"""One transition table for the hall's case procedures.

Mediation cases, arbitration cases and petitions each move through a fixed
set of states by named actions. A :class:`StateMachine` holds such a table,
``(state, action) → state after it``; anything not listed is refused with an
:class:`IllegalTransition` whose message is the procedure's own sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, TypeVar

S = TypeVar("S", bound=Hashable)
A = TypeVar("A", bound=Hashable)

__all__ = ["IllegalTransition", "StateMachine"]


class IllegalTransition(ValueError):
    """A move a procedure refuses; ``state`` and ``action`` name it, the message says why."""

    def __init__(self, state: Any, action: Any, message: str):
        self.state = state
        self.action = action
        super().__init__(message)


@dataclass(frozen=True)
class StateMachine(Generic[S, A]):
    """A transition table with the refusal sentence of its procedure.

    ``refusal(state, action)`` writes the message of a refused move.
    """

    transitions: Mapping[tuple[S, A], S]
    refusal: Callable[[S, A], str]
    _by_state: Mapping[S, tuple[A, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        frozen = MappingProxyType(dict(self.transitions))
        by_state: dict[S, list[A]] = {}
        for st, action in frozen:
            by_state.setdefault(st, []).append(action)
        object.__setattr__(self, "transitions", frozen)
        object.__setattr__(self, "_by_state", MappingProxyType({k: tuple(v) for k, v in by_state.items()}))

    def allowed(self, state: S, action: A) -> bool:
        """Whether ``action`` may be taken in ``state``."""
        return (state, action) in self.transitions

    def check(self, state: S, action: A) -> S:
        """The state after ``action``; :class:`IllegalTransition` if refused."""
        try:
            return self.transitions[(state, action)]
        except KeyError:
            raise IllegalTransition(state, action, self.refusal(state, action)) from None

    def actions(self, state: S) -> list[A]:
        """The actions allowed in ``state``, in the table's order."""
        return list(self._by_state.get(state, ()))

    def next_states(self, state: S) -> frozenset[S]:
        """The states one allowed action away from ``state``."""
        return frozenset(self.transitions[(state, a)] for a in self._by_state.get(state, ()))

    def states(self) -> frozenset[S]:
        """Every state the table names, before or after an action."""
        return frozenset(s for s, _ in self.transitions) | frozenset(self.transitions.values())

    def terminal_states(self) -> frozenset[S]:
        """The states from which no action leads anywhere."""
        return frozenset(s for s in self.states() if s not in self._by_state)
