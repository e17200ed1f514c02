"""The Bolt connection to a Neo4j server, shared by the export (`graph.export.neo4j`) and by
``cubamed query --neo4j`` (`graph.embedded.neo4j`): the URI's scheme checked, the connection
verified, and the driver's exceptions turned into one-line `ExportError`s that never contain
the password.

The driver is imported only when a connection is opened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import ExportError

if TYPE_CHECKING:
    import neo4j

__all__ = ["BOLT_SCHEMES", "bolt_errors", "connect", "safe_uri"]


def safe_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if parts.password is not None or parts.username is not None:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return uri


def _scrub(text: str, password: str | None) -> str:
    return text.replace(password, "***") if password else text


def _first_line(exc: BaseException, password: str | None) -> str:
    lines = str(exc).strip().splitlines()
    return _scrub(lines[0].rstrip(" :") if lines else type(exc).__name__, password)


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
            f"an export cut short is completed by running it again ({_first_line(exc, password)})"
        ) from exc
    except nex.Neo4jError as exc:
        code = exc.code or ""
        if code.endswith("DatabaseNotFound"):
            raise ExportError(
                f"Neo4j at {where} has no database {database!r}; check --database "
                "(Community Edition has only 'neo4j'; SHOW DATABASES lists them)"
            ) from exc
        msg = _scrub((exc.message or str(exc)).splitlines()[0], password)
        raise ExportError(f"Neo4j at {where} failed: {code}: {msg}") from exc
    except (nex.ConfigurationError, nex.DriverError, ValueError) as exc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: {_first_line(exc, password)}; "
            "use neo4j://, neo4j+s://, bolt:// or bolt+s:// with a host and port"
        ) from exc


BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def connect(uri: str, user: str, password: str, options: Mapping[str, Any] | None = None) -> neo4j.Driver:
    """A driver for `uri` whose connectivity is verified (`options` go to ``neo4j.GraphDatabase.driver``)."""
    import neo4j

    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise ExportError(f"cannot use Neo4j URI {safe_uri(uri)}: the scheme must be one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), **dict(options or {}))
    try:
        driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver
