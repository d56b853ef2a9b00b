"""The install check a user runs in Maya's Script Editor."""
import os

from maya_fake import touch


def test_the_check_passes_on_a_good_install(maya_session, make_scene, project, capsys):
    touch(os.path.join(project, "tex", "wood.png"))
    fake = maya_session(make_scene(nodes={"file1": {"type": "file", "attrs": {
        "fileTextureName": "tex/wood.png"}}}))
    import rayvision_maya
    rayvision_maya.load()
    import rayvision_maya.check
    assert rayvision_maya.check.run() is True
    out = capsys.readouterr().out
    assert "Maya 2022, Python" in out and "all checks passed" in out
    assert "arnold 5.1.0, frames 1-10[1], 2 cameras, 1 layers, 1 files (0 missing)" in out
    assert fake.ui  # read only: the check built nothing new
    assert "PROBLEM" not in out


def test_the_check_says_what_is_wrong(maya_session, make_scene, capsys, monkeypatch):
    maya_session(make_scene(unknown_plugins=["redshift4maya"]))
    import rayvision_maya.check
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # a broken install
    assert rayvision_maya.check.run() is False
    out = capsys.readouterr().out
    assert "PROBLEM  keyring" in out and "what to do: install again" in out
    assert "PROBLEM  Render Farm menu" in out  # load() never ran
    assert "warning: the scene needs the plug-in redshift4maya" in out
    assert "2 problem(s): keyring, Render Farm menu" in out


def test_the_check_names_the_ssl_trap_of_linux_maya(maya_session, make_scene, capsys,
                                                    monkeypatch):
    maya_session(make_scene())
    import importlib
    import rayvision_maya.check
    real = importlib.import_module

    def without_ssl(name, *args):
        if name == "requests":
            raise ImportError("urllib3 v2 only supports OpenSSL 1.1.1+, currently the 'ssl' "
                              "module is compiled with 'OpenSSL 1.0.2k'")
        return real(name, *args)

    monkeypatch.setattr(rayvision_maya.check.importlib, "import_module", without_ssl)
    assert rayvision_maya.check.run() is False
    out = capsys.readouterr().out
    assert "PROBLEM  requests" in out and "install urllib3<2" in out
