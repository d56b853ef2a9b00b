"""The one atomic write: whole or not at all, private when asked, no temp file left."""
import json
import os
import stat
import sys

import pytest

from rayvision_dcc.files import write_json_atomic, write_text_atomic


def test_atomic_write_replaces_the_file_whole(tmp_path):
    path = tmp_path / "deep" / "folder" / "a.json"
    write_json_atomic(str(path), {"a": 1}, indent=1)
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}
    write_text_atomic(str(path), "é second")
    assert path.read_text(encoding="utf-8") == "é second"
    assert os.listdir(str(path.parent)) == ["a.json"]  # no temp file left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_private_files_are_the_owner_s_only(tmp_path):
    path = tmp_path / "config.json"
    write_text_atomic(str(path), "{}", private=True)
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "files" / "a.json"
    write_text_atomic(str(path), "old")
    with pytest.raises(TypeError):
        write_text_atomic(str(path), b"not text")  # fails while writing the temp file
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(str(path.parent)) == ["a.json"]
