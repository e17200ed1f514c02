"""A real Neo4j Community 5.26 server for tests, run from tests/neo4j_launcher (Java 17 + Maven).

    server = Neo4jServer()          # builds the launcher jar if needed, starts, waits for READY
    server.uri, server.user, server.password, server.port, server.home
    server.kill(); server.start()   # simulate a crash, restart on the same home and port
    imported = server.import_files(nodes=["nodes.csv"], relationships=["rels.csv"])
    server.clear(); server.close()

No Docker: the launcher embeds Neo4j (org.neo4j:neo4j) with the Bolt connector on
127.0.0.1:PORT and auth enabled (user neo4j). Its logs are in HOME/logs/.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j_launcher"
JAR = LAUNCHER_DIR / "target" / "neo4j-launcher.jar"

# Neo4j's page cache wants reflective access to java.nio (else it logs "Reflection access to
# java.nio.DirectByteBuffer is not available, using fallback mode"); these are the opens of
# Neo4j's own start script. The jar's manifest carries the same Add-Opens for plain `java -jar`.
JVM_FLAGS = [
    "-Xms512m",
    "-Xmx1g",
    "-XX:+UseParallelGC",
    "-XX:TieredStopAtLevel=1",  # quicker start-up; these servers only serve tests
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]

HOW_TO_ENABLE = (
    "The Neo4j tests need a JDK 17 (`java`) and Maven (`mvn`) on PATH, e.g. "
    "`apt-get install openjdk-17-jdk-headless maven`; the first run builds "
    "tests/neo4j_launcher with Maven (downloads Neo4j from Maven Central)."
)

DEFAULT_PASSWORD = "cubamed-test-password"  # Neo4j 5 wants at least 8 characters
READY_TIMEOUT = 120.0
BUILD_TIMEOUT = 1800.0


def java_available() -> tuple[bool, str]:
    """(True, "") if java and mvn are on PATH, else (False, how to enable the Neo4j tests)."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return False, f"missing on PATH: {', '.join(missing)}. {HOW_TO_ENABLE}"
    return True, ""


def _jar_is_stale() -> bool:
    if not JAR.exists():
        return True
    sources = [LAUNCHER_DIR / "pom.xml", *(LAUNCHER_DIR / "src").rglob("*.java")]
    return any(src.stat().st_mtime > JAR.stat().st_mtime for src in sources)


def build_jar() -> Path:
    """Build tests/neo4j_launcher/target/neo4j-launcher.jar unless it is up to date."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"`{tool}` is not on PATH, cannot build the Neo4j launcher. {HOW_TO_ENABLE}")
    JAR.parent.mkdir(parents=True, exist_ok=True)
    with open(JAR.parent / ".build.lock", "w") as lock:  # several pytest processes may race here
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _jar_is_stale():
            cmd = ["mvn", "-q", "-B", "-f", str(LAUNCHER_DIR / "pom.xml"), "package"]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
            if proc.returncode != 0 or not JAR.exists():
                raise RuntimeError(
                    f"building the Neo4j launcher failed ({' '.join(cmd)}, exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
                )
    return JAR


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Neo4jServer:
    """One launcher process (a real Neo4j server) on a home directory that survives restarts."""

    user = "neo4j"

    def __init__(
        self,
        home: str | os.PathLike | None = None,
        password: str = DEFAULT_PASSWORD,
        port: int | None = None,
        *,
        start: bool = True,
        ready_timeout: float = READY_TIMEOUT,
        _import_args: Sequence[str] = (),
    ):
        if shutil.which("java") is None:
            raise RuntimeError(f"`java` is not on PATH, cannot start Neo4j. {HOW_TO_ENABLE}")
        build_jar()
        self._own_home = home is None
        self.home = Path(tempfile.mkdtemp(prefix="neo4j-home-") if home is None else home).resolve()
        self.home.mkdir(parents=True, exist_ok=True)
        self.password = password
        self.port = port or free_port()
        self.ready_timeout = ready_timeout
        self.startup_seconds: float | None = None  # time from start() to READY, last start
        self._import_args = list(_import_args)  # used on the first start only
        self._proc: subprocess.Popen | None = None
        if start:
            self.start()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> Neo4jServer:
        """Start (again) on the same home and port; returns once Bolt accepts connections."""
        if self.running:
            raise RuntimeError(f"Neo4j is already running on {self.uri}")
        cmd = [
            "java",
            *JVM_FLAGS,
            "-jar",
            str(JAR),
            "--home",
            str(self.home),
            "--port",
            str(self.port),
            "--password",
            self.password,
            "--watch-stdin",
            *self._import_args,
        ]
        self._import_args = []
        (self.home / "logs").mkdir(exist_ok=True)
        began = time.monotonic()
        # stdin stays open: the launcher stops by itself if this process goes away.
        with open(self.home / "logs" / "launcher.stderr", "ab") as stderr:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        try:
            self._wait_ready(began)
        except BaseException:
            self.kill()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_ready(self, began: float) -> None:
        expected = f"READY {self.uri}"
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            while True:
                left = self.ready_timeout - (time.monotonic() - began)
                if left <= 0:
                    raise RuntimeError(f"Neo4j did not get ready within {self.ready_timeout:.0f}s{self._log_tail()}")
                if sel.select(timeout=min(left, 1.0)):
                    line = self._proc.stdout.readline().decode(errors="replace").strip()
                    if line == expected:
                        return
                    if not line and self._proc.poll() is not None:
                        raise RuntimeError(f"Neo4j launcher exited with code {self._proc.returncode}{self._log_tail()}")

    def _log_tail(self, chars: int = 3000) -> str:
        parts = []
        for name in ("launcher.stderr", "launcher.log"):
            path = self.home / "logs" / name
            if path.exists():
                parts.append(f"\n--- {path} (tail) ---\n{path.read_text(errors='replace')[-chars:]}")
        return "".join(parts)

    def stop(self, timeout: float = 60.0) -> None:
        """Clean shutdown: SIGTERM, then wait (SIGKILL if it hangs)."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._close_pipes()

    def kill(self) -> None:
        """SIGKILL, to simulate a crash; start() afterwards recovers from the transaction logs."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        self._proc = None

    def close(self) -> None:
        """Stop, and delete the home directory if this object created it."""
        self.stop()
        if self._own_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def driver(self, **kwargs):
        import neo4j

        return neo4j.GraphDatabase.driver(self.uri, auth=self.auth, **kwargs)

    def import_files(
        self,
        nodes: Iterable[str | os.PathLike] = (),
        relationships: Iterable[str | os.PathLike] = (),
        home: str | os.PathLike | None = None,
        extra_args: Iterable[str] = (),
    ) -> Neo4jServer:
        """Bulk-import with Neo4j's real importer (what `neo4j-admin database import full` runs)
        into a fresh database under `home` (a new temp dir if None), then start a server there.

        Each item is one `--nodes=` / `--relationships=` value, so `"Person=header.csv,part.csv"`
        works too; `extra_args` go to the importer as is (e.g. "--delimiter=;").
        Raises RuntimeError (with the importer's output) if the import fails.
        """
        args: list[str] = []
        for spec in nodes:
            args += ["--import-nodes", os.fspath(spec)]
        for spec in relationships:
            args += ["--import-relationships", os.fspath(spec)]
        for arg in extra_args:
            args += ["--import-arg", arg]
        return Neo4jServer(home=home, password=self.password, ready_timeout=self.ready_timeout, _import_args=args)

    def clear(self) -> None:
        """Empty the `neo4j` database: all nodes and relationships, constraints and indexes."""
        with self.driver() as driver:
            with driver.session() as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            for record in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
                driver.execute_query(f"DROP CONSTRAINT `{record['name']}` IF EXISTS")
            # Keep the built-in token LOOKUP indexes: dropping them only slows Neo4j down.
            for record in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
                driver.execute_query(f"DROP INDEX `{record['name']}` IF EXISTS")

    def __repr__(self) -> str:
        return f"Neo4jServer(uri={self.uri!r}, home={str(self.home)!r}, running={self.running})"


def cypher_shell_classpath(tmp: Path) -> str | None:
    """cypher-shell from Maven Central (org.neo4j:cypher-shell), or None when Maven cannot get it."""
    pom = tmp / "pom.xml"
    pom.write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<groupId>cubamed.test</groupId><artifactId>cypher-shell-classpath</artifactId><version>1</version><packaging>pom</packaging>"
        "<dependencies><dependency><groupId>org.neo4j</groupId><artifactId>cypher-shell</artifactId><version>5.26.0</version>"
        "</dependency></dependencies></project>"
    )
    out = tmp / "cp.txt"
    try:
        subprocess.run(
            ["mvn", "-q", "-f", str(pom), "dependency:build-classpath", f"-Dmdep.outputFile={out}"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    jar = Path.home() / ".m2/repository/org/neo4j/cypher-shell/5.26.0/cypher-shell-5.26.0.jar"
    return f"{out.read_text().strip()}:{jar}" if jar.exists() else None
