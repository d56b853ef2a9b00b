"""``make demo``: the whole round trip on this machine.

Starts a local farm on loopback, makes a small Blender scene with a texture, submits it
through the same core the panel uses (scan -> job files -> upload -> submitTask), lets the
farm render it with bpy, downloads the frames and prints where they are.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time

SCENE_SCRIPT = textwrap.dedent(r'''
    import sys, bpy
    folder, frames = sys.argv[-2], int(sys.argv[-1])
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    # A small checker texture next to the scene, referenced with a relative // path.
    import os
    os.makedirs(os.path.join(folder, "tex"), exist_ok=True)
    image = bpy.data.images.new("checker", 32, 32)
    pixels = []
    for y in range(32):
        for x in range(32):
            on = ((x // 8) + (y // 8)) % 2
            pixels += [0.9, 0.5, 0.1, 1.0] if on else [0.1, 0.2, 0.8, 1.0]
    image.pixels = pixels
    image.filepath_raw = os.path.join(folder, "tex", "checker.png")
    image.file_format = "PNG"
    image.save()
    image.filepath = "//tex/checker.png"
    bpy.ops.mesh.primitive_plane_add(size=2)
    plane = bpy.context.active_object
    material = bpy.data.materials.new("checker")
    material.use_nodes = True
    tex = material.node_tree.nodes.new("ShaderNodeTexImage")
    tex.image = image
    bsdf = material.node_tree.nodes["Principled BSDF"]
    material.node_tree.links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
    plane.data.materials.append(material)
    plane.rotation_euler[2] = 0.0
    plane.keyframe_insert("rotation_euler", frame=1)
    plane.rotation_euler[2] = 1.2
    plane.keyframe_insert("rotation_euler", frame=max(frames, 2))
    bpy.ops.object.camera_add(location=(0, -3, 2.2), rotation=(0.93, 0, 0))
    scene.camera = bpy.context.active_object
    scene.camera.name = "DemoCam"
    bpy.ops.object.light_add(type="SUN", location=(0, 0, 3))
    scene.frame_start, scene.frame_end = 1, frames
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 4
    scene.cycles.use_denoising = False
    scene.render.resolution_x, scene.render.resolution_y = 64, 64
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.filepath = "//render/frame_"
    bpy.ops.wm.save_as_mainfile(filepath=os.path.join(folder, "demo_shot.blend"))
''')


def make_demo_scene(folder, frames=3, python=None):
    """Write ``demo_shot.blend`` (plane with a checker texture, camera, sun) into ``folder``."""
    os.makedirs(folder, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("BLENDER_USER_RESOURCES", os.path.join(folder, ".blender-user"))
    subprocess.run([python or sys.executable, "-c", SCENE_SCRIPT, folder, str(frames)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return os.path.join(folder, "demo_shot.blend")


def run(output, frames=3, log=print):
    """The demo; returns the downloaded frame paths."""
    from rayvision_dcc.cli.jobs import ended_text
    from rayvision_dcc.hosts.headless import scan_scene
    from rayvision_dcc.job import workflow
    from rayvision_dcc.job.spec import JobSpec
    from rayvision_dcc.localfarm import LocalFarm

    output = os.path.abspath(output)
    started = time.monotonic()
    with LocalFarm(os.path.join(output, "farm")) as farm:
        log("local farm at {} (user {})".format(farm.url, farm.users[0][0]))
        scene_path = make_demo_scene(os.path.join(output, "scene"), frames)
        log("scene: {}".format(scene_path))
        scene = scan_scene(scene_path)
        log("scanned: {} camera(s), frames {}, {} dependencies".format(
            len(scene.cameras), scene.frames, len(scene.dependencies)))
        client = farm.client()
        spec = JobSpec(scene=scene)

        def progress(event):
            if event.phase in ("upload_assets", "submit", "done") and event.message:
                log("  {}: {}".format(event.phase, event.message))
            return True
        ref = workflow.submit(spec, client, progress=progress)
        log("submitted task {} (job folder {})".format(ref.task_id, ref.job_folder))
        items = workflow.monitor(client, ref.task_id, interval=0.5, timeout=600)
        log("task {} ended: {}".format(ref.task_id, ended_text(workflow.leaves(items))))
        frames_dir = os.path.join(output, "frames")
        paths = workflow.download(client, ref.task_id, frames_dir, items=items)
    log("downloaded {} frame(s) in {:.1f} s:".format(len(paths), time.monotonic() - started))
    for path in paths:
        log("  " + path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="demo-output", help="folder for everything the demo "
                                                               "makes (default ./demo-output)")
    parser.add_argument("--frames", type=int, default=3)
    args = parser.parse_args(argv)
    output = os.path.abspath(args.output)
    # The demo keeps its journal, upload cache and Blender user files beside its output.
    os.environ.setdefault("RAYVISION_DATA_DIR", os.path.join(output, "data"))
    os.environ.setdefault("BLENDER_USER_RESOURCES", os.path.join(output, ".blender-user"))
    paths = run(args.output, args.frames)
    return 0 if paths else 1


if __name__ == "__main__":
    sys.exit(main())
