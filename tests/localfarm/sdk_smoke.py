"""Run by the official SDK's interpreter (``rayvision-api`` in a venv of its own):
``python sdk_smoke.py DOMAIN ACCESS_ID ACCESS_KEY`` drives the farm through the SDK and
prints one JSON line of results. Kept free of rayvision_dcc imports on purpose."""
import json
import sys

import requests
from rayvision_api import RayvisionAPI


def main():
    domain, access_id, access_key = sys.argv[1:4]
    api = RayvisionAPI(access_id=access_id, access_key=access_key, domain=domain, platform="2",
                       protocol="http", log_folder=sys.argv[4] if len(sys.argv) > 4 else None)
    out = {"user_id": api.user_info["user_id"] if "user_id" in api.user_info else None}
    out["settings"] = api.user.query_user_setting()["taskOverTimeSec"]
    api.user.update_user_settings(7200)
    out["bids"] = api.user.get_transfer_bid()
    out["error_detail"] = api.query.error_detail(code="15000")[0]["type"]
    out["software"] = [s["cgId"] for s in api.query.supported_software()["renderInfoList"]]
    out["plugins"] = len(api.query.supported_plugin("maya")["cgVersion"])
    out["envs"] = [e["editName"] for e in api.env.get_render_env(cg_names=["blender"])]
    api.env.add_render_env({"cgId": 2007, "cgName": "Blender", "cgVersion": "4.2",
                            "renderLayerType": 0, "editName": "sdk-env", "renderSystem": 1,
                            "pluginIds": []})
    api.env.set_default_render_env("sdk-env")
    api.env.delete_render_env("sdk-env")
    out["config"] = [engine["engineName"]
                     for engine in api.transmit.get_transfer_config()["resqEngines"]]
    out["server_info"] = "raysyncTransfer" in api.query.get_transfer_server_msg()
    key = api.query.get_raysync_user_key()
    task_id = api.task.create_task(count=1)["taskIdList"][0]
    task = {"software_config": {"cg_name": "Maya", "cg_version": "2022", "plugins": {}},
            "task_info": {"task_id": str(task_id), "cg_id": "2000",
                          "input_cg_file": "D:/proj/shot.ma", "pre_frames": "000",
                          "stop_after_test": "2"},
            "scene_info_render": {"layer": {"renderable": "1",
                                            "common": {"frames": "1-2[1]", "width": "64",
                                                       "height": "64"}}}}
    api.transmit.upload_json_content(task_id, json.dumps(task))
    bids = out["bids"]
    reply = requests.put("http://{}/transfer/{}/D/proj/shot.ma".format(domain, bids["input_bid"]),
                         data=b"maya scene", headers={"X-Rayvision-User-Id": str(key["id"]),
                                                      "X-Rayvision-Transfer-Key": key["raySyncUserKey"]})
    out["put"] = reply.status_code
    api.task.submit_task(task_id)
    out["task_id"] = task_id
    out["task_info"] = api.query.task_info([task_id])["items"][0]["id"]
    out["task_list"] = api.query.get_task_list(page_num=1, page_size=10)["total"]
    out["frames"] = api.query.task_frames(task_id)["total"]
    api.task.stop_task([task_id])
    api.task.start_task([task_id])
    api.query.restart_failed_frames([task_id])
    api.query.restart_frame(task_id, select_all=1)
    api.task.full_speed([task_id])
    out["hardware"] = len(api.user.get_hardware_config())
    api.task.abort_task([task_id])
    api.task.delete_task([task_id])
    out["after_delete"] = api.query.task_info([task_id])["items"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
