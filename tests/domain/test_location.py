"""Where a desk lives: a file's path, a postgresql:// address or a connection file —
never a password."""

from pathlib import Path

import pytest

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.location import (
    ServerAddress,
    desk_location,
    existing_desk_location,
    parse_address,
    read_server_file,
    server_file_text,
)


def test_a_path_is_a_desk_file_and_a_bare_name_gets_the_suffix():
    assert desk_location("mydesk") == Path("mydesk.nsdesk")
    assert existing_desk_location("mydesk") == Path("mydesk")
    assert desk_location("a/b.nsdesk") == Path("a/b.nsdesk")


def test_an_address_names_the_server_database_login_and_tls_files():
    address = parse_address(
        "postgresql://bob@registers.ministry.example:5433/nsdesk"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem"
    )
    assert address == ServerAddress(
        "nsdesk",
        host="registers.ministry.example",
        port=5433,
        user="bob",
        sslmode="verify-full",
        sslrootcert="/etc/ssl/ca.pem",
    )
    assert address.describe() == "the database nsdesk on registers.ministry.example:5433"
    assert parse_address(str(address)) == address


def test_a_socket_folder_is_a_host_and_survives_the_round_trip():
    address = parse_address("postgresql:///nsdesk?host=/run/postgresql&user=alice")
    assert address.host == "/run/postgresql"
    assert desk_location(str(address)) == address


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://bob:secret@db.example/nsdesk",
        "postgresql://db.example/nsdesk?password=secret",
    ],
)
def test_a_password_in_an_address_is_refused(text):
    with pytest.raises(ValidationError, match="nsdesk never stores one"):
        parse_address(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("postgresql://db.example/", "the database's name"),
        ("postgresql://db.example/nsdesk?sslmode=sometimes", "one of disable, allow"),
        ("postgresql://db.example/nsdesk?colour=blue", "one of host, port, user"),
    ],
)
def test_an_address_nsdesk_cannot_use_says_why(text, words):
    with pytest.raises(ValidationError, match=words):
        parse_address(text)


def test_a_connection_file_reads_relative_tls_files_from_its_folder(tmp_path):
    path = tmp_path / "ministry.nsdesk-server"
    path.write_text(
        'host = "registers.ministry.example"\nport = 5432\ndatabase = "nsdesk"\n'
        'sslmode = "verify-full"\nsslrootcert = "ministry-ca.pem"\n'
    )
    address = existing_desk_location(str(path))
    assert isinstance(address, ServerAddress)
    assert address.sslrootcert == str(tmp_path / "ministry-ca.pem")
    assert read_server_file(path) == address
    again = tmp_path / "again.nsdesk-server"
    again.write_text(server_file_text(address))
    assert read_server_file(again) == address


def test_a_connection_file_with_a_password_is_refused(tmp_path):
    path = tmp_path / "leaky.nsdesk-server"
    path.write_text('host = "db"\ndatabase = "nsdesk"\npassword = "hunter2"\n')
    with pytest.raises(ValidationError, match="pgpass"):
        read_server_file(path)


def test_the_shipped_example_connection_file_reads():
    example = Path(__file__).resolve().parents[2] / "packaging" / "server"
    address = read_server_file(example / "example.nsdesk-server")
    assert address.database == "nsdesk"
    assert address.sslmode == "verify-full"


def test_a_register_is_named_by_its_host_port_and_database():
    from nsdesk.domain.location import parse_address

    assert parse_address("postgresql://bob@db.example.org:5433/nsdesk").register == (
        "db.example.org:5433/nsdesk"
    )
    assert parse_address("postgresql:///nsdesk?host=/run/postgresql").register == (
        "/run/postgresql/nsdesk"
    )
