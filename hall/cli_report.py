"""``hall-admin report``: the centre's monthly report for scripts.

``report --month 2026-10 --format pdf|xlsx --out PATH`` writes the month's
report (the figures of ``hall.services.stats``, the deadlines at risk, the
month's low ratings and their follow-up). Without ``--month``: last month.
"""
from __future__ import annotations

from pathlib import Path


def cmd_report(args) -> None:
    from hall.cli import open_db, output
    from hall.services import monthly, system_actor

    db = open_db(args)
    year, month = monthly.parse_month(args.month) if args.month else monthly.last_month(db)
    data = monthly.render_monthly(db, system_actor(), year, month, args.format)
    out = Path(args.out).expanduser()
    if not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    output(args, {"month": f"{year}-{month:02d}", "format": args.format, "path": str(out), "size": len(data)},
           f"已生成{year}年{month}月运行月报（{args.format.upper()}）：{out}（{len(data)} 字节）")


def register(add, common) -> None:
    p = add("report", cmd_report, "生成月度运行报告（PDF 或 Excel）")
    p.add_argument("--month", help="月份 YYYY-MM（默认：上月）")
    p.add_argument("--format", default="pdf", choices=["pdf", "xlsx"], help="输出格式（默认 pdf）")
    p.add_argument("--out", required=True, help="输出文件路径")
