"""rayvision-dcc on a .ma without Maya's UI: the Maya scanner, run with (fake) mayapy."""
import json
import os
import sys

import pytest

from maya_fake import ROOT

SHIM = '''
import json, os, sys
sys.path.insert(0, {fake!r})
import maya_fake
fake = maya_fake.FakeMaya({{}})
with open(os.environ["RAYVISION_TEST_MAYA_FILES"]) as handle:
    fake.files = json.load(handle)
fake.install()  # replaces this module in sys.modules: `import maya` gets the fake
'''


def scene_with_a_texture(make_scene, project):
    from maya_fake import touch
    touch(os.path.join(project, "tex", "wood.png"))
    return make_scene(nodes={"file1": {"type": "file", "attrs": {
        "fileTextureName": "tex/wood.png"}}})


def test_describe_reads_the_scene_in_a_started_maya(maya_session, make_scene, project):
    fake = maya_session({})
    description = scene_with_a_texture(make_scene, project)
    fake.files[description["path"]] = description
    from rayvision_maya import headless
    headless.start_maya()
    info = headless.describe(description["path"])
    assert info.host == "Maya" and info.scene_path == description["path"]
    assert [os.path.basename(dep.path) for dep in info.dependencies] == ["wood.png"]
    headless.stop_maya()
    assert fake.standalone_calls == ["initialize", "uninitialize"]


def test_the_maya_scanner_is_declared():
    with open(os.path.join(ROOT, "setup.py")) as handle:
        assert "maya=rayvision_maya.headless:SCANNER" in handle.read()


def test_the_registry_finds_it_for_ma_and_mb(maya_session):
    maya_session({})
    from rayvision_dcc.hosts.registry import find_scanner
    assert find_scanner("/s/shot.ma").module == "rayvision_maya.headless"
    assert find_scanner("/s/SHOT.MB").host == "Maya"


@pytest.fixture
def mayapy(maya_session, make_scene, project, tmp_path, monkeypatch):
    """A stand-in mayapy: this Python with a ``maya`` package that installs the fake and
    knows one scene file; yields that scene's path. The Maya scanner is registered as its
    entry point does once installed."""
    maya_session({})
    description = scene_with_a_texture(make_scene, project)
    files = tmp_path / "files.json"
    files.write_text(json.dumps({description["path"]: description}))
    shim = tmp_path / "shim" / "maya"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(SHIM.format(fake=os.path.dirname(
        os.path.abspath(__file__))))
    monkeypatch.setenv("RAYVISION_TEST_MAYA_FILES", str(files))
    monkeypatch.setenv("RAYVISION_MAYAPY", sys.executable)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "shim"))
    from rayvision_dcc.hosts.registry import deregister_scanner, register_scanner
    from rayvision_maya.headless import SCANNER
    register_scanner(SCANNER)
    yield description["path"]
    deregister_scanner(SCANNER)


def test_scan_a_ma_in_a_mayapy_subprocess(mayapy, monkeypatch):
    from rayvision_dcc.errors import JobError
    from rayvision_dcc.hosts.headless import scan_scene
    info = scan_scene(mayapy, timeout=120)
    assert info.host == "Maya" and info.renderer == "arnold"
    assert [(os.path.basename(dep.path), dep.exists) for dep in info.dependencies] == [
        ("wood.png", True)]
    monkeypatch.setenv("PYTHONPATH", "")  # a Python without Maya
    with pytest.raises(JobError) as error:
        scan_scene(mayapy, timeout=120)
    assert "RAYVISION_MAYAPY" in error.value.hint


def test_the_cli_without_mayapy_says_to_point_at_mayapy(mayapy, farm, monkeypatch, capsys):
    """maya.standalone is not on PyPI: the hint names mayapy, never `pip install`."""
    from rayvision_dcc.cli import main
    access_id, access_key = farm.users[0]
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", access_key)
    monkeypatch.delenv("RAYVISION_MAYAPY")  # this Python, which has no Maya
    monkeypatch.setenv("PYTHONPATH", "")
    code = main(["submit", "--domain", farm.domain, "--protocol", "http", "--access-id",
                 access_id, mayapy, "--dry-run"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "cannot read Maya scenes" in err and "maya.standalone" in err
    hint = err.split("what to do:", 1)[1]
    assert "pip install" not in hint
    assert "RAYVISION_MAYAPY" in hint and "bin/mayapy" in hint and "mayapy.exe" in hint


def test_the_cli_submits_a_ma_dry_run(mayapy, farm, monkeypatch, capsys):
    from rayvision_dcc.cli import main
    access_id, access_key = farm.users[0]
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", access_key)
    code = main(["submit", "--domain", farm.domain, "--protocol", "http", "--access-id",
                 access_id, mayapy, "--dry-run", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    value = json.loads(out)
    assert [os.path.basename(row["local"]) for row in value["upload"]] == ["shot.ma",
                                                                           "wood.png"]
    with open(os.path.join(value["job_folder"], "task.json")) as handle:
        task = json.load(handle)
    assert task["task_info"]["cg_id"] == "2000"
    assert task["software_config"]["cg_version"] == "2022"
