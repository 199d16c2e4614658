"""What a repair of the database brought back and what it did not, in words for the clerk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.store import sqlite
from app.store.salvage import TableRead


@dataclass(frozen=True, slots=True)
class LostCase:
    """A case the repair could not bring back whole, with what is known of it."""

    case_id: str
    case_no: str | None
    applicant: str | None
    item: str | None
    #: True: it had actions the platform had not received; False: all received; None: unknown
    unsynced: bool | None
    reason: str

    def describe(self) -> str:
        who = "，".join(x for x in (f"受理编号 {self.case_no}" if self.case_no else f"办件ID {self.case_id}",
                                    f"申请人 {self.applicant}" if self.applicant else "",
                                    f"事项 {self.item}" if self.item else "") if x)
        if self.unsynced is True:
            todo = "有尚未上传的操作：请按纸质材料重新收件或补录"
        elif self.unsynced is False:
            todo = "已全部同步：下次同步时自动取回"
        else:
            todo = "是否已同步未知：请先同步一次，仍未出现的请按纸质材料重新收件"
        return f"{who}（{self.reason}）——{todo}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.case_id, "case_no": self.case_no, "applicant": self.applicant, "item": self.item,
                "unsynced": self.unsynced, "reason": self.reason}


@dataclass
class RecoveryReport:
    """The outcome of ``recover``; ``needed`` is False when the database was found intact."""

    needed: bool
    #: False when nothing at all could be read from the damaged file
    readable: bool = True
    kept_at: Path | None = None
    cases: int = 0
    #: cases brought back that still have actions to upload
    unsynced: int = 0
    lost: list[LostCase] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)
    tables: list[TableRead] = field(default_factory=list)
    blobs_registered: int = 0
    blobs_damaged: list[str] = field(default_factory=list)
    #: per case id (also cases without a row): whether it had actions not yet on the platform
    unsynced_of: dict[str, bool | None] = field(default_factory=dict)

    def note_unsynced(self, conn: sqlite.Connection) -> None:
        """Record each case's standing with the platform, from the sync states that came back."""
        for case_id, pending, unknown, count, head in conn.execute(
                "SELECT a.case_id, SUM(s.state = 'pending'), SUM(s.action_id IS NULL), COUNT(*), c.head_seq"
                " FROM actions a LEFT JOIN action_sync s ON s.action_id = a.id LEFT JOIN cases c ON c.id = a.case_id"
                " GROUP BY a.case_id"):
            if pending:
                self.unsynced_of[case_id] = True
            elif unknown or head is None or head != count:  # an action missing: its standing is unknown
                self.unsynced_of[case_id] = None
            else:
                self.unsynced_of[case_id] = False

    def lines(self) -> list[str]:
        """The report as the clerk and support read it (printed, and kept beside the damaged file)."""
        if not self.needed:
            return ["数据库检查完好（integrity_check 通过），无需修复，未做任何改动。"]
        waiting = f"，其中 {self.unsynced} 件有尚未上传的操作，下次同步时上传。" if self.unsynced else "。"
        out = [f"损坏的数据库文件已另存到 {self.kept_at}（未删除、未改动），并已建立新的数据库。"]
        if not self.readable:
            out.append("损坏的文件中什么也读不出来：请同步取回平台上的办件，并按纸质材料核对本机尚未上传的办件。")
        out.append(f"已恢复办件 {self.cases} 件{waiting}")
        if self.lost:
            out.append(f"未能完整恢复的办件 {len(self.lost)} 件：")
            out += [f"  {c.describe()}" for c in self.lost]
            out.append("以上办件的受理编号均已保留，不会再分配给新办件。")
        else:
            out.append("没有发现未能恢复的办件记录。")
        listed = {c.case_no for c in self.lost}
        others = [n for n in self.reserved if n not in listed]
        if others:
            out.append("另有以下受理编号的办件记录完全无法读取（编号已保留，不会再分配），请按纸质受理通知书核对：")
            out += [f"  {n}" for n in others]
        partial = [t for t in self.tables if not t.complete]
        if partial:
            out.append("有损坏、只读出部分内容的数据表（供技术支持参考）："
                       + "、".join(f"{t.table}（{t.rows}行）" for t in partial))
        if self.blobs_registered:
            out.append(f"另有 {self.blobs_registered} 个材料文件没有对应到已恢复的办件，已保留在原处，"
                       "同步后由取回的办件认领。")
        if self.blobs_damaged:
            out.append(f"{len(self.blobs_damaged)} 个材料文件内容已损坏，已移到 {self.kept_at}/bad-blobs。")
        out.append("下一步：请联网同步一次（sync），已同步到市级平台的办件会自动取回；然后核对上面列出的办件。")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"needed": self.needed, "readable": self.readable,
                "kept_at": str(self.kept_at) if self.kept_at else None, "cases": self.cases,
                "unsynced": self.unsynced, "lost": [c.to_dict() for c in self.lost], "reserved": self.reserved,
                "tables": [{"table": t.table, "rows": t.rows, "complete": t.complete} for t in self.tables],
                "blobs_registered": self.blobs_registered, "blobs_damaged": self.blobs_damaged}
