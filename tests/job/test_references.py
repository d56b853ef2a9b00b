"""resolve_references: relative paths, sequences, UDIM/tile sets, existence and sizes."""
import os

from rayvision_dcc.job import FileReference, resolve_references, tile_path
from rayvision_dcc.job.deps import find_sequence_gaps


def touch(path, size=3):
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(str(path), "wb") as handle:
        handle.write(b"x" * size)
    return str(path)


def resolved(tmp_path, *references, **where):
    scene = str(tmp_path / "proj" / "scenes" / "shot.ma")
    deps, warnings = resolve_references(list(references), scene_path=scene, **where)
    return deps, warnings


def names(deps, root):
    return [(os.path.relpath(dep.path, str(root)).replace(os.sep, "/"), dep.exists)
            for dep in deps]


def test_plain_and_relative_paths_with_sizes(tmp_path):
    proj = tmp_path / "proj"
    touch(proj / "sourceimages" / "a.png", 7)
    touch(proj / "scenes" / "near.png", 2)
    touch(tmp_path / "lib" / "tex" / "l.png")
    outside = touch(tmp_path / "abs.png", 5)
    deps, warnings = resolved(
        tmp_path,
        FileReference("sourceimages/a.png", owner="file1"),      # project-relative
        FileReference("near.png", owner="file2"),                # scene-folder-relative
        FileReference("//near.png", owner="Image"),              # Blender "//"
        FileReference("//tex/l.png", base=str(tmp_path / "lib")),  # linked library
        FileReference(outside),
        FileReference("sourceimages\\a.png", owner="file3"),     # Windows separators
        FileReference("gone/x.png"),
        project_path=str(proj))
    assert names(deps, tmp_path) == [
        ("proj/sourceimages/a.png", True), ("proj/scenes/near.png", True),
        ("lib/tex/l.png", True), ("abs.png", True), ("proj/gone/x.png", False)]
    assert [dep.size for dep in deps] == [7, 2, 3, 5, 0]
    # a file used twice is one dependency with both owners
    assert deps[0].owner == "file1, file3" and deps[1].owner == "file2, Image"
    assert warnings == []


def test_frame_tokens(tmp_path):
    folder = tmp_path / "proj" / "seq"
    for number in (1, 2, 3, 5, 12):
        touch(folder / "a.{:04d}.exr".format(number))
    touch(folder / "a.0001.png")
    touch(folder / "b_7.exr")
    touch(folder / "b_8.exr")
    for token in ("a.<f>.exr", "a.<frame>.exr", "a.####.exr", "a.%04d.exr", "a.$F4.exr",
                  "a.<F4>.exr"):
        deps, _ = resolved(tmp_path, FileReference("seq/" + token, kind="image"),
                           project_path=str(tmp_path / "proj"))
        assert [os.path.basename(d.path) for d in deps] == [
            "a.0001.exr", "a.0002.exr", "a.0003.exr", "a.0005.exr", "a.0012.exr"], token
        assert set(d.kind for d in deps) == {"image_sequence"}
    deps, _ = resolved(tmp_path, FileReference("seq/b_%d.exr"),
                       project_path=str(tmp_path / "proj"))
    assert [os.path.basename(d.path) for d in deps] == ["b_7.exr", "b_8.exr"]
    # the frames the scene uses, when the host knows them
    deps, _ = resolved(tmp_path, FileReference("seq/a.####.exr", frames=(2, 5)),
                       project_path=str(tmp_path / "proj"))
    assert [os.path.basename(d.path) for d in deps] == ["a.0002.exr", "a.0003.exr",
                                                        "a.0005.exr"]
    gaps = find_sequence_gaps(resolved(tmp_path, FileReference("seq/a.####.exr", kind="image"),
                                       project_path=str(tmp_path / "proj"))[0])
    assert [gap.missing for gap in gaps] == [[4] + list(range(6, 12))]


def test_host_flagged_sequences(tmp_path):
    folder = tmp_path / "proj" / "seq"
    for name in ("a.001.exr", "a.002.exr", "a.010.exr", "b.001.exr", "a.003.png"):
        touch(folder / name)
    deps, _ = resolved(tmp_path, FileReference("//../seq/a.001.exr", sequence=True,
                                               kind="image_sequence"))
    assert [os.path.basename(d.path) for d in deps] == ["a.001.exr", "a.002.exr", "a.010.exr"]
    deps, _ = resolved(tmp_path, FileReference("//../seq/a.001.exr", sequence=True, frames=(2, 9)))
    assert [os.path.basename(d.path) for d in deps] == ["a.002.exr"]
    # a sequence whose folder is gone: the file as written, missing
    deps, _ = resolved(tmp_path, FileReference("//nope/a.001.exr", sequence=True))
    assert names(deps, tmp_path) == [("proj/scenes/nope/a.001.exr", False)]


def test_udim_and_tile_tokens(tmp_path):
    folder = tmp_path / "proj" / "tex"
    for tile in (1001, 1002, 1004, 1011):
        touch(folder / "skin.{}.png".format(tile))
    for u, v in ((1, 1), (2, 1)):
        touch(folder / "eye.u{}_v{}.png".format(u, v))
    for u, v in ((0, 0), (0, 1)):
        touch(folder / "lip_u{}_v{}.tif".format(u, v))
    touch(folder / "skin.notes.png")
    proj = str(tmp_path / "proj")
    deps, _ = resolved(tmp_path, FileReference("tex/skin.<UDIM>.png", owner="file1"),
                       project_path=proj)
    assert [os.path.basename(d.path) for d in deps] == [
        "skin.1001.png", "skin.1002.png", "skin.1004.png", "skin.1011.png"]
    assert set(d.kind for d in deps) == {"udim"} and all(d.exists for d in deps)
    deps, _ = resolved(tmp_path, FileReference("tex/eye.<UVTILE>.png"), project_path=proj)
    assert [os.path.basename(d.path) for d in deps] == ["eye.u1_v1.png", "eye.u2_v1.png"]
    deps, _ = resolved(tmp_path, FileReference("tex/lip_u<U>_v<V>.tif", kind="image"),
                       project_path=proj)
    assert [os.path.basename(d.path) for d in deps] == ["lip_u0_v0.tif", "lip_u0_v1.tif"]
    assert [gap.missing for gap in find_sequence_gaps(
        resolved(tmp_path, FileReference("tex/skin.<UDIM>.png"), project_path=proj)[0])] == [
        [1003]]


def test_an_image_file_list_brings_the_images_it_names(tmp_path):
    """3ds Max's .ifl: one file per line (relative to the list), an optional hold count."""
    seq = tmp_path / "proj" / "seq"
    touch(seq / "fire_0001.png")
    touch(seq / "fire_0002.png")
    touch(tmp_path / "other" / "still.png")
    ifl = seq / "fire.ifl"
    ifl.write_text("; made by 3ds Max\nfire_0001.png\nfire_0002.png 3\n\n"
                   "../../other/still.png\nfire_0001.png\nfire_0009.png\n")
    deps, _ = resolved(tmp_path, FileReference(str(ifl), kind="image", owner="Map #1"))
    assert names(deps, tmp_path) == [
        ("proj/seq/fire.ifl", True), ("proj/seq/fire_0001.png", True),
        ("proj/seq/fire_0002.png", True), ("other/still.png", True),
        ("proj/seq/fire_0009.png", False)]
    assert {dep.owner for dep in deps} == {"Map #1"}


def test_a_token_matching_nothing_is_one_missing_dependency(tmp_path):
    deps, _ = resolved(tmp_path, FileReference("tex/gone.<UDIM>.png", owner="file1"),
                       FileReference("tex/gone.####.exr", kind="image"),
                       project_path=str(tmp_path / "proj"))
    assert names(deps, tmp_path) == [("proj/tex/gone.<UDIM>.png", False),
                                     ("proj/tex/gone.####.exr", False)]
    assert [dep.kind for dep in deps] == ["udim", "image_sequence"]


def test_packed_and_unreadable_references(tmp_path):
    calls = []
    deps, warnings = resolved(
        tmp_path, FileReference("//packed.png", packed=True),
        FileReference("", owner="aiStandIn1", warning="mtoa is not loaded: not read"),
        FileReference("", owner="aiStandIn2", warning="mtoa is not loaded: not read"),
        progress=lambda done, total: calls.append((done, total)))
    assert deps == [] and warnings == ["mtoa is not loaded: not read"]
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_file_reference_round_trip():
    ref = FileReference("//a.<UDIM>.png", owner="Image", kind="udim", base="/lib",
                        sequence=True, frames=(1, 5), packed=False, warning="w")
    assert FileReference.from_dict(ref.to_dict()) == ref
    assert FileReference.from_dict("x.png") == FileReference("x.png")


def test_tile_path():
    assert tile_path("/t/skin.<UDIM>.png", 1012) == "/t/skin.1012.png"
    assert tile_path("/t/skin.<UVTILE>.png", 1012) == "/t/skin.u2_v2.png"
    assert tile_path("/t/skin_u<U>_v<V>.png", 1012) == "/t/skin_u1_v1.png"
    assert tile_path(os.path.join("/t", "skin_1001.png"), 1003) == \
        os.path.join("/t", "skin_1003.png")
    assert tile_path("/t/plain.png", 1003) == "/t/plain.png"
