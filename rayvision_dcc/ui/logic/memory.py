"""The fields chosen last time, per scene."""
from __future__ import annotations

import json
import os
import time

from rayvision_dcc.files import write_json_atomic

#: The fields remembered per scene (what the artist chose last time for this scene).
REMEMBERED = ("project_name", "cameras", "frames", "env_name", "hardware_config_id",
              "pre_frames", "stop_after_test", "labels", "output_dir", "frames_per_task")


def _scene_key(scene_path):
    path = os.path.normpath(os.path.abspath(scene_path or "untitled"))
    return os.path.normcase(path).replace("\\", "/")


class SceneMemory(object):
    """The fields chosen last time, per scene, in the user config folder (never next to
    the scene). A small JSON file; the oldest scenes are forgotten past ``limit``.

    Reading and writing touch the disk: call ``load`` and ``save`` from a worker.
    """

    def __init__(self, path=None, limit=200):
        if path is None:
            from rayvision_dcc.api.config import config_dir
            path = os.path.join(config_dir(), "panel-fields.json")
        self.path = path
        self.limit = limit

    def _read(self):
        try:
            with open(self.path, "r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, scene_path):
        entry = self._read().get(_scene_key(scene_path)) or {}
        values = entry.get("fields") if isinstance(entry, dict) else None
        if not isinstance(values, dict):
            return {}
        return {key: value for key, value in values.items() if key in REMEMBERED}

    def save(self, scene_path, values):
        data = self._read()
        data[_scene_key(scene_path)] = {
            "fields": {key: value for key, value in values.items() if key in REMEMBERED},
            "saved": time.time()}
        if len(data) > self.limit:
            oldest = sorted(data, key=lambda k: (data[k] or {}).get("saved", 0))
            for key in oldest[:len(data) - self.limit]:
                del data[key]
        write_json_atomic(self.path, data, indent=1, sort_keys=True)
