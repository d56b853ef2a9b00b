"""Bad inputs of the account and API commands give one message, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from api_loopback import ACCESS_ID, ACCESS_KEY, envelope


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "rayvision_dcc"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, encoding="utf-8", timeout=60, env=env)


def at(server):
    return ["--domain", server.domain, "--protocol", "http"]


@pytest.fixture
def credentials_in_env(monkeypatch):
    monkeypatch.setenv("RAYVISION_ACCESS_ID", ACCESS_ID)
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", ACCESS_KEY)


def one_error_line(result):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rayvision-dcc: error: "), result.stderr
    assert " -- what to do: " in lines[0]
    return lines[0]


@pytest.mark.parametrize("command,data", [("whoami", [1, 2]), ("whoami", "text"),
                                          ("tasks", ["a"]), ("tasks", 7)])
def test_data_that_is_not_an_object_is_a_message(server, credentials_in_env, command, data):
    server.answer(envelope(data=data))
    line = one_error_line(run(command, *at(server)))
    assert "the protocol documents" in line


@pytest.mark.parametrize("config,word", [({"proxy": 12}, "proxy"), ({"domain": ["x"]}, "domain"),
                                         ({"timeout": "soon"}, "timeout"),
                                         ({"platform": True}, "platform")])
def test_a_config_value_of_the_wrong_type_is_a_message(tmp_path, monkeypatch, credentials_in_env,
                                                      config, word):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    monkeypatch.setenv("RAYVISION_CONFIG", str(path))
    line = one_error_line(run("whoami"))
    assert word in line


def test_a_data_dir_that_is_a_file_is_a_message(tmp_path, monkeypatch):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RAYVISION_DATA_DIR", str(blocker))
    line = one_error_line(run("resume", "--list"))
    assert "RAYVISION_DATA_DIR" in line


def test_a_port_out_of_range_is_a_usage_error():
    result = run("farm", "serve", "--port", "99999")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "99999" in result.stderr and "65535" in result.stderr


def test_a_reader_that_leaves_early_is_no_traceback():
    """`rayvision-dcc api list | head -0`: the pipe is closed before anything is written."""
    process = subprocess.Popen([sys.executable, "-m", "rayvision_dcc", "api", "list"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    assert process.wait(60) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err
