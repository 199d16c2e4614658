"""Who signed in, as the platform's sign-in reply says: name, role and the posts (AB岗) they hold.

Optional on the wire: a platform that predates profiles sends none, and the reply reads as
``None``. A profile that is there but does not fit raises :class:`~app.sync.wire.WireError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.sync import wire

#: far beyond the items of any unit's catalogue
MAX_POSTS = 5000


@dataclass(frozen=True, slots=True)
class PostAssignment:
    """One item whose A post (主岗) or B post (备岗) the user holds at their unit."""

    item_code: str
    post: Literal["A", "B"]


@dataclass(frozen=True, slots=True)
class Profile:
    """The signed-in person as the platform knows them."""

    display_name: str
    #: as the platform names it (``app.core.permissions.Role`` values); kept as text, so a role
    #: this client does not know yet is shown rather than refused
    role: str
    posts: tuple[PostAssignment, ...] = ()


def read_profile(body: Mapping[str, Any], where: str = "login") -> Profile | None:
    """The profile in a sign-in (or ``/me``) reply, or None if the platform sent none."""
    if body.get("role") is None and body.get("display_name") is None and body.get("posts") is None:
        return None
    posts = []
    for i, raw in enumerate(wire.items(body.get("posts", []), f"{where}.posts", max_items=MAX_POSTS)):
        entry, at = wire.obj(raw, f"{where}.posts[{i}]"), f"{where}.posts[{i}]"
        post = wire.text(entry, "post", at, max_len=1)
        if post not in ("A", "B"):
            raise wire.WireError(f"{at}.post: {post!r} is neither A nor B")
        posts.append(PostAssignment(item_code=wire.text(entry, "item_code", at, max_len=32),
                                    post=post))  # type: ignore[arg-type]
    return Profile(display_name=wire.text(body, "display_name", where, max_len=200),
                   role=wire.text(body, "role", where, max_len=32), posts=tuple(posts))
