"""A throw-away PostgreSQL server for the tests (standard library only).

Command line (used by .ci/pg-test-server and .ci/test):

    python tests/pgserver.py start    # prints: export HALL_TEST_PG_URL='postgresql+psycopg://...'
    python tests/pgserver.py stop     # stops the server and removes its directory
    python tests/pgserver.py status

The command-line server lives in a fixed directory, ``$HALL_PG_TEST_DIR`` or
``<tmp>/hall-pg-test-<uid>``, so ``start`` first stops whatever an earlier
run left there.

From Python (a conftest): ``ensure_server()`` returns ``$HALL_TEST_PG_URL``
when it is set; otherwise it starts a private server for this process, sets
``HALL_TEST_PG_URL`` for child processes and stops the server at exit.

PostgreSQL refuses to run as root, so as root the cluster is owned by and run
as the ``postgres`` user (created by Debian's postgresql package).
The server listens on 127.0.0.1 only, on a free port, with trust
authentication, fsync off, and has an empty database ``hall_test``.

``PgServer(base, durable=True)`` is a server set up as a hall's would be for the
durability tests: fsync and full-page writes on, and (the worst a hall's
administrator could leave in postgresql.conf) ``synchronous_commit = off``
with the WAL writer waking only every 10 s, so only the application's own
session setting keeps an acknowledged commit. ``crash()`` stops it hard
(``pg_ctl stop -m immediate``, or SIGKILL of the postmaster and every server
process), ``restart()`` starts it again on the same port (crash recovery).
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV_URL = "HALL_TEST_PG_URL"
ENV_DIR = "HALL_PG_TEST_DIR"
DB_NAME = "hall_test"
DB_USER = "postgres"
READY_TIMEOUT = 60
_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes; leave room for "/.s.PGSQL.NNNNN"


class PgServerError(RuntimeError):
    pass


def _log(msg: str) -> None:
    print(f"pg-test-server: {msg}", file=sys.stderr, flush=True)


# -- locating PostgreSQL -----------------------------------------------------

def find_bindir() -> Path:
    """The directory holding initdb/pg_ctl: $PG_BINDIR, pg_config, or the newest
    /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True,
                                 text=True, check=True).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.CalledProcessError):
            pass

    def version_key(p: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", Path(p).parent.name)) or (0,)

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=version_key, reverse=True)]
    for exe in ("initdb", "pg_ctl"):
        found = shutil.which(exe)
        if found:
            candidates.append(Path(found).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    raise PgServerError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; "
        "install them with: bash .ci/install-system --test")


# -- running as the right user -------------------------------------------------

def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _postgres_ids() -> tuple[int, int]:
    import pwd
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        raise PgServerError(
            "running as root but there is no 'postgres' user to run the server as; "
            "install the postgresql package: bash .ci/install-system --test") from None
    return pw.pw_uid, pw.pw_gid


def _as_server_user(cmd: list[str]) -> list[str]:
    if not _is_root():
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    import shlex
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(cmd)]


def _run(cmd: list[str], *, cwd: Path, as_server: bool = True,
         timeout: float | None = 120) -> subprocess.CompletedProcess:
    full = _as_server_user(cmd) if as_server else cmd
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("PGDATA", None)
    return subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def _accessible_to_others(path: Path) -> bool:
    """Whether every directory on the way to ``path`` can be traversed by others
    (so the postgres user reaches a directory that root creates there)."""
    p = path.resolve()
    for d in [p, *p.parents]:
        try:
            if not os.stat(d).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _temp_root() -> Path:
    t = Path(tempfile.gettempdir())
    if _is_root() and not _accessible_to_others(t):
        t = Path("/tmp")
    return t


def default_dir() -> Path:
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    return _temp_root() / f"hall-pg-test-{uid}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server ----------------------------------------------------------------

class PgServer:
    """A PostgreSQL cluster in ``base`` (``base/data`` + ``base/server.log``)."""

    def __init__(self, base: Path, bindir: Path | None = None, *, durable: bool = False):
        self.durable = durable
        self.base = Path(base)
        self.data = self.base / "data"
        self.logfile = self.base / "server.log"
        self._bindir = bindir
        self.port: int | None = None

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            self._bindir = find_bindir()
        return self._bindir

    def _bin(self, name: str) -> str:
        return str(self.bindir / name)

    @property
    def url(self) -> str:
        assert self.port is not None
        return f"postgresql+psycopg://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    # state on disk
    def _read_port(self) -> int | None:
        try:
            text = (self.data / "postgresql.conf").read_text()
        except OSError:
            return None
        ports = re.findall(r"^port\s*=\s*(\d+)", text, re.M)
        return int(ports[-1]) if ports else None

    def is_running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        r = _run([self._bin("pg_ctl"), "status", "-D", str(self.data)], cwd=self.base)
        return r.returncode == 0

    def _log_tail(self, n: int = 25) -> str:
        try:
            lines = self.logfile.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-n:])

    # lifecycle
    def stop(self, remove: bool = True) -> None:
        if (self.data / "PG_VERSION").exists():
            for mode in ("fast", "immediate"):
                r = _run([self._bin("pg_ctl"), "stop", "-D", str(self.data), "-m", mode,
                          "-w", "-t", "30"], cwd=self.base)
                if r.returncode == 0 or "Is server running?" in r.stderr \
                        or not self.is_running():
                    break
                _log(f"pg_ctl stop -m {mode} failed: {r.stderr.strip()}")
        if remove and self.base.exists():
            shutil.rmtree(self.base, ignore_errors=True)

    def start(self) -> str:
        """A fresh cluster: stop and remove what is left in ``base``, initdb,
        start, create the database. Returns the SQLAlchemy URL."""
        if self.base.exists() and any(self.base.iterdir()):
            _log(f"stopping/removing what an earlier run left in {self.base}")
            self.stop(remove=True)
            if self.base.exists():
                raise PgServerError(f"could not remove {self.base}")
        self.base.mkdir(parents=True, mode=0o700, exist_ok=True)
        if _is_root():
            uid, gid = _postgres_ids()
            os.chown(self.base, uid, gid)
        self._initdb()
        last_err = ""
        for _attempt in range(3):  # another process may grab the port meanwhile
            self.port = free_port()
            self._configure(self.port)
            ok, last_err = self._pg_ctl_start()
            if ok:
                break
            if "could not bind" not in self._log_tail(50) and \
                    "already in use" not in self._log_tail(50):
                break
        else:
            ok = False
        if not ok:
            tail = self._log_tail()
            self.stop(remove=False)
            raise PgServerError(
                f"PostgreSQL did not become ready within {READY_TIMEOUT} s "
                f"(data dir {self.data}).\n{last_err}\n--- server log ---\n{tail}")
        self._wait_ready()
        r = _run([self._bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", DB_USER, DB_NAME], cwd=self.base, as_server=False)
        if r.returncode != 0:
            raise PgServerError(f"createdb {DB_NAME} failed: {r.stderr.strip()}")
        return self.url

    def _initdb(self) -> None:
        base_cmd = [self._bin("initdb"), "-D", str(self.data), "-U", DB_USER,
                    "--auth=trust", "--encoding=UTF8", "--no-sync"]
        r = _run([*base_cmd, "--locale=C.UTF-8"], cwd=self.base)
        if r.returncode != 0:
            shutil.rmtree(self.data, ignore_errors=True)
            r = _run([*base_cmd, "--no-locale"], cwd=self.base)
        if r.returncode != 0:
            raise PgServerError(f"initdb failed:\n{r.stdout}\n{r.stderr}")

    def _configure(self, port: int) -> None:
        sock_dir = str(self.data)
        if len(sock_dir) > _SOCKET_PATH_MAX:
            sock_dir = ""  # path too long for a Unix socket: TCP only
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{sock_dir}'",
            "max_connections": "100",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
            "log_min_messages": "warning",
        }
        if self.durable:
            settings.update({
                "fsync": "on",
                "full_page_writes": "on",
                "synchronous_commit": "off",   # the sessions of the application set it on
                "wal_writer_delay": "'10s'",
            })
        conf = self.data / "postgresql.conf"
        text = conf.read_text()
        text = text.split("\n# --- hall test server ---\n")[0]
        text += "\n# --- hall test server ---\n" + "".join(
            f"{k} = {v}\n" for k, v in settings.items())
        self._write_as_server(conf, text)
        self._write_as_server(
            self.data / "pg_hba.conf",
            "# hall test server: trust, loopback only\n"
            "local   all   all                  trust\n"
            "host    all   all   127.0.0.1/32   trust\n")

    def _write_as_server(self, path: Path, text: str) -> None:
        path.write_text(text)
        if _is_root():
            uid, gid = _postgres_ids()
            os.chown(path, uid, gid)

    def _pg_ctl_start(self) -> tuple[bool, str]:
        try:
            r = _run([self._bin("pg_ctl"), "start", "-D", str(self.data), "-l",
                      str(self.logfile), "-w", "-t", str(READY_TIMEOUT)],
                     cwd=self.base, timeout=READY_TIMEOUT + 30)
        except subprocess.TimeoutExpired:
            return False, "pg_ctl start timed out"
        return r.returncode == 0, (r.stdout + r.stderr).strip()

    # a hard stop and a restart (the durability tests)
    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def _server_pids(self, postmaster: int) -> list[int]:
        """The postmaster's children (backends, WAL writer, checkpointer...)."""
        out = []
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                out.append(int(stat_file.parent.name))
        return out

    def crash(self, how: str = "immediate") -> None:
        """Stop the server the hard way: ``immediate`` (``pg_ctl stop -m
        immediate``: no checkpoint, no flush, crash recovery at the next start)
        or ``kill`` (SIGKILL of the postmaster and of every server process)."""
        if how == "immediate":
            r = _run([self._bin("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30"],
                     cwd=self.base)
            if r.returncode != 0:
                raise PgServerError(f"pg_ctl stop -m immediate failed: {r.stderr.strip()}")
            return
        import signal

        pid = self.postmaster_pid()
        children = self._server_pids(pid)
        os.kill(pid, signal.SIGKILL)
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while any(_pid_alive(p) and not _is_zombie(p) for p in [pid, *children]):
            if time.monotonic() > deadline:
                raise PgServerError("the server processes did not end after SIGKILL")
            time.sleep(0.05)
        if _is_zombie(pid):
            # Dead but not reaped (a container's first process may never reap):
            # PostgreSQL would take its stale lock files for a running server.
            (self.data / "postmaster.pid").unlink(missing_ok=True)
            for lock in self.data.glob(".s.PGSQL.*"):
                lock.unlink(missing_ok=True)

    def restart(self) -> None:
        """Start the stopped (or crashed) cluster again on the same port."""
        ok, err = self._pg_ctl_start()
        if not ok:
            raise PgServerError(f"restart failed: {err}\n--- server log ---\n{self._log_tail()}")
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        isready = self.bindir / "pg_isready"
        while True:
            if isready.is_file():
                r = _run([str(isready), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                          "-U", DB_USER], cwd=self.base, as_server=False, timeout=10)
                if r.returncode == 0:
                    return
            else:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                    return
                except OSError:
                    pass
            if time.monotonic() > deadline:
                raise PgServerError(
                    f"PostgreSQL on 127.0.0.1:{self.port} not ready after {READY_TIMEOUT} s"
                    f"\n--- server log ---\n{self._log_tail()}")
            time.sleep(0.2)


# -- for conftest ----------------------------------------------------------------

_session_server: PgServer | None = None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _reap_orphans(root: Path, prefix: str) -> None:
    """Stop servers left by ensure_server() in processes that died without atexit."""
    for d in root.glob(prefix + "*"):
        m = re.search(r"-pid(\d+)-", d.name)
        if m and not _pid_alive(int(m.group(1))):
            try:
                PgServer(d).stop(remove=True)
            except Exception:  # noqa: BLE001 - best effort
                shutil.rmtree(d, ignore_errors=True)


def ensure_server() -> str:
    """The PostgreSQL URL for the tests: ``$HALL_TEST_PG_URL`` if set, otherwise
    a server started for this process (stopped at exit). Raises PgServerError
    with a clear message when PostgreSQL is not installed or does not start."""
    global _session_server
    url = os.environ.get(ENV_URL)
    if url:
        return url
    if _session_server is not None and _session_server.port is not None:
        return _session_server.url
    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    root = _temp_root()
    prefix = f"hall-pg-test-{uid}-pid"
    _reap_orphans(root, prefix)
    base = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=root))
    server = PgServer(base)
    _session_server = server
    atexit.register(server.stop)
    try:
        url = server.start()
    except BaseException:
        server.stop()
        _session_server = None
        raise
    os.environ[ENV_URL] = url
    return url


# -- command line ------------------------------------------------------------------

def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else ""
    try:
        server = PgServer(default_dir())
        if cmd == "start":
            t0 = time.monotonic()
            url = server.start()
            _log(f"ready on 127.0.0.1:{server.port} in {time.monotonic() - t0:.1f} s "
                 f"(data {server.data})")
            print(f"export {ENV_URL}='{url}'")
            return 0
        if cmd == "stop":
            if server.base.exists():
                server.stop(remove=True)
                _log("stopped")
            return 0
        if cmd == "status":
            if server.is_running():
                server.port = server._read_port()
                print(f"running: {server.url} (data {server.data})")
                return 0
            print("not running")
            return 3
    except PgServerError as e:
        _log(f"ERROR: {e}")
        return 1
    print(f"usage: {Path(sys.argv[0]).name} start|stop|status", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
