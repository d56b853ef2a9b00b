"""Maya runs this at start, before its UI exists: add the Render Farm menu and shelf later.

Only ``maya.utils`` and the small ``rayvision_maya.startup`` are imported here; Qt, the
panel and the submitter's core load when the Submit button is pressed. In batch mode
(``mayapy``, ``maya -batch``) nothing is added.
"""


def _rayvision_dcc_load():
    try:
        from rayvision_maya import startup
        startup.load()
    except Exception as exc:  # never break Maya's start over a farm button
        import sys
        sys.stderr.write("rayvision_dcc: the Render Farm menu was not added: {}: {}\n".format(
            type(exc).__name__, exc))


try:
    import maya.utils as _rayvision_maya_utils
    _rayvision_maya_utils.executeDeferred(_rayvision_dcc_load)
except ImportError:  # not inside Maya
    pass
