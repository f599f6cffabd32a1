"""Crash safety (issue 9): a writer killed with SIGKILL at random points loses nothing confirmed.

tests/kill_writer.py writes registry items through core/items.py and acknowledges each
committed call on stdout. It is killed again and again on the same file, so any damage
would accumulate; after every kill the file must pass integrity_check, hold every
acknowledged write, and its audit log must match the items exactly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai_desktop.core.migrations import SCHEMA_VERSION

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

WRITER = Path(__file__).with_name("kill_writer.py")
ROOT = Path(__file__).resolve().parent.parent
KILLS = 60


def _spawn(db: Path, seed: int) -> subprocess.Popen:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _kill(proc: subprocess.Popen) -> list[str]:
    """SIGKILL *proc*; return the complete ack lines it printed before dying."""
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"writer ended by itself: {err.decode()[-2000:]}"
    text = out.decode("utf-8", errors="replace")
    lines = text.split("\n")[:-1]  # the last piece has no newline yet: never acknowledged
    return [ln for ln in lines if ln[:2] in ("C ", "U ")]


def _run_until_kill(db: Path, seed: int, rnd: random.Random) -> list[str]:
    proc = _spawn(db, seed)
    acks: list[str] = []
    if rnd.random() < 0.15:
        time.sleep(rnd.uniform(0, 0.4))  # during start-up: connect(), migration, profile
        return _kill(proc)
    want = rnd.choice([1, 2, rnd.randrange(3, 40), rnd.randrange(40, 400)])
    while len(acks) < want:
        line = proc.stdout.readline()
        if not line:
            proc.wait(timeout=30)
            pytest.fail(f"writer died unkilled: {proc.stderr.read().decode()[-2000:]}")
        text = line.decode("utf-8").rstrip("\n")
        if text[:2] in ("C ", "U "):
            acks.append(text)
    time.sleep(rnd.choice([0, 0, rnd.uniform(0, 0.003), rnd.uniform(0, 0.03)]))
    return acks + _kill(proc)


def _check(db: Path, created: dict[int, str], updated: list[tuple[int, str]]) -> None:
    conn = sqlite3.connect(str(db))  # recovers the WAL the killed writer left behind
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if not created:
            return
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        items = dict(conn.execute("SELECT id, title FROM items"))
        missing = set(created) - set(items)
        assert not missing, f"acknowledged items lost: {sorted(missing)[:10]}"
        inserts: dict[int, dict] = {}
        latest: dict[int, dict] = {}
        updates: set[tuple[int, str]] = set()
        for row_id, action, after in conn.execute(
            "SELECT row_id, action, after FROM audit WHERE tbl = 'items' ORDER BY id"
        ):
            after = json.loads(after) if after else None
            if action == "insert":
                assert int(row_id) not in inserts, f"item {row_id} inserted twice"
                inserts[int(row_id)] = after
            elif action == "update":
                updates.add((int(row_id), after["title"]))
            latest[int(row_id)] = after
        # one insert audit row per item, and none for an item that does not exist
        assert set(inserts) == set(items), (
            f"items without an insert audit row: {sorted(set(items) - set(inserts))[:10]}; "
            f"audit rows for missing items: {sorted(set(inserts) - set(items))[:10]}"
        )
        for item_id, title in items.items():
            assert latest[item_id]["title"] == title, f"item {item_id} differs from its audit"
        for item_id, title in created.items():
            assert inserts[item_id]["title"] == title
        for ack in updated:
            assert ack in updates, f"acknowledged update lost: {ack}"
    finally:
        conn.close()


def test_sigkill_never_loses_a_confirmed_write(tmp_path):
    db = tmp_path / "kill.db"
    rnd = random.Random(int(os.environ.get("KILL_TEST_SEED", "20260909")))
    created: dict[int, str] = {}
    updated: list[tuple[int, str]] = []
    kills = 0
    for round_no in range(KILLS):
        for ack in _run_until_kill(db, round_no, rnd):
            kind, item_id, title = ack.split(" ", 2)
            if kind == "C":
                created[int(item_id)] = title
            else:
                updated.append((int(item_id), title))
        kills += 1
        _check(db, created, updated)
    assert kills >= 50
    # the kills landed while writing: many writes were confirmed across the rounds
    assert len(created) > KILLS and updated
