#!/bin/sh
# Creates one database per service on the first start of the PostgreSQL container (the official
# image runs /docker-entrypoint-initdb.d/ only while the data directory is empty). Each database
# is owned by POSTGRES_USER; the list comes from PLATFORM_DATABASES (space separated).
# Safe to run again by hand: databases that exist are left alone.
set -eu

databases="${PLATFORM_DATABASES:-members projects announcements notifications}"

# Every name is checked before anything is created: they are spliced into SQL below.
for database in $databases; do
    case "$database" in
        *[!a-z0-9_]*)
            echo "init-databases: refusing the database name '$database'" >&2
            exit 1
            ;;
    esac
done

for database in $databases; do
    echo "init-databases: ensuring database $database"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
SELECT 'CREATE DATABASE "$database" OWNER "$POSTGRES_USER"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\gexec
SQL
done
