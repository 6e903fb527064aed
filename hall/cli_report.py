"""``hall-admin report``: the centre's monthly report for scripts.

``report --month 2026-10 --format pdf|xlsx --out PATH`` writes the month's
report (the figures of ``hall.services.stats``, the deadlines at risk, the
month's low ratings and their follow-up). Without ``--month``: last month.
A future month is refused; the current month is reported 截至 now; the first
report of a month that is over freezes its figures (``hall.services.snapshots``).

``report --month 2026-10 --freeze`` freezes the month without writing a
report; ``report --month 2026-10 --changes`` lists the figures a re-run
computes differently from the frozen ones.
"""
from __future__ import annotations

from pathlib import Path


def cmd_report(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import monthly, snapshots, system_actor

    db = open_db(args)
    actor = system_actor()
    year, month = monthly.parse_month(args.month) if args.month else monthly.last_month(db)
    key = f"{year}-{month:02d}"
    if args.freeze:
        snap = snapshots.freeze(db, actor, year, month)
        output(args, {"month": key, "sha256": snap.sha256, "frozen_at": snap.frozen_at.isoformat()},
               f"已冻结{year}年{month}月的统计数据，SHA-256：{snap.sha256}")
        return
    if args.changes:
        found = snapshots.changes(db, actor, year, month)
        rows = [{"figure": c.path, "label": snapshots.label_of(c.path), "frozen": c.frozen, "now": c.now}
                for c in found]
        text = "\n".join(f"{r['label']}：冻结时 {r['frozen']}，现在 {r['now']}" for r in rows) \
            or f"{year}年{month}月的统计数据与冻结时一致"
        output(args, {"month": key, "changes": rows}, text)
        return
    if not args.out:
        raise CliError("请用 --out 指定输出文件路径")
    data = monthly.render_monthly(db, actor, year, month, args.format)
    out = Path(args.out).expanduser()
    if not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    output(args, {"month": key, "format": args.format, "path": str(out), "size": len(data)},
           f"已生成{year}年{month}月运行月报（{args.format.upper()}）：{out}（{len(data)} 字节）")


def register(add, common) -> None:
    p = add("report", cmd_report, "生成月度运行报告（PDF 或 Excel）；冻结月度数据")
    p.add_argument("--month", help="月份 YYYY-MM（默认：上月）")
    p.add_argument("--format", default="pdf", choices=["pdf", "xlsx"], help="输出格式（默认 pdf）")
    p.add_argument("--out", help="输出文件路径")
    p.add_argument("--freeze", action="store_true", help="冻结该月的统计数据（月末之后），不生成报告")
    p.add_argument("--changes", action="store_true", help="列出冻结以来重新计算结果不同的统计项")
