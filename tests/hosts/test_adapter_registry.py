"""The adapter protocol, the plain-file adapter, the slice reader, the main-thread-only
test host and the host registry."""
import json
import threading

import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.hosts import (HostAdapter, PlainFileAdapter, SliceReader, deregister_host,
                                 find_host, read_all, register_host, registered_hosts, reset)
from rayvision_dcc.job import Camera, Dependency, FileReference, SceneInfo

from hosts.fake_host import FakeHost, refused_off_main_thread


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

    def read_scene(self):
        return SceneInfo(host="Maya", host_version="2024", scene_path="/s/a.ma")

    def iter_references(self):
        yield FileReference("sourceimages/a.png", owner="file1.fileTextureName")
        yield FileReference("", owner="aiStandIn1", warning="mtoa is not loaded")


def test_a_minimal_adapter_gets_the_defaults(tmp_path):
    adapter = FakeMaya()
    assert adapter.cg_id == "2000"
    assert adapter.scene_path() == "/s/a.ma" and adapter.save_scene() == "/s/a.ma"
    assert adapter.main_window() is None and adapter.is_dirty() is False
    assert "FakeMaya" in repr(adapter)
    # scene_info(): the headless convenience reads and resolves on this thread
    info = adapter.scene_info()
    assert [(dep.path, dep.exists, dep.owner) for dep in info.dependencies] == [
        ("/s/sourceimages/a.png", False, "file1.fileTextureName")]
    assert info.warnings == ["mtoa is not loaded"]
    assert adapter.scene_info(scan=False).dependencies == []


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


def test_plain_file_adapter_reports_its_dependencies_as_references(tmp_path):
    info = scene(tmp_path)
    adapter = PlainFileAdapter(info)
    assert adapter.read_scene().dependencies == [] and adapter.read_scene().cameras == info.cameras
    refs = list(adapter.iter_references())
    assert [ref.path for ref in refs] == [dep.path for dep in info.dependencies]


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

        def read_scene(self):
            return None

        def iter_references(self):
            return iter(())

    for bad in (object, NoName, FakeMaya()):
        with pytest.raises(TypeError):
            register_host(bad)


class _Clock(object):
    """A clock the fake host's reads advance (no real time, so the test is exact)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _TimedHost(FakeHost):
    def __init__(self, scene, clock, cost):
        super(_TimedHost, self).__init__(scene)
        self.clock, self.cost = clock, cost

    def _call(self, what):
        super(_TimedHost, self)._call(what)
        self.clock.now += self.cost


def _described(count, tmp_path):
    return {"host": "Maya", "host_version": "2024", "scene_path": str(tmp_path / "s.ma"),
            "references": [{"path": "tex/t{}.png".format(i), "owner": "file{}".format(i)}
                           for i in range(count)]}


def test_slice_reader_stops_each_slice_at_its_budget(tmp_path):
    clock = _Clock()
    host = _TimedHost(_described(100, tmp_path), clock, cost=0.003)
    reader = SliceReader(host, budget=0.02, clock=clock)
    steps = 0
    while not reader.step():
        steps += 1
        assert 0 < len(reader.references) < 100 and not reader.done
    assert reader.done and reader.step() is True
    assert [ref.owner for ref in reader.references] == ["file{}".format(i) for i in range(100)]
    assert reader.scene.scene_path.endswith("s.ma")
    # 101 reads of 3 ms in slices of at most 7 reads (21 ms): the budget, one read over
    assert steps >= 14 and reader.longest <= 0.02 + 0.003 + 1e-9


def test_slice_reader_keeps_the_host_error(tmp_path):
    class Broken(FakeHost):
        def iter_references(self):
            yield FileReference("a.png")
            raise RuntimeError("the scene was closed")

    reader = SliceReader(Broken(_described(0, tmp_path)), budget=10.0)
    with pytest.raises(RuntimeError):
        reader.step()
    with pytest.raises(RuntimeError):
        reader.step()
    assert not reader.done and len(reader.references) == 1


def test_read_all_and_the_fake_host_refuses_other_threads(tmp_path):
    host = FakeHost(_described(3, tmp_path))
    scene, refs = read_all(host)
    assert scene.dependencies == [] and [ref.path for ref in refs] == [
        "tex/t0.png", "tex/t1.png", "tex/t2.png"]
    errors = [str(exc) for exc in refused_off_main_thread(
        host.read_scene, host.is_dirty, lambda: list(host.iter_references()))]
    assert len(errors) == 3 and all("main thread" in text for text in errors)
    assert host.calls_off(threading.main_thread()) == []


def test_scanner_registry_and_the_scanner_side(tmp_path, capsys):
    from rayvision_dcc.hosts import (HeadlessScanner, deregister_scanner, find_scanner,
                                     register_scanner, registered_scanners)
    from rayvision_dcc.hosts.headless import (ERROR_MARKER, MARKER, NO_HOST_MODULE_EXIT,
                                              SCAN_FAILED_EXIT, serve)
    # an extension no installed plugin reads (Blender and Maya declare theirs)
    fake = HeadlessScanner("Maya", "no_such_scanner", extensions=(".RVTEST", ".rvt2"),
                           requires=("no_such_host_module",))
    assert register_scanner(fake) is fake and fake in registered_scanners()
    assert find_scanner("/s/shot.rvtest") is fake and find_scanner("/s/shot.txt") is None
    with pytest.raises(TypeError):
        register_scanner("not a scanner")
    deregister_scanner(fake)
    assert find_scanner("/s/shot.rvtest") is None

    info = SceneInfo(host="Maya", host_version="2024", scene_path="/s/shot.ma")
    seen = []

    def describe(path, scan):
        seen.append((path, scan))
        return info
    plain = HeadlessScanner("Maya", "x", (".ma",))
    assert serve(plain, describe, ["/s/shot.ma", "--settings-only"]) == 0
    line = [l for l in capsys.readouterr().out.splitlines() if l.startswith(MARKER)][0]
    assert SceneInfo.from_dict(json.loads(line[len(MARKER):])) == info
    assert seen == [("/s/shot.ma", False)]
    assert serve(fake, describe, ["/s/shot.ma"]) == NO_HOST_MODULE_EXIT
    assert ERROR_MARKER in capsys.readouterr().out and len(seen) == 1

    def broken(path, scan):
        raise ValueError("not a scene")
    assert serve(plain, broken, ["/s/shot.ma"]) == SCAN_FAILED_EXIT
    out = capsys.readouterr().out
    assert "ValueError: not a scene" in out and "Traceback" in out
