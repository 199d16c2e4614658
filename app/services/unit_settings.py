"""Reading and changing a unit's settings (the declarations live in :mod:`app.core.settings`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlite_utils

from app.core.errors import UserError
from app.core.settings import DECLARED, Settings
from app.services.context import AppContext
from app.services.signin import PUBLIC_SETTINGS
from app.store import keyslots, meta


def list_settings(ctx: AppContext) -> list[dict[str, Any]]:
    """Every declared setting with its current value, default and description."""
    return [{"name": s.name, "value": ctx.settings.get(s.name), "default": s.default,
             "description": s.description} for s in DECLARED]


def set_setting(ctx: AppContext, name: str, text: str) -> AppContext:
    """Store a new value typed as text; returns the context with the new settings."""
    try:
        decl = Settings.declaration(name)
    except KeyError:
        raise UserError("没有名为“{name}”的设置，请用 config list 查看",
                        name=name, log=f"unknown setting {name!r}") from None
    try:
        settings = ctx.settings.with_value(name, text)
    except (TypeError, ValueError):
        kind = ("、".join(decl.choices) + " 之一" if decl.choices else "整数" if decl.type is int
                else "是或否（true/false）" if decl.type is bool else "文字")
        raise UserError("设置“{name}”应为{kind}，而不是“{text}”",
                        name=name, kind=kind, text=text, log=f"bad value {text!r} for {name}") from None
    value = settings.get(name)

    def write(db: sqlite_utils.Database) -> None:
        meta.save_setting(db, name, value)

    ctx.store.write(write)
    if name in PUBLIC_SETTINGS:  # sign-in reads these before the database is open
        keys = keyslots.load(ctx.data_dir)
        keyslots.save(ctx.data_dir, dataclasses.replace(keys, public={**keys.public, name: value}))
    return dataclasses.replace(ctx, settings=settings)
