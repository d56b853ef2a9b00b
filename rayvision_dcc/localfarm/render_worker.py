"""Renders one frame: ``python -m rayvision_dcc.localfarm.render_worker JOB.json``.

Blender (cg_id 2007) frames open the uploaded .blend with bpy, point references that
are missing at their uploaded copies in input storage, cap samples and resolution, and
render with the scene's camera into a PNG. Maya and 3ds Max frames are simulated by
:func:`render_standin`, which writes a small PNG and says so in the log (the scheduler
calls it in-process; it needs no bpy).

The job file holds: cg_id, scene (absolute path in input storage), input_root,
output_dir, output_name (the file name to write), frame, max_samples, max_resolution,
camera (optional). Exit code 0 means the image was written; anything else, failure.
"""
from __future__ import annotations

import json
import os
import posixpath
import struct
import sys
import time
import zlib


def png_bytes(width, height, pixel):
    """A valid 8-bit RGB PNG; ``pixel(x, y) -> (r, g, b)``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(bytes(pixel(x, y)))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows)))
            + chunk(b"IEND", b""))


def capped_size(width, height, max_resolution):
    width, height = int(width or 1920), int(height or 1080)
    scale = min(1.0, float(max_resolution) / max(width, height))
    return max(1, int(round(width * scale))), max(1, int(round(height * scale)))


def render_standin(job, log):
    """The labelled stand-in for Maya and 3ds Max: one small PNG per frame."""
    width, height = capped_size(job.get("width"), job.get("height"), job.get("max_resolution", 128))
    frame = int(job["frame"])
    software = {2000: "Maya", 2001: "3ds Max"}.get(int(job["cg_id"]), str(job["cg_id"]))
    log("SIMULATED render (this frame is simulated): the local farm has no {}; a stand-in "
        "writes a {}x{} placeholder image for frame {}".format(software, width, height, frame))
    tint = (frame * 37) % 256
    data = png_bytes(width, height, lambda x, y: (tint, (x * 255) // max(1, width - 1),
                                                  (y * 255) // max(1, height - 1)))
    target = os.path.join(job["output_dir"], job["output_name"])
    os.makedirs(job["output_dir"], exist_ok=True)
    tmp = os.path.join(job["output_dir"], ".rvtmp-" + job["output_name"])
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    log("wrote {} ({} bytes)".format(job["output_name"], len(data)))
    return target


def storage_path(input_root, local):
    """Where the uploaded copy of a scene reference lives: the server-path rule under the
    user's input root (``D:/x`` -> ``<root>/D/x``, ``/home/u/x`` -> ``<root>/home/u/x``)."""
    from rayvision_dcc.job.paths import server_path
    text = server_path(local)
    return os.path.join(input_root, *[seg for seg in text.split("/") if seg not in ("", ".", "..")])


def _remap(bpy, job, log):
    """Point every file reference at its uploaded copy in input storage, as a farm node
    would: absolute paths by the server-path rule, relative (``//``) ones against the
    uploaded .blend or, failing that, the scene's original folder. Returns what is missing."""
    input_root, original = job["input_root"], job.get("original_scene") or ""
    missing = []
    collections = [bpy.data.images, bpy.data.libraries, bpy.data.sounds, bpy.data.movieclips,
                   bpy.data.cache_files, bpy.data.fonts, bpy.data.volumes]
    for collection in collections:
        for item in collection:
            path = getattr(item, "filepath", "")
            if not path or path == "<builtin>" or getattr(item, "packed_file", None) is not None:
                continue
            if getattr(item, "source", "FILE") in ("GENERATED", "VIEWER"):
                continue
            check = os.path.exists
            if getattr(item, "source", "FILE") in ("SEQUENCE", "TILED", "MOVIE"):
                check = lambda p: os.path.isdir(os.path.dirname(p))  # noqa: E731
            if path.startswith("//"):
                if check(bpy.path.abspath(path, library=getattr(item, "library", None))):
                    continue
                folder = str(original).replace("\\", "/").rsplit("/", 1)[0]
                candidate = storage_path(input_root, posixpath.normpath(folder + "/" + path[2:]))
            else:
                candidate = storage_path(input_root, path)
            if check(candidate):
                item.filepath = candidate
                if hasattr(item, "reload") and collection is bpy.data.libraries:
                    item.reload()
                log("remapped {} -> {}".format(path, candidate))
            else:
                missing.append(path)
    return missing


def render_blender(job, log):
    import bpy  # only in this worker process

    log("opening {}".format(job["scene"]))
    bpy.ops.wm.open_mainfile(filepath=job["scene"])
    missing = _remap(bpy, job, log)
    if missing:
        raise RuntimeError("missing file{} not found in input storage: {}".format(
            "s" if len(missing) > 1 else "", ", ".join(missing)))
    scene = bpy.context.scene
    if job.get("camera") and job["camera"] in bpy.data.objects:
        scene.camera = bpy.data.objects[job["camera"]]
    if scene.camera is None:
        raise RuntimeError("the scene {!r} has no camera".format(scene.name))
    render = scene.render
    if render.engine != "CYCLES" and render.engine != "BLENDER_WORKBENCH":
        log("engine {} replaced by CYCLES (the local farm renders on CPU)".format(render.engine))
        render.engine = "CYCLES"
    if render.engine == "CYCLES":
        scene.cycles.device = "CPU"
        scene.cycles.samples = max(1, min(int(scene.cycles.samples), int(job["max_samples"])))
        scene.cycles.use_denoising = False
        if hasattr(scene.cycles, "use_adaptive_sampling"):
            scene.cycles.use_adaptive_sampling = False
        for layer in scene.view_layers:
            if hasattr(layer, "cycles"):
                layer.cycles.use_denoising = False
        log("cycles samples {}".format(scene.cycles.samples))
    full_w = render.resolution_x * render.resolution_percentage / 100.0
    full_h = render.resolution_y * render.resolution_percentage / 100.0
    width, height = capped_size(full_w, full_h, job["max_resolution"])
    render.resolution_x, render.resolution_y, render.resolution_percentage = width, height, 100
    render.image_settings.file_format = "PNG"
    render.use_file_extension = True
    os.makedirs(job["output_dir"], exist_ok=True)
    tmp = os.path.join(job["output_dir"], ".rvtmp-" + job["output_name"])
    render.filepath = tmp
    scene.frame_set(int(job["frame"]))
    log("rendering frame {} at {}x{} with camera {}".format(job["frame"], width, height,
                                                            scene.camera.name))
    started = time.time()
    bpy.ops.render.render(write_still=True)
    if not os.path.isfile(tmp):
        raise RuntimeError("Blender wrote no image at {}".format(tmp))
    target = os.path.join(job["output_dir"], job["output_name"])
    os.replace(tmp, target)
    log("wrote {} in {:.2f} s".format(job["output_name"], time.time() - started))
    return target


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m rayvision_dcc.localfarm.render_worker JOB.json", file=sys.stderr)
        return 2
    with open(argv[0], "r", encoding="utf-8") as handle:
        job = json.load(handle)

    def log(text):
        print("[render_worker] " + text, flush=True)

    try:
        if int(job["cg_id"]) == 2007:
            render_blender(job, log)
        else:
            render_standin(job, log)
    except Exception as exc:  # the log is what the user reads: say what failed
        log("FAILED: {}: {}".format(type(exc).__name__, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
