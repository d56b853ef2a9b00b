"""The farm's state in SQLite (WAL): users, render envs, labels, tasks, frames, events.

One connection shared by every thread behind one lock: the farm is small, and a single
writer keeps the state machine simple. Every change commits before the answer is sent,
so a kill -9 after an answer loses nothing the client was told about.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
import time

from rayvision_dcc.api import statuses

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY, access_id TEXT UNIQUE NOT NULL, access_key TEXT NOT NULL,
    user_name TEXT NOT NULL, transfer_key TEXT NOT NULL, config_bid TEXT NOT NULL,
    input_bid TEXT NOT NULL, output_bid TEXT NOT NULL, task_over_time_sec INTEGER NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS envs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, cg_id INTEGER NOT NULL,
    cg_name TEXT NOT NULL, cg_version TEXT NOT NULL, edit_name TEXT NOT NULL,
    render_layer_type INTEGER NOT NULL DEFAULT 0, render_system INTEGER NOT NULL DEFAULT 1,
    plugin_ids TEXT NOT NULL DEFAULT '[]', is_default INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, edit_name));
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, name TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 0, UNIQUE (user_id, name));
CREATE TABLE IF NOT EXISTS task_labels (
    task_id INTEGER NOT NULL, label_id INTEGER NOT NULL, PRIMARY KEY (task_id, label_id));
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, alias TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 0, submitted INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0, cg_id INTEGER, scene_name TEXT, scene_path TEXT,
    output_file_name TEXT, frames_range TEXT, project_name TEXT NOT NULL DEFAULT '',
    task_user_level INTEGER NOT NULL DEFAULT 50, test_gate INTEGER NOT NULL DEFAULT 0,
    render_camera TEXT, width INTEGER, height INTEGER, job_stop_time INTEGER,
    over_time_sec INTEGER, hardware_config_id INTEGER, producer TEXT, out_user_id INTEGER,
    platform INTEGER, created_ms INTEGER NOT NULL, submit_ms INTEGER, start_ms INTEGER,
    completed_ms INTEGER);
CREATE TABLE IF NOT EXISTS frames (
    id INTEGER PRIMARY KEY AUTOINCREMENT, task_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    frame_index INTEGER NOT NULL, frame_type INTEGER NOT NULL, priority INTEGER NOT NULL,
    status INTEGER NOT NULL DEFAULT 1, run_token INTEGER NOT NULL DEFAULT 0,
    recommit INTEGER NOT NULL DEFAULT 0, start_ms INTEGER, end_ms INTEGER,
    output TEXT, log_path TEXT);
CREATE INDEX IF NOT EXISTS frames_by_task ON frames (task_id, status);
CREATE INDEX IF NOT EXISTS frames_by_status ON frames (status);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, task_id INTEGER,
    action TEXT NOT NULL, at_ms INTEGER NOT NULL);
"""

#: The render environments every new user starts with: one default per software.
SEED_ENVS = (
    (2000, "Maya", "2022", "Maya 2022 default"),
    (2001, "3ds Max", "2022", "3ds Max 2022 default"),
    (2007, "Blender", "4.5", "Blender 4.5 default"),
)

FIRST_TASK_ID = 5000000
FIRST_USER_ID = 10000001

# The statuses the farm sets, by their names in the API layer's one table (the first code
# of a name: WAITING is 0).
_TASK = {status.name: status.code for status in reversed(statuses.TASK_STATUSES)}
_FRAME = {status.name: status.code for status in reversed(statuses.FRAME_STATUSES)}
WAITING, RENDERING, STOP = _TASK["WAITING"], _TASK["RENDERING"], _TASK["STOP"]
FINISHED, FINISHED_HAS_FAILED = _TASK["FINISHED"], _TASK["FINISHED_HAS_FAILED"]
ABANDON, FINISHED_TEST, FAILED, ANALYSE = (_TASK["ABANDON"], _TASK["FINISHED_TEST"],
                                           _TASK["FAILED"], _TASK["ANALYSE"])
TERMINAL = statuses.TERMINAL
F_WAITING, F_RUNNING, F_STOPPED = _FRAME["WAITING"], _FRAME["RENDERING"], _FRAME["STOPPED"]
F_DONE, F_FAILED = _FRAME["DONE"], _FRAME["FAILED"]


def now_ms():
    return int(time.time() * 1000)


class Store(object):
    """All reads and writes of the farm's database."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.path = path
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.db.execute(statement)
        with self.tx() as db:
            if db.execute("SELECT seq FROM sqlite_sequence WHERE name='tasks'").fetchone() is None:
                db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('tasks', ?)",
                           (FIRST_TASK_ID - 1,))

    def close(self):
        with self.lock:
            self.db.close()

    @contextlib.contextmanager
    def tx(self):
        """One transaction under the store lock; rolls back on an exception."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def one(self, sql, args=()):
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    def all(self, sql, args=()):
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    # -- users ---------------------------------------------------------------------------
    def ensure_user(self, access_id, access_key, is_demo=False):
        """The user row for ``access_id``, created (with bids and seed envs) when new; a
        different key given for a known id replaces the stored one."""
        with self.tx() as db:
            row = db.execute("SELECT * FROM users WHERE access_id=?", (access_id,)).fetchone()
            if row is not None:
                if row["access_key"] != access_key:
                    db.execute("UPDATE users SET access_key=? WHERE access_id=?",
                               (access_key, access_id))
                return self.user_by_access_id(access_id)
            top = db.execute("SELECT MAX(user_id) FROM users").fetchone()[0]
            user_id = (top or FIRST_USER_ID - 1) + 1
            seq = user_id - FIRST_USER_ID + 1
            db.execute(
                "INSERT INTO users (user_id, access_id, access_key, user_name, transfer_key, "
                "config_bid, input_bid, output_bid, task_over_time_sec, is_demo, created_ms) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (user_id, access_id, access_key, "farmuser{}".format(seq), secrets.token_hex(20),
                 "3{:04d}".format(seq), "1{:04d}".format(seq), "2{:04d}".format(seq),
                 43200, 1 if is_demo else 0, now_ms()))
            for cg_id, cg_name, cg_version, edit_name in SEED_ENVS:
                db.execute("INSERT INTO envs (user_id, cg_id, cg_name, cg_version, edit_name, "
                           "is_default) VALUES (?,?,?,?,?,1)",
                           (user_id, cg_id, cg_name, cg_version, edit_name))
        return self.user_by_access_id(access_id)

    def user_by_access_id(self, access_id):
        return self.one("SELECT * FROM users WHERE access_id=?", (access_id,))

    def user_by_id(self, user_id):
        return self.one("SELECT * FROM users WHERE user_id=?", (user_id,))

    def users(self):
        return self.all("SELECT * FROM users ORDER BY user_id")

    def demo_user(self):
        return self.one("SELECT * FROM users WHERE is_demo=1 ORDER BY user_id LIMIT 1")

    def set_user_overtime(self, user_id, seconds):
        with self.tx() as db:
            db.execute("UPDATE users SET task_over_time_sec=? WHERE user_id=?", (seconds, user_id))

    # -- tasks -----------------------------------------------------------------------------
    def create_tasks(self, user_id, count, level, out_user_id, platform):
        ids = []
        with self.tx() as db:
            for _ in range(count):
                cur = db.execute(
                    "INSERT INTO tasks (user_id, alias, task_user_level, out_user_id, platform, "
                    "created_ms) VALUES (?, '', ?, ?, ?, ?)",
                    (user_id, level, out_user_id, platform, now_ms()))
                task_id = cur.lastrowid
                db.execute("UPDATE tasks SET alias=? WHERE id=?", ("P{}".format(task_id), task_id))
                db.execute("INSERT INTO events (user_id, task_id, action, at_ms) VALUES (?,?,?,?)",
                           (user_id, task_id, "create", now_ms()))
                ids.append(task_id)
        return ids

    def task(self, user_id, task_id):
        """The user's task, or None (another user's task is as absent as a missing one)."""
        return self.one("SELECT * FROM tasks WHERE id=? AND user_id=? AND deleted=0",
                        (task_id, user_id))

    def frames_of(self, task_id):
        return self.all("SELECT * FROM frames WHERE task_id=? ORDER BY seq", (task_id,))

    def frame(self, user_id, frame_id):
        return self.one("SELECT f.* FROM frames f JOIN tasks t ON t.id=f.task_id "
                        "WHERE f.id=? AND t.user_id=? AND t.deleted=0", (frame_id, user_id))

    def frame_counts(self, task_id):
        rows = self.all("SELECT status, COUNT(*) AS n FROM frames WHERE task_id=? GROUP BY status",
                        (task_id,))
        return {row["status"]: row["n"] for row in rows}

    def log_event(self, db, user_id, task_id, action):
        db.execute("INSERT INTO events (user_id, task_id, action, at_ms) VALUES (?,?,?,?)",
                   (user_id, task_id, action, now_ms()))

    def submit(self, user_id, task_id, fields, frames):
        """Store the checked task and its frames: ``frames`` is [(frame, priority)]."""
        with self.tx() as db:
            sets = ", ".join("{}=?".format(key) for key in fields)
            db.execute("UPDATE tasks SET {}, submitted=1, status=?, submit_ms=? WHERE id=?".format(sets),
                       list(fields.values()) + [WAITING, now_ms(), task_id])
            for seq, (frame, priority) in enumerate(frames):
                db.execute("INSERT INTO frames (task_id, seq, frame_index, frame_type, priority) "
                           "VALUES (?,?,?,?,?)", (task_id, seq, frame, 4 if priority else 5,
                                                  1 if priority else 0))
            self.log_event(db, user_id, task_id, "submit")

    def update_task(self, task_id, **fields):
        with self.tx() as db:
            sets = ", ".join("{}=?".format(key) for key in fields)
            db.execute("UPDATE tasks SET {} WHERE id=?".format(sets), list(fields.values()) + [task_id])

    # -- frames and the scheduler ------------------------------------------------------------
    def reset_running(self):
        """At start-up: frames a previous process left rendering go back to waiting."""
        with self.tx() as db:
            cur = db.execute("UPDATE frames SET status=?, start_ms=NULL WHERE status=?",
                             (F_WAITING, F_RUNNING))
            return cur.rowcount

    def claim_next_frame(self):
        """Mark the next runnable frame running and return (frame row, task row) or None."""
        with self.tx() as db:
            row = db.execute(
                "SELECT f.id AS fid FROM frames f JOIN tasks t ON t.id=f.task_id "
                "WHERE f.status=? AND t.submitted=1 AND t.deleted=0 AND t.status IN (?, ?) "
                "AND (t.test_gate=0 OR f.priority=1) "
                "ORDER BY t.task_user_level DESC, t.submit_ms, t.id, f.priority DESC, f.seq LIMIT 1",
                (F_WAITING, WAITING, RENDERING)).fetchone()
            if row is None:
                return None
            stamp = now_ms()
            db.execute("UPDATE frames SET status=?, run_token=run_token+1, start_ms=?, end_ms=NULL "
                       "WHERE id=?", (F_RUNNING, stamp, row["fid"]))
            frame = db.execute("SELECT * FROM frames WHERE id=?", (row["fid"],)).fetchone()
            db.execute("UPDATE tasks SET status=?, start_ms=COALESCE(start_ms, ?) WHERE id=?",
                       (RENDERING, stamp, frame["task_id"]))
            task = db.execute("SELECT * FROM tasks WHERE id=?", (frame["task_id"],)).fetchone()
            return frame, task

    def finish_frame(self, frame_id, run_token, ok, output, log_path):
        """Record a frame's result unless it was stopped or restarted meanwhile."""
        with self.tx() as db:
            frame = db.execute("SELECT * FROM frames WHERE id=?", (frame_id,)).fetchone()
            if frame is None or frame["status"] != F_RUNNING or frame["run_token"] != run_token:
                return False
            db.execute("UPDATE frames SET status=?, end_ms=?, output=?, log_path=? WHERE id=?",
                       (F_DONE if ok else F_FAILED, now_ms(), output, log_path, frame_id))
            recompute(db, frame["task_id"])
            return True

    def set_log_path(self, frame_id, log_path):
        with self.tx() as db:
            db.execute("UPDATE frames SET log_path=? WHERE id=?", (log_path, frame_id))

    def recompute(self, db, task_id):
        recompute(db, task_id)

    def busy(self):
        """How many frames are waiting or running in tasks that will go on by themselves."""
        row = self.one(
            "SELECT COUNT(*) FROM frames f JOIN tasks t ON t.id=f.task_id WHERE t.deleted=0 AND "
            "t.submitted=1 AND ((f.status=? AND t.status IN (?, ?) AND (t.test_gate=0 OR "
            "f.priority=1)) OR f.status=?)", (F_WAITING, WAITING, RENDERING, F_RUNNING))
        return row[0]


def recompute(db, task_id):
    """Derive the task status from its frames (the task/frame state machine)."""
    task = db.execute("SELECT * FROM tasks WHERE id=?", (task_id,)).fetchone()
    if task is None or not task["submitted"] or task["status"] in (STOP, ABANDON):
        return
    counts = {}
    waiting_priority = 0
    for row in db.execute("SELECT status, priority, COUNT(*) AS n FROM frames WHERE task_id=? "
                          "GROUP BY status, priority", (task_id,)):
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        if row["status"] == F_WAITING and row["priority"]:
            waiting_priority += row["n"]
    waiting = counts.get(F_WAITING, 0)
    running = counts.get(F_RUNNING, 0)
    if task["test_gate"] and running == 0 and waiting_priority == 0 and waiting > 0:
        status, completed = FINISHED_TEST, None
    elif waiting or running:
        status, completed = (RENDERING if task["start_ms"] else WAITING), None
    else:
        done, failed = counts.get(F_DONE, 0), counts.get(F_FAILED, 0)
        if counts.get(F_STOPPED, 0):
            status = STOP
        elif failed == 0:
            status = FINISHED
        elif done == 0:
            status = FAILED
        else:
            status = FINISHED_HAS_FAILED
        completed = task["completed_ms"] or now_ms()
    db.execute("UPDATE tasks SET status=?, completed_ms=? WHERE id=?", (status, completed, task_id))
