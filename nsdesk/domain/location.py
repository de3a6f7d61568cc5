"""Where a desk lives: a file, or a database on a PostgreSQL server.

A *file desk* is one SQLite file (``NAME.nsdesk``), named by its path. A *server
desk* is one PostgreSQL database, named by a ``postgresql://`` address or by a
small connection file (``NAME.nsdesk-server``) that IT hands out. Neither ever
holds a password: libpq finds it in the user's pgpass file, or the login is
Kerberos/GSSAPI; an address or file that carries one is refused.

Everything that names a desk (the command line's DESK, the app's open path,
error messages) takes a :data:`DeskLocation`: a :class:`~pathlib.Path` for a file,
a :class:`ServerAddress` for a server. Plain Python: parsing touches no network.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TypeAlias, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from nsdesk.domain.errors import ValidationError

DESK_SUFFIX = ".nsdesk"
SERVER_FILE_SUFFIX = ".nsdesk-server"
SCHEMES = ("postgresql", "postgres")

#: The libpq settings an address or a connection file may give besides host, port,
#: database and user. TLS files, and how to authenticate without a password.
TLS_AND_AUTH = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "gssencmode", "passfile")
_FILES = ("sslrootcert", "sslcert", "sslkey", "sslcrl", "passfile")
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_NEVER = ("password", "pass", "pwd")


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A desk in a PostgreSQL database: where to reach it and how to log in, never a
    password. ``host`` may be a Unix-socket folder (``/run/postgresql``); ``None``
    for host, port and user means libpq's own default."""

    database: str
    host: str | None = None
    port: int | None = None
    user: str | None = None
    sslmode: str | None = None
    sslrootcert: str | None = None
    sslcert: str | None = None
    sslkey: str | None = None
    sslcrl: str | None = None
    gssencmode: str | None = None
    passfile: str | None = None

    kind = "server"

    @property
    def name(self) -> str:
        """The short name a window title or a message uses: the database's."""
        return self.database

    @property
    def server(self) -> str:
        """The server in words: ``db.example.org:5432``, or the socket folder."""
        host = self.host or "localhost"
        return f"{host}:{self.port}" if self.port else host

    @property
    def register(self) -> str:
        """The register in words for titles and bars: ``db.example.org/nsdesk`` (the
        host, with its port when one is given, then the database)."""
        return f"{self.server}/{self.database}"

    def describe(self) -> str:
        """``the database nsdesk on db.example.org:5432`` (as a sentence's object)."""
        return f"the database {self.database} on {self.server}"

    def libpq_settings(self) -> dict[str, str]:
        """The keyword settings libpq takes (``dbname``, ``host``…), unset ones left out."""
        settings = {"dbname": self.database}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name != "database" and value is not None:
                settings[field.name] = str(value)
        return settings

    def with_database(self, database: str) -> ServerAddress:
        """The same server and login, another database."""
        return replace(self, database=database)

    def __str__(self) -> str:
        """The address as a ``postgresql://`` URL (a socket folder goes in ``?host=``)."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        query: dict[str, str] = {}
        host = ""
        if self.host and self.host.startswith("/"):
            query["host"] = self.host
        elif self.host:
            host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port and "host" not in query else ""
        if self.port and "host" in query:
            query["port"] = str(self.port)
        for name in TLS_AND_AUTH:
            value = getattr(self, name)
            if value is not None:
                query[name] = value
        tail = f"?{urlencode(query, safe='/')}" if query else ""
        return f"postgresql://{user}{host}{port}/{quote(self.database, safe='')}{tail}"


DeskLocation: TypeAlias = Path | ServerAddress
"""Where a desk lives: a file's path, or a server's address."""

SomeLocation = TypeVar("SomeLocation", bound=Path | ServerAddress)
"""A function given a file gives a file back; given a server, a server."""


def is_server(location: DeskLocation) -> bool:
    """Whether ``location`` is a database on a server (not a file)."""
    return isinstance(location, ServerAddress)


def looks_like_address(text: str) -> bool:
    """Whether ``text`` is a ``postgresql://`` (or ``postgres://``) address."""
    return text.strip().lower().startswith(tuple(f"{s}://" for s in SCHEMES))


def _setting(name: str, value: str, where: str) -> str:
    if name == "sslmode" and value not in _SSLMODES:
        raise ValidationError(f"{where}, sslmode", "one of " + ", ".join(_SSLMODES), value)
    if name == "gssencmode" and value not in ("disable", "prefer", "require"):
        raise ValidationError(f"{where}, gssencmode", "disable, prefer or require", value)
    return value


def _port(value: object, where: str) -> int:
    try:
        port = int(str(value))
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ValidationError(f"{where}, port", "a port number such as 5432", value)
    return port


def _refuse_password(where: str) -> ValidationError:
    return ValidationError(
        where,
        "no password: nsdesk never stores one. Put it in your pgpass file (libpq reads "
        "it), or log in with Kerberos",
    )


def parse_address(text: str) -> ServerAddress:
    """A ``postgresql://[user@]host[:port]/database[?setting=value…]`` address.

    Settings: ``host`` (a socket folder), ``port``, ``user`` and the TLS and
    authentication settings of :data:`TLS_AND_AUTH`. A password, an unknown setting
    or a missing database is refused with :class:`ValidationError`.
    """
    where = "the server address"
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise ValidationError(where, "an address starting with postgresql://", text)
    if parts.password is not None:
        raise _refuse_password(where)
    database = unquote(parts.path.lstrip("/"))
    values: dict[str, object] = {
        "host": unquote(parts.hostname) if parts.hostname else None,
        "user": unquote(parts.username) if parts.username else None,
    }
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"{where}, port", "a port number such as 5432", text) from None
    if port is not None:
        values["port"] = port
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in _NEVER:
            raise _refuse_password(where)
        if name in ("dbname", "database"):
            database = value
        elif name == "port":
            values["port"] = _port(value, where)
        elif name in ("host", "user") or name in TLS_AND_AUTH:
            values[name] = _setting(name, value, where)
        else:
            raise ValidationError(
                f"{where}, {name}",
                "one of host, port, user, dbname, " + ", ".join(TLS_AND_AUTH),
                value,
            )
    if not database:
        raise ValidationError(where, "the database's name after the host (…/nsdesk)", text)
    return ServerAddress(database=database, **values)  # type: ignore[arg-type]


def read_server_file(path: Path) -> ServerAddress:
    """The server desk a connection file names. The file is TOML::

        host = "db.ministry.example"
        port = 5432
        database = "nsdesk"
        user = "alice"            # optional: your login's name by default
        sslmode = "verify-full"
        sslrootcert = "ministry-ca.pem"   # relative to this file

    Relative file names (certificates, keys, a passfile) are taken from the
    connection file's folder. A password is refused.
    """
    where = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise ValidationError(where, "a readable connection file", error.strerror) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(where, 'lines like  host = "db.example.org"', str(error)) from None
    values: dict[str, object] = {}
    for name, value in data.items():
        if name in _NEVER:
            raise _refuse_password(where)
        if name in ("database", "dbname"):
            values["database"] = str(value)
        elif name == "port":
            values["port"] = _port(value, where)
        elif name in ("host", "user") or name in TLS_AND_AUTH:
            text = _setting(name, str(value), where)
            if name in _FILES:
                text = str((path.parent / Path(text).expanduser()).resolve())
            values[name] = text
        else:
            raise ValidationError(
                f"{where}, {name}",
                "one of host, port, database, user, " + ", ".join(TLS_AND_AUTH),
            )
    if not values.get("database"):
        raise ValidationError(where, 'a line  database = "nsdesk"')
    return ServerAddress(**values)  # type: ignore[arg-type]


def server_file_text(address: ServerAddress) -> str:
    """A connection file naming ``address`` (what :func:`read_server_file` reads)."""
    lines = ["# An nsdesk register on a PostgreSQL server. No password here: libpq reads it"]
    lines.append("# from your pgpass file, or you log in with Kerberos.")
    for field in fields(address):
        value = getattr(address, field.name)
        if value is not None:
            shown = (
                str(value) if field.name == "port" else '"' + str(value).replace('"', '\\"') + '"'
            )
            lines.append(f"{field.name} = {shown}")
    return "\n".join(lines) + "\n"


def desk_location(text: str | Path) -> DeskLocation:
    """Where the desk a user names lives: a ``postgresql://`` address, a connection
    file (``*.nsdesk-server``), or a desk file (``mydesk`` means ``mydesk.nsdesk``)."""
    if isinstance(text, str) and looks_like_address(text):
        return parse_address(text)
    path = Path(text).expanduser()
    if path.suffix == SERVER_FILE_SUFFIX:
        return read_server_file(path)
    return path if path.suffix else path.with_suffix(DESK_SUFFIX)


def existing_desk_location(text: str | Path) -> DeskLocation:
    """Where an existing desk a user names lives: an address or a connection file as
    for :func:`desk_location`, otherwise the path exactly as given (a file opened is
    the file named, whatever its suffix)."""
    if isinstance(text, str) and looks_like_address(text):
        return parse_address(text)
    path = Path(text).expanduser()
    if path.suffix == SERVER_FILE_SUFFIX:
        return read_server_file(path)
    return path
