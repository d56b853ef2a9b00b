"""Fixtures of the installer tests: one payload (host packages + installer), wheel sets made
from the venvs' installed packages, and machines (System) laid out as each OS."""
import os

import pytest

import installer_kit as kit
from rayvision_installer.system import System

# Sets for the Pythons of the host versions the tests lay out. Python 3.7 packages come from
# .venv37 when it exists; every other set from .venv (their content is what is checked).
PY37_SOURCE = "3.7" if os.path.isdir(kit.VENV_SITE["3.7"]) else "3.11"
SETS = {"py37": PY37_SOURCE, "py39": "3.11", "py310": "3.11", "py311": "3.11",
        "py310-qt": "qt", "py311-qt": "qt", "transmitter": "transmitter"}


@pytest.fixture(scope="session")
def our_wheel(tmp_path_factory):
    return kit.our_wheel(str(tmp_path_factory.mktemp("ourwheel")))


@pytest.fixture(scope="session")
def payload(tmp_path_factory):
    return kit.make_payload(str(tmp_path_factory.mktemp("payload")))


@pytest.fixture(scope="session")
def wheelhouses(tmp_path_factory, our_wheel):
    """{platform: wheelhouse folder}, made once for the session."""
    made = {}
    for platform in ("windows", "macos", "linux"):
        root = os.path.join(str(tmp_path_factory.mktemp("wheels-" + platform)), "wheels")
        made[platform] = kit.make_wheelhouse(root, platform, SETS, our=our_wheel)
    return made


class Machine(object):
    """A temporary computer: its home, what runs on it, which folders refuse writes."""

    def __init__(self, tmp_path, platform, wheels, payload):
        self.platform = platform
        self.home = str(tmp_path / ("home-" + platform))
        self.root = str(tmp_path / ("root-" + platform))
        os.makedirs(self.home)
        os.makedirs(self.root)
        self.environ = {"HOME": self.home}
        if platform == "windows":
            self.environ["PROGRAMFILES"] = os.path.join(self.root, "Program Files")
            self.environ["PROGRAMDATA"] = os.path.join(self.root, "ProgramData")
        self.running = []
        self.read_only = []
        self.wheels = wheels
        self.payload = payload

    def system(self):
        return System(platform=self.platform, home=self.home, environ=self.environ,
                      processes=lambda: list(self.running), root=self.root,
                      can_write=lambda path: not any(
                          os.path.abspath(path).startswith(os.path.abspath(r))
                          for r in self.read_only))

    def run(self, *argv, **kwargs):
        argv = list(argv)
        if argv[:1] != ["uninstall"]:
            argv += ["--wheels", kwargs.pop("wheels", self.wheels)]
        return kit.run_main(argv, self.system(), self.payload, ops=kwargs.pop("ops", None))

    def lay_out(self, maya=(), max_=(), blender=()):
        kit.make_home(self.home, self.platform, maya, max_, blender)
        return self

    # Where things go on this machine.
    def maya_modules(self):
        return {"windows": os.path.join(self.home, "Documents", "maya", "modules"),
                "macos": os.path.join(self.home, "Library", "Preferences", "Autodesk", "maya",
                                      "modules"),
                "linux": os.path.join(self.home, "maya", "modules")}[self.platform]

    def max_plugins(self):
        return os.path.join(self.home, "AppData", "Roaming", "Autodesk", "ApplicationPlugins")

    def blender_addons(self, version):
        base = {"windows": os.path.join(self.home, "AppData", "Roaming", "Blender Foundation",
                                        "Blender"),
                "macos": os.path.join(self.home, "Library", "Application Support", "Blender"),
                "linux": os.path.join(self.home, ".config", "blender")}[self.platform]
        return os.path.join(base, version, "scripts", "addons")


@pytest.fixture
def machine(tmp_path, wheelhouses, payload):
    """``machine("linux")`` -> a Machine with that platform's wheel sets."""
    def make(platform):
        return Machine(tmp_path, platform, wheelhouses[platform], payload)
    return make
