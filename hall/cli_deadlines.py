"""``hall-admin deadlines``: the deadlines board for scripts."""
from __future__ import annotations


def cmd_deadlines(args) -> None:
    from hall.cli import open_db, output
    from hall.services import deadlines

    db = open_db(args)
    rows = deadlines.list_deadlines(db, when=args.when, case_number=args.case)
    lines = [f"{r.due_date}  {r.state_label:<6} {r.case_number or '-'}  {r.name}（{r.basis}）{r.label}"
             + (f"  [{r.coverage_note}]" if r.coverage_note else "") for r in rows]
    output(args, {"deadlines": [r.to_json() for r in rows]}, "\n".join(lines) or "没有符合条件的期限")


def register(add, common) -> None:
    p = add("deadlines", cmd_deadlines, "列出期限（到期日、依据、状态）")
    p.add_argument("--case", help="案号")
    p.add_argument("--when", default="open", choices=["overdue", "today", "week", "open", "all"])
