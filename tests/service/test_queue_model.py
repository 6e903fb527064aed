"""A hypothesis state machine: the database queue behaves like the pure model.

The model is ``hall.domain.queue.pick_next`` over the waiting tickets (walk-ins,
statutory priorities and on-time booked visitors); the machine issues, calls,
finishes, transfers, cancels, puts tickets on hold (waiting ones and a window's
current one) and back, and lets time pass in any order, and after every step
the database and the model must agree.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from hall.domain import queue as rules
from hall.domain.clock import HALL_TZ, UTC, FixedClock
from hall.services import Conflict, queue
from hall.services.base import system_actor
from hall.services.demo import install_demo
from hall.store.db import Database

SERVICES = ["labour", "general", "housing", "petition"]
WINDOWS = {"w01": ["general", "petition", "housing"], "w03": ["labour", "general"],
           "w05": ["housing", "general"]}
PRIORITIES = [None, None, "pregnant", "elderly", "veteran", "appointment"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tmpl") / "hall.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    install_demo(db, system_actor(), history=False)
    db.dispose()
    return path


class QueueMachine(RuleBasedStateMachine):
    template_path = None
    workdir = None

    @initialize()
    def setup(self):
        path = self.workdir / f"m{id(self)}.db"
        shutil.copy(self.template_path, path)
        self.clock = FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ).astimezone(UTC))
        self.db = Database(f"sqlite:///{path}", clock=self.clock)
        self.actor = system_actor()
        for w in WINDOWS:
            queue.open_window(self.db, self.actor, w)
        self.waiting: dict[int, rules.Candidate] = {}
        self.at_window: dict[str, int | None] = {w: None for w in WINDOWS}
        self.streak = {w: 0 for w in WINDOWS}
        self.numbers: set[tuple[str, str]] = set()

    def teardown(self):
        if hasattr(self, "db"):
            self.db.dispose()

    @rule(service=st.sampled_from(SERVICES), priority=st.sampled_from(PRIORITIES))
    def issue(self, service, priority):
        t = queue.issue_ticket(self.db, self.actor, service, priority=priority)
        assert (t.service, t.number) not in self.numbers
        self.numbers.add((t.service, t.number))
        weight = rules.weight_for(rules.PriorityReason(priority) if priority else None)
        self.waiting[t.id] = rules.Candidate(t.id, service, rules.queue_key(self.clock.now(), weight),
                                             priority is not None, priority == "appointment")

    @rule(minutes=st.integers(0, 30))
    def time_passes(self, minutes):
        self.clock.advance(minutes=minutes)

    @rule(window=st.sampled_from(list(WINDOWS)))
    def call(self, window):
        if self.at_window[window] is not None:
            try:
                queue.call_next(self.db, self.actor, window)
            except Conflict:
                return
            raise AssertionError("a busy window called a second visitor")
        expected = rules.pick_next(self.waiting.values(), rules.ranks_from_order(WINDOWS[window]),
                                   consecutive_priority=self.streak[window])
        got = queue.call_next(self.db, self.actor, window)
        if expected is None:
            assert got is None
            return
        assert got is not None and got.id == expected.ticket_id
        self.streak[window] = rules.next_consecutive_priority(self.streak[window], expected.has_priority)
        del self.waiting[got.id]
        self.at_window[window] = got.id

    @rule(window=st.sampled_from(list(WINDOWS)), how=st.sampled_from(["finish", "no_show", "start_finish"]))
    def close_visit(self, window, how):
        tid = self.at_window[window]
        if tid is None:
            return
        if how == "finish":
            queue.finish(self.db, self.actor, tid)
        elif how == "no_show":
            queue.mark_no_show(self.db, self.actor, tid)
        else:
            queue.start_service(self.db, self.actor, tid)
            queue.finish(self.db, self.actor, tid, "consulted")
        self.at_window[window] = None

    @rule(window=st.sampled_from(list(WINDOWS)), to=st.sampled_from(SERVICES))
    def transfer(self, window, to):
        tid = self.at_window[window]
        if tid is None:
            return
        old = queue.ticket(self.db, tid)
        if old.service == to:
            return
        new = queue.transfer(self.db, self.actor, tid, to)
        self.at_window[window] = None
        assert (new.service, new.number) not in self.numbers
        self.numbers.add((new.service, new.number))
        # The visitor keeps their place: same key as the original arrival.
        prio = old.priority_reason is not None
        key = queue_key_of(self.db, new.id)
        self.waiting[new.id] = rules.Candidate(new.id, to, key, prio, old.priority_reason == "appointment")

    def _ids(self, held: bool) -> list[int]:
        return sorted(tid for tid, c in getattr(self, "waiting", {}).items() if c.held is held)

    @precondition(lambda self: bool(self._ids(False)))
    @rule(data=st.data())
    def cancel(self, data):
        tid = data.draw(st.sampled_from(self._ids(False)))
        queue.cancel(self.db, self.actor, tid)
        del self.waiting[tid]

    @precondition(lambda self: bool(self._ids(False)))
    @rule(data=st.data())
    def hold_waiting(self, data):
        tid = data.draw(st.sampled_from(self._ids(False)))
        assert queue.hold(self.db, self.actor, tid, "取材料", expected_status="waiting").status == "on_hold"
        self.waiting[tid] = dataclasses.replace(self.waiting[tid], held=True)

    @rule(window=st.sampled_from(list(WINDOWS)))
    def hold_current(self, window):
        tid = self.at_window[window]
        if tid is None:
            return
        t = queue.hold(self.db, self.actor, tid, "去复印")
        self.at_window[window] = None
        prio = t.priority_reason is not None
        # a booked visitor held from the window is still the booked visitor when back
        self.waiting[tid] = rules.Candidate(tid, t.service, queue_key_of(self.db, tid), prio,
                                            t.priority_reason == "appointment", held=True)

    @precondition(lambda self: bool(self._ids(True)))
    @rule(data=st.data())
    def unhold(self, data):
        tid = data.draw(st.sampled_from(self._ids(True)))
        assert queue.unhold(self.db, self.actor, tid).status == "waiting"
        self.waiting[tid] = dataclasses.replace(self.waiting[tid], held=False)

    @invariant()
    def counts_agree(self):
        if not hasattr(self, "db"):
            return
        snap = queue.queue_snapshot(self.db)
        by_service = {s.code: s.waiting for s in snap.services}
        for code in SERVICES:
            assert by_service[code] == sum(1 for c in self.waiting.values()
                                           if c.service_code == code and not c.held)
        held = {t.id for w in WINDOWS for t in queue.held_for_window(self.db, w)}
        assert held == set(self._ids(True))
        current = {w.code: (w.current.id if w.current else None) for w in snap.windows if w.code in WINDOWS}
        assert current == self.at_window


def queue_key_of(db, ticket_id):
    from hall.store.models import Ticket

    with db.read() as s:
        return s.get(Ticket, ticket_id).queue_key


def test_queue_behaves_like_the_model(template, tmp_path):
    QueueMachine.template_path = template
    QueueMachine.workdir = tmp_path
    run = QueueMachine.TestCase
    run.settings = settings(max_examples=25, stateful_step_count=30, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    run().runTest()
