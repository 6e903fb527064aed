"""``hall-admin config`` (export / import a centre's setup), ``hall-admin stats``
and ``hall-admin appointments sweep``."""
from __future__ import annotations

import json
from pathlib import Path

from hall.cli_dates import day_arg


def cmd_config(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import admin
    from hall.services.base import system_actor

    db = open_db(args)
    path = Path(args.path).expanduser()
    if args.config_cmd == "export":
        data = admin.export_config(db, system_actor())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        counts = {k: len(data[k]) for k in ("services", "windows", "rooms", "users")}
        output(args, {"path": str(path), **counts},
               f"已导出中心配置到 {path}：业务 {counts['services']} 项，窗口 {counts['windows']} 个，"
               f"房间 {counts['rooms']} 间，账户 {counts['users']} 个（不含密码）")
        return
    if not path.is_file():
        raise CliError(f"找不到配置文件：{path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CliError(f"配置文件不是 UTF-8 编码的文本：{path}") from None
    except json.JSONDecodeError as exc:
        raise CliError(f"配置文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{path}") from None
    res = admin.import_config(db, system_actor(), data)
    lines = ["已导入中心配置：" + "，".join(f"{_LABELS.get(k, k)} {v}" for k, v in res.changed.items() if v)
             if any(res.changed.values()) else "已导入中心配置：没有需要变更的内容"]
    if res.temporary_passwords:
        lines.append("新账户的临时密码（只显示这一次，首次登录须修改）：")
        lines += [f"  {u}\t{pw}" for u, pw in sorted(res.temporary_passwords.items())]
    output(args, res.to_json(), "\n".join(lines))


_LABELS = {"services": "业务", "windows": "窗口", "rooms": "房间", "settings": "设置",
           "appointment_plans": "预约设置", "users": "账户", "holiday_schedules": "节假日安排",
           "deadlines_recomputed": "重算期限", "departments": "部门"}


def _minutes(d: dict) -> str:
    if not d["n"]:
        return "无数据"
    return f"平均 {d['mean']} 分钟，中位 {d['p50']}，90% {d['p90']}（{d['n']} 个）"


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def cmd_stats(args) -> None:
    from hall.cli import open_db, output
    from hall.services import stats
    from hall.services.base import system_actor

    db = open_db(args)
    period = stats.Period(args.date_from, args.date_to)
    report = stats.compute(db, system_actor(), period)
    q, a, r = report["queue"], report["appointments"], report["satisfaction"]
    lines = [f"统计区间：{period.label}",
             f"来访 {q['visits']} 人次，排队号 {q['tickets']} 张，办结 {q['finished']}，"
             f"过号 {q['no_show']}（{_pct(q['no_show_rate'])}），转移 {q['transferred']}（{_pct(q['transfer_rate'])}）",
             f"等候时间：{_minutes(q['waiting'])}",
             f"到窗时间：{_minutes(q['walking'])}",
             f"办理时间：{_minutes(q['service_time'])}"]
    lines += [f"  {x['name']}：{x['tickets']} 张，等候{_minutes(x['waiting'])}" for x in q["by_service"]]
    lines += [f"  {w['number']}号窗口：叫号 {w['called']}，办结 {w['finished']}，开放 {w['open_minutes']} 分钟，"
              f"占用 {w['busy_minutes']}，空闲 {w['idle_minutes']}" for w in q["by_window"]]
    lines.append(f"预约 {a['all']}：按时 {a['kept']}，迟到 {a['late']}，爽约 {a['missed']}，取消 {a['cancelled']}")
    lines.append(f"满意度：{r['count']} 条评价，平均 {r['mean'] if r['mean'] is not None else '—'} 星，"
                 f"不满意 {r['low']}（待跟进 {r['low_unresolved']}）")
    output(args, report.to_json(), "\n".join(lines))


def cmd_appointments(args) -> None:
    from hall.cli import open_db, output
    from hall.services import appointments
    from hall.services.base import system_actor

    db = open_db(args)
    n = appointments.sweep_missed(db, system_actor())
    output(args, {"missed": n}, f"已将 {n} 个超过签到时间的预约标记为爽约")


def register(add, common) -> None:
    from hall.cli import _Parser

    c = add("config", cmd_config, "导出或导入中心配置（业务、窗口、房间、账户、节假日等）")
    cs = c.add_subparsers(dest="config_cmd", required=True, parser_class=_Parser)
    ce = cs.add_parser("export", help="把本中心的配置导出为 JSON 文件（不含密码）", parents=[common])
    ce.add_argument("path")
    ci = cs.add_parser("import", help="从 JSON 文件导入配置（先全部校验，全部成功或全部不变）",
                       parents=[common])
    ci.add_argument("path")

    s = add("stats", cmd_stats, "统计：排队、等候与办理时间、窗口空闲、预约、满意度")
    s.add_argument("--from", dest="date_from", type=day_arg, required=True, help="开始日期（含），YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", type=day_arg, required=True, help="结束日期（不含），YYYY-MM-DD")

    a = add("appointments", cmd_appointments, "预约：把超过签到时间的预约标记为爽约")
    a.add_argument("action", choices=["sweep"])
