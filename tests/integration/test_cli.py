"""The command line as people run it: exit codes and one-line errors, never a stack trace."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rxflow.db.session import Database
from rxflow.errors import StorageUnavailable
from rxflow.service import workflow as wf


def rxflow(
    tmp_path: Path, *args: str, stdin: str = "", url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RXFLOW_DATABASE_URL": url or f"sqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "rxflow", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=120, check=False,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_init_then_users_then_a_request_through_its_first_steps(tmp_path: Path) -> None:
    assert rxflow(tmp_path, "init").returncode == 0
    added = rxflow(tmp_path, "user", "add", "sam", "--role", "csr", "--password-stdin",
                   stdin="long enough secret\n")  # fmt: skip
    assert added.returncode == 0 and "Added sam (csr)" in added.stdout
    taken = rxflow(tmp_path, "user", "add", "sam", "--role", "csr", "--password-stdin",
                   stdin="long enough secret\n")  # fmt: skip
    assert taken.returncode == 2 and "taken" in one_line_error(taken)
    short = rxflow(tmp_path, "user", "add", "kim", "--role", "csr", "--password-stdin", stdin="x\n")
    assert short.returncode == 2 and "at least 8" in one_line_error(short)
    role = rxflow(tmp_path, "user", "add", "kim", "--role", "wizard", "--password-stdin",
                  stdin="long enough secret\n")  # fmt: skip
    assert role.returncode == 2 and "Unknown role" in one_line_error(role)


def test_bad_input_has_an_exit_code_and_one_line(tmp_path: Path) -> None:
    assert rxflow(tmp_path, "init").returncode == 0
    rxflow(tmp_path, "user", "add", "sam", "--role", "csr", "--password-stdin", stdin="secret123\n")
    missing = rxflow(tmp_path, "request", "fire", "42", "authorize", "--as", "sam")
    assert missing.returncode == 3 and "No refill request with id 42" in one_line_error(missing)
    nobody = rxflow(tmp_path, "request", "fire", "42", "authorize", "--as", "ghost")
    assert nobody.returncode == 3 and "No user" in one_line_error(nobody)
    junk = rxflow(tmp_path, "request", "fire", "42", "hold", "--as", "sam", "--payload", "{oops")
    assert junk.returncode == 2 and "not valid JSON" in one_line_error(junk)
    unknown = rxflow(tmp_path, "request", "fire", "42", "teleport", "--as", "sam")
    assert unknown.returncode == 2 and "Unknown step" in one_line_error(unknown)


def test_unreachable_database_is_exit_7(tmp_path: Path) -> None:
    result = rxflow(tmp_path, "request", "show", "1", url="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 7 and "cannot be reached" in one_line_error(result)


def test_a_locked_database_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    from rxflow.db import migrate

    db = Database(f"sqlite:///{path}", busy_timeout_ms=200)
    migrate.upgrade(db)
    from builders import build_world

    world = build_world(db)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageUnavailable, match="busy"):
            wf.receive_request(db, {"prescription_id": world["rx"]}, actor_id=world["csr"])
    finally:
        holder.rollback()
        holder.close()
    with db.read() as session:
        from sqlalchemy import text

        assert session.execute(text("select count(*) from refill_requests")).scalar() == 0


def test_formulary_import_and_export_round_trip(tmp_path: Path) -> None:
    from rxflow.formulary import STARTER

    assert rxflow(tmp_path, "init").returncode == 0
    first = rxflow(tmp_path, "formulary", "import", str(STARTER))
    assert first.returncode == 0 and "0 updated" in first.stdout
    exported = tmp_path / "out.csv"
    assert rxflow(tmp_path, "formulary", "export", "--out", str(exported)).returncode == 0
    again = rxflow(tmp_path, "formulary", "import", str(exported))
    assert again.returncode == 0 and "0 added" in again.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text(STARTER.read_text().replace("90000-0101-75", "not-an-ndc", 1))
    bad = rxflow(tmp_path, "formulary", "import", str(broken))
    assert bad.returncode == 2 and "row" in one_line_error(bad)
