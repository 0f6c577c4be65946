"""Start the local PostgreSQL if it is down and create the portal's database if it is missing.

Reads DATABASE_URL like the settings do. Safe to run any number of times.
"""

import glob
import os
import subprocess
import sys
import time

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/khv_strategy"


def connect(config, dbname):
    return psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
        connect_timeout=3,
    )


def start_local_postgres():
    """Start Debian's cluster(s) the same way the machine does before a session."""
    for version_dir in sorted(glob.glob("/etc/postgresql/*")):
        version = os.path.basename(version_dir)
        print(f"PostgreSQL is not answering; starting cluster {version}/main", flush=True)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )


def wait_for_server(config, attempts=30):
    for attempt in range(attempts):
        try:
            with connect(config, "postgres"):
                return True
        except psycopg.OperationalError:
            if attempt == 0 and config["HOST"] in {"127.0.0.1", "localhost", ""}:
                start_local_postgres()
            time.sleep(1)
    return False


def main():
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    if not wait_for_server(config):
        sys.exit(f"PostgreSQL at {config['HOST']}:{config['PORT']} does not answer.")
    with connect(config, "postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created database {config['NAME']}")


if __name__ == "__main__":
    main()
