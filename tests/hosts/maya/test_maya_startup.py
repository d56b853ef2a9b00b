"""userSetup.py, the Render Farm menu and the RenderFarm shelf: idempotent, removable."""
import json
import os
import runpy
import subprocess
import sys

from maya_fake import ROOT, SCRIPTS


def start_maya(fake):
    """What Maya does at start with our module: run userSetup.py, then its idle loop."""
    seen = len(fake.calls)
    runpy.run_path(os.path.join(SCRIPTS, "userSetup.py"), run_name="__main__")
    assert fake.deferred, "userSetup.py must defer its UI work"
    assert fake.calls[seen:] == []  # nothing asked of Maya before its UI exists
    fake.run_idle()


def ui_snapshot(fake):
    return {name: (item["kind"], item["parent"], item.get("label"))
            for name, item in fake.ui.items()}


def test_start_adds_the_menu_and_the_shelf_button(maya_session, make_scene):
    fake = maya_session(make_scene())
    start_maya(fake)
    from rayvision_maya import startup
    assert fake.ui[startup.MENU]["label"] == "Render Farm"
    assert fake.ui[startup.MENU]["parent"] == "MayaWindow"
    items = fake.children(startup.MENU)
    assert [fake.ui[item]["label"] for item in items] == ["Submit to render farm..."]
    assert fake.ui[startup.SHELF]["parent"] == "ShelfLayout"
    button = startup.find_button()
    assert fake.ui[button]["label"] == "Submit"
    assert fake.ui[button]["command"] == "import rayvision_maya; rayvision_maya.open_panel()"
    assert fake.ui[button]["sourceType"] == "python"
    assert fake.option_vars[startup.MARKER] == startup.install_stamp()


def test_a_second_load_changes_nothing(maya_session, make_scene):
    fake = maya_session(make_scene())
    start_maya(fake)
    before = ui_snapshot(fake)
    import rayvision_maya
    rayvision_maya.load()
    start_maya(fake)
    assert ui_snapshot(fake) == before


def test_a_deleted_button_comes_back_only_after_a_reinstall(maya_session, make_scene,
                                                           tmp_path, monkeypatch):
    fake = maya_session(make_scene())
    start_maya(fake)
    from maya import cmds
    from rayvision_maya import startup
    cmds.deleteUI(startup.find_button(), control=True)  # the user removes it
    assert startup.load()["button"] is None
    assert startup.find_button() is None
    # a reinstall: the package files are new, so is the installation's stamp
    monkeypatch.setattr(startup, "install_stamp", lambda: "0.1.0:reinstalled")
    assert startup.load()["button"] == startup.find_button() is not None


def test_a_button_kept_over_a_reinstall_stays_deleted_once_deleted(maya_session, make_scene,
                                                                    monkeypatch):
    fake = maya_session(make_scene())
    start_maya(fake)
    from maya import cmds
    from rayvision_maya import startup
    monkeypatch.setattr(startup, "install_stamp", lambda: "0.1.0:reinstalled")
    button = startup.find_button()
    assert startup.load()["button"] == button  # Maya kept the shelf: nothing new
    assert fake.option_vars[startup.MARKER] == "0.1.0:reinstalled"
    cmds.deleteUI(button, control=True)
    assert startup.load()["button"] is None and startup.find_button() is None


def test_the_stamp_comes_from_the_installer_when_it_wrote_one(maya_session, make_scene,
                                                             tmp_path):
    maya_session(make_scene())
    from rayvision_maya import startup
    first = startup.install_stamp()
    assert first == startup.install_stamp() and first.startswith("0.1.0:")
    stamp = os.path.join(ROOT, "maya", "install.stamp")
    assert not os.path.exists(stamp)
    try:
        with open(stamp, "w") as handle:
            handle.write("install-42\n")
        assert startup.install_stamp() == "install-42"
    finally:
        os.remove(stamp)


def test_unload_removes_everything_and_a_later_load_restores_it(maya_session, make_scene):
    fake = maya_session(make_scene())
    start_maya(fake)
    start = ui_snapshot(fake)
    import rayvision_maya
    from rayvision_maya import startup
    rayvision_maya.unload()
    assert set(fake.ui) == {"MayaWindow", "ShelfLayout"}
    assert startup.MARKER not in fake.option_vars
    rayvision_maya.unload()  # twice is fine
    rayvision_maya.load()
    assert {v for v in ui_snapshot(fake).values()} == {v for v in start.values()}


def test_unload_keeps_a_shelf_the_user_added_buttons_to(maya_session, make_scene):
    fake = maya_session(make_scene())
    start_maya(fake)
    from maya import cmds
    from rayvision_maya import startup
    cmds.shelfButton(parent=startup.SHELF, label="Mine", command="print(1)")
    startup.unload()
    assert startup.find_button() is None
    assert [fake.ui[c]["label"] for c in fake.children(startup.SHELF)] == ["Mine"]


def test_the_shelf_goes_where_maya_s_shelf_bar_is(maya_session, make_scene, capsys):
    fake = maya_session(make_scene())
    fake.ui["ShelfBar2"] = fake.ui.pop("ShelfLayout")  # a Maya naming it otherwise
    fake.shelf_bar = "ShelfBar2"
    start_maya(fake)
    from rayvision_maya import startup
    assert fake.ui[startup.SHELF]["parent"] == "ShelfBar2" and startup.find_button()
    startup.unload()
    del fake.ui["ShelfBar2"]  # no shelf bar at all: the menu still comes
    assert startup.load() == {"menu": startup.MENU, "button": None}
    assert "shelf bar was not found" in capsys.readouterr().err


def test_batch_mode_adds_nothing(maya_session, make_scene):
    fake = maya_session(make_scene(batch=True))
    start_maya(fake)
    assert set(fake.ui) == {"MayaWindow", "ShelfLayout"} and fake.option_vars == {}


def test_a_failing_start_does_not_break_maya(maya_session, make_scene, capsys):
    fake = maya_session(make_scene())
    del fake.ui["MayaWindow"]  # a broken UI: the menu cannot be parented
    start_maya(fake)
    assert "Render Farm menu was not added" in capsys.readouterr().err


PROBE = r"""
import json, os, runpy, sys
sys.path[:0] = [{tests!r}, {scripts!r}]
from maya_fake import FakeMaya
fake = FakeMaya({{}})
fake.install()
before = set(sys.modules)
runpy.run_path(os.path.join({scripts!r}, "userSetup.py"), run_name="__main__")
fake.run_idle()
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_maya_start_imports_nothing_heavy():
    """Qt, the panel, the HTTP stack and the core load when the button is pressed."""
    script = PROBE.format(tests=os.path.dirname(os.path.abspath(__file__)), scripts=SCRIPTS)
    result = subprocess.run([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "rayvision_maya.startup" in loaded
    heavy = [name for name in loaded if name.split(".")[0] in (
        "Qt", "PySide2", "PySide6", "shiboken2", "shiboken6", "requests", "urllib3",
        "keyring", "rayvision_dcc")]
    assert heavy == []


def test_a_broken_install_says_so_in_one_line(maya_session, make_scene, monkeypatch, capsys):
    fake = maya_session(make_scene())
    start_maya(fake)
    monkeypatch.setitem(sys.modules, "rayvision_dcc.ui", None)  # the packages are missing
    import rayvision_maya
    assert rayvision_maya.open_panel() is None
    assert len(fake.warnings) == 1
    assert fake.warnings[0].startswith("Render farm: the submitter's packages are missing")
    assert "install again" in fake.warnings[0]
    assert "Traceback" in capsys.readouterr().err  # the details, for the Script Editor
