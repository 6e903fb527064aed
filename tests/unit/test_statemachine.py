"""The shared transition table behind the three case procedures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain import arbitration as arb
from hall.domain import cases
from hall.domain import petitions as pet
from hall.domain.statemachine import IllegalTransition, StateMachine

TOY = StateMachine({("a", "go"): "b", ("a", "stop"): "c", ("b", "go"): "c", ("b", "stay"): "b"},
                   lambda s, a: f"在{s}不能{a}")

MACHINES = [
    (cases.MACHINE, list(cases.CaseState), list(cases.CaseAction)),
    (arb.MACHINE, list(arb.CaseState), sorted(arb.ACTION_NAMES)),
    (pet.MACHINE, list(pet.PetitionState), sorted(pet.ACTION_NAMES)),
]


def test_the_three_procedures_raise_one_exception_class():
    assert cases.IllegalTransition is arb.IllegalTransition is pet.IllegalTransition is IllegalTransition
    assert issubclass(IllegalTransition, ValueError)


def test_a_refusal_carries_the_state_the_action_and_the_procedure_sentence():
    with pytest.raises(IllegalTransition, match="^在c不能go$") as err:
        TOY.check("c", "go")
    assert (err.value.state, err.value.action) == ("c", "go")


def test_actions_next_states_and_terminal_states():
    assert TOY.actions("a") == ["go", "stop"]
    assert TOY.actions("c") == []
    assert TOY.next_states("a") == {"b", "c"}
    assert TOY.next_states("b") == {"b", "c"}
    assert TOY.states() == {"a", "b", "c"}
    assert TOY.terminal_states() == {"c"}


def test_the_table_cannot_be_changed_afterwards():
    table = {("a", "go"): "b"}
    m = StateMachine(table, lambda s, a: "")
    table[("b", "go")] = "a"
    assert not m.allowed("b", "go")
    with pytest.raises(TypeError):
        m.transitions[("b", "go")] = "a"  # type: ignore[index]


def test_closed_is_the_end_of_every_procedure():
    assert cases.MACHINE.terminal_states() == {cases.CaseState.CLOSED}
    assert arb.MACHINE.terminal_states() == {arb.CaseState.CLOSED}
    assert pet.MACHINE.terminal_states() == {pet.PetitionState.CLOSED}


@given(st.data())
def test_check_raises_exactly_when_the_move_is_not_allowed(data):
    machine, states, actions = data.draw(st.sampled_from(MACHINES))
    state = data.draw(st.sampled_from(states))
    action = data.draw(st.sampled_from(actions))
    if machine.allowed(state, action):
        after = machine.check(state, action)
        assert after is machine.transitions[(state, action)]
        assert after in machine.next_states(state) and action in machine.actions(state)
    else:
        with pytest.raises(IllegalTransition) as err:
            machine.check(state, action)
        assert err.value.state is state and err.value.action == action
        assert state.label in str(err.value)
        assert action not in machine.actions(state)


@given(st.sampled_from(list(cases.CaseState)), st.sampled_from(list(cases.CaseAction)))
def test_the_mediation_names_agree_with_the_table(state, action):
    if cases.MACHINE.allowed(state, action):
        assert cases.transition(state, action) is cases.MACHINE.check(state, action)
    else:
        with pytest.raises(cases.IllegalTransition, match="案件当前状态为"):
            cases.transition(state, action)
