"""The data folder for whoever signs in at the window: who has signed in here, opening, switching person.

:mod:`app.services.signin` checks a password and opens the data key; this module turns its
:class:`~app.services.signin.Unlocked` into the :class:`AppContext` the window works with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.services import signin, sync_run
from app.services.context import AppContext, local_now, open_context

log = logging.getLogger("services.signed_in")


@dataclass(frozen=True, slots=True)
class Person:
    """Somebody who has signed in on this PC (and so may sign in here offline)."""

    user: str
    name: str


@dataclass(frozen=True, slots=True)
class People:
    """The people who have signed in on this PC, and who did last (the sign-in screen's default)."""

    people: tuple[Person, ...]
    last_user: str


def people_here(data_dir: Path) -> People:
    """Who has signed in on this PC; UserError if the folder is no data folder (or its key file is damaged)."""
    keys = signin.load_keys(data_dir)
    if keys is None:  # a folder from before encryption: nobody has a slot yet
        return People((), "")
    people = tuple(Person(s.user, str(s.profile.get("name") or s.user)) for s in keys.users())
    return People(people, keys.last_user)


def _keep_unit(ctx: AppContext, unlocked: signin.Unlocked) -> AppContext:
    if unlocked.unit is not None:  # an online sign-in: the unit's name and window number, as the platform said
        return sync_run.record_sign_in(ctx, unlocked.unit)
    return ctx


def open_signed_in(data_dir: Path, unlocked: signin.Unlocked, *,
                   clock: Callable[[], dt.datetime] = local_now) -> AppContext:
    """Open the folder for the person who just signed in."""
    ctx = open_context(data_dir, unlocked.session, unlocked.keys, clock=clock, tokens=unlocked.tokens)
    try:
        return _keep_unit(ctx, unlocked)
    except BaseException:
        ctx.close()
        raise


def switch_person(ctx: AppContext, unlocked: signin.Unlocked) -> AppContext:
    """``ctx``'s folder for the person who just signed in instead of ``ctx``'s.

    The folder has one data key whoever opens it: their sign-in opened the one ``ctx``'s store
    holds, so the new context shares that open store (its writer, its readers) and differs only
    in the person and their platform tokens. Should their key differ (a key changed since the
    store was opened), the folder is opened again with theirs: a new store, which the caller
    closes (``new.store is not ctx.store``). ``ctx`` itself is left as it is: work started
    under it finishes under it, with the previous person's tokens.
    """
    if unlocked.keys[0] == ctx.store.key:
        new = dataclasses.replace(ctx, session=unlocked.session, tokens=unlocked.tokens)
    else:
        log.info("the data key of %s differs from the open store's: opening the folder again", unlocked.session.user)
        new = open_context(ctx.data_dir, unlocked.session, unlocked.keys, clock=ctx.clock, tokens=unlocked.tokens)
    try:
        new = _keep_unit(new, unlocked)
    except BaseException:
        if new.store is not ctx.store:
            new.close()
        raise
    log.info("switched from %s to %s", ctx.session.user, unlocked.session.user)
    return new
