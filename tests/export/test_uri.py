"""Neo4j URIs: an invalid one is one clear error, and no password (in the URI or given) is ever printed.

"Every output and exception text" means: the CLI's output, and the str, repr, args and
formatted form (with notes) of the raised error and of every exception chained to it.
"""

from __future__ import annotations

import socket
import threading
import traceback
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ExportError
from graph.export import export_neo4j, read_neo4j
from graph.export.bolt import check_uri, connect, first_line, safe_uri, scrub

from ..conftest import FIXTURES

SECRET = "MyS3cretPw"
SCHEMES = "neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s://, bolt+ssc://"
IN_URI = "it holds a user name or password; give the URI without them, the user with --user and the password in NEO4J_PASSWORD (or at the prompt)"


def every_text(exc: BaseException) -> str:
    """str, repr, args and formatted form of `exc` and of every exception chained to it (not the test's source lines)."""
    texts, seen = [], set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        texts += [str(e), repr(e), *map(str, e.args), *traceback.format_exception_only(e)]
        todo += [e.__cause__, e.__context__]
    return "\n".join(texts)


CASES = [
    pytest.param(f"bolt://neo4j:{SECRET}@localhost:port", f"bolt://***@localhost:port: {IN_URI}", id="password-and-bad-port"),
    pytest.param(f"bolt://neo4j:{SECRET}@localhost:99999", f"bolt://***@localhost:99999: {IN_URI}", id="password-and-port-out-of-range"),
    pytest.param(f"bolt://neo4j:{SECRET}@localhost:7687", f"bolt://localhost:7687: {IN_URI}", id="password"),
    pytest.param(f"neo4j+s://:{SECRET}@example.org", f"neo4j+s://example.org: {IN_URI}", id="password-only"),
    pytest.param(f"bolt://neo4j:My@{SECRET}@localhost:7687", f"bolt://localhost:7687: {IN_URI}", id="password-with-at"),
    pytest.param(f"bolt://neo4j:{SECRET}@[::1", "bolt://***@[::1: Invalid IPv6 URL; write it as bolt://HOST:PORT", id="password-and-garbage"),
    pytest.param("bolt://localhost:99999", "bolt://localhost:99999: the port must be a number from 1 to 65535, not '99999'", id="port-out-of-range"),
    pytest.param("bolt://localhost:port", "bolt://localhost:port: the port must be a number from 1 to 65535, not 'port'", id="port-not-a-number"),
    pytest.param("bolt://[::1]:port", "bolt://[::1]:port: the port must be a number from 1 to 65535, not 'port'", id="ipv6-port-not-a-number"),
    pytest.param(f"http://neo4j:{SECRET}@localhost:7474", f"http://localhost:7474: the scheme must be one of {SCHEMES}", id="http"),
    pytest.param("garbage", f"garbage: the scheme must be one of {SCHEMES}", id="garbage"),
    pytest.param("localhost:7687", f"localhost:7687: the scheme must be one of {SCHEMES}", id="no-scheme"),
]


@pytest.mark.parametrize(("uri", "message"), CASES)
def test_invalid_uri_is_one_clear_error(uri: str, message: str) -> None:
    with pytest.raises(ExportError) as info:
        check_uri(uri)
    assert str(info.value) == f"cannot use Neo4j URI {message}"
    assert SECRET not in every_text(info.value)


@pytest.mark.parametrize(("uri", "message"), CASES)
def test_export_refuses_it_before_connecting_or_asking_for_a_password(uri: str, message: str, mini: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError) as info:
        export_neo4j(mini, uri, user="neo4j", password="given-Pw-123")
    assert str(info.value) == f"cannot use Neo4j URI {message}"
    assert SECRET not in every_text(info.value) and "given-Pw-123" not in every_text(info.value)
    result = CliRunner().invoke(main, ["export", "neo4j", "--uri", uri, "--data", str(FIXTURES / "mini")], env={"NEO4J_PASSWORD": None})
    assert (result.exit_code, result.output) == (1, f"Error: cannot use Neo4j URI {message}\n")  # no prompt, no traceback
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_query_neo4j_refuses_a_password_in_the_uri() -> None:
    result = CliRunner().invoke(main, ["query", "RETURN 1", "--neo4j", f"bolt://neo4j:{SECRET}@localhost:7687"], env={"NEO4J_PASSWORD": "pw"})
    assert (result.exit_code, result.output) == (1, f"Error: cannot use Neo4j URI bolt://localhost:7687: {IN_URI}\n")


def test_messages_are_scrubbed_of_uri_passwords_and_the_password() -> None:
    driver_text = f"URI userinfo is not supported. Given URI: 'bolt://neo4j:{SECRET}@host:1'. Auth: given-Pw"
    assert scrub(driver_text, "given-Pw") == "URI userinfo is not supported. Given URI: 'bolt://***@host:1'. Auth: ***"


@pytest.mark.neo4j
def test_a_real_server_never_sees_or_echoes_the_password(neo4j_db: Any, mini: nx.MultiDiGraph) -> None:
    hostport = neo4j_db.uri.split("://", 1)[1]
    with_password = f"bolt://{neo4j_db.user}:{neo4j_db.password}@{hostport}"
    for call in (
        lambda: export_neo4j(mini, with_password, user=neo4j_db.user, password=neo4j_db.password),
        lambda: read_neo4j(with_password, user=neo4j_db.user, password=neo4j_db.password),
        lambda: export_neo4j(mini, f"{neo4j_db.uri}?policy=x", user=neo4j_db.user, password=neo4j_db.password),  # the driver's own message
        lambda: export_neo4j(mini, neo4j_db.uri, user=neo4j_db.user, password=f"{neo4j_db.password}-wrong"),
    ):
        with pytest.raises(ExportError) as info:
            call()
        assert neo4j_db.password not in every_text(info.value), every_text(info.value)
    assert str(info.value) == f"Neo4j at {neo4j_db.uri} refused the credentials of user 'neo4j'; check --user and the password (NEO4J_PASSWORD)"
    result = CliRunner().invoke(
        main, ["export", "neo4j", "--uri", with_password, "--data", str(FIXTURES / "mini")], env={"NEO4J_PASSWORD": neo4j_db.password}
    )
    assert (result.exit_code, result.output) == (1, f"Error: cannot use Neo4j URI {neo4j_db.uri}: {IN_URI}\n")


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        pytest.param(f"bolt://neo4j:{SECRET}@[::1]:7687/db?x=1#f", "bolt://[::1]:7687/db?x=1#f", id="ipv6-path-query-fragment"),
        pytest.param(f"bolt://neo4j:{SECRET}@[::1]", "bolt://[::1]", id="ipv6-no-port"),
        pytest.param("neo4j://someone@example.org", "neo4j://example.org", id="user-only-no-port"),
        pytest.param(f"NEO4J+S://u:{SECRET}@Example.org:7687", "neo4j+s://example.org:7687", id="scheme-and-host-as-urlsplit-gives-them"),
        pytest.param("bolt://localhost:7687/x?y", "bolt://localhost:7687/x?y", id="nothing-to-hide-is-unchanged"),
        pytest.param(f"bolt://u:{SECRET}@[::1", "bolt://***@[::1", id="unparsable-blanked"),
        pytest.param(f"bolt://u:{SECRET}@:7687", "bolt://:7687", id="no-host"),
    ],
)
def test_a_uri_is_shown_without_its_user_and_password_and_nothing_else_changed(uri: str, shown: str) -> None:
    assert safe_uri(uri) == shown


@pytest.mark.parametrize(
    ("exc", "password", "line"),
    [
        pytest.param(ValueError(""), None, "ValueError", id="no-message-is-the-type"),
        pytest.param(ValueError("   \n  "), None, "ValueError", id="blank-message-is-the-type"),
        pytest.param(ValueError(f"  failed for {SECRET} :  \nsecond line"), SECRET, "failed for ***", id="first-line-stripped-and-scrubbed"),
        pytest.param(ValueError(f"bad bolt://u:{SECRET}@h:1 here"), None, "bad bolt://***@h:1 here", id="uri-userinfo-without-password-given"),
        pytest.param(ValueError("too many: MAX :"), None, "too many: MAX", id="only-trailing-spaces-and-colons-stripped"),
    ],
)
def test_first_line_is_the_first_line_of_the_message_without_secrets(exc: BaseException, password: str | None, line: str) -> None:
    assert first_line(exc, password) == line


def test_scrub_without_a_password_blanks_only_uri_userinfo() -> None:
    assert scrub("at HTTP://a:b@h and x@y.org, no secret", None) == "at HTTP://***@h and x@y.org, no secret"
    assert scrub("keep it", "") == "keep it"


@pytest.mark.parametrize(
    "uri",
    [
        *(pytest.param(f"{s}://localhost:7687", id=s) for s in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")),
        pytest.param("BOLT://LocalHost:1", id="upper-case-scheme-lowest-port"),
        pytest.param("neo4j://example.org", id="no-port"),
        pytest.param("bolt://[::1]:65535", id="ipv6-highest-port"),
        pytest.param("neo4j://localhost:7687?region=a://b", id="a-second-scheme-separator-in-the-query"),
    ],
)
def test_every_bolt_scheme_and_port_the_driver_takes_is_accepted(uri: str) -> None:
    """The driver's schemes (neo4j.GraphDatabase.driver's documentation), in any case, and ports 1 to 65535."""
    check_uri(uri)
    import neo4j

    neo4j.GraphDatabase.driver(uri, auth=("neo4j", "pw")).close()  # the driver itself takes it (no connection is made)


def test_connect_sends_the_user_and_password_in_the_bolt_hello() -> None:
    """No server needed: a socket that answers the Bolt handshake with version 5.0 reads the driver's
    HELLO, whose auth fields (Bolt 5.0: `scheme`, `principal`, `credentials`) must be the user and
    password given, each a PackStream tiny string (marker 0x80 + its length). The socket then hangs
    up, so connecting fails after the HELLO was sent."""
    import neo4j

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(10)
            received.extend(conn.recv(20))  # the magic 0x6060B017 and four version ranges
            conn.sendall(b"\x00\x00\x00\x05")  # Bolt 5.0: HELLO carries the credentials
            while len(received) <= 20 or not received.endswith(b"\x00\x00"):  # until the HELLO's end (a chunk of size 0)
                chunk = conn.recv(4096)
                if not chunk:
                    break
                received.extend(chunk)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(neo4j.exceptions.DriverError):
            connect(f"bolt://127.0.0.1:{port}", "alice", SECRET, {"connection_timeout": 10})
        thread.join(10)
    finally:
        server.close()
    assert received.startswith(b"\x60\x60\xb0\x17")
    for key, value in (("scheme", "basic"), ("principal", "alice"), ("credentials", SECRET)):
        assert bytes([0x80 + len(key)]) + key.encode() + bytes([0x80 + len(value)]) + value.encode() in received, key
