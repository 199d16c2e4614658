"""Case numbers (受理编号) that windows can make offline without colliding.

``<6-digit division><YYYYMMDD><2-digit window><4-digit sequence>``: the division comes from
the unit's code, the window number from the settings, the sequence restarts every day.
"""

from __future__ import annotations

import datetime as dt


def division_of_org(org: str) -> str:
    """The 6-digit administrative division code of a unit code (credit or division code)."""
    code = org.strip().upper()
    return code[2:8] if len(code) == 18 else code[:6]


def case_no_prefix(org: str, day: dt.date, window_no: int) -> str:
    if not 1 <= window_no <= 99:
        raise ValueError(f"window number out of range: {window_no}")
    return f"{division_of_org(org)}{day:%Y%m%d}{window_no:02d}"


def make_case_no(prefix: str, seq: int) -> str:
    if not 1 <= seq <= 9999:
        raise ValueError(f"daily sequence out of range: {seq}")
    return f"{prefix}{seq:04d}"
