"""One way for every test folder to get a local farm.

In this process (``LocalFarm``) on Python 3.11+; as a subprocess
(``$RAYVISION_FARM_PYTHON -m rayvision_dcc farm serve --ready-json``) when that variable is
set or this Python is older, which is how the Python 3.7 run reaches a farm.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class FarmHandle(object):
    """What the tests need of a farm, whichever way it runs."""

    def __init__(self, url, domain, users, data_dir, stop, local=None):
        self.url = url
        self.domain = domain
        self.users = users
        self.data_dir = data_dir
        self._stop = stop
        #: The in-process ``LocalFarm`` (None for a subprocess farm).
        self.local = local

    def client(self, user=0, **kwargs):
        from rayvision_dcc.api import RenderClient
        access_id, access_key = self.users[user]
        values = dict(access_id=access_id, access_key=access_key, domain=self.domain,
                      protocol="http", platform="2", retry_backoff=0.01)
        values.update(kwargs)
        return RenderClient(**values)

    def client_factory(self):
        """A panel ``client_factory``: the farm's address, whatever zone is picked."""
        def factory(access_id=None, access_key=None, domain=None, platform=None):
            from rayvision_dcc.api import RenderClient
            return RenderClient(access_id=access_id, access_key=access_key,
                                domain=self.domain, protocol="http", platform=platform)
        return factory

    def stop(self):
        self._stop()


def farm_python():
    """The interpreter to run the farm with, or None to run it in this process."""
    python = os.environ.get("RAYVISION_FARM_PYTHON")
    if python or sys.version_info < (3, 11):
        return python or "missing"
    return None


def start_farm(data_dir, extra_args=(), **local_options):
    """Start a farm storing into ``data_dir``; ``handle.stop()`` ends it."""
    data_dir = str(data_dir)
    os.makedirs(data_dir, exist_ok=True)
    python = farm_python()
    if python == "missing":
        import pytest
        pytest.skip("the local farm needs Python 3.11: set RAYVISION_FARM_PYTHON")
    if python is None:
        from rayvision_dcc.localfarm import LocalFarm
        local = LocalFarm(data_dir, **local_options)
        local.start()
        return FarmHandle(local.url, local.domain, list(local.users), data_dir, local.stop,
                          local)
    command = [python, "-m", "rayvision_dcc", "farm", "serve", "--port", "0", "--ready-json",
               "--data", data_dir] + list(extra_args)
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env, cwd=ROOT)
    line = process.stdout.readline().decode("utf-8")
    if not line:
        process.kill()
        raise RuntimeError("the farm subprocess exited before it was ready")
    ready = json.loads(line)

    def stop():
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()

    users = [(u["access_id"], u["access_key"]) for u in ready["users"]]
    return FarmHandle(ready["url"], ready["domain"], users, data_dir, stop)


def store_sign_in(farm, user=0):
    """Store the farm's user as ``rayvision-dcc login`` / the panel's sign-in do."""
    from rayvision_dcc.api.config import CredentialStore, update_config
    access_id, access_key = farm.users[user]
    CredentialStore().set(access_id, access_key)
    update_config(access_id=access_id)
    return farm


def wait_until(predicate, timeout=30.0, interval=0.02, message="condition"):
    """Poll ``predicate`` until it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after {:g} s waiting for {}".format(timeout, message))
        time.sleep(interval)


def storage_files(farm):
    """Every file the farm holds, as paths relative to its storage root."""
    root = os.path.join(farm.data_dir, "storage")
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(found)


def make_scene(folder, textures=3, size=2048, missing=(), cameras=("shotCamShape", "perspShape"),
               host="Maya", version="2022"):
    """A scene description whose files exist on disk (the farm simulates Maya renders)."""
    from rayvision_dcc.job.scene import Camera, Dependency, RenderLayer, SceneInfo
    folder.joinpath("tex").mkdir(parents=True, exist_ok=True)
    scene_path = folder / "shot.ma"
    scene_path.write_text("//Maya ASCII 2022 scene\n")
    deps = []
    for index in range(textures):
        path = folder / "tex" / "t{:04d}.png".format(index)
        path.write_bytes(os.urandom(size))
        deps.append(Dependency(path=str(path), kind="image", exists=True, owner="file1"))
    for name in missing:
        deps.append(Dependency(path=str(folder / "tex" / name), kind="image", exists=False,
                               owner="file9"))
    return SceneInfo(host=host, host_version=version, scene_path=str(scene_path),
                     scene_name="shot", renderer="arnold",
                     cameras=[Camera(name, index == 0) for index, name in enumerate(cameras)],
                     frame_start=1, frame_end=3, frame_step=1, width=64, height=48,
                     output_path=str(folder / "images"), output_format="png",
                     render_layers=[RenderLayer("masterLayer", True)],
                     dependencies=deps, project_path=str(folder))


def isolate_environment(home):
    """Point this process at a throw-away user (scripts outside pytest: the benchmarks and
    docs/screenshots.py): no RAYVISION_* settings, no OS keyring, Qt offscreen. Returns the
    environment as it was, to restore with ``os.environ.update``."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("RAYVISION_"):
            del os.environ[name]
    os.environ.update({
        "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return saved


def in_throwaway_home(prefix, body):
    """``body(home)`` run as a throw-away user (``isolate_environment``) in a temporary
    home that is removed afterwards, the environment restored (the benchmarks)."""
    import shutil
    import tempfile
    home = tempfile.mkdtemp(prefix=prefix)
    saved = isolate_environment(home)
    try:
        return body(home)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(home, ignore_errors=True)


def cli_runner(capsys, common_args):
    """``run(command, *words) -> (exit code, stdout, stderr)``: the CLI in this process, with
    ``common_args`` (domain, protocol, access id) after the command word."""
    from rayvision_dcc.cli import main

    def run(*words):
        code = main([words[0]] + list(common_args) + list(words[1:]))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def read_job_file(task_ref, name="task.json"):
    """A job file the submission wrote into its job folder, as JSON."""
    with open(os.path.join(task_ref.job_folder, name), encoding="utf-8") as handle:
        return json.load(handle)
