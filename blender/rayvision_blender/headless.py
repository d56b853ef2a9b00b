"""Reading a .blend without Blender's UI: ``python -m rayvision_blender.headless SCENE``.

Run by ``rayvision_dcc.hosts.scan_scene`` (the CLI, the demo) with a Python that has the
``bpy`` module (``RAYVISION_BPY_PYTHON``, else the caller's own); found through the
``rayvision_dcc.scanners`` entry point this package declares (setup.py). Importing this
module imports no bpy.
"""
import sys

from rayvision_dcc.hosts.headless import HeadlessScanner, serve

SCANNER = HeadlessScanner("Blender", "rayvision_blender.headless", extensions=(".blend",),
                          python_env="RAYVISION_BPY_PYTHON", requires=("bpy",))


def describe(path, scan=True):
    """Open the .blend at ``path`` and describe it with the Blender adapter."""
    from rayvision_blender.adapter import scan_file
    return scan_file(path, scan=scan)


if __name__ == "__main__":
    sys.exit(serve(SCANNER, describe))
