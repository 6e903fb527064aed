"""``hall-admin case`` and ``hall-admin store``: mediation cases for scripts.

* ``case import FILE`` loads cases (with parties and agents) from another
  system: a JSON array, an object ``{"cases": [...]}``, or JSON Lines (one
  case per line). Every record is checked; with any bad record nothing is
  imported and each error is reported with the record's index and line.
  Cases already in the hall (same number) are skipped, so importing the same
  file twice changes nothing.
* ``case show NUMBER`` prints a case's whole file.
* ``store verify`` re-hashes every file of the content store.

A record::

    {"number": "（2025）东人调字第88号", "category": "劳动争议", "subcategory": "拖欠工资",
     "source": "当事人申请", "risk": "low", "state": "closed",
     "registered_at": "2025-03-01", "facts": "...", "claims": "...", "mediator": "tiaojie",
     "parties": [{"side": "applicant", "kind": "person", "name": "张三",
                  "id_number": "...", "phone": "...", "address": "...",
                  "agents": [{"name": "李律师", "scope": "special", "relation": "律师"}]},
                 {"side": "respondent", "kind": "organisation", "name": "某公司",
                  "credit_code": "...", "legal_rep": "王五", "legal_rep_title": "总经理"}]}
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class _FileError(ValueError):
    pass


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def load_records(text: str) -> tuple[list, list[int]]:
    """The records of an import file and the line each starts on."""
    text = text.lstrip("\ufeff")
    dec = json.JSONDecoder()
    i = _skip(text, 0)
    if i >= len(text):
        return [], []
    try:
        if text[i] == "[":
            return _array(text, i, dec)
        if text[i] == "{":
            obj, end = dec.raw_decode(text, i)
            if _skip(text, end) < len(text):
                return _json_lines(text, dec)
            if isinstance(obj, dict) and isinstance(obj.get("cases"), list):
                return _cases_member(text, i, dec)
            return [obj], [_line(text, i)]
    except json.JSONDecodeError as exc:
        raise _FileError(f"文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None
    raise _FileError("文件应为案件数组、{\"cases\": [...]} 或每行一个案件的 JSON Lines")


def _array(text: str, i: int, dec) -> tuple[list, list[int]]:
    out: list[Any] = []     # the decoded JSON values
    lines: list[int] = []
    j = _skip(text, i + 1)
    if j < len(text) and text[j] == "]":
        return out, lines
    while True:
        value, end = dec.raw_decode(text, j)
        out.append(value)
        lines.append(_line(text, j))
        j = _skip(text, end)
        if j < len(text) and text[j] == ",":
            j = _skip(text, j + 1)
            continue
        if j < len(text) and text[j] == "]":
            return out, lines
        raise json.JSONDecodeError("数组中缺少逗号或右括号", text, j)


def _cases_member(text: str, i: int, dec) -> tuple[list, list[int]]:
    j = _skip(text, i + 1)
    while j < len(text) and text[j] != "}":
        key, j = dec.raw_decode(text, j)
        j = _skip(text, j)
        if text[j] != ":":
            raise json.JSONDecodeError("缺少冒号", text, j)
        j = _skip(text, j + 1)
        if key == "cases":
            return _array(text, j, dec)
        _, j = dec.raw_decode(text, j)
        j = _skip(text, j)
        if text[j] == ",":
            j = _skip(text, j + 1)
    return [], []


def _json_lines(text: str, dec) -> tuple[list, list[int]]:
    out, lines = [], []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            out.append(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise _FileError(f"第{n}行不是有效的 JSON（第{exc.colno}列：{exc.msg}）") from None
        lines.append(n)
    return out, lines


def cmd_case(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import cases, system_actor

    actor = system_actor()
    if args.case_cmd == "import":
        path = Path(args.file).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CliError(f"找不到文件：{path}") from None
        except UnicodeDecodeError:
            raise CliError(f"文件 {path} 不是 UTF-8 编码") from None
        try:
            records, lines = load_records(text)
        except _FileError as exc:
            raise CliError(str(exc)) from None
        db = open_db(args)
        try:
            report = cases.import_cases(db, actor, records, lines=lines, origin=args.origin or path.name)
        except cases.ImportRejected as exc:
            if not args.json:
                for e in exc.errors:
                    print(e)
                raise CliError(exc.message) from None
            raise CliError(exc.message + "：" + "；".join(exc.errors)) from None
        output(args, report.to_json(),
               f"已导入 {len(report.imported)} 件，跳过已存在 {len(report.skipped)} 件（共 {report.total} 条）")
    elif args.case_cmd == "show":
        db = open_db(args)
        view = cases.case_by_number(db, actor, args.number)
        detail = cases.case_detail(db, actor, view.id)
        c = detail.case
        text_lines = [f"{c.number}  {c.category_label}{('/' + c.subcategory_label) if c.subcategory_label else ''}"
                      f"  {c.state_label}  调解员：{c.mediator_name or '未指派'}"]
        text_lines += [f"  {p.side_label} {p.name}（{p.kind_label}）{p.phone or ''}" for p in c.parties if p.active]
        from hall.domain.clock import to_local

        text_lines += [f"  {to_local(t.at):%Y-%m-%d %H:%M} {t.text}" for t in detail.timeline]   # hall time, not UTC
        output(args, detail.to_json(), "\n".join(text_lines))
    else:  # pragma: no cover - argparse guards this
        raise CliError(f"未知命令 case {args.case_cmd}")


def cmd_store(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import documents, system_actor

    db = open_db(args)
    report = documents.verify_store(db, system_actor())
    lines = [f"文件库：{report.folder}", f"已校验 {report.checked} 个文件，正常 {report.ok} 个"]
    lines += [f"  已改动：{p.sha256}  {p.original_name}  {'、'.join(p.cases)}" for p in report.changed]
    lines += [f"  已缺失：{p.sha256}  {p.original_name}  {'、'.join(p.cases)}" for p in report.missing]
    if report.healthy:
        output(args, report.to_json(), "\n".join(lines))
        return
    if not args.json:
        print("\n".join(lines))
    raise CliError(f"文件库校验发现问题：{len(report.changed)} 个文件已改动，{len(report.missing)} 个文件缺失")


def register(add, common) -> None:
    c = add("case", cmd_case, "调解案件：导入、查看")
    cs = c.add_subparsers(dest="case_cmd", required=True, parser_class=type(c))
    ci = cs.add_parser("import", help="从其他系统导入案件（全部成功或全部不导入）", parents=[common])
    ci.add_argument("file", help="JSON 文件（数组、{\"cases\": [...]} 或 JSON Lines）")
    ci.add_argument("--origin", help="来源系统名称（记入案件历史）")
    sh = cs.add_parser("show", help="查看案件全部材料", parents=[common])
    sh.add_argument("number", help="案号")
    s = add("store", cmd_store, "文件库")
    ss = s.add_subparsers(dest="store_cmd", required=True, parser_class=type(s))
    ss.add_parser("verify", help="重新计算每个文件的校验值，报告被改动或缺失的文件", parents=[common])
