"""``python -m city_platform serve|seed|holidays``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from city_platform.ca import REASONS, CertificateAuthority
from city_platform.config import PlatformConfig
from city_platform.database import Database
from city_platform.pki import records as pki_records
from city_platform.pki import revoke
from city_platform.seed import publish_holidays, seed_demo

DEFAULT_DB = "sqlite:///city_platform.db"
DEFAULT_PKI = "platform-pki"
#: the nextUpdate of a CRL published from the command line (as the server's default)
CRL_DAYS = 7


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m city_platform", description="市级政务服务平台（参考实现）")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the platform")
    serve.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL: sqlite:///FILE or postgresql://…")
    serve.add_argument("--blobs", type=Path, default=Path("platform-blobs"), help="blob folder")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--access-ttl", type=int, default=900, help="seconds an access token lives")
    serve.add_argument("--demo", action="store_true", help="seed the demo units first")
    serve.add_argument("--test-faults", action="store_true", help="enable /_test/faults (tests only)")
    serve.add_argument("--ssl-certfile", type=Path, help="serve HTTPS: the certificate chain (PEM), leaf first")
    serve.add_argument("--ssl-keyfile", type=Path, help="serve HTTPS: the certificate's private key (PEM)")
    serve.add_argument("--pki", type=Path, default=Path(DEFAULT_PKI),
                       help="the CA's folder (made by `ca init`, or by --demo when missing)")
    serve.add_argument("--public-url", default="", help="the address clients reach this platform at "
                       "(written into certificates); default: the address each request came to")
    serve.add_argument("--seal-cert-days", type=int, default=730, help="days a unit seal certificate is valid")
    seed = sub.add_parser("seed", help="create the demo units, users, catalogue and holidays")
    seed.add_argument("--db", default=DEFAULT_DB)
    seed.add_argument("--demo", action="store_true", required=True)
    seed.add_argument("--json", action="store_true")
    hol = sub.add_parser("holidays", help="publish a holiday table to every unit")
    hol.add_argument("--db", default=DEFAULT_DB)
    hol.add_argument("file", help="JSON: {source, years, holidays: {date: name}, workdays: {date: name}}")
    ca = sub.add_parser("ca", help="the platform's certificate authority")
    ca_sub = ca.add_subparsers(dest="ca_command", required=True)
    init = ca_sub.add_parser("init", help="make the root CA, the issuing CA and the TSA certificate")
    init.add_argument("--pki", type=Path, default=Path(DEFAULT_PKI))
    rev = ca_sub.add_parser("revoke", help="revoke a unit seal certificate and publish the CRL")
    rev.add_argument("serial", help="the certificate's serial number (hex)")
    rev.add_argument("--reason", default="unspecified", choices=sorted(REASONS))
    rev.add_argument("--pki", type=Path, default=Path(DEFAULT_PKI))
    rev.add_argument("--db", default=DEFAULT_DB)
    lst = ca_sub.add_parser("list", help="list the unit seal certificates issued")
    lst.add_argument("--db", default=DEFAULT_DB)
    lst.add_argument("--json", action="store_true")
    return p


def _ca_command(args: argparse.Namespace) -> int:
    if args.ca_command == "init":
        if CertificateAuthority.exists(args.pki):
            print(f"{args.pki} 中已有证书颁发机构，未作改动", file=sys.stderr)
            return 2
        made = CertificateAuthority.init(args.pki)
        print(f"证书颁发机构已建立：{args.pki}（根证书序列号 {made.root.serial_number:x}）")
        return 0
    db = Database(args.db)
    try:
        db.create_schema()
        if args.ca_command == "list":
            rows = pki_records(db)
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            for r in rows if not args.json else []:
                state = f"已吊销（{r['revocation_reason']}）" if r["revoked_at"] else "有效"
                print(f"{r['serial']}  {r['unit']}  {r['username']}  至 {r['not_after'][:10]}  {state}")
            return 0
        if not CertificateAuthority.exists(args.pki):
            print(f"{args.pki} 中没有证书颁发机构，请先运行 ca init", file=sys.stderr)
            return 2
        ca = CertificateAuthority.load(args.pki)
        try:
            with db.writing() as session:
                row = revoke(session, ca, CRL_DAYS, args.serial.lower(), args.reason)
        except LookupError:
            print(f"找不到序列号为 {args.serial} 的证书", file=sys.stderr)
            return 2
        print(f"证书 {row.serial}（{row.unit}）已吊销，原因：{row.revocation_reason}；新的吊销列表已发布")
        return 0
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve" and (args.ssl_certfile is None) != (args.ssl_keyfile is None):
        parser.error("--ssl-certfile and --ssl-keyfile go together")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "ca":
        return _ca_command(args)
    if args.command == "seed":
        db = Database(args.db)
        try:
            result = seed_demo(db)
        finally:
            db.dispose()
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for u in result["units"]:
                print(f"{u['code']}  {u['tier']:<8} {u['name']}  上级：{u['parent'] or '—'}")
            for user in result["users"]:
                posts = sorted({p["post"] for p in user["posts"]})
                held = f"  {'/'.join(posts)}岗 {len(user['posts'])} 项事项" if posts else ""
                print(f"{user['username']:<22} 密码：{user['password']}  单位：{user['unit']}  "
                      f"岗位：{user['role']}{held}")
        return 0
    if args.command == "holidays":
        db = Database(args.db)
        try:
            years = publish_holidays(db, args.file)
        finally:
            db.dispose()
        print(json.dumps({"years": years}))
        return 0
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from city_platform.app import create_app

    if args.demo:
        db = Database(args.db)
        try:
            seed_demo(db)
        finally:
            db.dispose()
    args.blobs.mkdir(parents=True, exist_ok=True)
    if args.demo and not CertificateAuthority.exists(args.pki):
        CertificateAuthority.init(args.pki)
    config = PlatformConfig(db_url=args.db, blobs_dir=args.blobs, access_ttl=args.access_ttl,
                            faults=args.test_faults, pki_dir=args.pki, public_url=args.public_url.rstrip("/"),
                            seal_cert_days=args.seal_cert_days)
    # Clients refuse plain http to any host but loopback: a platform on the network serves HTTPS.
    uvicorn.run(create_app(config), host=args.host, port=args.port, access_log=False, log_level="warning",
                timeout_graceful_shutdown=2, ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile)
    return 0
