"""Who may ask the platform's CA for the unit's seal certificate (pure; read by the client and the platform).

An approver (审批) holds the unit's e-seal by their role. The unit's administrator may also name a
reviewer or an administrator a seal holder (印章保管人) on the platform. A clerk at the window
applies the seal to what the window issues but never asks for the certificate.
"""

from __future__ import annotations

from typing import Final

from app.core.errors import Message
from app.core.permissions import Role

#: the role that holds the seal by itself
HOLDS_BY_ROLE: Final = frozenset({Role.APPROVER})
#: the roles the unit's administrator may name a seal holder
NAMEABLE: Final = frozenset({Role.REVIEWER, Role.ADMIN})


def may_ever_request(role: Role | None) -> bool:
    """Whether a person of ``role`` could be allowed to ask (by role, or once named)."""
    return role in HOLDS_BY_ROLE or role in NAMEABLE


def refusal(role: Role | None, named: bool) -> Message | None:
    """Why a person of ``role`` (named a seal holder or not) may not ask; None if they may."""
    if role in HOLDS_BY_ROLE or (named and role in NAMEABLE):
        return None
    label = role.label if role is not None else "未知"
    if role in NAMEABLE:
        return Message("您（{role}岗）尚未被单位管理员指定为印章保管人，不能申请单位电子印章证书", role=label)
    return Message("您的岗位（{role}）不能申请单位电子印章证书，请由审批人员或单位指定的印章保管人申请", role=label)
