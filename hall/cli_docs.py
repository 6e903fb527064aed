"""``hall-admin doc``: render a case's documents for scripts.

* ``doc render KIND --case NUMBER --format pdf|docx --out PATH`` renders any
  kind of ``reports.registry.KINDS`` and registers it (versioned, SHA-256).
  NUMBER is the 调解案号 for a mediation kind, the 仲裁案号 (or 收件号) for an
  arbitration kind, the 信访编号 for a petition kind. ``--agreement``,
  ``--session``, ``--hearing`` pick one agreement, session or hearing by id;
  ``--side applicant|respondent`` the party a notice is addressed to.
* ``doc hearings --day YYYY-MM-DD --out PATH`` prints every hearing notice of
  the day into one PDF.
* ``doc kinds`` lists the kinds (``--area mediation|arbitration|petition``).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hall.cli_dates import parse_day


def _target(path: str) -> Path:
    from hall.cli import CliError

    out = Path(path).expanduser()
    if out.is_dir():
        raise CliError(f"输出位置是一个文件夹：{out}，请给出文件名")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"无法创建输出文件夹 {out.parent}：{exc.strerror or exc}") from None
    return out


def _stage(out: Path, data: bytes) -> Path:
    """Write ``data`` next to ``out`` (temporary name), flush it to disk and
    read it back; the caller renames it into place. Nothing is left behind on
    failure."""
    from hall.cli import CliError

    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if hashlib.sha256(tmp.read_bytes()).digest() != hashlib.sha256(data).digest():
            raise CliError(f"写入 {out} 后校验不一致（磁盘或网络文件夹有问题），文书未登记")
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CliError(f"无法写入 {out}：{exc.strerror or exc}，文书未登记") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write(path: str, data: bytes) -> Path:
    out = _target(path)
    tmp = _stage(out, data)
    os.replace(tmp, out)
    return out


def cmd_doc(args) -> None:
    from hall.cli import CliError, open_db, output
    from hall.services import render, system_actor

    if args.doc_cmd == "kinds":
        kinds = render.available_kinds(args.area)
        output(args, {"kinds": [k.to_json() for k in kinds]},
               "\n".join(f"{k.kind:<34}{k.name}（{k.area_label}；{k.subject_label}）" for k in kinds))
        return
    db = open_db(args)
    actor = system_actor()
    if args.doc_cmd == "hearings":
        try:
            day = parse_day(args.day)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        data = render.render_hearing_notices_for_day(db, actor, day)
        out = _write(args.out, data)
        output(args, {"day": day.isoformat(), "path": str(out), "size": len(data)},
               f"已生成{day.year}年{day.month}月{day.day}日开庭通知书：{out}（{len(data)} 字节）")
        return
    out = _target(args.out)
    staged: list[Path] = []
    try:
        # the file is written and checked first; only then is it registered
        doc = render.render_document(db, actor, args.kind, case_number=args.case, fmt=args.format,
                                     agreement_id=args.agreement, session_id=args.session,
                                     hearing_id=args.hearing, side=args.side,
                                     deliver=lambda data: staged.append(_stage(out, data)))
        os.replace(staged[0], out)
    finally:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
    output(args, {**doc.to_json(), "path": str(out)},
           f"已生成{doc.title}（第{doc.version}版，{doc.fmt.upper()}，SHA-256 {doc.sha256[:16]}…）：{out}")


def register(add, common) -> None:
    from hall.cli import _Parser

    d = add("doc", cmd_doc, "生成案件文书（调解、仲裁、信访）")
    sub = d.add_subparsers(dest="doc_cmd", required=True, parser_class=_Parser)
    r = sub.add_parser("render", help="生成一份文书并登记", parents=[common])
    r.add_argument("kind", metavar="KIND", help="文书种类（见 doc kinds）")
    r.add_argument("--case", required=True, help="调解案号、仲裁案号（或收件号）或信访编号")
    r.add_argument("--format", default="pdf", help="pdf 或 docx（默认 pdf）")
    r.add_argument("--out", required=True, help="输出文件")
    r.add_argument("--agreement", type=int, help="调解协议 id")
    r.add_argument("--session", type=int, help="调解记录 id")
    r.add_argument("--hearing", type=int, help="开庭 id")
    r.add_argument("--side", help="applicant（申请人）或 respondent（被申请人）")
    h = sub.add_parser("hearings", help="某日全部开庭通知书（一个 PDF）", parents=[common])
    h.add_argument("--day", required=True, help="YYYY-MM-DD")
    h.add_argument("--out", required=True)
    k = sub.add_parser("kinds", help="可生成的文书种类", parents=[common])
    k.add_argument("--area", help="mediation / arbitration / petition")
