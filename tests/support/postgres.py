"""A real, throw-away PostgreSQL server for tests.

The cluster lives in a fresh temporary directory, listens on 127.0.0.1 only (trust auth) on a free
port and is removed again on ``stop()``. PostgreSQL refuses to run as root, so when the tests run
as root every server command runs as Debian's ``postgres`` system user.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

SERVICE_USER = "postgres"  # the system account Debian's postgresql package creates
PG_LIB = Path("/usr/lib/postgresql")
REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
INITDB_TIMEOUT = 120.0
START_TIMEOUT = 30  # seconds pg_ctl waits for the server (-t)
STOP_TIMEOUT = 30
START_ATTEMPTS = 3  # a fresh port each time, in case another process grabbed the one we picked
LOG_TAIL_LINES = 30


def find_pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` holding initdb, else the folder of ``initdb`` on PATH."""
    candidates: list[tuple[tuple[int, ...], Path]] = []
    if PG_LIB.is_dir():
        for version_dir in PG_LIB.iterdir():
            bin_dir = version_dir / "bin"
            if (bin_dir / "initdb").is_file() and re.fullmatch(r"\d+(\.\d+)*", version_dir.name):
                candidates.append((tuple(int(part) for part in version_dir.name.split(".")), bin_dir))
    if candidates:
        return max(candidates)[1]
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _service_account() -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return None


def postgres_available() -> str | None:
    """None if a test server can be started here, else a one-line English reason why not."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        return "PostgreSQL server binaries not found (no initdb); install the 'postgresql' package (tools/sysdeps.sh)"
    missing = [name for name in REQUIRED_BINARIES if not os.access(bin_dir / name, os.X_OK)]
    if missing:
        return f"PostgreSQL binaries missing from {bin_dir}: {', '.join(missing)}"
    if _running_as_root():
        if _service_account() is None:
            return (f"running as root but there is no '{SERVICE_USER}' system user to run the server; "
                    "install the 'postgresql' package (tools/sysdeps.sh)")
        if shutil.which("runuser") is None and shutil.which("su") is None:
            return f"running as root but neither runuser nor su is available to switch to '{SERVICE_USER}'"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg (v3) driver is not installed in this environment"
    return None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _temp_parent() -> str:
    """Where to put the cluster: a world-traversable folder (not /root) with a short path for the socket."""
    for candidate in ("/tmp", "/var/tmp"):
        if os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return tempfile.gettempdir()


def _clean_env() -> dict[str, str]:
    """This process's environment without PG* variables that would redirect the server tools."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


class PostgresServer:
    """A temporary PostgreSQL cluster on 127.0.0.1 for one test session."""

    url: str

    def __init__(self, superuser: str = "postgres", bin_dir: Path | None = None) -> None:
        self.superuser = superuser
        self.bin_dir = bin_dir
        self.url = ""
        self.port = 0
        self.base: Path | None = None
        self._running = False

    # ----------------------------------------------------------------- paths and commands

    @property
    def data_dir(self) -> Path:
        assert self.base is not None, "server not started"
        return self.base / "data"

    @property
    def log_file(self) -> Path:
        assert self.base is not None, "server not started"
        return self.base / "server.log"

    def _command(self, args: list[str]) -> list[str]:
        """``args`` run as the service user when we are root, as is otherwise."""
        if not _running_as_root():
            return args
        if shutil.which("runuser"):
            return ["runuser", "-u", SERVICE_USER, "--", *args]
        return ["su", SERVICE_USER, "-s", "/bin/sh", "-c", shlex.join(args)]

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a server tool with a bounded wait; the output is captured, never raised on exit status."""
        assert self.base is not None and self.bin_dir is not None
        argv = self._command([str(self.bin_dir / args[0]), *args[1:]])
        try:
            return subprocess.run(argv, cwd=self.base, env=_clean_env(), stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            output = f"{exc.stdout or ''}{exc.stderr or ''}"
            return subprocess.CompletedProcess(argv, -1, output, f"timed out after {timeout:.0f}s")

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-LOG_TAIL_LINES:]) or "(server log is empty)"

    # ----------------------------------------------------------------- life cycle

    def start(self) -> PostgresServer:
        """initdb a fresh cluster in a temp dir and start it on a free port; RuntimeError on failure."""
        if self._running:
            return self
        reason = postgres_available()
        if reason is not None:
            raise RuntimeError(reason)
        self.bin_dir = self.bin_dir or find_pg_bin()
        self.base = Path(tempfile.mkdtemp(prefix="chuangkou-pg-", dir=_temp_parent()))
        atexit.register(self.stop)
        try:
            self._prepare_base()
            self._initdb()
            self._configure()
            self._start_server()
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare_base(self) -> None:
        assert self.base is not None
        os.chmod(self.base, 0o700)
        if _running_as_root():
            account = _service_account()
            assert account is not None
            os.chown(self.base, account.pw_uid, account.pw_gid)

    def _initdb(self) -> None:
        common = ["initdb", "-D", str(self.data_dir), "-A", "trust", "-U", self.superuser, "--no-sync", "-E", "UTF8"]
        errors: list[str] = []
        for locale in ("C.UTF-8", "C"):
            result = self._run([*common, f"--locale={locale}"], timeout=INITDB_TIMEOUT)
            if result.returncode == 0:
                return
            errors.append(f"--locale={locale}: {(result.stderr or result.stdout).strip()}")
            shutil.rmtree(self.data_dir, ignore_errors=True)
        raise RuntimeError("initdb failed:\n" + "\n".join(errors))

    def _configure(self) -> None:
        """Listen on 127.0.0.1 only, socket in our private dir, trust only 127.0.0.1, no fsync."""
        assert self.base is not None
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "'" + str(self.base).replace("'", "''") + "'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "50",
        }
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# chuangkou test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        (self.data_dir / "pg_hba.conf").write_text(
            "# chuangkou test server: trust on 127.0.0.1 only\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8")

    def _start_server(self) -> None:
        failures: list[str] = []
        for _attempt in range(START_ATTEMPTS):
            port = _free_port()
            result = self._run(["pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-o", f"-p {port}",
                                "-w", "-t", str(START_TIMEOUT), "start"], timeout=START_TIMEOUT + 15)
            if result.returncode == 0:
                self.port = port
                self.url = self._url("postgres")
                self._running = True
                return
            log = self._log_tail()
            failures.append(f"port {port}: {(result.stderr or result.stdout).strip()}")
            self._kill_leftover()
            if "could not bind" not in log and "could not create listen socket" not in log:
                break
        raise RuntimeError("PostgreSQL server did not start:\n" + "\n".join(failures)
                           + "\n--- server log (tail) ---\n" + self._log_tail())

    def _url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{quote(self.superuser, safe='')}@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    def _kill_leftover(self) -> None:
        """SIGKILL the postmaster named in postmaster.pid, if any (last resort when pg_ctl failed)."""
        if self.base is None:
            return
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0])
        except (OSError, ValueError, IndexError):
            return
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (immediate mode) and remove its directory; safe to call more than once."""
        atexit.unregister(self.stop)
        if self.base is None:
            return
        if self._running or (self.data_dir / "postmaster.pid").exists():
            result = self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", str(STOP_TIMEOUT),
                                "stop"], timeout=STOP_TIMEOUT + 15)
            if result.returncode != 0:
                self._kill_leftover()
        self._running = False
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None
        self.url = ""

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # ----------------------------------------------------------------- databases

    def create_database(self, name: str) -> str:
        """Create an empty UTF8 database ``name`` and return its SQLAlchemy URL."""
        if not self._running:
            raise RuntimeError("PostgreSQL test server is not running")
        import psycopg
        from psycopg import sql

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.superuser, dbname="postgres",
                             autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
        return self._url(name)
