"""Who is signed in at this window: the person every action and every view of personal data names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: the roles a platform account can hold, as the platform names them, with what the window shows
ROLE_LABELS = {
    "clerk": "窗口受理", "reviewer": "审核", "approver": "审批", "supervisor": "效能监察",
    "archivist": "档案管理", "admin": "单位管理员",
}


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in person: platform user id, name, role, unit and posts; immutable.

    A switch of user makes a new Session; nothing changes one in place.
    """

    user: str
    name: str
    role: str
    unit: str
    #: (item code, "A" or "B") for each item this person holds a post for at their unit
    posts: tuple[tuple[str, str], ...] = ()
    #: this PC, as the actions name it (the installation's id)
    device: str = ""
    #: whether this sign-in was checked by the platform (False: the local verifier, offline)
    online: bool = False
    signed_in_at: dt.datetime | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def label(self) -> str:
        """「韦秀英（窗口受理）」: how the status bar and the notices name the person."""
        return f"{self.name}（{self.role_label}）"

    def post_for(self, item_code: str) -> str:
        """"A" or "B" for an item this person holds a post for; "" for none (or a role without posts)."""
        return next((post for code, post in self.posts if code == item_code), "")

    def by(self, item_code: str = "") -> dict[str, str]:
        """What an action records about who did it (kept in its payload, so it is hash-chained)."""
        return {"name": self.name, "role": self.role, "post": self.post_for(item_code), "device": self.device}

    def profile(self) -> dict[str, Any]:
        """What a key slot keeps of the person, for offline sign-ins."""
        return {"name": self.name, "role": self.role, "unit": self.unit,
                "posts": [[code, post] for code, post in self.posts]}

    @classmethod
    def from_profile(cls, user: str, profile: Mapping[str, Any], **kwargs: Any) -> Session:
        posts = tuple((str(p[0]), str(p[1])) for p in profile.get("posts", ()) if len(p) == 2)
        return cls(user=user, name=str(profile.get("name") or user), role=str(profile.get("role") or ""),
                   unit=str(profile.get("unit") or ""), posts=posts, **kwargs)
