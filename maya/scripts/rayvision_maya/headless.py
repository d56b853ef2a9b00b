"""Reading a .ma / .mb without Maya's UI: ``mayapy -m rayvision_maya.headless SCENE``.

Run by ``rayvision_dcc.hosts.scan_scene`` (``rayvision-dcc submit shot.ma``) with Maya's
own Python (``RAYVISION_MAYAPY``, e.g. ``/usr/autodesk/maya2024/bin/mayapy``); found
through the ``rayvision_dcc.scanners`` entry point (setup.py). ``batch.py`` reads its
scene with ``describe`` too. Importing this module imports no Maya module.
"""
import sys

from rayvision_dcc.hosts.headless import HeadlessScanner, serve

SCANNER = HeadlessScanner("Maya", "rayvision_maya.headless", extensions=(".ma", ".mb"),
                          python_env="RAYVISION_MAYAPY", requires=("maya.standalone",),
                          install_hint="maya.standalone comes only with Maya: set "
                                       "RAYVISION_MAYAPY to Maya's mayapy, e.g. "
                                       "/usr/autodesk/maya2024/bin/mayapy or "
                                       "C:\\Program Files\\Autodesk\\Maya2024\\bin\\mayapy.exe")


def start_maya():
    """Start Maya in this Python (``mayapy``)."""
    import maya.standalone
    maya.standalone.initialize(name="python")


def stop_maya():
    """Shut Maya down before Python exits (recent mayapy versions crash at exit otherwise);
    a failure here changes nothing for what was read."""
    try:
        import maya.standalone
        maya.standalone.uninitialize()
    except Exception:
        pass


def describe(path, scan=True):
    """Open the scene at ``path`` in this (already started) Maya and describe it with the
    Maya adapter; JobError when Maya cannot open it."""
    from rayvision_dcc.errors import JobError

    from rayvision_maya import scene_query
    from rayvision_maya.adapter import MayaAdapter
    path = str(path).replace("\\", "/")
    warning = ""
    try:
        scene_query.open_scene(path)
    except RuntimeError as exc:
        # Maya raises for errors while loading (a missing reference, an unknown plug-in)
        # even when it opened the scene: go on with what it opened, and say so.
        if _same_file(scene_query.scene_path(), path):
            warning = "Maya reported errors while opening the scene: {}".format(
                str(exc).strip())
        else:
            raise JobError("Maya could not open {}: {}".format(path, exc),
                           hint="check the path, and open the scene in Maya to see what it "
                                "reports")
    info = MayaAdapter().scene_info(scan=scan)
    if warning:
        info.warnings.insert(0, warning)
    return info


def _same_file(first, second):
    import os
    if not first or not second:
        return False
    return os.path.normcase(os.path.abspath(first)) == os.path.normcase(os.path.abspath(second))


def main(argv=None):
    try:
        start_maya()
    except ImportError:
        pass  # serve() reports the missing maya.standalone
    try:
        return serve(SCANNER, describe, argv)
    finally:
        stop_maya()


if __name__ == "__main__":
    sys.exit(main())
