"""What the installer asks of the machine: platform, home, environment, running programs,
whether a folder can be written. Every answer can be given from outside, so tests lay out a
temporary home as Windows, macOS or Linux do and say which programs run."""
import csv
import os
import subprocess
import sys
import tempfile

PLATFORMS = ("windows", "macos", "linux")


def current_platform():
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


class System(object):
    """The machine as the installer sees it.

    ``processes``: a callable returning ``[(pid, name)]`` of running programs (default: the
    process list). ``can_write``: a callable ``(folder) -> bool`` asked before anything is
    written (default: try to create a file there). ``root``: the folder system-wide installs
    are under (default ``/``). Paths are joined with ``os.path`` of the
    machine the installer runs on; a test that pretends Windows on Linux gets Windows' folder
    names under its temporary home.
    """

    def __init__(self, platform=None, home=None, environ=None, processes=None, can_write=None,
                 root=None):
        self.root = root or os.path.abspath(os.sep)   # where /usr, /Applications are
        self.platform = platform or current_platform()
        if self.platform not in PLATFORMS:
            raise ValueError("platform must be one of {}".format(", ".join(PLATFORMS)))
        self.home = home or os.path.expanduser("~")
        self.environ = dict(os.environ if environ is None else environ)
        self._processes = processes
        self._can_write = can_write

    # -- environment -------------------------------------------------------------------
    def env(self, name, default=""):
        value = self.environ.get(name)
        return value if value else default

    @property
    def pathsep(self):
        return ";" if self.platform == "windows" else ":"

    def env_paths(self, name):
        """A path-list variable (MAYA_MODULE_PATH, ADSK_APPLICATION_PLUGINS) as a list."""
        return [p for p in self.env(name).split(self.pathsep) if p.strip()]

    def home_path(self, *parts):
        return os.path.join(self.home, *parts)

    # Windows' per-user folders, from the environment when set, as Windows lays them out.
    @property
    def appdata(self):
        return self.env("APPDATA", self.home_path("AppData", "Roaming"))

    @property
    def local_appdata(self):
        return self.env("LOCALAPPDATA", self.home_path("AppData", "Local"))

    @property
    def documents(self):
        return self.home_path("Documents")

    # -- running programs --------------------------------------------------------------
    def processes(self):
        """``[(pid, name)]``; ``None`` when the process list cannot be read."""
        if self._processes is not None:
            return list(self._processes())
        try:
            return list_processes(self.platform)
        except (OSError, subprocess.SubprocessError, ValueError):
            return None

    def running(self, names):
        """The running programs whose name is one of ``names`` (case-insensitive);
        ``None`` when the process list cannot be read."""
        found = self.processes()
        if found is None:
            return None
        wanted = set(n.lower() for n in names)
        return [(pid, name) for pid, name in found if name.lower() in wanted]

    # -- permissions -------------------------------------------------------------------
    def writable(self, folder):
        """True when files can be created in ``folder`` (or, where it does not exist yet,
        in the nearest folder above it that does)."""
        existing = nearest_existing(folder)
        if self._can_write is not None:
            return bool(self._can_write(existing))
        try:
            handle, path = tempfile.mkstemp(prefix=".rayvision-check-", dir=existing)
        except OSError:
            return False
        os.close(handle)
        os.remove(path)
        return True


def nearest_existing(folder):
    folder = os.path.abspath(folder)
    while not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def list_processes(platform):
    """The running programs on this machine as ``[(pid, executable name)]``."""
    if platform == "linux" and os.path.isdir("/proc"):
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(os.path.join("/proc", entry, "cmdline"), "rb") as handle:
                    argv0 = handle.read().split(b"\0")[0].decode("utf-8", "replace")
                with open(os.path.join("/proc", entry, "comm"), "rb") as handle:
                    comm = handle.read().decode("utf-8", "replace").strip()
            except OSError:
                continue  # gone, or not ours to read
            found.append((int(entry), os.path.basename(argv0) or comm))
            if argv0 and os.path.basename(argv0) != comm:
                found.append((int(entry), comm))
        return found
    if platform == "windows":
        return parse_tasklist(_output(["tasklist", "/fo", "csv", "/nh"]))
    return parse_ps(_output(["ps", "-A", "-o", "pid=,comm="]))


def _output(command):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          universal_newlines=True, timeout=30, check=True).stdout


def parse_tasklist(text):
    """``tasklist /fo csv /nh`` lines ("maya.exe","1234","Console","1","812,044 K")."""
    found = []
    for fields in csv.reader(text.splitlines()):
        if len(fields) > 1 and fields[1].strip().isdigit():
            found.append((int(fields[1]), fields[0].strip()))
    return found


def parse_ps(text):
    """``ps -A -o pid=,comm=`` lines; macOS gives the executable's whole path."""
    found = []
    for line in text.splitlines():
        parts = line.strip().split(None, 1)
        if len(parts) == 2 and parts[0].isdigit():
            found.append((int(parts[0]), os.path.basename(parts[1].strip())))
    return found
