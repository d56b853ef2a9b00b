"""Scene descriptions for the fake Maya (maya_fake.py): a base scene and the nodes of
every kind of file Maya stores, shared by the reader, adapter and panel tests."""
from __future__ import annotations

import os

from maya_fake import touch


def scene(folder, **changes):
    """A Maya scene description: an Arnold scene in ``folder`` (a project with
    ``scenes/shot.ma``), two cameras, frames 1-10; ``changes`` replace top-level keys,
    ``nodes`` are added to the defaults."""
    folder = str(folder)
    path = touch(os.path.join(folder, "scenes", "shot.ma"), b"//Maya ASCII 2022 scene\n")
    description = {
        "path": path.replace("\\", "/"), "modified": False, "version": "2022",
        "workspace": folder.replace("\\", "/"), "file_rules": {"images": "images"},
        "plugins": {"mtoa": "5.1.0"}, "in_use": ["mtoa"], "unknown_plugins": [],
        "render_setup": {"layers": []},
        "nodes": {
            "defaultRenderGlobals": {"attrs": {"currentRenderer": "arnold",
                                               "imageFilePrefix": "<RenderLayer>/<Scene>"}},
            "defaultResolution": {"attrs": {"width": 1280, "height": 720}},
            "defaultArnoldDriver": {"type": "aiAOVDriver", "attrs": {"aiTranslator": "exr"}},
            "shotCam": {"type": "transform", "attrs": {}},
            "shotCamShape": {"type": "camera", "parent": "shotCam",
                             "attrs": {"renderable": True}},
        },
    }
    nodes = changes.pop("nodes", {})
    description.update(changes)
    description["nodes"].update(nodes)
    return description


def stored_files(project):
    """Nodes for references (nested and broken), caches, proxies, XGen, audio and a node
    whose plug-in is not loaded, with the paths as Maya stores them under ``project``."""
    return {
        "charRN": {"type": "reference", "file": project + "/assets/char.ma"},
        "char:propRN": {"type": "reference", "file": project + "/assets/prop.mb",
                        "parent": "charRN"},
        "lostRN": {"type": "reference", "file": "", "broken": True},
        "abc1": {"type": "AlembicNode", "attrs": {"abc_File": project + "/cache/anim.abc"}},
        "gpu1": {"type": "gpuCache", "attrs": {"cacheFileName": project + "/cache/tree.abc"}},
        "standin1": {"type": "aiStandIn", "attrs": {
            "dso": project + "/ass/crowd.####.ass", "useFrameExtension": True}},
        "vrmesh1": {"type": "VRayMesh", "attrs": {"fileName": project + "/px/rock.vrmesh"}},
        "rsproxy1": {"type": "RedshiftProxyMesh", "attrs": {
            "fileName": project + "/px/tree.rs", "useFrameExtension": False}},
        "palette1": {"type": "xgmPalette", "attrs": {"xgFileName": "shot__hair.xgen"}},
        "audio1": {"type": "audio", "attrs": {"filename": project + "/sound/take.wav"}},
        "rsMissing": {"type": "unknown", "plugin": "redshift4maya",
                      "real_type": "RedshiftProxyMesh"},
    }
