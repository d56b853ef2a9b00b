"""The grouped dependency report and the ignore list kept in the user config."""
import json
import os

from rayvision_dcc.api.config import config_path, read_config, update_config
from rayvision_dcc.job import Dependency, DependencyReport, IgnoreList, SceneInfo
from rayvision_dcc.job.deps import find_sequence_gaps


def seq(folder, name, numbers, kind="image_sequence", width=4):
    return [Dependency("{}/{}.{}.png".format(folder, name, str(n).zfill(width)), kind)
            for n in numbers]


def test_sequence_gap():
    gaps = find_sequence_gaps(seq("/p/tex", "tex", [1, 2, 3, 4, 6, 7, 8, 9, 10]))
    assert len(gaps) == 1
    assert gaps[0].pattern == "/p/tex/tex.####.png" and gaps[0].missing == [5]
    assert gaps[0].kind == "sequence" and "tex.####.png: frames 5 missing" in gaps[0].describe()


def test_no_gap_for_complete_or_single_or_plain_images():
    deps = (seq("/p", "a", range(1, 11)) + seq("/p", "b", [7])
            + [Dependency("/p/wood_01.png", "image"), Dependency("/p/wood_03.png", "image")])
    assert find_sequence_gaps(deps) == []


def test_sequences_apart_by_folder_and_suffix():
    deps = seq("/p/x", "t", [1, 3]) + seq("/p/y", "t", [1, 2]) + [
        Dependency("/p/x/t.0002.exr", "image_sequence")]
    gaps = find_sequence_gaps(deps)
    assert [(gap.pattern, gap.missing) for gap in gaps] == [("/p/x/t.####.png", [2])]


def test_missing_files_are_not_counted_as_present():
    deps = seq("/p", "t", [1, 2, 3])
    deps[1].exists = False
    assert find_sequence_gaps(deps)[0].missing == [2]


def test_udim_gaps_only_within_a_row():
    deps = [Dependency("/p/skin.{}.png".format(n), "udim")
            for n in (1001, 1002, 1004, 1011, 1013, 1031)]
    gaps = find_sequence_gaps(deps)
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.kind == "udim" and gap.pattern == "/p/skin.<UDIM>.png"
    # 1003 and 1012 are holes in rows 1 and 2; row 3 (1021-1030) is empty, not a gap;
    # tiles after the last of a row (1005-1010) are not gaps either.
    assert gap.missing == [1003, 1012]
    assert "tiles" in gap.describe()


def scene(tmp_path):
    root = str(tmp_path / "proj").replace("\\", "/")
    deps = [Dependency(root + "/tex/a.png", "image"),
            Dependency(root + "/tex/gone.png", "image", False, "Gone"),
            Dependency(root + "/tex/skipped.png", "image", False),
            Dependency("/mnt/lib/shared.png", "image"),
            Dependency("/mnt/lib/shared.png", "image"),
            Dependency("/mnt/lib/lost.png", "image", False)]
    deps += seq(root + "/seq", "s", [1, 2, 4])
    return SceneInfo(host="Blender", scene_path=root + "/shot.blend", dependencies=deps)


def test_report_groups(tmp_path):
    info = scene(tmp_path)
    report = DependencyReport.from_scene(info, ignored=[info.dependencies[2].path])
    assert report.total == 8
    assert [dep.path.rsplit("/", 1)[1] for dep in report.missing] == ["gone.png", "lost.png"]
    assert [dep.path.rsplit("/", 1)[1] for dep in report.ignored] == ["skipped.png"]
    assert [dep.path for dep in report.outside_project] == ["/mnt/lib/shared.png",
                                                             "/mnt/lib/lost.png"]
    assert [gap.missing for gap in report.sequence_gaps] == [[3]]
    assert report.blocking and not report.clean
    text = "\n".join(report.lines())
    assert "missing (2)" in text and "[Gone]" in text and "ignored by you (1)" in text
    json.dumps(report.to_dict())
    info.dependencies = [info.dependencies[0]]
    assert DependencyReport.from_scene(info).clean


def test_report_project_path_and_windows_case():
    info = SceneInfo(host="Maya", scene_path="E:/Proj/scenes/a.ma", project_path="E:\\Proj",
                     dependencies=[Dependency("e:/proj/sourceimages/a.png"),
                                   Dependency("E:/Projector/b.png")])
    report = DependencyReport.from_scene(info)
    assert [dep.path for dep in report.outside_project] == ["E:/Projector/b.png"]


def test_ignore_list_lives_in_the_user_config(tmp_path, isolated_user):
    info = scene(tmp_path)
    folder_before = sorted(os.listdir(str(tmp_path / "proj"))) if (tmp_path / "proj").exists() \
        else []
    update_config(domain="example.org")
    ignore = IgnoreList.load(info.scene_path)
    assert len(ignore) == 0
    ignore.add("/mnt/lib/lost.png", info.dependencies[1].path, info.dependencies[2].path).save()
    other = IgnoreList("/other/scene.blend", ["/x.png"]).save()
    assert str(config_path()).startswith(str(isolated_user))
    stored = read_config()
    assert stored["domain"] == "example.org"
    assert sorted(stored["ignored_missing"]) == ["/other/scene.blend", info.scene_path]
    again = IgnoreList.load(info.scene_path)
    assert "/mnt/lib/lost.png" in again and len(again) == 3
    report = DependencyReport.from_scene(info, again)
    assert not report.blocking and len(report.ignored) == 3
    again.discard("/mnt/lib/lost.png").save()
    assert IgnoreList.load(info.scene_path).paths == [info.dependencies[1].path,
                                                      info.dependencies[2].path]
    again.clear().save()
    assert list(read_config()["ignored_missing"]) == ["/other/scene.blend"]
    assert len(IgnoreList.load("/other/scene.blend")) == len(other) == 1
    after = sorted(os.listdir(str(tmp_path / "proj"))) if (tmp_path / "proj").exists() else []
    assert after == folder_before  # nothing written next to the scene


def test_ignore_list_windows_paths_compare_without_case():
    ignore = IgnoreList("C:/Shots/a.max", ["D:\\Tex\\A.png"])
    assert "d:/tex/a.png" in ignore and ignore.paths == ["D:/Tex/A.png"]
    assert IgnoreList("C:\\Shots\\a.max").scene_path == "C:/Shots/a.max"
