"""Events from outside the hall: grid workers' reports (网格事件) and 12345
work orders, from a file (JSON / CSV / XLSX as the platforms export them) or a
watched folder; and the result of a closed 12345 order, exported back.

An import is all or nothing: every bad record is named and nothing is written.
An item keeps its source and external id; importing it again does not
duplicate it (it is counted as already there).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select

from hall.domain import whistle as rules
from hall.domain.clock import HALL_TZ, UTC, to_local
from hall.store.db import Database
from hall.store.whistle_models import Department, IntakeEvent, Summons, Whistle

from .base import Actor, InvalidInput, NotFound, unit_of_work
from .views import JsonView

FORMATS = ("json", "csv", "xlsx")
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class ImportResult(JsonView):
    source: str
    records: int
    added: int
    already: int
    batch: str


@dataclass(frozen=True)
class EventView(JsonView):
    id: int
    source: str
    source_label: str
    external_id: str
    grid_code: str
    street: str
    reporter: str
    place: str
    category: str
    description: str
    reported_at: dt.datetime
    resident_name: str
    resident_phone: str
    reply_due: dt.datetime | None
    reply_kind: str
    attachments: tuple
    state: str
    whistle_id: int | None
    result: str = ""


class ImportRefused(InvalidInput):
    """The file was refused whole; ``problems`` names every bad record."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message, problems=problems)
        self.problems = problems


# ------------------------------------------------------------ reading files
def _format(path: Path, fmt: str | None) -> str:
    f = (fmt or path.suffix.lstrip(".")).lower()
    if f not in FORMATS:
        raise InvalidInput(f"不支持的文件格式“{path.suffix or fmt}”（可用 JSON、CSV、XLSX）")
    return f


def read_rows(data: bytes, fmt: str) -> list[dict]:
    """The records of an exported file, as dicts keyed by column name."""
    if fmt == "json":
        try:
            obj = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InvalidInput("文件不是 UTF-8 编码的文本") from None
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
        if isinstance(obj, dict):
            obj = obj.get("records", obj.get("data", obj.get("items")))
        if not isinstance(obj, list):
            raise InvalidInput("JSON 文件应为记录列表（或含 records 列表的对象）")
        return [r if isinstance(r, dict) else {"__bad__": r} for r in obj]
    if fmt == "csv":
        for enc in ("utf-8-sig", "gb18030"):
            try:
                textdata = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("CSV 文件编码无法识别（应为 UTF-8 或 GB18030）")
        reader = csv.DictReader(io.StringIO(textdata))
        if not reader.fieldnames:
            raise InvalidInput("CSV 文件没有表头")
        return [dict(r) for r in reader]
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput("XLSX 文件无法打开（文件损坏或不是 Excel 工作簿）") from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise InvalidInput("XLSX 工作表没有表头")
    names = [str(h).strip() if h is not None else "" for h in header]
    out = [{n: v for n, v in zip(names, r) if n} for r in rows if any(v not in (None, "") for v in r)]
    wb.close()
    return out


def check_rows(source: rules.EventSource, rows: Sequence[dict]) -> tuple[list[rules.IntakeRecord], list[str]]:
    records: list[rules.IntakeRecord] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(rows, start=1):
        if "__bad__" in raw:
            problems.append(f"第{i}条：不是一条记录")
            continue
        rec, p = rules.check_record(source, raw, HALL_TZ)
        ext = str(rec.external_id if rec else next((raw[n] for n in rules.fields_for(source)["external_id"]
                                                    if raw.get(n)), "")).strip()
        who = f"第{i}条" + (f"（编号 {ext}）" if ext else "")
        if rec is not None and len(rec.external_id) > 64:
            p = [*p, "编号超过64个字符"]
        if ext and ext in seen:
            p = [*p, f"编号与第{seen[ext]}条重复"]
        elif ext:
            seen[ext] = i
        if p:
            problems.append(f"{who}：{'；'.join(p)}")
        elif rec is not None:   # no problems: a record
            records.append(rec)
    return records, problems


def import_events(db: Database, actor: Actor, source: str, data: bytes, fmt: str, *,
                  batch: str = "", attachments_folder: str | Path | None = None) -> ImportResult:
    """Take in a platform's export: all records or none."""
    actor.require("whistle.intake")  # before looking at the input
    try:
        src = rules.EventSource(source)
    except ValueError:
        raise InvalidInput("来源应为网格事件（grid）或12345工单（12345）") from None
    if src is rules.EventSource.WALK_IN:
        raise InvalidInput("来访事项请在导引台登记")
    rows = read_rows(data, fmt)
    if not rows:
        raise InvalidInput("文件中没有记录")
    records, problems = check_rows(src, rows)
    stored: dict[str, tuple[str, int]] = {}
    if attachments_folder is not None and not problems:
        from .documents import store_file

        folder = Path(attachments_folder)
        for rec in records:
            for name in rec.values["attachments"]:
                p = folder / name
                if not p.is_file():
                    problems.append(f"编号 {rec.external_id}：找不到附件“{name}”")
                elif name not in stored:
                    stored[name] = store_file(db, p)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = f"；另有 {len(problems) - len(shown)} 条有误" if len(problems) > len(shown) else ""
        raise ImportRefused(f"文件有 {len(problems)} 条记录有误，未导入任何记录：" + "；".join(shown) + more,
                            problems)
    with unit_of_work(db, actor, "whistle.intake") as uow:
        s = uow.s
        if db.is_postgres:   # two workstations importing the same export: the second waits, then skips
            from sqlalchemy import text

            s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "intake|" + src.value})
        ids = [r.external_id for r in records]
        existing: set[str] = set()
        for k in range(0, len(ids), 500):
            existing |= set(s.execute(select(IntakeEvent.external_id).where(
                IntakeEvent.source == src.value, IntakeEvent.external_id.in_(ids[k:k + 500]))).scalars())
        files = {}
        if stored:
            import mimetypes

            from .documents import ensure_stored

            for name, (sha, size) in stored.items():
                fid = ensure_stored(uow, sha, size, mimetypes.guess_type(name)[0] or "application/octet-stream", name)
                files[name] = {"stored_file_id": fid, "sha256": sha, "name": name, "size": size}
        batch = batch or f"{src.value}-{to_local(uow.now):%Y%m%d%H%M%S}"
        new = []
        for r in records:
            if r.external_id in existing:
                continue
            v = r.values
            new.append(dict(
                source=src.value, external_id=r.external_id, grid_code=v.get("grid_code", ""),
                street=v.get("street", ""), reporter=v.get("reporter", ""), place=v.get("place", ""),
                category=v.get("category", ""), description=v.get("description", ""),
                reported_at=v["reported_at"].astimezone(UTC), resident_name=v.get("resident_name", ""),
                resident_phone=v.get("resident_phone", ""),
                reply_due=v["reply_due"].astimezone(UTC) if v.get("reply_due") else None,
                reply_kind=v.get("reply_kind", ""),
                attachments=[files.get(a, {"name": a}) for a in v["attachments"]],
                state="new", whistle_id=None, result="", closed_at=None, imported_at=uow.now,
                imported_by=actor.user_id, batch=batch[:64]))
            existing.add(r.external_id)
        for k in range(0, len(new), 1000):
            s.execute(insert(IntakeEvent), new[k:k + 1000])
        uow.audit("whistle.import", "intake", batch, source=src.value, records=len(records), added=len(new))
        if new:
            uow.event("whistle.events_imported", source=src.value, added=len(new), batch=batch)
        return ImportResult(src.value, len(records), len(new), len(records) - len(new), batch)


def import_file(db: Database, actor: Actor, source: str, path: str | Path, fmt: str | None = None) -> ImportResult:
    actor.require("whistle.intake")  # before looking at the input
    p = Path(path).expanduser()
    if not p.is_file():
        raise NotFound(f"找不到文件：{p}")
    f = _format(p, fmt)
    return import_events(db, actor, source, p.read_bytes(), f, batch=p.name, attachments_folder=p.parent)


@dataclass(frozen=True)
class FolderReport(JsonView):
    imported: tuple      # (file name, added, already)
    refused: tuple       # (file name, message)


def watch_folder_once(db: Database, actor: Actor, folder: str | Path) -> FolderReport:
    """One pass over a watched folder: ``grid/`` and ``12345/`` hold new exports.

    Each file is imported whole and moved to ``done/``; a refused one goes to
    ``failed/`` with a ``.txt`` beside it naming every bad record.
    """
    actor.require("whistle.intake")  # before looking at the input
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise NotFound(f"找不到文件夹：{root}")
    done, failed = root / "done", root / "failed"
    imported, refused = [], []
    for source in ("grid", "12345"):
        inbox = root / source
        if not inbox.is_dir():
            continue
        for p in sorted(inbox.iterdir()):
            if not p.is_file() or p.suffix.lower().lstrip(".") not in FORMATS:
                continue
            try:
                res = import_file(db, actor, source, p)
            except InvalidInput as exc:
                failed.mkdir(exist_ok=True)
                target = failed / p.name
                shutil.move(str(p), target)
                lines = getattr(exc, "problems", None) or [exc.message]
                target.with_name(target.name + ".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
                refused.append((p.name, exc.message))
                continue
            done.mkdir(exist_ok=True)
            shutil.move(str(p), done / p.name)
            imported.append((p.name, res.added, res.already))
    return FolderReport(tuple(imported), tuple(refused))


# ------------------------------------------------------------ lists
def _event_view(e: IntakeEvent) -> EventView:
    return EventView(e.id, e.source, rules.EventSource(e.source).label, e.external_id, e.grid_code, e.street,
                     e.reporter, e.place, e.category, e.description, e.reported_at, e.resident_name,
                     e.resident_phone, e.reply_due, e.reply_kind, tuple(a.get("name", "") for a in e.attachments or ()),
                     e.state, e.whistle_id, e.result)


def list_events(db: Database, actor: Actor, *, state: str | None = "new", source: str | None = None,
                limit: int = 500) -> list[EventView]:
    actor.require("whistle.read")
    with db.read() as s:
        stmt = select(IntakeEvent).order_by(IntakeEvent.reported_at.desc(), IntakeEvent.id.desc()).limit(limit)
        if state:
            stmt = stmt.where(IntakeEvent.state == state)
        if source:
            stmt = stmt.where(IntakeEvent.source == source)
        return [_event_view(e) for e in s.execute(stmt).scalars()]


def suggested_departments(db: Database, category: str) -> list[str]:
    """Departments whose categories match an event's (a suggestion for the desk)."""
    with db.read() as s:
        defs = [rules.DepartmentDef(d.code, d.name, d.kind, (), (), tuple(d.categories or ()), bool(d.active))
                for d in s.execute(select(Department)).scalars()]
    return rules.departments_for(category, defs)


# ------------------------------------------------------------ export for the hotline
HOTLINE_EXPORT_COLUMNS = ("工单编号", "办理结果", "承办部门", "办结时间", "答复方式", "满意度", "回访方式")


def hotline_results(db: Database, actor: Actor, *, since: dt.date | None = None) -> list[dict]:
    """The closed 12345 orders with their result, for the hotline's reply."""
    actor.require("whistle.read")
    with db.read() as s:
        stmt = (select(IntakeEvent, Whistle).join(Whistle, Whistle.id == IntakeEvent.whistle_id)
                .where(IntakeEvent.source == "12345", IntakeEvent.state == "closed").order_by(IntakeEvent.id))
        if since is not None:
            stmt = stmt.where(IntakeEvent.closed_at >= dt.datetime.combine(since, dt.time(0), HALL_TZ).astimezone(UTC))
        out = []
        for e, w in s.execute(stmt).all():
            depts = s.execute(select(Department.name).join(Summons, Summons.department_id == Department.id)
                              .where(Summons.whistle_id == w.id, Summons.state == "resolved")
                              .order_by(Summons.id)).scalars().all()
            out.append({"工单编号": e.external_id, "办理结果": e.result, "承办部门": "、".join(depts),
                        "办结时间": f"{to_local(e.closed_at):%Y-%m-%d %H:%M}", "答复方式": e.reply_kind,
                        "满意度": rules.SATISFACTION_LABELS.get(w.satisfaction, "未回访"),
                        "回访方式": rules.SATISFACTION_CHANNELS.get(w.satisfaction_channel, "")})
        return out


def export_hotline_results(db: Database, actor: Actor, fmt: str, *, since: dt.date | None = None) -> bytes:
    actor.require("whistle.read")  # before looking at the input
    if fmt not in FORMATS:
        raise InvalidInput(f"不支持的导出格式“{fmt}”（可用 json、csv、xlsx）")
    rows = hotline_results(db, actor, since=since)
    if fmt == "json":
        return (json.dumps({"records": rows}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        text = io.StringIO()
        w = csv.DictWriter(text, fieldnames=list(HOTLINE_EXPORT_COLUMNS))
        w.writeheader()
        w.writerows(rows)
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.title = "12345办理结果"
    sh.append(list(HOTLINE_EXPORT_COLUMNS))
    for r in rows:
        sh.append([r[c] for c in HOTLINE_EXPORT_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
