"""The refusals of arbitration and petitions come out in English in the English interface.

The sources of ``hall.services.arbitration``, ``hall.services.petitions`` and
their rules are read: every ``raise X("…")`` with a literal message, an
f-string or a literal joined to a value is written out (each placeholder with
sample values: the real module constant where it is one, else the values
below), run through :func:`ui.common.validation.translated` with the English
translator installed, and must come out different from the Chinese. A new
refusal that nobody listed in :mod:`ui.common.service_messages` fails here.
"""
from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import re
from collections.abc import Iterator

import pytest

from tests.ui.test_layout_fit import language  # noqa: F401  (fixture)

CJK = re.compile(r"[\u3400-\u9fff]")
MODULES = ("hall.services.arbitration", "hall.services.petitions", "hall.domain.arbitration", "hall.domain.petitions")
REFUSALS = {"InvalidInput", "Conflict", "NotFound", "PermissionDenied", "ValueError", "TribunalProblem",
            "GroupTooLarge", "TransferToAccused", "NoticeTooLate", "IllegalTransition"}

#: Messages passed on from elsewhere (the argument is not written here):
#: ``(module, source of the argument)``. The rules' own are read from the
#: rules' modules; the state sentences (written by each procedure's
#: ``MACHINE.refusal``) are checked by
#: :func:`test_every_state_sentence_comes_out_in_english`.
PASSED_ON = {
    ("hall.services.arbitration", "str(exc)"),                 # the rules' ValueErrors, read from hall.domain
    ("hall.services.arbitration", "'；'.join(conflicts)"),     # recusal grounds (hall.domain.arbitration)
    ("hall.services.arbitration", "'；'.join((x.message for x in found))"),
    ("hall.services.petitions", "str(exc)"),
    ("hall.services.petitions", "'；'.join(conflicts)"),       # petition staff recusal (hall.domain.petitions)
    ("hall.domain.arbitration", "problem"),                    # case_number_pattern_problem, a sample below
    ("hall.domain.arbitration", "check"),                      # NoticeTooLate: hall.domain.deadlines' sentence
}

#: Refusals whose variable part is a sentence worded elsewhere and not yet
#: translated (the simplified-handling reasons, the award's gaps, the
#: numbering formats' errors): ``(module, placeholder)``.
NOT_YET = {
    ("hall.services.arbitration", "_receive:exc"),            # the receipt number format's error
    ("hall.services.arbitration", "check.text"),
    ("hall.services.arbitration", "'、'.join(_award_gaps(uow, c))"),
    ("hall.services.arbitration", "'；'.join(missing)"),
    ("hall.services.petitions", "exc"),
}


def _refusal(call, *args) -> str:
    try:
        call(*args)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(f"{call.__name__}{args} was not refused")


def _samples() -> dict[str, dict[str, list[str]]]:
    from hall.domain import arbitration as ra
    from hall.domain import deadlines as periods
    from hall.domain.money import parse_amount as money
    from hall.services import arbitration as a

    date = [periods.cn_date(dt.date(2026, 3, 5))]
    common = {"case_id": ["12"], "room_id": ["9"], "deadline_id": ["9"], "petition_id": ["5"], "hearing_id": ["3"], "i": ["2"], "limit": ["200"],
              "user_id": ["7"], "replacement_user_id": ["7"], "handler_user_id": ["7"], "state": ["sleeping"],
              "action": ["fly"], "code": ["r99"], "kind": ["memo"], "d.ground": ["kinship"],
              "'、'.join(sorted(unknown))": ["salary、bonus"], "periods.cn_date(row.due_date)": date,
              "periods.cn_date(rows[0].due_date)": date}
    return {
        "hall.services.arbitration": common | {
            "_moment:what": ["开庭时间", "闭庭时间"], "_clean_len:what": ["受送达人", "签收人", "说明"],
            "_absent_after_notice:what": ["缺席裁决", "视为撤回仲裁申请"],
            "problem": [ra.case_number_pattern_problem("x") or ""],
            "_FIELD_LABELS.get(key, key)": list(a._FIELD_LABELS.values()),
            "document_kind": ["letter"], "recipient_side": ["court"], "method": ["pigeon"],
            "room.name": ["调解室一"], "_span(h.starts_at, h.ends_at)": ["2026年3月5日09:00—11:00"],
            "_span(s, e)": ["2026年3月5日09:00—11:00"],
            "number or '其他案件'": ["劳人仲案字〔2026〕第3号", "其他案件"], "name": ["王仲裁"],
            "SIDES[side]": ["申请人", "被申请人"], "member": ["李仲裁"], "m.name": ["李仲裁"],
            "entry['member']": ["李仲裁"], "new_name": ["李仲裁"], "number": ["劳人仲案字〔2026〕第3号"],
            "'、'.join(c.missing_items)": ["劳动者姓名、用人单位名称、第1项仲裁请求的具体内容"],
            "'、'.join(problems)": ["仲裁请求、第2项仲裁请求的具体内容", "第1项仲裁请求的类别（bonus）无法识别"],
            "'、'.join((d['title'] for d in plan.values()))": ["仲裁裁决书（终局裁决事项）、仲裁裁决书（非终局裁决事项）"],
            "rules.DOCUMENT_KINDS[document_kind]": list(ra.DOCUMENT_KINDS.values()),
            "SIDES[recipient_side]": list(a.SIDES.values()),
            "was.label": [s.label for s in ra.CaseState], "state.label": [s.label for s in ra.CaseState],
            "value": ["1990-13-01"],
            "rules.DOCUMENT_KINDS[kind]": [ra.DOCUMENT_KINDS["award_final"], ra.DOCUMENT_KINDS["award_nonfinal"]],
            "ext.basis": [periods.rule("labour.award").extension.basis],
            "check.message": [ra.check_hearing_notice(dt.date(2026, 3, 3), dt.date(2026, 3, 5)).message,
                              ra.check_postponement_request(dt.date(2026, 3, 4), dt.date(2026, 3, 5)).message],
            "_new_hearing:exc": [ra.check_hearing_notice(dt.date(2026, 3, 3), dt.date(2026, 3, 5)).message],
            "_merge_awarded:exc": [_refusal(money, "-3"), _refusal(money, "abc"), _refusal(money, "1.005"),
                                   _refusal(money, "1" * 30)],
        },
        "hall.services.petitions": common | {
            "_text:what": ["信访事项类别", "请求", "事实", "理由", "被检举单位", "转送机关", "信访人、代表姓名"],
            "_people:what": ["信访人", "代表"], "_request:what": ["复查", "复核"],
            "via": ["pigeon"], "article": ["第三十五条", "第三十六条"], "number": ["信访〔2026〕第8号"],
            "'、'.join(missing)": ["信访人姓名（名称）、信访人住址",
                                   "口头信访的记录人（口头提出的信访事项应当如实记录）"],
            "name": ["赵办理"], "ext.basis": [periods.rule("petition.handling").extension.basis],
        },
        "hall.domain.arbitration": common,
        "hall.domain.petitions": common | {"group_size": ["8"], "len(representatives)": ["6"],
                                           "target": ["东湖区某局"]},
    }


def _raises(module_name: str) -> Iterator[tuple[int, str, ast.expr]]:
    """(line, function, message argument) of every refusal raised in the module."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    functions = [f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            func = node.exc.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in REFUSALS:
                around = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
                yield node.lineno, (around[-1].name if around else ""), node.exc.args[0]


class _NoSample(Exception):
    pass


def _values(module_name: str, expr: ast.expr, samples: dict[str, list[str]], where: str) -> list[str]:
    """A module constant's value, or the sample values of a placeholder (``function:placeholder`` first)."""
    source = ast.unparse(expr)
    if (module_name, source) in NOT_YET or (module_name, f"{where}:{source}") in NOT_YET:
        raise _NoSample(source)
    try:
        value = eval(compile(ast.Expression(expr), "<placeholder>", "eval"),  # noqa: S307 (our own sources)
                     vars(importlib.import_module(module_name)))
        if isinstance(value, str):
            return [value]
    except Exception:  # noqa: BLE001  (a local name: take the samples)
        pass
    for key in (f"{where}:{source}", source):
        if key in samples:
            return samples[key]
    raise AssertionError(f"{module_name}: no sample value for the placeholder {{{source}}} in {where}()")


def _written(module_name: str, arg: ast.expr, samples: dict[str, list[str]], where: str) -> list[str] | None:
    """The messages ``arg`` can be (each placeholder's values in turn); None if passed on."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and isinstance(arg.left, ast.Constant):
        return [str(arg.left.value) + v for v in _values(module_name, arg.right, samples, where)]
    if not isinstance(arg, ast.JoinedStr):
        return None
    parts: list[str | list[str]] = [p.value if isinstance(p, ast.Constant) else
                                    _values(module_name, p.value, samples, where)  # type: ignore[attr-defined]
                                    for p in arg.values]
    out = []
    for i, part in enumerate(parts):
        for value in (part if isinstance(part, list) else [part])[: None if isinstance(part, list) else 1]:
            out.append("".join(value if j == i else (p[0] if isinstance(p, list) else p)
                               for j, p in enumerate(parts)))
    return out


def collected() -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    """``{where: messages}`` of every refusal written in the modules, and the passed-on ones."""
    samples = _samples()
    messages: dict[str, list[str]] = {}
    passed: set[tuple[str, str]] = set()
    for module_name in MODULES:
        for line, function, arg in _raises(module_name):
            try:
                written = _written(module_name, arg, samples[module_name], function)
            except _NoSample:
                continue
            if written is None:
                passed.add((module_name, ast.unparse(arg)))
            else:
                messages[f"{module_name}:{line}"] = written
    return messages, passed


def test_the_scan_finds_the_refusals():
    messages, passed = collected()
    assert len(messages) > 120
    assert passed == PASSED_ON
    everything = {m for ms in messages.values() for m in ms}
    assert "已收到过答辩书" in everything                                    # a literal
    assert "没有编号为 12 的仲裁案件" in everything                           # an f-string
    assert "不予受理应当说明理由（《劳动争议调解仲裁法》第二十九条）" in everything  # a module constant put in
    assert "案件当前状态为“调解结案”，不能再补正申请材料" in everything          # each label of a set


def test_every_refusal_of_arbitration_and_petitions_comes_out_in_english(qapp, language):  # noqa: F811
    from ui.common import validation
    from ui.common.validation import translated

    messages, _ = collected()

    def listed(message: str) -> bool:
        return all(part in validation.MESSAGES or any(rx.match(part) for rx, _ in validation._COMPILED)
                   for part in message.split("；"))

    unlisted = sorted(f"{where}: {m}" for where, ms in messages.items() for m in ms if not listed(m))
    assert unlisted == []
    language("en")
    left = sorted(f"{where}: {m}" for where, ms in messages.items() for m in ms if translated(m) == m)
    assert left == []
    half = sorted(f"{where}: {m} → {translated(m)}" for where, ms in messages.items() for m in ms
                  if CJK.search(translated(m)) and not _data_in(m))
    assert half == []
    language("zh_CN")
    assert translated("已收到过答辩书") == "已收到过答辩书"


def _data_in(message: str) -> bool:
    """Messages that name the hall's data (a room, a person, a case number) keep it as written."""
    return any(x in message for x in ("调解室一", "王仲裁", "李仲裁", "赵办理", "劳人仲案字", "信访〔", "东湖区某局"))


def test_every_state_sentence_comes_out_in_english(qapp, language):  # noqa: F811
    from hall.domain import arbitration as ra
    from hall.domain import petitions as rp
    from ui.common.validation import translated

    language("en")
    left = []
    for state in ra.CaseState:
        for action in ra.ACTION_NAMES:
            m = ra.MACHINE.refusal(state, action)
            if CJK.search(translated(m)):
                left.append(m)
    for pstate in rp.PetitionState:
        for action in rp.ACTION_NAMES:
            m = rp.MACHINE.refusal(pstate, action)
            if CJK.search(translated(m)):
                left.append(m)
    assert left == []
    with pytest.raises(ra.IllegalTransition) as refused:
        ra.next_state(ra.CaseState.RECEIVED, "award")
    assert translated(str(refused.value)) == (
        "The case is at “Received”; you cannot make an award now: the case must be heard first")


def test_a_message_with_an_unknown_word_stays_chinese(qapp, language):  # noqa: F811
    from ui.common.validation import translated

    language("en")
    assert translated("案件当前状态为“已受理”，不能飞") == "案件当前状态为“已受理”，不能飞"
    assert translated("申请材料尚待补正，不能受理：劳动者姓名、没有人翻译过") == "申请材料尚待补正，不能受理：劳动者姓名、没有人翻译过"
    assert translated("审理期限已于2026年3月5日届满，不能再延长") == (
        "The award period ended on 2026-03-05 and can no longer be extended")


def test_real_refusals_of_the_clerk_and_the_petitions_window_read_in_english(ui_hall, clock, language):  # noqa: F811
    from hall.services import arbitration as arb
    from hall.services import petitions as pet
    from hall.services.base import HallError
    from tests.conftest import staff_actor
    from tests.service.test_arbitration import APPLICATION
    from tests.service.test_petitions import PETITION
    from ui.common.validation import translated

    clerk = staff_actor(ui_hall, "shuji", "arbitration-office")
    window = staff_actor(ui_hall, "chuangkou2", "window-2")
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    case = arb.receive_application(ui_hall, clerk, APPLICATION).case_id
    arb.accept(ui_hall, clerk, case)
    p = pet.register_petition(ui_hall, window, PETITION)
    pet.decide_acceptance(ui_hall, window, p.id, "accept")
    pet.handle(ui_hall, window, p.id, handler_name="陈丽")
    pet.issue_opinion(ui_hall, window, p.id, outcome="not_support", text="请求缺乏事实根据", basis="有关规定")

    def refusal(call, *args, **kw) -> str:
        with pytest.raises(HallError) as err:
            call(*args, **kw)
        return str(err.value)

    twice = refusal(arb.accept, ui_hall, clerk, case)
    no_room = refusal(arb.schedule_hearing, ui_hall, clerk, case, starts_at=dt.datetime(2026, 12, 7, 9, 0),
                      room_code="nowhere")
    clock.set_local(dt.datetime(2026, 12, 24, 9, 0))
    late = refusal(pet.request_review, ui_hall, window, p.id)
    assert twice.startswith("案件当前状态为“已受理”") and late.startswith("请求复查的期限已于")
    language("en")
    assert translated(twice) == "The case is at “Accepted”; you cannot accept it now: " \
        "the application must be complete (supplement what is missing first)"
    assert not CJK.search(translated(no_room)), (no_room, translated(no_room))
    assert translated(late) == ("The time to request a review ended on 2026-12-23 (Regulations on Letters and "
                                "Visits, Article 35: within 30 days of receiving the written reply)")
