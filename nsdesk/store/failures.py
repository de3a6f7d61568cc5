"""A database's refusals turned into sentences: the one place that reads SQLite's
error codes and PostgreSQL's SQLSTATEs.

A refusal while saving means the transaction was rolled back: the sentences say
that this change was not saved and that everything saved before it is safe. Each
names where the desk lives (the file, or the server and database).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nsdesk.domain.errors import (
    DeskError,
    DeskNotFoundError,
    DeskReadOnlyError,
    DiskFullError,
    LoginRefusedError,
    NotPermittedError,
    ServerUnreachableError,
)
from nsdesk.domain.location import DeskLocation, ServerAddress

NOT_SAVED = "this change was not saved; everything saved before it is safe"


def storage_error(error: BaseException, location: DeskLocation) -> DeskError | None:
    """The :class:`DeskError` a database error means for a user of the desk at
    ``location``, or ``None`` when it is no refusal of the medium or the server (a
    bug, a constraint: the caller lets it through)."""
    if isinstance(location, ServerAddress):
        return server_refusal(error, location)
    return _file_error(error, location)


def _file_error(error: BaseException, path: Path) -> DeskError | None:
    code = getattr(getattr(error, "orig", error), "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return DiskFullError(
            path,
            "the disk is full: this change was not saved, everything saved before it "
            "is safe. Free some space and try again.",
        )
    if code == sqlite3.SQLITE_READONLY:
        return DeskReadOnlyError(
            path,
            "the desk can no longer be written (the medium or its "
            "permissions changed); this change was not saved",
        )
    return None


_LOST = ("08", "57P01", "57P02", "57P03")


def server_error(error: BaseException, address: ServerAddress) -> DeskError:
    """The sentence a PostgreSQL error (from psycopg, or SQLAlchemy wrapping it) means,
    naming ``address``'s server; what is no known refusal is said as the server said it."""
    refusal = server_refusal(error, address)
    if refusal is not None:
        return refusal
    said = _first_line(getattr(error, "orig", None) or error)
    return ServerUnreachableError(address, f"the server {address.server} refused: {said}")


def server_refusal(error: BaseException, address: ServerAddress) -> DeskError | None:
    """The sentence a PostgreSQL error means when it is a refusal of the server (lost,
    unreachable, login, rights, disk, read-only); ``None`` for anything else."""
    orig = getattr(error, "orig", None) or error
    state = getattr(orig, "sqlstate", None) or ""
    said = _first_line(orig)
    where = address.describe()
    server = address.server
    lost = getattr(error, "connection_invalidated", False) or state.startswith(_LOST)
    if state in ("28000", "28P01") or (not state and _login_refused(said)):
        return LoginRefusedError(address, _login_sentence(said, address))
    if state == "3D000" or (not state and "database" in said and "does not exist" in said):
        return DeskNotFoundError(
            address,
            f"the server {server} has no database {address.database} (IT creates it, "
            "with the roles script)",
        )
    if state == "53100":
        return DiskFullError(
            address,
            f"the server {server} has no disk space left for {where}: {NOT_SAVED}. "
            "Tell IT; nothing needs redoing once they have made room.",
        )
    if state == "42501":
        return NotPermittedError(
            address,
            f"the server {server} does not let your login do this in {address.database} "
            f"({said}): {NOT_SAVED}. IT gives editors and admins their rights.",
        )
    if state == "25006":
        return DeskReadOnlyError(address, f"{where} is open read-only: {NOT_SAVED}")
    if lost or (not state and _unreachable(said)):
        return ServerUnreachableError(
            address,
            f"the connection to the server {server} was lost or could not be made "
            f"({said}): {NOT_SAVED}. nsdesk reconnects when the server answers again.",
        )
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    for prefix in ("connection failed: ",):
        text = text.removeprefix(prefix)
    # libpq repeats the socket or host before the server's words; keep the words.
    if " failed: " in text:
        text = text.rsplit(" failed: ", 1)[1]
    text = text.replace("FATAL:  ", "").replace("ERROR:  ", "")
    return text.splitlines()[0].strip() if text else type(error).__name__


def _login_refused(said: str) -> bool:
    return any(
        words in said
        for words in (
            "password authentication failed",
            "no password supplied",
            "pg_hba.conf",
            "role ",
            "GSSAPI",
            "Kerberos",
            "authentication failed",
        )
    ) and not ("database" in said and "does not exist" in said and "role" not in said)


def _login_sentence(said: str, address: ServerAddress) -> str:
    who = f"the login {address.user}" if address.user else "your login"
    server = address.server
    if "no password supplied" in said:
        why = (
            "it asks for a password and none was found: put it in your pgpass file "
            "(nsdesk never stores one), or log in with Kerberos"
        )
    elif "password authentication failed" in said:
        why = "the password in your pgpass file is wrong"
    elif "pg_hba.conf" in said:
        why = "it accepts no such login from this computer (its pg_hba.conf); ask IT"
    elif "does not exist" in said:
        why = "it has no such login; ask IT to create it with the roles script"
    elif "GSSAPI" in said or "Kerberos" in said:
        why = "the Kerberos login failed (is your ticket current? kinit renews it)"
    else:
        why = said
    return f"the server {server} refused {who}: {why}"


def _unreachable(said: str) -> bool:
    return any(
        words in said
        for words in (
            "Connection refused",
            "No such file or directory",
            "timeout expired",
            "could not translate host name",
            "server closed the connection",
            "terminating connection",
            "the connection is closed",
            "consuming input failed",
            "SSL",
            "certificate",
            "Network is unreachable",
            "No route to host",
        )
    )
