"""The adapter protocol, the plain-file adapter and the host registry."""
import json

import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.hosts import (HostAdapter, PlainFileAdapter, deregister_host, find_host,
                                 register_host, registered_hosts, reset)
from rayvision_dcc.job import Camera, Dependency, SceneInfo


@pytest.fixture(autouse=True)
def clean_registry():
    reset()
    yield
    reset()


def scene(tmp_path):
    texture = tmp_path / "a.png"
    texture.write_bytes(b"png")
    return SceneInfo(host="Maya", host_version="2022", scene_path=str(tmp_path / "a.ma"),
                     cameras=[Camera("cam", True)],
                     dependencies=[Dependency(str(texture)),
                                   Dependency(str(tmp_path / "gone.png"), exists=True)])


def test_host_adapter_is_abstract():
    with pytest.raises(TypeError):
        HostAdapter()


class FakeMaya(HostAdapter):
    host_name = "Maya"

    def host_version(self):
        return "2024"

    def scene_info(self, scan=True):
        return SceneInfo(host="Maya", host_version="2024", scene_path="/s/a.ma")


def test_a_minimal_adapter_gets_the_defaults():
    adapter = FakeMaya()
    assert adapter.cg_id == "2000"
    assert adapter.scene_path() == "/s/a.ma" and adapter.save_scene() == "/s/a.ma"
    assert adapter.main_window() is None and adapter.is_dirty() is False
    assert "FakeMaya" in repr(adapter)


def test_plain_file_adapter(tmp_path):
    info = scene(tmp_path)
    adapter = PlainFileAdapter(info)
    assert adapter.host_name == "Maya" and adapter.cg_id == "2000"
    assert adapter.host_version() == "2022"
    got = adapter.scene_info()
    assert got == info and got is not info
    assert adapter.scene_info(scan=False).dependencies == []
    assert adapter.scene_info(scan=False).cameras == info.cameras
    assert adapter.scene_path() == info.scene_path
    rechecked = PlainFileAdapter(info, recheck=True).scene_info()
    assert [dep.exists for dep in rechecked.dependencies] == [True, False]
    assert PlainFileAdapter(info.to_dict()).scene_info() == info
    with pytest.raises(TypeError):
        PlainFileAdapter("not a scene")


def test_plain_file_adapter_from_file(tmp_path):
    info = scene(tmp_path)
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(info.to_dict()), encoding="utf-8")
    assert PlainFileAdapter.from_file(str(path)).scene_info() == info
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(JobError) as err:
        PlainFileAdapter.from_file(str(path))
    assert err.value.hint
    with pytest.raises(JobError):
        PlainFileAdapter.from_file(str(tmp_path / "nope.json"))


def test_registry_verbs():
    assert registered_hosts() == []
    assert register_host(FakeMaya) is FakeMaya
    register_host(FakeMaya)
    assert registered_hosts() == [FakeMaya]
    assert find_host("maya") is FakeMaya and find_host("Blender") is None
    registered_hosts().clear()  # a copy
    assert registered_hosts() == [FakeMaya]
    deregister_host(FakeMaya)
    deregister_host(FakeMaya)
    assert registered_hosts() == []
    register_host(FakeMaya)
    reset()
    assert registered_hosts() == []


def test_registry_refuses_what_is_not_an_adapter():
    class NoName(HostAdapter):
        def host_version(self):
            return ""

        def scene_info(self, scan=True):
            return None

    for bad in (object, NoName, FakeMaya()):
        with pytest.raises(TypeError):
            register_host(bad)
