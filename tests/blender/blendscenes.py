"""Small scenes made with bpy for the add-on tests (renderable in well under a second),
and the tick loop: timers never fire in background mode, so the tests call the tick."""
import os

import bpy

from rayvision_dcc.localfarm.render_worker import png_bytes


def png(path, colour=(200, 120, 40), size=4):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(png_bytes(size, size, lambda x, y: colour))
    return path


def empty_scene():
    """A new empty scene (read_factory_settings would reset the preferences too, and
    with them disable the add-on)."""
    bpy.ops.wm.read_homefile(use_empty=True)
    return bpy.context.scene


def add_camera(scene, name, location=(0.0, -5.0, 0.0)):
    camera = bpy.data.objects.new(name, bpy.data.cameras.new(name))
    camera.location = location
    camera.rotation_euler = (1.5708, 0.0, 0.0)
    scene.collection.objects.link(camera)
    if scene.camera is None:
        scene.camera = camera
    return camera


def textured_quad(scene, image, material="Mat"):
    """A quad with a UV map whose material's base colour is ``image``."""
    mesh = bpy.data.meshes.new("Quad")
    mesh.from_pydata([(-1, 0, -1), (1, 0, -1), (1, 0, 1), (-1, 0, 1)], [], [(0, 1, 2, 3)])
    mesh.uv_layers.new(name="UV")
    quad = bpy.data.objects.new("Quad", mesh)
    scene.collection.objects.link(quad)
    material = bpy.data.materials.new(material)
    material.use_nodes = True
    nodes = material.node_tree.nodes
    node = nodes.new("ShaderNodeTexImage")
    node.image = image
    material.node_tree.links.new(node.outputs["Color"],
                                 nodes["Principled BSDF"].inputs["Base Color"])
    mesh.materials.append(material)
    return quad


def file_image(name, path, source="FILE"):
    """An image datablock naming ``path`` (not read), kept in the .blend (fake user)."""
    image = bpy.data.images.new(name, 4, 4)
    image.source = source
    image.filepath = path
    image.use_fake_user = True
    return image


def packed_image(name):
    """An image stored inside the .blend (nothing to upload), kept by a fake user."""
    image = bpy.data.images.new(name, 4, 4)
    image.pack()
    image.use_fake_user = True
    return image


def udim_image(name, path, tiles):
    """A tiled (UDIM) image at ``path`` (with ``<UDIM>``): tile 1001 and ``tiles``."""
    image = bpy.data.images.new(name, 4, 4, tiled=True)
    for tile in tiles:
        image.tiles.new(tile)
    image.source = "TILED"
    image.filepath = path
    image.use_fake_user = True
    return image


def tiny_render(scene, frames=(1, 2)):
    sun = bpy.data.objects.new("Sun", bpy.data.lights.new("Sun", "SUN"))
    scene.collection.objects.link(sun)
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.render.resolution_x = scene.render.resolution_y = 32
    scene.render.resolution_percentage = 100
    scene.frame_start, scene.frame_end = frames


def save(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    return str(path)


def render_scene(folder, packed=True):
    """A quad with a relative texture (and a packed one), one camera, two tiny frames."""
    folder = str(folder)
    scene = empty_scene()
    blend = save(os.path.join(folder, "shot.blend"))
    add_camera(scene, "Camera")
    tiny_render(scene)
    png(os.path.join(folder, "tex", "wood.png"))
    image = bpy.data.images.load("//tex/wood.png")
    textured_quad(scene, image)
    if packed:
        packed_image("inside")
    return save(blend)


def run_ticks(predicate, timeout=120.0, message="the tool to finish"):
    """Call the tool's tick (what the timer does) until ``predicate()`` holds."""
    from farmsupport import wait_until
    from rayvision_blender import runtime

    def ticked():
        runtime.tick()
        return predicate()
    return wait_until(ticked, timeout=timeout, interval=0.01, message=message)


def blender_env(farm, default=False):
    """The name of a render environment of this bpy's version on the farm (the local
    farm's users have Blender 4.5; a newer bpy gets one added); ``default``: make it the
    account's default."""
    version = "{}.{}".format(*bpy.app.version[:2])
    client = farm.client()
    names = [env["editName"] for env in client.render_envs(2007)
             if str(env.get("cgVersion")) == version]
    if not names:
        names = ["Blender " + version]
        client.add_render_env(2007, "Blender", version, names[0])
    if default:
        client.set_default_render_env(names[0])
    return names[0]
