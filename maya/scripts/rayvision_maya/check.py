"""Check an install from Maya's Script Editor (Python tab)::

    import rayvision_maya.check; rayvision_maya.check.run()

Prints one line per check (``ok`` / ``PROBLEM`` and what to do) and returns True when
all passed. It reads the open scene but changes nothing: no panel, no network.
"""
from __future__ import print_function

import importlib
import os
import sys

_PROBLEMS = []


def _line(ok, what, detail="", fix=""):
    text = "{:8} {}".format("ok" if ok else "PROBLEM", what)
    if detail:
        text += ": " + detail
    if not ok and fix:
        text += "\n         what to do: " + fix
    print(text)
    if not ok:
        _PROBLEMS.append(what)
    return ok


#: What to do when Maya's Python cannot load ssl (Linux Maya links its own OpenSSL).
SSL_FIX = ("Maya's Python cannot load ssl with this urllib3: install urllib3<2 into the "
           "module's site-packages (the installer pins it)")


def _module(name, fix):
    try:
        module = importlib.import_module(name)
    except Exception as exc:  # an ImportError, or a broken dependency underneath
        text = "{}: {}".format(type(exc).__name__, exc)
        _line(False, name, text, SSL_FIX if "ssl" in text.lower() else fix)
        return None
    version = getattr(module, "__version__", "") or getattr(module, "__binding_version__", "")
    _line(True, name, "{} {}".format(version, os.path.dirname(getattr(module, "__file__", "")
                                                              or "")).strip())
    return module


def run():
    """Run every check; True when nothing is wrong."""
    del _PROBLEMS[:]
    from maya import cmds

    import rayvision_maya
    from rayvision_maya import scene_query, startup
    where = "mayapy {}".format(sys.executable) if cmds.about(batch=True) else "Maya"
    _line(True, "Maya {}, Python {}".format(scene_query.maya_version(),
                                            sys.version.split()[0]), where)
    _line(True, "rayvision_maya", "{} {}".format(rayvision_maya.__version__,
                                                  os.path.dirname(rayvision_maya.__file__)))
    site = "site-packages/py{}{}".format(*sys.version_info[:2])
    reinstall = "install again (python installer/install.py --host maya); the module's {} " \
                "must hold rayvision_dcc and its dependencies".format(site)
    core = _module("rayvision_dcc", reinstall)
    for name in ("requests", "keyring", "Qt"):
        _module(name, reinstall)
    if core is not None and not cmds.about(batch=True):
        try:
            from rayvision_dcc.ui import binding_problem
            problem = binding_problem()
        except Exception as exc:
            problem = "{}: {}".format(type(exc).__name__, exc)
        _line(not problem, "Qt binding", problem or "usable", reinstall)
        _line(cmds.menu(startup.MENU, exists=True), "Render Farm menu", "",
              "run: import rayvision_maya; rayvision_maya.load()")
        button = startup.find_button()
        _line(True, "RenderFarm shelf button", "present" if button else
              "absent (deleted by you, or not made yet); import rayvision_maya; "
              "rayvision_maya.unload(); rayvision_maya.load() brings it back")
    if core is not None:
        try:
            from rayvision_maya.adapter import MayaAdapter
            info = MayaAdapter().scene_info(scan=True)
        except Exception as exc:
            _line(False, "reading the scene", "{}: {}".format(type(exc).__name__, exc),
                  "report this with the scene's node types")
        else:
            _line(True, "reading the scene", "{} {}, frames {}, {} cameras, {} layers, {} "
                  "files ({} missing), {} warnings".format(
                      info.renderer, info.extra.get("renderer_version", ""), info.frames,
                      len(info.cameras), len(info.render_layers), len(info.dependencies),
                      len(info.missing), len(info.warnings)))
            for warning in info.warnings:
                print("         warning: " + warning)
    print("all checks passed" if not _PROBLEMS else
          "{} problem(s): {}".format(len(_PROBLEMS), ", ".join(_PROBLEMS)))
    return not _PROBLEMS
