"""The panel's logic classes, without a widget."""
from __future__ import annotations

from types import SimpleNamespace

from rayvision_dcc.errors import ApiError, TransportError
from rayvision_dcc.ui import logic


def test_frames_field_counts_valid_text_and_explains_bad_text():
    field = logic.FramesField()
    state = field.check("1-10[1],15")
    assert state.valid and state.count == 11 and state.summary == "11 frames"
    assert field.check("7").summary == "1 frame"
    bad = field.check("1-x")
    assert not bad.valid and bad.count == 0 and "1-x" in bad.message and bad.hint
    assert not field.check("10-1").valid
    assert not field.check("").valid
    assert field.check("1-10[1],15") is field.check(" 1-10[1],15 ")  # cached per text


def test_frames_default_text_follows_the_scene_range():
    assert logic.FramesField.default_text(1, 48, 1) == "1-48[1]"
    assert logic.FramesField.default_text(5, 5, 1) == "5"
    assert logic.FramesField.default_text(1, 10, 0) == "1-10[1]"


def test_priority_frames_value_and_parse_round_trip():
    assert logic.PriorityFrames().value == "000"
    assert logic.PriorityFrames(True, False, True).value == "101"
    custom = logic.PriorityFrames(custom="1,3-4[1]")
    assert custom.value == "000:1,3-4[1]" and custom.any
    broken = logic.PriorityFrames(custom="1-")
    assert broken.error and broken.value == "000"
    again = logic.PriorityFrames.parse("110:5")
    assert (again.first, again.middle, again.last, again.custom) == (True, True, False, "5")


def test_labels_are_split_trimmed_and_unique():
    assert logic.parse_labels(" a, b ,,a, c") == ["a", "b", "c"]
    assert logic.parse_labels("") == []


def test_scene_memory_remembers_per_scene_and_forgets_the_oldest(tmp_path):
    memory = logic.SceneMemory(str(tmp_path / "m.json"), limit=2)
    assert memory.load("/a/shot.blend") == {}
    memory.save("/a/shot.blend", {"frames": "1-5[1]", "cameras": ["Cam"], "secret": "x"})
    assert memory.load("/a/shot.blend") == {"frames": "1-5[1]", "cameras": ["Cam"]}
    assert memory.load("/a/other.blend") == {}
    memory.save("/b.blend", {"frames": "1"})
    memory.save("/c.blend", {"frames": "2"})
    assert memory.load("/a/shot.blend") == {}  # the oldest of three, limit two
    assert memory.load("/c.blend") == {"frames": "2"}
    (tmp_path / "m.json").write_text("not json")
    assert memory.load("/c.blend") == {}


def test_env_choice_prefers_remembered_then_default_then_host_version():
    envs = [{"editName": "old", "cgName": "Blender", "cgVersion": "3.6", "isDefault": 0},
            {"editName": "main", "cgName": "Blender", "cgVersion": "4.5", "isDefault": 1},
            {"editName": "new", "cgName": "Blender", "cgVersion": "5.0", "isDefault": 0}]
    choice = logic.EnvChoice(envs)
    assert choice.default_index == 1 and choice.labels[1] == "main (Blender 4.5) - default"
    assert logic.EnvChoice(envs, remembered_name="new").default_index == 2
    no_default = [dict(env, isDefault=0) for env in envs]
    assert logic.EnvChoice(no_default, host_version="5.0").default_index == 2
    ambiguous = logic.EnvChoice(no_default, host_version="9.9")  # the user chooses
    assert ambiguous.default_index == -1 and "none is the default" in ambiguous.problem.message
    assert logic.EnvChoice(no_default, remembered_name="gone", host_version="3.6").default_index == 0
    assert logic.EnvChoice([]).default_index == -1 and logic.EnvChoice([]).env(0) is None


def test_env_choice_prefers_an_env_of_the_scenes_version_and_renderer():
    def env(name, version, plugins=(), default=0):
        return {"editName": name, "cgName": "3ds Max", "cgVersion": version,
                "isDefault": default, "respUserPluginInfoVos": [
                    {"pluginName": p, "pluginVersion": p + " 1.0"} for p in plugins]}
    envs = [env("old", "2022", ["vray"], default=1), env("vray", "2024", ["vray"]),
            env("corona", "2024", ["corona"])]
    assert logic.EnvChoice(envs).default_index == 0  # nothing known of the scene
    assert logic.EnvChoice(envs, host_version="2024").default_index == 1
    assert logic.EnvChoice(envs, host_version="2024", plugin="corona").default_index == 2
    assert logic.EnvChoice(envs, host_version="2022", plugin="vray").default_index == 0
    # nothing fits: the default, as before
    assert logic.EnvChoice(envs, host_version="2026", plugin="arnold").default_index == 0
    assert logic.EnvChoice(envs, "vray", "2024", "corona").default_index == 1  # remembered


def test_hardware_choice_skips_disabled_and_prefers_current_or_remembered():
    configs = [{"id": 1, "type": 1, "model": "Default", "ram": "64GB", "status": 1},
               {"id": 2, "type": 2, "model": "2080Ti", "gpuNum": "2*GPU", "ram": "128GB",
                "status": 1, "current": 1},
               {"id": 3, "type": 1, "model": "28C", "ram": "128GB", "status": 0}]
    choice = logic.HardwareChoice(configs)
    assert [c["id"] for c in choice.configs] == [1, 2]
    assert choice.default_index == 1 and choice.labels[1] == "GPU 2080Ti 2*GPU 128GB"
    assert logic.HardwareChoice(configs, remembered_id="1").default_index == 0


def test_account_text_shows_name_and_the_zone_currency():
    profile = {"userName": "ana", "rmbbalance": 12.5, "usdbalance": 3, "coupon": 1}
    assert logic.account_text(profile, "task.renderbus.com") == "ana - balance 12.50 CNY + coupon 1.00"
    assert logic.account_text(profile, "task.foxrenderfarm.com").startswith("ana - balance 3.00 USD")
    assert logic.zone_of("127.0.0.1:5000") == ""


def test_validation_list_orders_errors_first_and_blocks_submit():
    tips = [SimpleNamespace(code="46001", severity="warning", detail="step 2", hint="use 1"),
            SimpleNamespace(code="35001", severity="error", detail=["/tex/a.png"], hint="relink")]
    validation = logic.ValidationList(logic.issues_from_tips(tips))
    assert validation.has_errors and validation.summary == "1 error, 1 warning"
    first = validation.issues[0]
    assert first.text == "[35001] Missing file: /tex/a.png" and first.hint == "relink"
    assert not logic.ValidationList([]).has_errors
    assert logic.ValidationList([]).summary == "No problems found"


def test_submit_blockers_name_every_reason():
    ok = logic.FramesField().check("1-3")
    clean = logic.ValidationList([])
    assert logic.submit_blockers(ok, ["Cam"], {"editName": "x"}, clean) == []
    bad = logic.FramesField().check("x")
    reasons = logic.submit_blockers(bad, [], None, None, signed_in=False, busy=True)
    assert len(reasons) == 6


def test_progress_text_formats_rate_eta_and_bar():
    event = SimpleNamespace(phase="upload", message="", files_done=3, files_total=10,
                            bytes_done=512 * 1024, bytes_total=2 * 1024 * 1024,
                            rate=1536 * 1024, eta=125, task_id=None)
    text = logic.ProgressText(event)
    assert text.phase == "Uploading files"
    assert text.detail == "3 of 10 files  |  512.0 KB of 2.0 MB  |  1.5 MB/s  |  2 min 05 s left"
    assert text.per_mille == 250
    unknown = logic.ProgressText(SimpleNamespace(phase="create_task"))
    assert unknown.per_mille == -1 and unknown.detail == ""
    assert logic.format_duration(7300) == "2 h 01 min" and logic.format_bytes(10) == "10 B"


def test_error_text_never_shows_a_traceback_for_our_errors():
    error = ApiError(611, "signature invalid", "queryUserProfile", "r-1", hint="check the key")
    text = logic.ErrorText(error)
    assert "code 611" in text.message and text.hint == "check the key"
    assert "request_id: r-1" in text.details and "Traceback" not in text.details
    transport = logic.ErrorText(TransportError("could not connect", hint="check"))
    assert transport.message == "could not connect"
    unexpected = logic.ErrorText(ValueError("boom"), "Traceback ...")
    assert "boom" in unexpected.message and unexpected.details == "Traceback ..."


def test_task_page_rows_status_and_progress():
    data = {"pageNum": 1, "pageCount": 3, "total": 45, "items": [
        {"id": 7, "taskAlias": "T7", "sceneName": "a.blend", "taskStatus": 5, "totalFrames": 10,
         "doneFrames": 4, "failedFrames": 1, "submitDate": 1535602289000},
        {"id": 8, "taskStatus": 25, "totalFrames": 2, "doneFrames": 2,
         "respRenderingTaskList": [{"id": 9, "taskStatus": 25}]}]}
    page = logic.TaskPage(data, 1, 20)
    assert page.page_count == 3 and page.any_active
    row = page.rows[0]
    assert (row.id, row.status_text, row.progress_text, row.per_mille) == (
        7, "Rendering", "4/10 (1 failed)", 400)
    assert page.rows[1].terminal and page.rows[1].children[0].id == 9
    assert logic.allowed_actions([row]) == {"stop", "abandon", "restart_failed"}
    assert logic.allowed_actions([page.rows[1]]) == set()
    frames = logic.frame_rows({"items": [{"id": 1, "frameIndex": "0-1", "frameStatus": 4,
                                          "frameExecuteTime": 489}]})
    assert frames[0].render_time == "8 min 09 s" and frames[0].has_thumbnail


def test_poll_policy_pauses_hidden_slows_idle_and_backs_off():
    policy = logic.PollPolicy(interval=10, idle_interval=30, max_interval=60)
    assert policy.delay is None
    policy.visible = True
    assert policy.delay == 10
    policy.succeeded(any_active=False)
    assert policy.delay == 30
    policy.failed()
    policy.failed()
    assert policy.delay == 40
    policy.failed()
    assert policy.delay == 60
    policy.succeeded(any_active=True)
    assert policy.delay == 10


def test_tips_of_our_own_checks_read_as_their_detail_and_missing_files_carry_a_path():
    tips = [SimpleNamespace(code="", severity="error", detail="no render environment chosen",
                            hint="pick one"),
            SimpleNamespace(code="35001", severity="error", detail="/t/a.png", hint="find it")]
    issues = logic.issues_from_tips(tips)
    assert issues[0].text == "No render environment chosen" and issues[0].path == ""
    assert issues[1].path == "/t/a.png"
