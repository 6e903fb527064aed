"""``hall-admin arbitration``: cases for scripts (petitions: ``hall.cli_petitions``).

The command line acts as the system administrator, who may see everything.
"""
from __future__ import annotations


def cmd_arbitration(args) -> None:
    from hall.cli import open_db, output
    from hall.services import arbitration, system_actor

    db = open_db(args)
    actor = system_actor()
    if args.arbitration_cmd == "show":
        d = arbitration.arbitration_detail(db, actor, args.number)
        lines = [f"{d.number or d.receipt_number}  {d.state_label}",
                 f"申请人：{d.worker['name']}  被申请人：{d.employer['name']}",
                 f"收件：{d.received_on}" + (f"  受理：{d.accepted_on}" if d.accepted_on else "")]
        lines += [f"  {x.due_date}  {x.state_label:<6} {x.name}（{x.basis}）{x.label}" for x in d.deadlines]
        output(args, d.to_json(), "\n".join(lines))
        return
    rows = arbitration.arbitration_register(db, actor, args.query or "", state=args.state, limit=args.limit,
                                            after=args.after)
    output(args, {"cases": [r.to_json() for r in rows]},
           "\n".join(f"{r.number or r.receipt_number}  {r.state_label:<8} {r.worker_name} 诉 {r.employer_name}"
                     + (f"  下一期限 {r.next_due}" if r.next_due else "") for r in rows) or "没有仲裁案件")


def register(add, common) -> None:
    from hall.cli import _Parser

    a = add("arbitration", cmd_arbitration, "劳动仲裁案件（查看、列表）")
    sub = a.add_subparsers(dest="arbitration_cmd", required=True, parser_class=_Parser)
    show = sub.add_parser("show", help="查看案件（案号或收件号）", parents=[common])
    show.add_argument("number")
    lst = sub.add_parser("list", help="案件登记簿", parents=[common])
    lst.add_argument("--query", help="案号、收件号、当事人名称")
    lst.add_argument("--state")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--after", type=int, help="上一页最后一行的 id")
