"""``hall-admin petition``: the petition window's whole procedure for scripts (《信访工作条例》).

register (letters and visits, group visits with at most five representatives, 第十九条、
第二十条), decide (受理 / 不予受理 / 转送 within 15 days, 第二十二条、第二十三条), handle
(交由工作人员办理, recusal of an interested staff member, 第二十八条), extend (+30 days
with approval, 第三十四条), opinion (处理意见书, 第三十二条), review / review-answer
(复查, 第三十五条), rereview / rereview-hearing / rereview-answer (复核, 第三十六条),
close, show and list. Every command takes ``--json``.

The command line acts as the system administrator, who may see everything,
including a whistle-blower's identity (第三十条 forbids passing it to the
accused, not the administrator reading the record).
"""
from __future__ import annotations

import json

from hall.cli_dates import day_option, day_required

#: The opinion outcomes the CLI takes (第三十二条).
_OUTCOMES = ("support", "explain", "not_support")


def _people(values: list[str] | None, what: str) -> list[dict]:
    """``姓名,住址,电话`` per option."""
    from hall.cli import CliError

    out = []
    for v in values or []:
        parts = [x.strip() for x in v.replace("，", ",").split(",")]
        if not parts[0]:
            raise CliError(f"{what}须写明姓名（姓名,住址,电话）")
        item = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            item["address"] = parts[1]
        if len(parts) > 2 and parts[2]:
            item["phone"] = parts[2]
        out.append(item)
    return out


def _text(p) -> str:
    names = "、".join(x.get("name", "") for x in (p.representatives or p.petitioners))
    lines = [f"{p.number}  {p.state_label}  {names}", f"请求：{p.request}"]
    lines += [f"  {x.due_date}  {x.state_label:<6} {x.name}（{x.basis}）{x.label}" for x in p.deadlines]
    return "\n".join(lines)


def cmd_petition(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import petitions, system_actor

    db = open_db(args)
    actor = system_actor()
    cmd = args.petition_cmd
    if cmd == "list":
        rows = petitions.petition_register(db, actor, args.query or "", state=args.state, limit=args.limit,
                                           after=args.after)
        output(args, {"petitions": [r.to_json() for r in rows]},
               "\n".join(f"{r.number}  {r.state_label:<8} {r.petitioner}  {r.matter}" for r in rows)
               or "没有信访事项")
        return
    if cmd == "register":
        data: dict = {"channel": args.channel, "via": args.via, "matter": args.matter, "request": args.request,
                      "facts": args.facts or "", "reasons": args.reasons or "",
                      "petitioners": _people(args.petitioner, "信访人")}
        if args.representative:
            data["representatives"] = _people(args.representative, "代表")
        if args.group_size:
            data["group_size"] = args.group_size
        if args.whistleblower:
            data["whistleblower"] = True
            data["accused_person"] = args.accused_person or ""
            data["accused_unit"] = args.accused_unit or ""
        if args.file:
            try:
                with open(args.file, encoding="utf-8") as fh:
                    data.update(json.load(fh))
            except (OSError, ValueError) as exc:
                raise CliError(f"读取登记文件失败：{exc}") from None
        p = petitions.register_petition(db, actor, data, received_on=day_option(args.received_on))
        output(args, p.to_json(), _text(p))
        return
    pid = petitions.find_petition(db, actor, args.number)
    if cmd == "show":
        p = petitions.petition_detail(db, actor, pid)
    elif cmd == "decide":
        p = petitions.decide_acceptance(db, actor, pid, args.decision, reason=args.reason or "",
                                        transfer_to=args.transfer_to or "", on=day_option(args.on),
                                        notified_on=day_option(args.notified_on))
    elif cmd == "handle":
        p = petitions.handle(db, actor, pid, handler_name=args.handler, declared_interest=args.interest or "")
    elif cmd == "extend":
        p = petitions.extend_handling(db, actor, pid, approved_by=args.approved_by, reason=args.reason,
                                      notified_on=day_option(args.notified_on), on=day_option(args.on))
    elif cmd == "opinion":
        p = petitions.issue_opinion(db, actor, pid, outcome=args.outcome, text=args.text, basis=args.basis,
                                    issued_on=day_option(args.on), delivered_on=day_option(args.delivered_on))
    elif cmd == "review":
        p = petitions.request_review(db, actor, pid, requested_on=day_option(args.on), body=args.body or "")
    elif cmd == "review-answer":
        p = petitions.answer_review(db, actor, pid, text=args.text, outcome=args.outcome,
                                    answered_on=day_option(args.on), delivered_on=day_option(args.delivered_on))
    elif cmd == "rereview":
        p = petitions.request_rereview(db, actor, pid, requested_on=day_option(args.on), body=args.body or "")
    elif cmd == "rereview-hearing":
        first, last = day_required(args.first), day_required(args.last)
        p = petitions.rereview_hearing(db, actor, pid, first=first, last=last)
    elif cmd == "rereview-answer":
        p = petitions.answer_rereview(db, actor, pid, text=args.text, outcome=args.outcome,
                                      answered_on=day_option(args.on), delivered_on=day_option(args.delivered_on))
    else:  # close
        p = petitions.close_petition(db, actor, pid, on=day_option(args.on))
    output(args, p.to_json(), _text(p))


def register(add, common) -> None:
    from hall.cli import _Parser
    from hall.domain.petitions import DECISIONS, VIAS

    p = add("petition", cmd_petition, "信访事项：登记、受理、转送、办理、延期、处理意见、复查、复核")
    sub = p.add_subparsers(dest="petition_cmd", required=True, parser_class=_Parser)

    def cmd(name: str, help_text: str, *, number: bool = True):
        c = sub.add_parser(name, help=help_text, parents=[common])
        if number:
            c.add_argument("number", help="信访编号")
        return c

    show = cmd("show", "查看信访事项")
    del show
    lst = cmd("list", "信访登记簿", number=False)
    lst.add_argument("--query")
    lst.add_argument("--state")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--after", type=int)

    reg = cmd("register", "登记来信、来访（第十九条、第二十条）", number=False)
    reg.add_argument("--channel", choices=("written", "oral"), default="written")
    reg.add_argument("--via", choices=tuple(VIAS), default=None)
    reg.add_argument("--petitioner", action="append", help="信访人：姓名,住址,电话（可重复）")
    reg.add_argument("--representative", action="append", help="多人走访的代表：姓名,住址,电话（不超过5人）")
    reg.add_argument("--group-size", type=int, help="走访人数")
    reg.add_argument("--matter", default="")
    reg.add_argument("--request", default="")
    reg.add_argument("--facts")
    reg.add_argument("--reasons")
    reg.add_argument("--whistleblower", action="store_true", help="检举、揭发、控告（第三十条）")
    reg.add_argument("--accused-person")
    reg.add_argument("--accused-unit")
    reg.add_argument("--received-on", help="收到日期 YYYY-MM-DD")
    reg.add_argument("--file", help="JSON 文件：登记事项（覆盖上述选项）")

    dec = cmd("decide", "受理、不予受理或者转送（十五日内，第二十二条、第二十三条）")
    dec.add_argument("decision", choices=tuple(DECISIONS))
    dec.add_argument("--reason")
    dec.add_argument("--transfer-to", help="转送的有权处理机关")
    dec.add_argument("--on")
    dec.add_argument("--notified-on", help="书面告知信访人的日期")

    han = cmd("handle", "交由工作人员办理（第二十八条：有利害关系的应当回避）")
    han.add_argument("--handler", required=True)
    han.add_argument("--interest", help="承办人申报的利害关系")

    ext = cmd("extend", "延长办理期限三十日（第三十四条，须经批准）")
    ext.add_argument("--approved-by", required=True)
    ext.add_argument("--reason", required=True)
    ext.add_argument("--notified-on")
    ext.add_argument("--on")

    op = cmd("opinion", "出具信访处理意见书（第三十二条）")
    op.add_argument("--outcome", required=True, choices=_OUTCOMES)
    op.add_argument("--text", required=True)
    op.add_argument("--basis", required=True, help="法律法规依据")
    op.add_argument("--on")
    op.add_argument("--delivered-on")

    def request(name: str, help_text: str, body_help: str) -> None:
        c = cmd(name, help_text)
        c.add_argument("--on")
        c.add_argument("--body", help=body_help)

    def answer(name: str, help_text: str) -> None:
        c = cmd(name, help_text)
        c.add_argument("--text", required=True)
        c.add_argument("--outcome", choices=_OUTCOMES)
        c.add_argument("--on")
        c.add_argument("--delivered-on")

    request("review", "请求复查（第三十五条）", "复查机关")
    answer("review-answer", "复查意见（第三十五条）")
    request("rereview", "请求复核（第三十六条）", "复核机关")
    rh = cmd("rereview-hearing", "复核听证期间（不计入期限，第三十六条第二款）")
    rh.add_argument("--first", required=True)
    rh.add_argument("--last", required=True)
    answer("rereview-answer", "复核意见（第三十六条）")
    cl = cmd("close", "办结")
    cl.add_argument("--on")
