"""`make backup` and `make restore` round-trip the whole database."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from activities.services import plan_import
from tests.activities.test_import_service import SEED
from tests.factories import MeasureFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def database_url(name):
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"


def row_counts(url):
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def make(*args, url):
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_an_empty_database_gives_identical_row_counts(tmp_path, empty_database):
    plan_import(data=SEED.read_bytes())
    MeasureFactory.create_batch(3)
    UserFactory.create_batch(2)
    source_url = database_url(connection.settings_dict["NAME"])
    dump = tmp_path / "khv.dump"

    backup = make("backup", f"BACKUP={dump}", url=source_url)
    assert backup.returncode == 0, backup.stderr
    restore = make("restore", f"BACKUP={dump}", url=empty_database)
    assert restore.returncode == 0, restore.stderr

    source, restored = row_counts(source_url), row_counts(empty_database)
    assert restored == source
    assert source["activities_measure"] == 10
    assert len(source) > 20


def test_restore_without_a_file_says_how_to_call_it():
    result = make("restore", "BACKUP=/nonexistent.dump", url=database_url("postgres"))

    assert result.returncode != 0
    assert "usage: make restore BACKUP=file.dump" in result.stderr
