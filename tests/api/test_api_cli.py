"""The account and raw API commands, run as a user runs them, against the scripted server."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from rayvision_dcc.api import CredentialStore, read_config
from rayvision_dcc.cli import main

from api_loopback import ACCESS_ID, ACCESS_KEY, envelope, free_port

PROFILE = {"userId": 10001136, "userName": "rayvision", "rmbbalance": 12.5, "usdbalance": 0,
           "coupon": 49.93, "city": "深圳"}


def run(*args, stdin=""):
    """``python -m rayvision_dcc ARGS`` in the test's isolated environment."""
    return subprocess.run([sys.executable, "-m", "rayvision_dcc"] + list(args), input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, encoding="utf-8", timeout=60)


def at(server):
    return ["--domain", server.domain, "--protocol", "http"]


@pytest.fixture
def credentials_in_env(monkeypatch):
    monkeypatch.setenv("RAYVISION_ACCESS_ID", ACCESS_ID)
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", ACCESS_KEY)


def assert_one_error_line(result):
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rayvision-dcc: error: ")
    return lines[0]


def test_api_prints_data_as_json(server, credentials_in_env):
    server.answer(envelope(data=PROFILE))
    result = run("api", "queryUserProfile", *at(server))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == PROFILE
    [request] = server.requests
    assert request.path == "/api/render/user/queryUserProfile"
    assert request.verifies()


def test_api_with_body_and_v2(server, credentials_in_env):
    result = run("api", "queryTaskInfo", "--body", '{"taskIds": [5, 6]}', "--api-version", "v2",
                 *at(server))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"path": "/api/render/handle/queryTaskInfo/v2"}
    assert server.requests[0].body == {"taskIds": [5, 6]}
    assert server.requests[0].headers["version"] == "2.0.0"
    assert server.requests[0].verifies()


@pytest.mark.parametrize("body", ["{taskIds: [1]}", "[1, 2]", ""])
def test_api_bad_body_is_one_line(server, credentials_in_env, body):
    result = run("api", "queryTaskInfo", "--body", body, *at(server))
    line = assert_one_error_line(result)
    assert "--body" in line
    assert server.requests == []


def test_api_unknown_operation(server, credentials_in_env):
    line = assert_one_error_line(run("api", "queryEverything", *at(server)))
    assert "api list" in line


def test_api_list(capsys):
    assert main(["api", "list"]) == 0
    names = capsys.readouterr().out.split()
    assert "queryUserProfile" in names and "hardwareConfigList" in names
    assert len(names) == 48


def test_api_error_from_the_service_is_one_line_without_the_key(server, credentials_in_env):
    server.answer(envelope(code=611, message="signature_invalid"))
    line = assert_one_error_line(run("api", "queryUserProfile", *at(server)))
    assert "611" in line and "check the access key" in line
    assert ACCESS_KEY not in line


def test_api_without_credentials(server):
    line = assert_one_error_line(run("api", "queryUserProfile", *at(server)))
    assert "rayvision-dcc login" in line
    assert server.requests == []


def test_api_connection_refused(credentials_in_env):
    # createTask: never retried, so the answer comes at once
    line = assert_one_error_line(run("api", "createTask", "--body", '{"count": 1}', "--domain",
                                     "127.0.0.1:{}".format(free_port()), "--protocol", "http"))
    assert "could not connect" in line and "createTask" in line


def test_login_from_stdin_without_check_stores_a_user_only_file(server):
    result = run("login", "--no-check", *at(server), stdin="{}\n{}\n".format(ACCESS_ID, ACCESS_KEY))
    assert result.returncode == 0, result.stderr
    store = CredentialStore()
    assert store.path in result.stdout
    assert ACCESS_KEY not in result.stdout + result.stderr
    assert store.get(ACCESS_ID) == ACCESS_KEY
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    config = read_config()
    assert config["access_id"] == ACCESS_ID
    assert config["domain"] == server.domain
    assert "access_key" not in config
    assert server.requests == []  # --no-check

    # whoami then works from the stored login alone
    server.answer(envelope(data=PROFILE))
    result = run("whoami")
    assert result.returncode == 0, result.stderr
    assert "rayvision" in result.stdout and "10001136" in result.stdout
    [request] = server.requests
    assert request.headers["accessId"] == ACCESS_ID
    assert request.verifies()

    server.answer(envelope(data=PROFILE))
    result = run("whoami", "--json")
    assert json.loads(result.stdout) == PROFILE

    assert run("logout").returncode == 0
    assert CredentialStore().get(ACCESS_ID) is None
    assert_one_error_line(run("whoami"))


def test_login_checks_the_key_with_the_service(server):
    server.answer(envelope(data=PROFILE))
    result = run("login", *at(server), stdin="{}\n{}\n".format(ACCESS_ID, ACCESS_KEY))
    assert result.returncode == 0, result.stderr
    assert "signed in as rayvision" in result.stdout
    assert server.requests[0].verifies()
    assert CredentialStore().get(ACCESS_ID) == ACCESS_KEY


def test_login_with_a_wrong_key_stores_nothing(server):
    server.answer(envelope(code=611, message="signature_invalid"))
    result = run("login", *at(server), stdin="{}\nwrong-key\n".format(ACCESS_ID))
    line = assert_one_error_line(result)
    hint = line.split("what to do:", 1)[1]
    assert "check the accessId and accessKey" in hint and "API page" in hint
    assert "rayvision-dcc login" not in hint, "the user is running login already"
    assert "wrong-key" not in line
    assert CredentialStore().get(ACCESS_ID) is None


def test_login_without_input(server):
    line = assert_one_error_line(run("login", "--no-check", *at(server), stdin=""))
    assert "accessId and an accessKey" in line


def test_help():
    result = run("--help")
    assert result.returncode == 0
    for word in ("login", "whoami", "api", "RAYVISION_ACCESS_ID"):
        assert word in result.stdout
    assert run("api", "--help").returncode == 0
    assert run("login", "--help").returncode == 0


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "login" in capsys.readouterr().out


def test_console_script_exists():
    bindir = os.path.dirname(sys.executable)
    script = os.path.join(bindir, "rayvision-dcc")
    if not os.path.exists(script):
        pytest.skip("package not installed with its console script in this environment")
    result = subprocess.run([script, "--version"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    assert result.returncode == 0
    assert "rayvision-dcc" in result.stdout + result.stderr


def test_debug_shows_requests_but_no_secret(server, credentials_in_env):
    result = run("--debug", "api", "queryUserProfile", *at(server))
    assert result.returncode == 0, result.stderr
    assert "queryUserProfile" in result.stderr
    assert ACCESS_KEY not in result.stderr
    assert server.requests[0].headers["signature"] not in result.stderr


# -- bad inputs: one message, never a traceback --------------------------------------------

@pytest.mark.parametrize("command,data", [("whoami", [1, 2]), ("whoami", "text"),
                                          ("tasks", ["a"]), ("tasks", 7)])
def test_data_that_is_not_an_object_is_a_message(server, credentials_in_env, command, data):
    server.answer(envelope(data=data))
    line = assert_one_error_line(run(command, *at(server)))
    assert "the protocol documents" in line


@pytest.mark.parametrize("config,word", [({"proxy": 12}, "proxy"), ({"domain": ["x"]}, "domain"),
                                         ({"timeout": "soon"}, "timeout"),
                                         ({"platform": True}, "platform")])
def test_a_config_value_of_the_wrong_type_is_a_message(tmp_path, monkeypatch, credentials_in_env,
                                                      config, word):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    monkeypatch.setenv("RAYVISION_CONFIG", str(path))
    line = assert_one_error_line(run("whoami"))
    assert word in line


def test_a_data_dir_that_is_a_file_is_a_message(tmp_path, monkeypatch):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RAYVISION_DATA_DIR", str(blocker))
    line = assert_one_error_line(run("resume", "--list"))
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
