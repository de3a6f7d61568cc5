#!/bin/sh
# Create a database for an nsdesk register and the roles a ministry's IT department
# gives its officers. Run it once per register, as a PostgreSQL superuser, e.g.:
#
#   sudo -u postgres packaging/server/create-roles.sh --database nsdesk \
#        --admin it_alice --editor bob,carol --reader dave
#
# It creates (and never drops):
#   - three group roles named after the database, which nobody logs in as:
#       <db>_admin   owns the tables: runs nsdesk init and every migration, changes
#                    the desk's settings and marking scheme;
#       <db>_editor  reads and writes records, and may only ADD to the audit log
#                    (no UPDATE, DELETE or TRUNCATE on audit_entry or desk_replica;
#                    desk_revision, the commit counter, is only moved on);
#       <db>_reader  reads;
#   - the database, owned by <db>_admin, that only these roles may connect to;
#   - the unaccent extension in it (accent-insensitive search);
#   - a login for each officer named, a member of one group role. Logins get no
#     password here: set one with  psql -c '\password bob'  (stored as scram-sha-256
#     when password_encryption is, as in the example postgresql.conf), or map them
#     to Kerberos principals in pg_hba.conf.
# nsdesk grants the group roles their rights on every table itself, at every
# migration (nsdesk init included); after adding roles to an existing register run
# `nsdesk grant ADDRESS` as an admin. Run again, the script adds what is missing.
set -eu

usage() {
    echo "usage: $0 --database NAME [--admin LOGIN,...] [--editor LOGIN,...] [--reader LOGIN,...] [psql options...]" >&2
    exit 2
}

database="" admins="" editors="" readers=""
while [ $# -gt 0 ]; do
    case "$1" in
        --database) database="${2:-}"; shift 2 ;;
        --admin) admins="${2:-}"; shift 2 ;;
        --editor) editors="${2:-}"; shift 2 ;;
        --reader) readers="${2:-}"; shift 2 ;;
        --help) usage ;;
        *) break ;;  # the rest goes to psql (-h HOST, -p PORT, -U USER…)
    esac
done
[ -n "$database" ] || usage

# Names become SQL identifiers: lower-case letters, digits and underscores only.
check_name() {
    case "$1" in
        ''|[0-9_]*|*[!a-z0-9_]*)
            echo "$0: '$1' is not a plain name (lower-case letters, digits, underscores)" >&2
            exit 2 ;;
    esac
}
check_name "$database"
for login in $(echo "$admins,$editors,$readers" | tr ',' ' '); do check_name "$login"; done

PSQL=${PSQL:-psql}
run() {  # run DATABASE: SQL on standard input, stopping at the first error
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"
}

group_roles() {
    for role in admin editor reader; do
        cat <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${database}_${role}') THEN
        CREATE ROLE ${database}_${role} NOLOGIN;
    END IF;
END \$\$;
SQL
    done
}

logins() {  # logins GROUP LOGIN,LOGIN...
    for login in $(echo "$2" | tr ',' ' '); do
        cat <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${login}') THEN
        CREATE ROLE ${login} LOGIN;
    END IF;
END \$\$;
GRANT ${database}_$1 TO ${login};
SQL
    done
}

{
    group_roles
    logins admin "$admins"
    logins editor "$editors"
    logins reader "$readers"
} | run "$@" -d postgres

if [ -z "$(run "$@" -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = '${database}'")" ]; then
    run "$@" -d postgres -c "CREATE DATABASE ${database} OWNER ${database}_admin ENCODING 'UTF8' TEMPLATE template0"
fi

run "$@" -d "$database" <<SQL
REVOKE ALL ON DATABASE ${database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${database}_admin, ${database}_editor, ${database}_reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${database}_editor, ${database}_reader;
CREATE EXTENSION IF NOT EXISTS unaccent;
SQL

echo "Database ${database} and the roles ${database}_admin, ${database}_editor, ${database}_reader are ready."
echo "Next, as an admin login:  nsdesk init postgresql://LOGIN@HOST/${database}?sslmode=verify-full --state ISO3"
