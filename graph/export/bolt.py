"""The Bolt connection to a Neo4j server, shared by the export (`graph.export.neo4j`) and by
``cubamed query --neo4j`` (`graph.embedded.neo4j`): the URI's scheme checked, the connection
verified, and the driver's exceptions turned into one-line `ExportError`s that never contain
the password.

The driver is imported only when a connection is opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import ExportError

if TYPE_CHECKING:
    import neo4j

__all__ = ["BOLT_SCHEMES", "bolt_errors", "check_uri", "connect", "first_line", "safe_uri", "scrub"]


_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def safe_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages."""
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return _USERINFO.sub(r"\1***@", uri)
    if "@" in parts.netloc:
        host = f"[{host}]" if ":" in host else host
        netloc = f"{host}:{port}" if port is not None else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return uri


def scrub(text: str, password: str | None) -> str:
    """`text` with the password and any URI's user:password@ part blanked out."""
    text = _USERINFO.sub(r"\1***@", text)
    return text.replace(password, "***") if password else text


def first_line(exc: BaseException, password: str | None) -> str:
    """The first line of an exception's message, scrubbed of passwords."""
    lines = str(exc).strip().splitlines()
    return scrub(lines[0].rstrip(" :") if lines else type(exc).__name__, password)


BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def check_uri(uri: str) -> None:
    """Raise `ExportError` unless `uri` is a Neo4j URI the driver takes: a Bolt scheme, a valid port, no password in it.

    >>> check_uri("bolt://localhost:7687")
    >>> check_uri("bolt://localhost:port")
    Traceback (most recent call last):
    ...
    graph.errors.ExportError: cannot use Neo4j URI bolt://localhost:port: the port must be a number from 1 to 65535, not 'port'
    """
    where = safe_uri(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise ExportError(f"cannot use Neo4j URI {where}: the scheme must be one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        raise ExportError(f"cannot use Neo4j URI {where}: {exc}; write it as {scheme}://HOST:PORT") from None
    if "@" in parts.netloc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: it holds a user name or password; "
            "give the URI without them, the user with --user and the password in NEO4J_PASSWORD (or at the prompt)"
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        port = parts.netloc.rpartition(":")[2]
        raise ExportError(f"cannot use Neo4j URI {where}: the port must be a number from 1 to 65535, not {port!r}") from None


@contextmanager
def bolt_errors(uri: str, user: str, password: str | None, database: str | None) -> Iterator[None]:
    """Turn the driver's exceptions into one-line `ExportError`s that never contain the password."""
    from neo4j import exceptions as nex

    where = safe_uri(uri)
    try:
        yield
    except nex.AuthError as exc:
        raise ExportError(
            f"Neo4j at {where} refused the credentials of user {user!r}; check --user and the password (NEO4J_PASSWORD)"
        ) from exc
    except (nex.ServiceUnavailable, nex.SessionExpired) as exc:
        raise ExportError(
            f"cannot reach Neo4j at {where}; check that the server is running and that the URI's scheme, host and port are right; "
            f"an export cut short is completed by running it again ({first_line(exc, password)})"
        ) from exc
    except nex.Neo4jError as exc:
        code = exc.code or ""
        if code.endswith("DatabaseNotFound"):
            raise ExportError(
                f"Neo4j at {where} has no database {database!r}; check --database "
                "(Community Edition has only 'neo4j'; SHOW DATABASES lists them)"
            ) from exc
        msg = scrub((exc.message or str(exc)).splitlines()[0], password)
        raise ExportError(f"Neo4j at {where} failed: {code}: {msg}") from exc
    except (nex.ConfigurationError, nex.DriverError, ValueError) as exc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: {first_line(exc, password)}; "
            "use neo4j://, neo4j+s://, bolt:// or bolt+s:// with a host and port"
        ) from exc


def connect(uri: str, user: str, password: str, options: Mapping[str, Any] | None = None) -> neo4j.Driver:
    """A driver for `uri` whose connectivity is verified (`options` go to ``neo4j.GraphDatabase.driver``)."""
    import neo4j

    check_uri(uri)
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), **dict(options or {}))
    try:
        driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver
