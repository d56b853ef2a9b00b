"""Render workers: threads that claim waiting frames and render them.

Blender frames run in a ``render_worker`` subprocess of the same interpreter (one
process per frame: a failure or a stop never takes the farm down); Maya and 3ds Max
frames run the labelled stand-in in the worker thread. A stopped, abandoned or deleted
task's running frames are killed; their late results are ignored (the frame's run token
no longer matches).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time

log = logging.getLogger("rayvision_dcc.localfarm")

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _Running(object):
    def __init__(self):
        self.cancelled = threading.Event()
        self.process = None


class Scheduler(object):
    def __init__(self, store, storage, data_dir, workers=1, max_samples=4, max_resolution=128,
                 standin_seconds=0.1, frame_timeout=600, python=None):
        self.store = store
        self.storage = storage
        self.data_dir = data_dir
        self.workers = max(1, int(workers))
        self.max_samples = max_samples
        self.max_resolution = max_resolution
        self.standin_seconds = standin_seconds
        self.frame_timeout = frame_timeout
        self.python = python or sys.executable
        self.changed = threading.Condition()
        self._running = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = []

    def start(self):
        self._stopping.clear()
        for index in range(self.workers):
            thread = threading.Thread(target=self._loop, name="farm-render-{}".format(index),
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self):
        """Kill running renders, join the workers; their frames go back to waiting."""
        self._stopping.set()
        with self._lock:
            running = list(self._running)
        self.cancel(running)
        self.wake()
        for thread in self._threads:
            thread.join(timeout=15)
        self._threads = []
        self.store.reset_running()

    def wake(self):
        with self.changed:
            self.changed.notify_all()

    def running_count(self):
        with self._lock:
            return len(self._running)

    def cancel(self, frame_ids):
        with self._lock:
            targets = [self._running[f] for f in frame_ids if f in self._running]
        for running in targets:
            running.cancelled.set()
            if running.process is not None and running.process.poll() is None:
                running.process.kill()

    def _loop(self):
        while not self._stopping.is_set():
            try:
                claim = self.store.claim_next_frame()
            except Exception:
                log.exception("claiming a frame failed")
                claim = None
            if claim is None:
                with self.changed:
                    self.changed.wait(0.5)
                continue
            frame, task = claim
            try:
                self._run(frame, task)
            except Exception:
                log.exception("frame %s of task %s crashed the worker", frame["id"], task["id"])
                self.store.finish_frame(frame["id"], frame["run_token"], False, None, None)
            self.wake()

    def _job(self, frame, task, user):
        uid = user["user_id"]
        scene_stem = os.path.splitext(task["scene_name"])[0]
        return {
            "cg_id": task["cg_id"], "frame": frame["frame_index"],
            "scene": self.storage.resolve(uid, user["input_bid"], task["scene_path"]),
            "original_scene": self._original_scene(task, user),
            "input_root": self.storage.bid_root(uid, user["input_bid"]),
            "output_dir": self.storage.resolve(uid, user["output_bid"], "/" + task["output_file_name"]),
            "output_name": "{}_{:04d}.png".format(scene_stem, frame["frame_index"]),
            "max_samples": self.max_samples, "max_resolution": self.max_resolution,
            "camera": task["render_camera"], "width": task["width"], "height": task["height"],
        }

    def _original_scene(self, task, user):
        path = self.storage.resolve(user["user_id"], user["config_bid"],
                                    "/{}/cfg/task.json".format(task["id"]))
        try:
            with open(path, "r", encoding="utf-8") as handle:
                return json.load(handle)["task_info"]["input_cg_file"]
        except (OSError, ValueError, KeyError, TypeError):
            return ""

    def _run(self, frame, task):
        user = self.store.user_by_id(task["user_id"])
        job = self._job(frame, task, user)
        folder = os.path.join(self.data_dir, "logs", str(user["user_id"]), str(task["id"]))
        os.makedirs(folder, exist_ok=True)
        log_path = os.path.join(folder, "frame_{}.log".format(frame["id"]))
        self.store.set_log_path(frame["id"], log_path)
        running = _Running()
        with self._lock:
            self._running[frame["id"]] = running
        started = time.time()
        try:
            with open(log_path, "w", encoding="utf-8") as handle:
                handle.write("local farm: task {} frame {} (frame id {}, attempt {})\n".format(
                    task["id"], frame["frame_index"], frame["id"], frame["recommit"] + 1))
            if task["cg_id"] == 2007:
                code = self._run_process(job, frame, task, log_path, running)
            else:
                code = self._run_standin(job, log_path, running)
        finally:
            with self._lock:
                if self._running.get(frame["id"]) is running:  # not a newer run of it
                    del self._running[frame["id"]]
        if running.cancelled.is_set() or self._stopping.is_set():
            return
        target = os.path.join(job["output_dir"], job["output_name"])
        ok = code == 0 and os.path.isfile(target)
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write("local farm: frame {} {} after {:.2f} s (exit code {})\n".format(
                frame["frame_index"], "done" if ok else "FAILED", time.time() - started, code))
        self.store.finish_frame(frame["id"], frame["run_token"], ok, job["output_name"] if ok else None,
                                log_path)

    def _run_standin(self, job, log_path, running):
        # Imported here: ``python -m ...render_worker`` must not find it imported already.
        from rayvision_dcc.localfarm.render_worker import render_standin

        if running.cancelled.wait(self.standin_seconds):
            return -1
        with open(log_path, "a", encoding="utf-8") as handle:
            def write(text):
                handle.write("[standin] " + text + "\n")
            try:
                render_standin(job, write)
            except Exception as exc:
                write("FAILED: {}: {}".format(type(exc).__name__, exc))
                return 1
        return 0

    def _run_process(self, job, frame, task, log_path, running):
        work = os.path.join(self.data_dir, "work")
        os.makedirs(work, exist_ok=True)
        job_path = os.path.join(work, "frame_{}.json".format(frame["id"]))
        with open(job_path, "w", encoding="utf-8") as handle:
            json.dump(job, handle)
        env = dict(os.environ)
        env.setdefault("BLENDER_USER_RESOURCES", os.path.join(self.data_dir, "blender_user"))
        env["PYTHONPATH"] = os.pathsep.join(
            [PACKAGE_ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        timeout = min(self.frame_timeout, task["job_stop_time"] or self.frame_timeout)
        with open(log_path, "a", encoding="utf-8") as handle:
            running.process = subprocess.Popen(
                [self.python, "-m", "rayvision_dcc.localfarm.render_worker", job_path],
                stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                cwd=work)
            if running.cancelled.is_set():
                running.process.kill()
            try:
                code = running.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                running.process.kill()
                running.process.wait()
                handle.write("local farm: frame stopped after its time limit of {} s\n".format(timeout))
                code = -9
        try:
            os.remove(job_path)
        except OSError:
            pass
        return code
