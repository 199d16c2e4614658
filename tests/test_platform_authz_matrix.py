"""The authorisation matrix: every route × every role × whose the target is.

The routes come from the app's own route table (every API route under ``/api/v1`` and ``/files``;
the test-only ``/_test`` hook aside), so a route added without a rule here fails the test. The
caller is a user of 万秀区 (a county) in each role; the target of each request (a case, a blob, an
upload, a user, an installation) belongs to the county itself, to one of its townships (once as
received there, once forwarded up to the county), to the city above it, to the other county, or
to a township under the other county. Real data for each, one seeded platform for the module.

"Allowed" is what the route gives: a 2xx answer, and for the routes that filter (the feed, the
chain, blobs/missing, actions) the target's data or an accepted action.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from city_platform.ca import CertificateAuthority
from tests.support.inprocess import served_platform
from tests.support.platform import CITY, COUNTY, OTHER_COUNTY, PASSWORD, TOWNSHIP, TOWNSHIP_3, user_of
from tests.support.platform_api import (
    TUS,
    NewCase,
    bearer,
    case_number,
    create_upload,
    login,
    push_one,
    sha256,
    token,
)

ROLES = ("clerk", "reviewer", "approver", "supervisor", "archivist", "admin")
RELATIONS = ("own", "child", "child_forwarded", "parent", "sibling", "unrelated")
HOME = COUNTY
#: the unit a target of each relation belongs to
UNIT_OF = {"own": COUNTY, "child": TOWNSHIP, "child_forwarded": TOWNSHIP, "parent": CITY,
           "sibling": OTHER_COUNTY, "unrelated": TOWNSHIP_3}

ALL = frozenset(RELATIONS)
OWN = frozenset({"own"})
#: what a unit sees: its own, and what was forwarded to it
SEEN = frozenset({"own", "child_forwarded"})
NONE: frozenset[str] = frozenset()


def rule(default: frozenset[str] = NONE, **per_role: frozenset[str]) -> dict[str, frozenset[str]]:
    """Role → the relations in which a request is allowed."""
    assert set(per_role) <= set(ROLES)
    return {role: per_role.get(role, default) for role in ROLES}


#: (method, path) → role → relations allowed. Everything else is refused.
RULES: dict[tuple[str, str], dict[str, frozenset[str]]] = {
    ("GET", "/api/v1/health"): rule(ALL),
    ("POST", "/api/v1/auth/login"): rule(ALL),
    ("POST", "/api/v1/auth/refresh"): rule(ALL),
    ("POST", "/api/v1/auth/logout"): rule(ALL),
    ("GET", "/api/v1/me"): rule(ALL),
    # Only who uploads materials asks which are missing, and learns only of the unit's own uploads.
    ("POST", "/api/v1/blobs/missing"): rule(clerk=OWN, reviewer=OWN, approver=OWN),
    # The unit's own blobs and those of cases forwarded to it; the administrator reads no casework.
    ("GET", "/api/v1/blobs/{sha256}"): rule(SEEN, admin=NONE),
    # Each role's own step on cases the unit holds; the archivist's only once the file is back home.
    # The supervisor's is 挂号督办 on an overdue case of the unit's tree (own, child, forwarded up from a child).
    ("POST", "/api/v1/actions"): rule(clerk=SEEN, reviewer=SEEN, approver=SEEN, archivist=OWN,
                                      supervisor=frozenset({"own", "child", "child_forwarded"})),
    ("GET", "/api/v1/feed"): rule(SEEN, admin=NONE),
    ("GET", "/api/v1/chain"): rule(OWN),
    # The target is the unit's window clerk: the clerk marks themselves, the administrator anyone of the unit.
    ("POST", "/api/v1/users/{username}/away"): rule(clerk=OWN, admin=OWN),
    # Every role of the unit may sign in on its PCs.
    ("POST", "/api/v1/installations/{installation_id}/secret"): rule(OWN),
    # A look at a case's personal data is recorded by whoever may read the case, for cases the unit sees.
    ("POST", "/api/v1/views"): rule(SEEN, admin=NONE),
    # Who looked at a case: the supervisor's list (效能监察), for cases the unit sees.
    ("GET", "/api/v1/cases/{case_id}/views"): rule(supervisor=SEEN),
    # The text messages the platform recorded for the caller's own unit (the target plays no part: a
    # listing is always the unit's own): its supervisors and administrator.
    ("GET", "/api/v1/sms"): rule(supervisor=ALL, admin=ALL),
    # 效能监察 lists: the supervisor's, over the cases of the unit's tree (its own and its children's).
    ("GET", "/api/v1/supervision/lists"): rule(supervisor=frozenset({"own", "child", "child_forwarded"})),
    # 月报: whoever reads casework, for the unit's own figures or a unit below it (the target is the unit
    # asked about); no personal data in them, so the supervisor too, and never a neighbour's or the city's.
    ("GET", "/api/v1/figures"): rule(frozenset({"own", "child", "child_forwarded"}), admin=NONE),
    # A seal certificate is always for the caller's own unit (the target plays no part): the
    # approver's by role; a reviewer or administrator only once named a seal holder (none is here).
    ("POST", "/api/v1/pki/certificates"): rule(approver=ALL),
    # The target is a certificate of the relation's unit: only its own administrator revokes it.
    ("POST", "/api/v1/pki/certificates/{serial}/revoke"): rule(admin=OWN),
    # The target is the administrator of the relation's unit, named (and unnamed) a seal holder.
    ("PUT", "/api/v1/pki/seal-holders/{username}"): rule(admin=OWN),
    ("DELETE", "/api/v1/pki/seal-holders/{username}"): rule(admin=OWN),
    # 免证: whoever may read personal data asks the licence library about the applicant in front of them
    # (the holder is a person, not a unit: every relation alike).
    ("GET", "/api/v1/licences"): rule(clerk=ALL, reviewer=ALL, approver=ALL, archivist=ALL),
    ("GET", "/api/v1/licences/{licence_id}/pdf"): rule(clerk=ALL, reviewer=ALL, approver=ALL, archivist=ALL),
    ("OPTIONS", "/files"): rule(ALL),
    ("POST", "/files"): rule(clerk=ALL, reviewer=ALL, approver=ALL),
    # An upload is its creator's alone: the target is one the unit's window clerk created.
    ("HEAD", "/files/{upload_id}"): rule(clerk=OWN),
    ("PATCH", "/files/{upload_id}"): rule(clerk=OWN),
    ("DELETE", "/files/{upload_id}"): rule(clerk=OWN),
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every API route under /api/v1 and /files, as the app routes them."""
    found = set()
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if isinstance(route.original_route, APIRoute) and path.startswith(("/api/v1/", "/files")):
            found.update((method, path) for method in route.methods or ())
    return found


@dataclass
class World:
    """The platform, the callers (a user of the county in each role) and a target of each relation."""

    client: httpx.Client
    app: FastAPI
    callers: dict[str, str] = field(default_factory=dict)
    clerks: dict[str, str] = field(default_factory=dict)
    installations: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    #: relation → a case whose visibility is probed (feed, blobs)
    seen: dict[str, NewCase] = field(default_factory=dict)
    #: (role, relation) → a case of its own for that role's step
    acting: dict[tuple[str, str], NewCase] = field(default_factory=dict)
    _links: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def accepted(self, tok: str, action: dict[str, Any]) -> None:
        result = push_one(self.client, tok, action)
        assert result["result"] == "accepted", result

    def case(self, relation: str, *, closed: bool = False) -> NewCase:
        """A case of ``relation``'s unit, accepted (forwarded to the county for child_forwarded),
        withdrawn too if ``closed``; its receive carries the installation's chain link."""
        unit = UNIT_OF[relation]
        tok = self.clerks[unit]
        case = NewCase(case_no=case_number(unit))
        case.upload_blobs(self.client, tok)
        n = next(self._links)
        link = {"installation": self.installations[unit], "seq": 1, "hash": sha256(b"%d" % n), "gseq": n,
                "ghash": sha256(b"g%d" % n)}
        self.accepted(tok, {**case.receive(), "chain": link})
        self.accepted(tok, case.action("accept", {"promised_days": 5}))
        if relation == "child_forwarded":
            self.accepted(tok, case.action("forward", {"to": HOME, "unit": unit, "text": "拟同意"}))
        if closed:
            self.accepted(tok, case.action("withdraw", {"reason": "申请人撤回"}))
        return case


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = Path(tmp_path_factory.mktemp("authz"))
    with served_platform(folder, pki_dir=CertificateAuthority.init(folder / "pki").folder) as (app, url, _), \
            httpx.Client(base_url=url, timeout=30) as client:
        w = World(client, app)
        w.callers = {role: token(client, HOME, role) for role in ROLES}
        for unit in set(UNIT_OF.values()):
            w.clerks[unit] = token(client, unit, "clerk")
            w.installations[unit] = str(uuid.uuid4())
            r = client.post(f"/api/v1/installations/{w.installations[unit]}/secret", headers=bearer(w.clerks[unit]))
            assert r.status_code == 200, r.text
            w.secrets[unit] = r.json()["secret"]
        for relation in RELATIONS:
            w.seen[relation] = w.case(relation)
            for role in ROLES:
                w.acting[role, relation] = w.case(relation, closed=role == "archivist")
        yield w


# -- one request per route, role and relation: (allowed?, what came back) ---------------------------

Probe = Callable[[World, str, str], tuple[bool, str]]


def _answer(r: httpx.Response) -> str:
    return f"{r.status_code} {r.text[:160]}"


def _status(r: httpx.Response, ok: int) -> tuple[bool, str]:
    return r.status_code == ok, _answer(r)


#: the step each role takes on a case in the state its target is in
_STEPS: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
    **{(role, "accepted"): ("start_review", {}) for role in ROLES},
    **{(role, "forwarded"): ("opinion", {"result": "同意", "text": "同意", "unit": HOME}) for role in ROLES},
    ("clerk", "accepted"): ("withdraw", {"reason": "申请人撤回"}),
    ("clerk", "forwarded"): ("withdraw", {"reason": "申请人撤回"}),
    ("approver", "accepted"): ("decide", {"result": "准予"}),
    ("archivist", "withdrawn"): ("archive", {}),
}


def probe_actions(w: World, role: str, relation: str) -> tuple[bool, str]:
    state = "withdrawn" if role == "archivist" else "forwarded" if relation == "child_forwarded" else "accepted"
    kind, payload = _STEPS[role, state]
    case = w.acting[role, relation]
    if role == "supervisor":  # 挂号督办 to the holder, once the case is overdue (accepted 11-23, 5 days)
        holder = HOME if relation in ("own", "child_forwarded") else UNIT_OF[relation]
        action = case.action("supervise", {"text": "请说明超期原因", "answer_due": "2026-12-14", "unit": HOME,
                                           "to": holder}, at=SUPERVISED_AT)
        result = push_one(w.client, w.callers[role], action)
        return result["result"] == "accepted", f"supervise: {result['result']} {result['reason']}"
    result = push_one(w.client, w.callers[role], case.action(kind, payload))
    return result["result"] == "accepted", f"{kind}: {result['result']} {result['reason']}"


#: a day on which the probes' cases (accepted 2026-11-23, promised 5 working days) are overdue
SUPERVISED_AT = "2026-12-07T09:00:00+08:00"


def probe_supervision_lists(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/supervision/lists", params={"on": SUPERVISED_AT[:10]}, headers=bearer(w.callers[role]))
    if r.status_code != 200:
        return False, _answer(r)
    listed = w.seen[relation].case_id in {c["id"] for c in r.json()["red"]}
    return listed, f"200, case {'in' if listed else 'not in'} the red list"


def probe_figures(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/figures", params={"month": SUPERVISED_AT[:7], "unit": UNIT_OF[relation]},
                     headers=bearer(w.callers[role]))
    if r.status_code != 200:
        return False, _answer(r)
    top = r.json()["units"][0]["unit"] if r.json().get("units") else ""
    return top == UNIT_OF[relation], f"200, figures of {top or 'no unit'}"


def probe_feed(w: World, role: str, relation: str) -> tuple[bool, str]:
    after, ids = 0, set()
    while True:
        r = w.client.get("/api/v1/feed", params={"after": after, "limit": 1000}, headers=bearer(w.callers[role]))
        if r.status_code != 200:
            return False, _answer(r)
        page = r.json()
        ids.update(e["case_id"] for e in page["entries"])
        if not page["more"]:
            break
        after = page["cursor"]
    return w.seen[relation].case_id in ids, f"200, case {'in' if w.seen[relation].case_id in ids else 'not in'} feed"


def probe_blob(w: World, role: str, relation: str) -> tuple[bool, str]:
    sha, data = next(iter(w.seen[relation].blobs.items()))
    r = w.client.get(f"/api/v1/blobs/{sha}", headers=bearer(w.callers[role]))
    return r.status_code == 200 and r.content == data, f"{r.status_code}"


def probe_missing(w: World, role: str, relation: str) -> tuple[bool, str]:
    sha = next(iter(w.seen[relation].blobs))
    r = w.client.post("/api/v1/blobs/missing", json={"hashes": [sha]}, headers=bearer(w.callers[role]))
    return r.status_code == 200 and r.json()["missing"] == [], _answer(r)


def probe_chain(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/chain", params={"installation": w.installations[UNIT_OF[relation]]},
                     headers=bearer(w.callers[role]))
    return r.status_code == 200 and bool(r.json()["links"]), _answer(r)


def probe_away(w: World, role: str, relation: str) -> tuple[bool, str]:
    target = user_of(UNIT_OF[relation], "clerk")
    r = w.client.post(f"/api/v1/users/{target}/away", json={"away": False}, headers=bearer(w.callers[role]))
    return _status(r, 200)


def probe_secret(w: World, role: str, relation: str) -> tuple[bool, str]:
    unit = UNIT_OF[relation]
    r = w.client.post(f"/api/v1/installations/{w.installations[unit]}/secret", headers=bearer(w.callers[role]))
    return r.status_code == 200 and r.json()["secret"] == w.secrets[unit], _answer(r)


def probe_views(w: World, role: str, relation: str) -> tuple[bool, str]:
    view = {"id": str(uuid.uuid4()), "case_id": w.seen[relation].case_id, "actor": user_of(HOME, role),
            "at": "2026-12-07T09:00:00+08:00", "what": "open_case", "detail": {}, "prev_hash": "0" * 64,
            "hash": "1" * 64}
    r = w.client.post("/api/v1/views", json={"views": [view]}, headers=bearer(w.callers[role]))
    return r.status_code == 200 and r.json()["results"][0]["result"] == "accepted", _answer(r)


def probe_case_views(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get(f"/api/v1/cases/{w.seen[relation].case_id}/views", headers=bearer(w.callers[role]))
    return _status(r, 200)


def probe_sms(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/sms", headers=bearer(w.callers[role]))
    return _status(r, 200)


#: a well-formed licence identifier the library does not hold
UNKNOWN_LICENCE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def probe_held_licences(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/licences", params={"holder": "11010519491231002X"}, headers=bearer(w.callers[role]))
    return _status(r, 200)


def probe_licence_pdf(w: World, role: str, relation: str) -> tuple[bool, str]:
    # Past the role check, an identifier the library does not hold is 404; the role refused is 403.
    r = w.client.get(f"/api/v1/licences/{UNKNOWN_LICENCE}/pdf", params={"holder": "11010519491231002X"},
                     headers=bearer(w.callers[role]))
    return _status(r, 404)


def _upload_of(w: World, relation: str) -> str:
    """A fresh, unfinished upload made by the window clerk of ``relation``'s unit."""
    return create_upload(w.client, w.clerks[UNIT_OF[relation]], 10)


def probe_tus_head(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.head(_upload_of(w, relation), headers={**TUS, **bearer(w.callers[role])})
    return _status(r, 200)


def probe_tus_patch(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.patch(_upload_of(w, relation), content=os.urandom(3), headers={
        **TUS, **bearer(w.callers[role]), "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
    return _status(r, 204)


def probe_tus_delete(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.delete(_upload_of(w, relation), headers={**TUS, **bearer(w.callers[role])})
    return _status(r, 204)


def probe_tus_create(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.post("/files", headers={**TUS, **bearer(w.callers[role]), "Upload-Length": "10"})
    return _status(r, 201)


def probe_tus_options(w: World, role: str, relation: str) -> tuple[bool, str]:
    return _status(w.client.options("/files", headers={**TUS, **bearer(w.callers[role])}), 204)


def probe_health(w: World, role: str, relation: str) -> tuple[bool, str]:
    return _status(w.client.get("/api/v1/health", headers=bearer(w.callers[role])), 200)


def probe_login(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.post("/api/v1/auth/login", json={"username": user_of(HOME, role), "password": PASSWORD})
    return _status(r, 200)


def probe_refresh(w: World, role: str, relation: str) -> tuple[bool, str]:
    fresh = login(w.client, HOME, role)
    return _status(w.client.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}), 200)


def probe_logout(w: World, role: str, relation: str) -> tuple[bool, str]:
    fresh = login(w.client, HOME, role)
    return _status(w.client.post("/api/v1/auth/logout", headers=bearer(fresh["access_token"])), 204)


def probe_me(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.get("/api/v1/me", headers=bearer(w.callers[role]))
    return r.status_code == 200 and r.json()["user"] == user_of(HOME, role), _answer(r)


def _csr() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([])).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def probe_seal_request(w: World, role: str, relation: str) -> tuple[bool, str]:
    r = w.client.post("/api/v1/pki/certificates", json={"csr": _csr()}, headers=bearer(w.callers[role]))
    return _status(r, 202)


def probe_seal_revoke(w: World, role: str, relation: str) -> tuple[bool, str]:
    approver = token(w.client, UNIT_OF[relation], "approver")
    issued = w.client.post("/api/v1/pki/certificates", json={"csr": _csr()}, headers=bearer(approver))
    assert issued.status_code == 202, issued.text
    r = w.client.post(f"/api/v1/pki/certificates/{issued.json()['serial']}/revoke", json={"reason": "superseded"},
                      headers=bearer(w.callers[role]))
    return _status(r, 200)


def probe_seal_holder_put(w: World, role: str, relation: str) -> tuple[bool, str]:
    target = user_of(UNIT_OF[relation], "admin")
    r = w.client.put(f"/api/v1/pki/seal-holders/{target}", headers=bearer(w.callers[role]))
    # Unnamed again by the unit's own administrator: the other probes see the world unchanged.
    w.client.delete(f"/api/v1/pki/seal-holders/{target}", headers=bearer(token(w.client, UNIT_OF[relation], "admin")))
    return _status(r, 200)


def probe_seal_holder_delete(w: World, role: str, relation: str) -> tuple[bool, str]:
    target = user_of(UNIT_OF[relation], "admin")
    own_admin = bearer(token(w.client, UNIT_OF[relation], "admin"))
    assert w.client.put(f"/api/v1/pki/seal-holders/{target}", headers=own_admin).status_code == 200
    r = w.client.delete(f"/api/v1/pki/seal-holders/{target}", headers=bearer(w.callers[role]))
    w.client.delete(f"/api/v1/pki/seal-holders/{target}", headers=own_admin)
    return _status(r, 200)


PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/api/v1/health"): probe_health,
    ("POST", "/api/v1/auth/login"): probe_login,
    ("POST", "/api/v1/auth/refresh"): probe_refresh,
    ("POST", "/api/v1/auth/logout"): probe_logout,
    ("GET", "/api/v1/me"): probe_me,
    ("POST", "/api/v1/blobs/missing"): probe_missing,
    ("GET", "/api/v1/blobs/{sha256}"): probe_blob,
    ("POST", "/api/v1/actions"): probe_actions,
    ("GET", "/api/v1/feed"): probe_feed,
    ("GET", "/api/v1/chain"): probe_chain,
    ("POST", "/api/v1/users/{username}/away"): probe_away,
    ("POST", "/api/v1/installations/{installation_id}/secret"): probe_secret,
    ("POST", "/api/v1/views"): probe_views,
    ("GET", "/api/v1/cases/{case_id}/views"): probe_case_views,
    ("GET", "/api/v1/sms"): probe_sms,
    ("POST", "/api/v1/pki/certificates"): probe_seal_request,
    ("POST", "/api/v1/pki/certificates/{serial}/revoke"): probe_seal_revoke,
    ("PUT", "/api/v1/pki/seal-holders/{username}"): probe_seal_holder_put,
    ("DELETE", "/api/v1/pki/seal-holders/{username}"): probe_seal_holder_delete,
    ("GET", "/api/v1/licences"): probe_held_licences,
    ("GET", "/api/v1/licences/{licence_id}/pdf"): probe_licence_pdf,
    ("GET", "/api/v1/supervision/lists"): probe_supervision_lists,
    ("GET", "/api/v1/figures"): probe_figures,
    ("OPTIONS", "/files"): probe_tus_options,
    ("POST", "/files"): probe_tus_create,
    ("HEAD", "/files/{upload_id}"): probe_tus_head,
    ("PATCH", "/files/{upload_id}"): probe_tus_patch,
    ("DELETE", "/files/{upload_id}"): probe_tus_delete,
}


def test_every_route_has_a_rule_and_a_probe(world: World) -> None:
    routes = api_routes(world.app)
    assert routes, "no routes found: the route table changed shape"
    assert sorted(routes - set(RULES)) == [], "routes without an authorisation rule in RULES"
    assert sorted(set(RULES) - routes) == [], "rules for routes the app no longer has"
    assert set(PROBES) == set(RULES)


def test_nothing_is_allowed_that_should_be_refused_and_everything_allowed_works(world: World) -> None:
    wrongly_allowed, wrongly_refused = [], []
    allowed_count = 0
    for route in sorted(api_routes(world.app) & set(RULES)):
        for role in ROLES:
            for relation in RELATIONS:
                expected = relation in RULES[route][role]
                allowed, answer = PROBES[route](world, role, relation)
                allowed_count += allowed
                line = f"{route[0]} {route[1]} as {role} on {relation} ({UNIT_OF[relation]}): {answer}"
                if allowed and not expected:
                    wrongly_allowed.append(line)
                elif expected and not allowed:
                    wrongly_refused.append(line)
    assert not wrongly_allowed, "allowed but should be refused:\n" + "\n".join(wrongly_allowed)
    assert not wrongly_refused, "refused but should be allowed:\n" + "\n".join(wrongly_refused)
    assert allowed_count == sum(len(rels) for rules in RULES.values() for rels in rules.values())
