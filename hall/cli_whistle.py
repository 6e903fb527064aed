"""``hall-admin whistle``: 吹哨报到 from the command line — take in grid and
12345 exports (a file or a watched folder), export closed 12345 results,
escalate what is overdue (督办), the month's assessment, the departments."""
from __future__ import annotations

import time
from pathlib import Path

from hall.cli_dates import day_arg


def cmd_whistle(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import whistle
    from hall.services import whistle_intake as intake
    from hall.services.base import system_actor

    db = open_db(args)
    actor = system_actor()
    c = args.whistle_cmd
    if c == "import":
        res = intake.import_file(db, actor, args.source, args.path, args.format)
        output(args, res.to_json(), f"已导入 {res.records} 条：新增 {res.added} 条，已存在 {res.already} 条")
    elif c == "watch":
        rounds = 0
        while True:
            rep = intake.watch_folder_once(db, actor, args.folder)
            for name, added, already in rep.imported:
                output(args, {"file": name, "added": added, "already": already},
                       f"{name}：新增 {added} 条，已存在 {already} 条")
            for name, msg in rep.refused:
                output(args, {"file": name, "refused": msg}, f"{name}：未导入——{msg}")
            rounds += 1
            if args.once or (args.rounds and rounds >= args.rounds):
                break
            time.sleep(args.interval)
    elif c == "export-12345":
        fmt = args.format or Path(args.path).suffix.lstrip(".").lower() or "json"
        data = intake.export_hotline_results(db, actor, fmt, since=args.since)
        p = Path(args.path).expanduser()
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        n = len(intake.hotline_results(db, actor, since=args.since))
        output(args, {"path": str(p), "orders": n}, f"已导出 {n} 件已办结12345工单的办理结果到 {p}")
    elif c == "sweep":
        esc = whistle.escalate_overdue(db, actor)
        output(args, [e.to_json() for e in esc],
               "\n".join(f"督办：{e.whistle_number} {e.department_name} {e.what}" for e in esc) or "没有逾期事项")
    elif c == "assess":
        try:
            year, month = (int(x) for x in args.month.split("-"))
        except ValueError:
            raise CliError(f"月份“{args.month}”格式不正确，应为 YYYY-MM") from None
        a = whistle.monthly_assessment(db, actor, year, month)
        if args.xlsx:
            Path(args.xlsx).expanduser().write_bytes(whistle.assessment_xlsx(a))
        lines = [f"{a.month}：吹哨 {a.whistles} 件，办结 {a.closed} 件（办结率 {a.closure_rate}%），"
                 f"按时办结率 {a.on_time_rate}%"]
        lines += [f"  {d.name}：总分 {d.figures['total']}（系统 {d.figures['system_score']}，"
                  f"街道评价 {d.figures['street_score']}）" for d in a.departments]
        lines += [f"  {x.street}：总分 {x.figures['total']}" for x in a.streets]
        output(args, a.to_json(), "\n".join(lines))
    elif c == "departments":
        ds = whistle.list_departments(db, include_inactive=True)
        output(args, [d.to_json() for d in ds],
               "\n".join(f"{d.code}\t{d.name}\t{d.kind_label}{'' if d.active else '（停用）'}" for d in ds)
               or "尚未设置部门")


def register(add, common) -> None:
    from hall.cli import _Parser

    w = add("whistle", cmd_whistle, "吹哨报到：导入网格事件与12345工单、导出办理结果、督办、月度考核")
    ws = w.add_subparsers(dest="whistle_cmd", required=True, parser_class=_Parser)
    i = ws.add_parser("import", help="导入网格事件或12345工单（JSON/CSV/XLSX，全部成功或全部不导入）",
                      parents=[common])
    i.add_argument("--source", choices=["grid", "12345"], required=True)
    i.add_argument("--format", choices=["json", "csv", "xlsx"])
    i.add_argument("path")
    wa = ws.add_parser("watch", help="监视文件夹（grid/、12345/ 子文件夹），导入后移入 done/ 或 failed/",
                       parents=[common])
    wa.add_argument("folder")
    wa.add_argument("--once", action="store_true", help="只扫描一次")
    wa.add_argument("--interval", type=float, default=30.0, help="扫描间隔（秒）")
    wa.add_argument("--rounds", type=int, default=0, help="扫描几次后退出（0：一直运行）")
    e = ws.add_parser("export-12345", help="导出已办结12345工单的办理结果", parents=[common])
    e.add_argument("path")
    e.add_argument("--format", choices=["json", "csv", "xlsx"])
    e.add_argument("--since", type=day_arg, help="只导出该日以后办结的（YYYY-MM-DD）")
    ws.add_parser("sweep", help="督办：逾期未报到、逾期未办结的部门", parents=[common])
    a = ws.add_parser("assess", help="月度双向考核", parents=[common])
    a.add_argument("month", help="YYYY-MM")
    a.add_argument("--xlsx", help="同时导出为 XLSX 文件")
    ws.add_parser("departments", help="列出部门", parents=[common])
