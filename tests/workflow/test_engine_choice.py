"""The engine and line follow what getConfig announces and what the user chose."""
from __future__ import annotations

import json
import os

import pytest

from farmsupport import start_farm
from rayvision_dcc.errors import TransferError
from rayvision_dcc.job import workflow
from rayvision_dcc.job.engines import announced_lines, choose_line
from rayvision_dcc.job.transfer import HttpTransfer

#: A getConfig answer shaped as the service's (job-files.md section 5): two engines, the
#: default line not the first one.
SERVICE = {"resqEngines": [
    {"engineName": "Aspera", "respTaskEngineLines": [
        {"name": "CT", "server": "ct.example.invalid", "port": 10221, "isDefault": 0},
        {"name": "HK", "server": "hk.example.invalid", "port": 10221, "isDefault": 1}]},
    {"engineName": "RaySync", "respTaskEngineLines": [
        {"name": "HK", "server": "rs.example.invalid", "port": 2442, "isDefault": 1}]}]}


def test_the_default_is_the_first_engine_and_its_default_line():
    line = choose_line(announced_lines(SERVICE))
    assert (line.engine, line.name, line.server) == ("aspera", "HK", "hk.example.invalid")


def test_a_line_by_name_and_an_engine_by_name():
    lines = announced_lines(SERVICE)
    assert choose_line(lines, "aspera", "ct").server == "ct.example.invalid"
    assert choose_line(lines, "raysync").server == "rs.example.invalid"
    assert choose_line(lines, "RaySyncProxy").engine == "raysync"


def test_raysync_is_never_picked_unasked():
    only = {"resqEngines": [SERVICE["resqEngines"][1], {"engineName": "Http",
            "respTaskEngineLines": [{"name": "local", "server": "h", "port": 1, "isDefault": 1}]}]}
    assert choose_line(announced_lines(only)).engine == "http"


def test_what_is_not_announced_is_refused_with_what_is():
    with pytest.raises(TransferError) as info:
        choose_line(announced_lines(SERVICE), "http")
    assert "offers no http line" in info.value.message and "aspera HK" in info.value.message
    with pytest.raises(TransferError) as info:
        choose_line(announced_lines(SERVICE), "aspera", "XX")
    assert "CT, HK" in info.value.message and "--line" in info.value.hint
    with pytest.raises(TransferError):
        choose_line(announced_lines(SERVICE), "ftp")


def test_the_local_farm_announces_its_http_engine(farm):
    client = farm.client()
    assert [e["engineName"] for e in client.transfer_config()["resqEngines"]] == ["Http"]
    transfer = workflow.make_transfer(client)
    assert isinstance(transfer, HttpTransfer)
    assert transfer.base_url == "http://{}/transfer".format(farm.domain)


def test_a_farm_with_an_aspera_line_gets_the_transmitter(tmp_path, monkeypatch):
    exe = tmp_path / "bin" / "rayvision_transmitter"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    monkeypatch.setenv("RAYVISION_TRANSMITTER", str(exe))
    handle = start_farm(tmp_path / "farm", extra_args=["--aspera-line", "127.0.0.1:33001"],
                        aspera_line="127.0.0.1:33001")
    try:
        client = handle.client()
        transfer = workflow.make_transfer(client)
        assert (transfer.name, transfer.host, transfer.port) == ("aspera", "127.0.0.1", "33001")
        assert transfer.executable == str(exe)
        # the user's choice among what is announced: an argument, or the setting
        assert isinstance(workflow.make_transfer(client, "http"), HttpTransfer)
        config = os.path.join(os.environ["XDG_CONFIG_HOME"], "rayvision-dcc", "config.json")
        os.makedirs(os.path.dirname(config))
        with open(config, "w") as handle_out:
            json.dump({"transfer_engine": "http"}, handle_out)
        assert isinstance(workflow.make_transfer(client), HttpTransfer)
    finally:
        handle.stop()


def test_no_transmitter_means_no_task_created(tmp_path, monkeypatch, maya_scene):
    from rayvision_dcc.job.spec import JobSpec
    monkeypatch.setattr("rayvision_dcc.job.transmitter._package_folder", lambda: None)
    handle = start_farm(tmp_path / "farm", extra_args=["--aspera-line", "127.0.0.1:33001"],
                        aspera_line="127.0.0.1:33001")
    try:
        client = handle.client()
        with pytest.raises(TransferError) as info:
            workflow.submit(JobSpec(scene=maya_scene(textures=1)), client)
        assert "rayvision_transmitter was not found" in info.value.message
        assert client.task_list()["items"] == []
    finally:
        handle.stop()
