"""The Maya module's layout, as Maya reads it and as the installer relies on it."""
import os
import re

import pytest

from maya_fake import ROOT

MAYA = os.path.join(ROOT, "maya")
with open(os.path.join(MAYA, "scripts", "rayvision_maya", "__init__.py")) as _handle:
    VERSION = re.search(r'__version__ = "([^"]+)"', _handle.read()).group(1)
PYTHONS = {"2022": "py37", "2023": "py39", "2024": "py310", "2025": "py311",
           "2026": "py311", "2027": "py313"}


def blocks():
    """The .mod file's module blocks: {(version, platform): [lines after the + line]}."""
    found = {}
    current = None
    with open(os.path.join(MAYA, "rayvision_dcc.mod")) as handle:
        for line in handle.read().splitlines():
            if line.startswith("+ "):
                fields = line.split()
                conditions = dict(field.split(":", 1) for field in fields[1:3])
                assert fields[3:] == ["rayvision_dcc", VERSION, "."], line
                current = found.setdefault((conditions["MAYAVERSION"],
                                            conditions["PLATFORM"]), [])
            elif not line.strip() or line.startswith("#"):
                current = None  # Maya stops reading the block here
            else:
                assert current is not None, "a line outside a module block: " + line
                current.append(line)
    return found


@pytest.mark.parametrize("version", sorted(PYTHONS))
@pytest.mark.parametrize("platform", ["win64", "linux", "mac"])
def test_a_block_per_maya_version_and_platform(version, platform):
    assert blocks()[(version, platform)] == [
        "PYTHONPATH +:= scripts", "PYTHONPATH +:= site-packages/" + PYTHONS[version]]


def test_nothing_but_those_blocks():
    assert len(blocks()) == len(PYTHONS) * 3


def test_the_folders_the_module_and_the_installer_expect():
    for path in ("scripts/userSetup.py", "scripts/rayvision_maya/__init__.py",
                 "scripts/rayvision_maya/batch.py", "icons/rayvision_submit.png"):
        assert os.path.isfile(os.path.join(MAYA, path)), path
    # never a package named maya: it would shadow Maya's own
    assert not os.path.exists(os.path.join(MAYA, "scripts", "maya"))
