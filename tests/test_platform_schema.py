"""Property-based API test: schemathesis against the live ``/openapi.json`` of a platform process.

Every operation gets a bounded number of generated requests, valid (positive) and invalid
(negative) ones, sent with a real access token so the signed-in paths run too. No request may
make the platform fail (5xx), and every answer must match what the schema promises.

(schemathesis' own lazy pytest integration, ``schemathesis.pytest.from_fixture``, does not work
with pytest 9, so the operations are listed here and a test checks the list against the schema.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import TOWNSHIP, PlatformProcess
from tests.support.platform_api import NewCase, push_one, signed, token

OPERATIONS = [
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/me"),
    ("POST", "/api/v1/blobs/missing"),
    ("GET", "/api/v1/blobs/{sha256}"),
    ("POST", "/api/v1/actions"),
    ("GET", "/api/v1/feed"),
    ("GET", "/api/v1/chain"),
    ("POST", "/api/v1/users/{username}/away"),
    ("POST", "/api/v1/installations/{installation_id}/secret"),
    ("POST", "/api/v1/views"),
    ("GET", "/api/v1/cases/{case_id}/views"),
    ("GET", "/api/v1/sms"),
    ("POST", "/api/v1/pki/certificates"),
    ("POST", "/api/v1/pki/certificates/{serial}/revoke"),
    ("PUT", "/api/v1/pki/seal-holders/{username}"),
    ("DELETE", "/api/v1/pki/seal-holders/{username}"),
    ("GET", "/pki/ca"),
    ("GET", "/pki/crl"),
    ("POST", "/pki/tsa"),
    ("POST", "/files"),
    ("HEAD", "/files/{upload_id}"),
    ("PATCH", "/files/{upload_id}"),
    ("DELETE", "/files/{upload_id}"),
    ("GET", "/licences/{licence_id}/status"),
    ("GET", "/api/v1/licences"),
    ("GET", "/api/v1/licences/{licence_id}/pdf"),
    ("GET", "/api/v1/supervision/lists"),
    ("GET", "/api/v1/figures"),
]
MAX_EXAMPLES = 15
# tus PATCH bodies are raw bytes under their own media type.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
schemathesis.serializer.alias("application/timestamp-query", "application/octet-stream")
#: every built-in check that holds for a correct server; ``negative_data_rejection`` is left out:
#: the platform (like any FastAPI app) ignores query parameters and headers it does not know
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, positive_data_acceptance]
#: an operation without any input, or whose input is any bytes (the TSA's), has no invalid requests to make
NO_INPUT = {"/api/v1/health", "/pki/ca", "/pki/crl", "/pki/tsa"}
CASES = [(method, path, mode) for method, path in OPERATIONS for mode in GenerationMode
         if not (path in NO_INPUT and mode is GenerationMode.NEGATIVE)]


@pytest.fixture(scope="module")
def auth_header(platform: PlatformProcess) -> dict[str, str]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        return {"Authorization": f"Bearer {token(c, TOWNSHIP)}"}


@pytest.fixture(scope="module")
def api_schema(platform: PlatformProcess) -> OpenApiSchema:  # noqa: F811
    return schemathesis.openapi.from_url(f"{platform.url}/openapi.json", timeout=10)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def test_every_operation_is_exercised(api_schema: OpenApiSchema) -> None:
    live = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert live == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {g.value}" for m, p, g in CASES])
def test_no_generated_request_makes_the_platform_fail(
        api_schema: OpenApiSchema, auth_header: dict[str, str], session: requests.Session,
        platform: PlatformProcess, method: str, path: str, mode: GenerationMode) -> None:  # noqa: F811
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        # The real token replaces the one schemathesis makes up from the security scheme.
        # (call_and_validate adds to the headers it is given: pass a copy.) Signing out ends
        # the token it is sent with: that one gets a token of its own.
        headers = dict(auth_header)
        if path == "/api/v1/auth/logout":
            with httpx.Client(base_url=platform.url, timeout=10) as c:
                headers = {"Authorization": f"Bearer {token(c, TOWNSHIP)}"}
        response = case.call_and_validate(base_url=platform.url, session=session, headers=headers,
                                          checks=CHECKS, timeout=10)
        assert response.status_code < 500

    check()


# -- requests a schema cannot describe ------------------------------------------------------------
# JSON parsers accept them, and each once made the platform fail with a 500 (or worse, stored an
# action that then broke the feed of every unit that sees the case).


def _post(client: httpx.Client, path: str, raw: str | bytes, tok: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {tok}"} if tok else {})}
    return client.post(path, content=raw, headers=headers)


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as c:
        yield c


@pytest.mark.parametrize("raw", [
    '{"username": "\\ud800", "password": "x"}',  # a lone surrogate: not encodable as UTF-8
    '{"username": "clerk", "password": "\\udfff"}',
    '{"username": NaN, "password": "x"}',  # Python's json takes NaN; JSON has no NaN
    '{"username": "clerk", "password": "x", "extra": [Infinity]}',
    '{"username": "a\\u0000b", "password": "x"}',  # NUL: PostgreSQL cannot store or look it up
])
def test_unstorable_text_and_numbers_are_refused_not_a_crash(client: httpx.Client, raw: str) -> None:
    r = _post(client, "/api/v1/auth/login", raw)
    assert r.status_code == 422
    assert r.json()["detail"]  # valid JSON even when it echoes what was sent


def test_a_body_that_is_not_utf8_gets_a_clear_400(client: httpx.Client) -> None:
    r = _post(client, "/api/v1/auth/login", b'{"username": "\xff\xfe", "password": "x"}')
    assert r.status_code == 400
    assert r.json()["detail"]["code"] == "http_400"
    assert r.json()["detail"]["message"] == "请求内容无法解析"


def test_a_body_larger_than_any_real_batch_is_413(client: httpx.Client, auth_header: dict[str, str]) -> None:
    raw = '{"actions": [' + " " * (33 * 1024 * 1024) + "]}"
    r = client.post("/api/v1/actions", content=raw, headers={**auth_header, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"]["code"] == "http_413"


def _pushed(client: httpx.Client, tok: str, action: dict[str, object]) -> httpx.Response:
    return client.post("/api/v1/actions", json={"actions": [signed(tok, action)]},
                       headers={"Authorization": f"Bearer {tok}"})


def test_payloads_that_cannot_be_stored_are_refused_and_the_feed_stays_readable(
        client: httpx.Client, auth_header: dict[str, str]) -> None:
    tok = auth_header["Authorization"].removeprefix("Bearer ")
    case = NewCase()
    case.upload_blobs(client, tok)
    assert push_one(client, tok, case.receive())["result"] == "accepted"
    review = signed(tok, case.action("withdraw", {"reason": "申请人撤回"}))
    template = json.dumps({"actions": [{**review, "payload": {"note": "PLACEHOLDER"}}]})
    for bad in ('"\\ud83d"', "NaN", "-Infinity"):
        r = _post(client, "/api/v1/actions", template.replace('"PLACEHOLDER"', bad), tok)
        assert r.status_code == 422, bad
    deep: object = "底"
    for _ in range(40):
        deep = [deep]
    assert _pushed(client, tok, {**review, "payload": {"note": deep}}).status_code == 422
    assert _pushed(client, tok, case.action("accept", {"promised_days": 5, "note": [[["深"]]]})).status_code == 200
    r = client.get("/api/v1/feed", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 200
    assert [e["body"]["payload"]["note"] for e in r.json()["entries"]
            if e["kind"] == "action" and e["case_id"] == case.case_id] == [[[["深"]]]]
