"""证据与文书: the case's files with their SHA-256 and verification, the
link between an imported video and the sitting's recording segment, and
the DOCX export of every mediation document of the case.

Files are imported from this computer (copied into the store, hashed, the
copy checked: ``mediation.import_evidence``). 校验 re-hashes every stored
copy against the hash registered when it came in. A DOCX is rendered and
registered like a print (``render.render_document``) and saved in the
document folder, to be edited in a word processor.
"""
from __future__ import annotations

from pathlib import Path

from hall.services import mediation, render
from hall.services.cases import CaseDetail
from hall.services.mediation import EvidenceItem, RecordingSegment
from ui.common.casework import card, error_text, hrow, set_status, status_line, table, ymd_hm
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.mediation.agreement import default_document_folder
from ui.qt import QComboBox, QFileDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget, translate

__all__ = ["EvidenceTab", "EXPORT_KINDS"]

#: The documents of a mediation case, in the order of its file (人民调解法第二十七条).
EXPORT_KINDS = (
    ("mediation_registration", "人民调解受理登记表"),
    ("mediation_rights_notice", "人民调解当事人权利义务告知书"),
    ("mediation_attendance_notice", "调解通知书"),
    ("mediation_minutes", "调解笔录"),
    ("mediation_agreement", "人民调解协议书"),
    ("mediation_follow_up", "人民调解回访记录"),
    ("mediation_termination", "终止调解告知书"),
)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class EvidenceTab(QWidget):
    """证据与文书."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.folder: Path | None = None      # where DOCX files go (default: the document folder)
        self.items: list[EvidenceItem] = []
        self.segments: list[RecordingSegment] = []
        self._busy = 0

        def verified(e: EvidenceItem) -> str:
            if e.verified is None:
                return translate("EvidenceTab", "未校验")
            return translate("EvidenceTab", "一致") if e.verified else translate("EvidenceTab", "不一致：") + e.problem

        self.model = RowsModel([
            Column(self.tr("文件"), lambda e: e.name, tooltip=lambda e: e.description or e.name),
            Column(self.tr("类别"), lambda e: translate("EvidenceKinds", e.kind_label)),
            Column(self.tr("大小"), lambda e: _size(e.size)),
            Column(self.tr("SHA-256"), lambda e: e.sha256[:16] + "…", tooltip=lambda e: e.sha256),
            Column(self.tr("录像段"), lambda e: e.recording_label),
            Column(self.tr("入库时间"), lambda e: ymd_hm(e.added_at)),
            Column(self.tr("校验"), verified, tooltip=lambda e: e.problem),
        ], self)
        self.table = table(self.model, [180, 70, 70, 150, 170, 120], stretch=6)
        self.table.setObjectName("evidenceList")
        self.description = QLineEdit()
        self.description.setObjectName("evidenceDescription")
        self.description.setMaxLength(200)
        self.description.setPlaceholderText(self.tr("证明内容 / 来源（可不填）"))
        self.import_button = QPushButton(self.tr("导入文件…"))
        self.import_button.setObjectName("importEvidence")
        self.import_button.clicked.connect(self.import_file)
        self.verify_button = QPushButton(self.tr("校验全部文件"))
        self.verify_button.setObjectName("verifyEvidence")
        self.verify_button.clicked.connect(lambda: self.load(verify=True))
        self.segment_box = QComboBox()
        self.segment_box.setObjectName("recordingSegment")
        self.link_button = QPushButton(self.tr("所选文件关联到录像段"))
        self.link_button.setObjectName("linkRecording")
        self.link_button.clicked.connect(self.link)
        self.status = status_line("evidenceStatus")

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("exportKind")
        for code, name in EXPORT_KINDS:
            self.kind_box.addItem(translate("DocumentKinds", name), code)
        self.export_button = QPushButton(self.tr("导出 DOCX"))
        self.export_button.setObjectName("exportDocx")
        self.export_button.clicked.connect(self.export_docx)
        self.export_status = status_line("exportStatus")

        files, fl = card(self.tr("证据材料清单"))
        fl.addWidget(self.table, 1)
        fl.addLayout(hrow(self.description, self.import_button, self.verify_button))
        fl.addLayout(hrow(self.segment_box, self.link_button, stretch_at=0))
        fl.addWidget(self.status)
        docs, dl = card(self.tr("文书导出（可编辑的 DOCX）"))
        dl.addLayout(hrow(self.kind_box, self.export_button, stretch_at=0))
        dl.addWidget(self.export_status)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(files, 1)
        lay.addWidget(docs)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    # -- seams (replaced in tests)
    def choose_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择要入库的文件"))
        return path

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def show_detail(self, detail: CaseDetail) -> None:
        same = self.detail is not None and self.detail.case.id == detail.case.id
        self.detail = detail
        if not same:
            self.model.set_rows([])
            set_status(self.status, "", "busy")
            set_status(self.export_status, "", "busy")
        self.load()

    def _gone(self) -> bool:
        """The workspace closed while a read was running (its widgets are gone)."""
        if getattr(self.host, "_shut", False):
            return True
        try:
            self.table.objectName()
        except RuntimeError:
            return True
        return False

    def _run(self, fn, done, failed=None) -> None:
        self._busy += 1
        failed = failed or (lambda exc: set_status(self.status, error_text(exc), "error"))

        def finished() -> None:
            self._busy -= 1
            if not self._gone():
                self._update()

        Op(self, fn).success(lambda r: None if self._gone() else done(r)) \
            .failure(lambda exc: None if self._gone() else failed(exc)).finally_(finished).run()

    def load(self, verify: bool = False) -> None:
        if self.detail is None:
            return
        db, actor, cid = self.host.db, self.host.actor, self.detail.case.id

        def read():
            return mediation.evidence_list(db, actor, cid, verify=verify), mediation.recording_segments(db, actor, cid)

        def got(result) -> None:
            if self.detail is None or self.detail.case.id != cid:
                return
            items, segments = result
            self.items, self.segments = items, segments
            keep = self.selected()
            self.model.set_rows(items)
            if keep is not None:
                for i, e in enumerate(items):
                    if e.id == keep.id:
                        self.table.selectRow(i)
            self.segment_box.clear()
            for s in segments:
                self.segment_box.addItem(s.label + (self.tr("（已关联）") if s.file_id else ""), s.id)
            if verify:
                bad = [e for e in items if e.verified is False]
                if bad:
                    set_status(self.status, self.tr("{n} 个文件与登记的校验值不符").replace("{n}", str(len(bad))), "error")
                else:
                    set_status(self.status, self.tr("全部 {n} 个文件与登记的 SHA-256 一致").replace("{n}", str(len(items))),
                               "ok")
            self._update()

        self._run(read, got)

    def selected(self) -> EvidenceItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        i = rows[0].row()
        return self.model.rows[i] if 0 <= i < len(self.model.rows) else None

    def _update(self) -> None:
        has_case = self.detail is not None
        self.import_button.setEnabled(has_case and not self.busy)
        self.verify_button.setEnabled(has_case and bool(self.items) and not self.busy)
        self.link_button.setEnabled(has_case and self.selected() is not None and self.segment_box.count() > 0
                                    and not self.busy)
        self.export_button.setEnabled(has_case and not self.busy)

    def import_file(self) -> None:
        if self.detail is None:
            return
        path = self.choose_file()
        if not path:
            return
        db, actor, cid = self.host.db, self.host.actor, self.detail.case.id
        description = self.description.text().strip()

        def done(view) -> None:
            self.description.clear()
            set_status(self.status, self.tr("已入库：{name}（SHA-256 {sha}…）").replace("{name}", view.original_name)
                       .replace("{sha}", view.sha256[:12]), "ok")
            self.load()

        self._run(lambda: mediation.import_evidence(db, actor, cid, path, description=description), done)

    def link(self) -> None:
        e, rid = self.selected(), self.segment_box.currentData()
        if e is None or rid is None:
            return
        db, actor = self.host.db, self.host.actor

        def done(seg) -> None:
            set_status(self.status, self.tr("{name} 已关联到{segment}").replace("{name}", e.name)
                       .replace("{segment}", seg.label), "ok")
            self.load()

        self._run(lambda: mediation.link_recording_file(db, actor, rid, e.id), done)

    def export_docx(self) -> None:
        if self.detail is None:
            return
        kind = self.kind_box.currentData()
        db, actor, cid, number = self.host.db, self.host.actor, self.detail.case.id, self.detail.case.number
        folder = self.folder or default_document_folder()
        name = self.kind_box.currentText()

        def make():
            doc = render.render_document(db, actor, kind, case_id=cid, fmt="docx",
                                         side="respondent" if kind == "mediation_attendance_notice" else None)
            folder.mkdir(parents=True, exist_ok=True)
            safe = "".join(ch for ch in f"{name}-{number}-第{doc.version}版" if ch not in '\\/:*?"<>|')
            path = folder / f"{safe}.docx"
            path.write_bytes(doc.data)
            return path

        self._run(make, lambda path: set_status(self.export_status, self.tr("已导出：{path}").replace("{path}", str(path)),
                                                "ok"),
                  lambda exc: set_status(self.export_status, error_text(exc), "error"))
