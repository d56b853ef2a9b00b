"""A small stand-in for Maya's Python modules, answering from a scene description.

``FakeMaya(scene)`` builds ``maya``, ``maya.cmds``, ``maya.utils``, ``maya.OpenMayaUI``,
``maya.standalone`` and ``maya.app.renderSetup.model.renderSetup``; ``install()`` puts
them in ``sys.modules`` (the ``fake_maya`` fixture does it and takes them out again).
Only the commands and flags the plugin uses exist, and they fail the way Maya does:

- a flag the command does not have -> ``TypeError("Invalid flag 'x'")``;
- a node or attribute that is not in the scene -> ``ValueError("No object matches name: x")``;
- a call from any thread but the main one -> ``RuntimeError`` (Maya itself would crash or
  corrupt the scene: the fake makes that a test failure);
- UI commands in batch mode (``mayapy``) -> ``RuntimeError``;
- a broken reference -> ``RuntimeError`` from ``referenceQuery``.

The scene description (a dict; ``scene()`` in conftest.py builds one)::

    {"path": "/p/scenes/shot.ma", "modified": False, "version": "2022", "batch": False,
     "workspace": "/p", "file_rules": {"images": "images"},
     "plugins": {"mtoa": "5.1.0"},               # loaded plug-ins and their versions
     "in_use": ["mtoa"],                         # pluginInfo -pluginsInUse
     "unknown_plugins": ["redshift4maya"],       # required by the scene, not loaded
     "nodes": {"file1": {"type": "file", "attrs": {"fileTextureName": "..."}},
               "redshiftOptions": {"type": "RedshiftOptions", "attrs": {"imageFormat": 1},
                                   "enums": {"imageFormat": ["Iff", "OpenEXR (.exr)"]}},
               "ref1RN": {"type": "reference", "file": "...", "parent": "", "broken": False},
               "rsProxy1": {"type": "unknown", "plugin": "redshift4maya",
                            "real_type": "RedshiftProxyMesh"},
               "cache1": {"type": "cacheFile", "files": ["..."]}},
     "render_setup": None | {"layers": [{"name", "renderable", "collections": [
         {"name", "type", "names": [nodes], "overrides": [{"attribute", "value"}],
          "children": [...]}]}]}}
"""
from __future__ import print_function

import copy
import os
import re
import sys
import threading
import types

#: The checkout, and the Maya module's scripts folder (what Maya puts on sys.path).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRIPTS = os.path.join(ROOT, "maya", "scripts")

_MAIN = threading.main_thread()
#: Maya's shelf bar as the MEL global $gShelfTopLevel names it.
SHELF_BAR_PATH = "MayaWindow|toolBar2|MainShelfLayout|formLayout14|ShelfLayout"
_QUERY = ("query", "q")
_EDIT = ("edit", "e")

#: Render-setup-free layers: these node types always exist in a scene.
DEFAULT_NODES = {
    "defaultRenderGlobals": {"type": "renderGlobals", "attrs": {
        "currentRenderer": "arnold", "startFrame": 1.0, "endFrame": 10.0, "byFrameStep": 1.0,
        "animation": True, "imageFilePrefix": None, "imfPluginKey": "iff"}},
    "defaultResolution": {"type": "resolution", "attrs": {"width": 1920, "height": 1080}},
    "defaultRenderLayer": {"type": "renderLayer", "attrs": {"renderable": True}},
    "persp": {"type": "transform", "attrs": {}},
    "perspShape": {"type": "camera", "parent": "persp", "attrs": {"renderable": False}},
}


def _short(flag):
    return {"q": "query", "e": "edit", "ex": "exists", "l": "label", "p": "parent"}.get(flag, flag)


class FakeMaya(object):
    """One Maya session: a scene, the UI elements made so far, option variables."""

    def __init__(self, scene=None, main_window=None):
        self.files = {}          # path -> scene description, for cmds.file(open=True)
        self.option_vars = {}
        # name -> {"kind", "parent", ...}: Maya's main window and its shelf bar to start
        self.ui = {"MayaWindow": {"kind": "window", "parent": None},
                   "ShelfLayout": {"kind": "shelfTabLayout", "parent": "MayaWindow"}}
        self.deferred = []
        self.calls = []          # command names, in order (tests count reads)
        self.main_window_pointer = main_window
        self.dialog_answer = None  # what fileDialog2 returns
        self.saved = []          # paths written by cmds.file(save=True)
        self.warnings = []       # cmds.warning messages
        self.standalone = False
        self.standalone_calls = []
        self.shelf_bar = "ShelfLayout"  # what $gShelfTopLevel ends with
        self._ui_counter = 0
        self.load(scene or {})
        self.modules = self._build_modules()

    # -- the scene ---------------------------------------------------------------------
    def load(self, scene):
        self.scene = copy.deepcopy(scene)
        nodes = copy.deepcopy(DEFAULT_NODES)
        for name, node in (self.scene.get("nodes") or {}).items():
            if name in nodes:
                nodes[name]["attrs"].update(node.get("attrs") or {})
            else:
                nodes[name] = copy.deepcopy(node)
                nodes[name].setdefault("attrs", {})
        self.nodes = nodes

    @property
    def batch(self):
        return bool(self.scene.get("batch")) or self.standalone

    # -- plumbing ----------------------------------------------------------------------
    def _enter(self, command, kwargs, allowed):
        if threading.current_thread() is not _MAIN:
            raise RuntimeError("maya.cmds.{} called off Maya's main thread".format(command))
        flags = {}
        for key, value in kwargs.items():
            long_name = _short(key)
            if long_name not in allowed and long_name not in ("query", "edit"):
                raise TypeError("Invalid flag '{}'".format(key))
            flags[long_name] = value
        self.calls.append(command)
        return flags

    def _node(self, name):
        node = self.nodes.get(str(name).split(".")[0].split("|")[-1])
        if node is None:
            raise ValueError("No object matches name: {}".format(name))
        return node

    def _ui_only(self, command):
        if self.batch:
            raise RuntimeError("{}: the UI is not available in batch mode".format(command))

    def _new_ui(self, kind, name, parent, **values):
        if not name:
            self._ui_counter += 1
            name = "{}{}".format(kind, self._ui_counter)
        if name in self.ui:
            raise RuntimeError("Object's name '{}' is not unique.".format(name))
        if parent is not None:
            parent = parent.split("|")[-1]  # Maya takes full UI paths too
            if parent not in self.ui:
                raise RuntimeError("Object '{}' not found.".format(parent))
        values.update(kind=kind, parent=parent)
        self.ui[name] = values
        return name

    def children(self, name):
        return [child for child, item in self.ui.items() if item["parent"] == name]

    def run_idle(self):
        """What Maya's idle loop does with executeDeferred's queue."""
        while self.deferred:
            function, args = self.deferred.pop(0)
            function(*args)

    # -- maya.cmds -----------------------------------------------------------------------
    def _build_cmds(self):
        fake = self
        cmds = types.ModuleType("maya.cmds")

        def about(**kw):
            flags = fake._enter("about", kw, ("version", "batch"))
            if flags.get("batch"):
                return fake.batch
            return str(fake.scene.get("version", "2022"))

        def file_(*args, **kw):
            flags = fake._enter("file", kw, ("sceneName", "modified", "save", "rename",
                                             "open", "force", "type", "prompt"))
            if flags.get("query"):
                if flags.get("sceneName"):
                    return fake.scene.get("path", "")
                if flags.get("modified"):
                    return bool(fake.scene.get("modified"))
                raise RuntimeError("file: nothing to query")
            if "rename" in flags:
                fake.scene["path"] = flags["rename"]
                return flags["rename"]
            if flags.get("open"):
                path = args[0] if args else ""
                if path not in fake.files:
                    raise RuntimeError('File not found: "{}"'.format(path))
                fake.load(dict(fake.files[path], path=path))
                if fake.scene.get("open_errors"):  # Maya opened it, and raises all the same
                    raise RuntimeError(fake.scene["open_errors"])
                return path
            if flags.get("save"):
                path = fake.scene.get("path") or ""
                if not path:
                    raise RuntimeError("Untitled scene: give it a name first (file -rename)")
                fake.scene["modified"] = False
                fake.saved.append(path)
                return path
            raise RuntimeError("file: no action given")

        def getAttr(plug, **kw):
            flags = fake._enter("getAttr", kw, ("asString",))
            node = fake._node(plug)
            if "." not in plug:
                raise RuntimeError("getAttr: '{}' is a node, not an attribute".format(plug))
            attr = plug.split(".", 1)[1]
            if attr not in node["attrs"]:
                raise ValueError("No object matches name: {}".format(plug))
            value = node["attrs"][attr]
            labels = (node.get("enums") or {}).get(attr)
            if flags.get("asString"):
                if labels is None:  # Maya documents -asString for enum attributes only
                    raise RuntimeError("getAttr -asString: {} is not an enum".format(plug))
                return labels[value]
            return value

        def ls(*args, **kw):
            flags = fake._enter("ls", kw, ("type", "long"))
            wanted = flags.get("type")
            if isinstance(wanted, str):
                wanted = [wanted]
            return sorted(name for name, node in fake.nodes.items()
                          if (not args or name in args)
                          and (wanted is None or node["type"] in wanted))

        def listRelatives(name, **kw):
            flags = fake._enter("listRelatives", kw, ("shapes", "type"))
            fake._node(name)
            wanted = flags.get("type")
            found = [child for child, node in sorted(fake.nodes.items())
                     if node.get("parent") == name and (wanted is None or
                                                        node["type"] == wanted)]
            return found or None  # Maya answers None, not [], when nothing matches

        def objExists(name, **kw):
            fake._enter("objExists", kw, ())
            try:
                fake._node(name)
            except ValueError:
                return False
            return "." not in name or name.split(".", 1)[1] in fake._node(name)["attrs"]

        def pluginInfo(*args, **kw):
            flags = fake._enter("pluginInfo", kw, ("pluginsInUse", "version", "loaded"))
            if flags.get("pluginsInUse"):
                flat = []
                for name in fake.scene.get("in_use") or []:
                    flat.extend([name, fake.scene["plugins"][name]])
                return flat
            name = args[0] if args else ""
            plugins = fake.scene.get("plugins") or {}
            if flags.get("loaded"):
                return name in plugins
            if flags.get("version"):
                if name not in plugins:
                    raise RuntimeError('Plug-in, "{}", was not found on MAYA_PLUG_IN_PATH.'
                                       .format(name))
                return plugins[name]
            raise RuntimeError("pluginInfo: nothing to query")

        def unknownPlugin(*args, **kw):
            flags = fake._enter("unknownPlugin", kw, ("list",))
            return list(fake.scene.get("unknown_plugins") or []) if flags.get("list") else None

        def unknownNode(name, **kw):
            flags = fake._enter("unknownNode", kw, ("plugin", "realClassName"))
            node = fake._node(name)
            if node["type"] != "unknown":
                raise RuntimeError("unknownNode: {} is not an unknown node".format(name))
            if flags.get("plugin"):
                return node.get("plugin", "")
            return node.get("real_type", "")

        def referenceQuery(name, **kw):
            flags = fake._enter("referenceQuery", kw, (
                "filename", "unresolvedName", "withoutCopyNumber", "isLoaded", "parent",
                "referenceNode"))
            node = fake._node(name)
            if node["type"] != "reference":
                raise RuntimeError("referenceQuery: {} is not a reference node".format(name))
            if node.get("broken"):
                raise RuntimeError("Reference node '{}' is not associated with a reference "
                                   "file.".format(name))
            if flags.get("filename"):
                path = node["file"]
                return path if flags.get("withoutCopyNumber") else path + "{1}"
            if flags.get("isLoaded"):
                return node.get("loaded", True)
            if flags.get("parent") and flags.get("referenceNode"):
                return node.get("parent") or None
            raise RuntimeError("referenceQuery: nothing to query")

        def cacheFile(name, **kw):
            flags = fake._enter("cacheFile", kw, ("fileName",))
            node = fake._node(name)
            if flags.get("fileName"):
                return list(node.get("files") or [])
            raise RuntimeError("cacheFile: nothing to query")

        def workspace(*args, **kw):
            flags = fake._enter("workspace", kw, ("rootDirectory", "fileRuleEntry"))
            if flags.get("rootDirectory"):
                root = fake.scene.get("workspace", "")
                return root.rstrip("/") + "/" if root else ""
            if "fileRuleEntry" in flags:
                return (fake.scene.get("file_rules") or {}).get(flags["fileRuleEntry"], "")
            raise RuntimeError("workspace: nothing to query")

        def mayaHasRenderSetup(**kw):
            fake._enter("mayaHasRenderSetup", kw, ())
            return fake.scene.get("render_setup") is not None

        def optionVar(**kw):
            flags = fake._enter("optionVar", kw, ("exists", "intValue", "stringValue",
                                                  "remove"))
            if "exists" in flags:
                return flags["exists"] in fake.option_vars
            if "query" in flags:
                return fake.option_vars.get(flags["query"], 0)
            if "remove" in flags:
                fake.option_vars.pop(flags["remove"], None)
                return None
            for key in ("intValue", "stringValue"):
                if key in flags:
                    name, value = flags[key]
                    fake.option_vars[name] = value
                    return None
            raise RuntimeError("optionVar: nothing to do")

        def menu(*args, **kw):
            flags = fake._enter("menu", kw, ("exists", "parent", "label", "tearOff",
                                             "itemArray"))
            fake._ui_only("menu")
            name = args[0] if args else None
            if flags.get("exists"):
                return name in fake.ui and fake.ui[name]["kind"] == "menu"
            if flags.get("query"):
                if name not in fake.ui:
                    raise RuntimeError("Object '{}' not found.".format(name))
                return fake.children(name) if flags.get("itemArray") else None
            return fake._new_ui("menu", name, flags.get("parent"), label=flags.get("label"))

        def menuItem(*args, **kw):
            flags = fake._enter("menuItem", kw, ("label", "command", "parent", "annotation",
                                                 "sourceType", "divider"))
            fake._ui_only("menuItem")
            return fake._new_ui("menuItem", args[0] if args else None, flags.get("parent"),
                                label=flags.get("label"), command=flags.get("command"))

        def deleteUI(*names, **kw):
            fake._enter("deleteUI", kw, ("menu", "layout", "control"))
            fake._ui_only("deleteUI")
            for name in names:
                if name not in fake.ui:
                    raise RuntimeError("Object '{}' not found.".format(name))
                for child in fake.children(name):
                    del fake.ui[child]
                del fake.ui[name]

        def shelfTabLayout(*args, **kw):
            flags = fake._enter("shelfTabLayout", kw, ("exists",))
            fake._ui_only("shelfTabLayout")
            name = args[0].split("|")[-1] if args else None
            if flags.get("exists"):
                return name in fake.ui and fake.ui[name]["kind"] == "shelfTabLayout"
            raise RuntimeError("shelfTabLayout: only -exists is faked")

        def shelfLayout(*args, **kw):
            flags = fake._enter("shelfLayout", kw, ("exists", "parent", "childArray"))
            fake._ui_only("shelfLayout")
            name = args[0] if args else None
            if flags.get("exists"):
                return name in fake.ui and fake.ui[name]["kind"] == "shelfLayout"
            if flags.get("query"):
                if name not in fake.ui:
                    raise RuntimeError("Object '{}' not found.".format(name))
                # Maya answers None, not [], for a layout without children
                return fake.children(name) or None if flags.get("childArray") else None
            return fake._new_ui("shelfLayout", name, flags.get("parent"))

        def shelfButton(*args, **kw):
            flags = fake._enter("shelfButton", kw, (
                "parent", "label", "command", "image", "annotation", "sourceType",
                "imageOverlayLabel"))
            fake._ui_only("shelfButton")
            name = args[0] if args else None
            if flags.get("query"):
                if name not in fake.ui:
                    raise RuntimeError("Object '{}' not found.".format(name))
                for key in ("label", "command", "image"):
                    if flags.get(key):
                        return fake.ui[name].get(key)
                raise RuntimeError("shelfButton: nothing to query")
            if flags.get("edit"):
                values = {k: v for k, v in flags.items() if k not in ("edit",)}
                fake.ui[name].update(values)
                return name
            values = {k: v for k, v in flags.items() if k != "parent"}
            return fake._new_ui("shelfButton", name, flags.get("parent"), **values)

        def warning(message, **kw):
            fake._enter("warning", kw, ())
            fake.warnings.append(message)

        def fileDialog2(**kw):
            fake._enter("fileDialog2", kw, ("fileFilter", "fileMode", "caption",
                                            "dialogStyle"))
            fake._ui_only("fileDialog2")
            return [fake.dialog_answer] if fake.dialog_answer else None

        for function in (about, getAttr, ls, listRelatives, objExists, pluginInfo, unknownPlugin,
                         unknownNode, referenceQuery, cacheFile, workspace,
                         mayaHasRenderSetup, optionVar, menu, menuItem, deleteUI,
                         shelfTabLayout, shelfLayout, shelfButton, fileDialog2, warning):
            setattr(cmds, function.__name__, function)
        cmds.file = file_
        return cmds

    def _build_render_setup(self):
        fake = self
        module = types.ModuleType("maya.app.renderSetup.model.renderSetup")

        def check():
            if threading.current_thread() is not _MAIN:
                raise RuntimeError("render setup read off Maya's main thread")
            fake.calls.append("renderSetup")

        class Override(object):
            def __init__(self, data):
                self._data = data

            def attributeName(self):
                check()
                return self._data["attribute"]

            def getAttrValue(self):
                check()
                return self._data["value"]

            def typeName(self):
                return "absOverride"

        class Selector(object):
            def __init__(self, names):
                self._names = names

            def names(self):
                check()
                return set(self._names)

        class Collection(object):
            def __init__(self, data):
                self._data = data

            def name(self):
                return self._data["name"]

            def typeName(self):
                return self._data.get("type", "collection")

            def getSelector(self):
                check()
                return Selector(self._data.get("names") or [])

            def getChildren(self):
                check()
                return ([Override(item) for item in self._data.get("overrides") or []]
                        + [Collection(item) for item in self._data.get("children") or []])

        class Layer(object):
            def __init__(self, data):
                self._data = data

            def name(self):
                check()
                return self._data["name"]

            def isRenderable(self):
                check()
                return bool(self._data.get("renderable", True))

            def getCollections(self):
                check()
                return [Collection(item) for item in self._data.get("collections") or []]

        class RenderSetup(object):
            def getRenderLayers(self):
                check()
                setup = fake.scene.get("render_setup") or {}
                if setup.get("broken"):  # a Maya whose model differs from what we know
                    raise AttributeError("'RenderSetup' object has no attribute "
                                         "'getRenderLayers'")
                return [Layer(item) for item in setup.get("layers") or []]

        def instance():
            check()
            return RenderSetup()

        module.instance = instance
        return module

    def _build_modules(self):
        fake = self
        maya = types.ModuleType("maya")
        maya.__path__ = []
        cmds = self._build_cmds()
        utils = types.ModuleType("maya.utils")

        def executeDeferred(function, *args):
            fake.deferred.append((function, args))

        utils.executeDeferred = executeDeferred
        mel = types.ModuleType("maya.mel")

        def mel_eval(expression):
            """Only what the plugin asks: Maya's shelf bar, from its MEL global."""
            if threading.current_thread() is not _MAIN:
                raise RuntimeError("maya.mel.eval called off Maya's main thread")
            fake.calls.append("mel.eval")
            if re.match(r"^\$\w+\s*=\s*\$gShelfTopLevel;?$", expression.strip()):
                fake._ui_only("$gShelfTopLevel")
                return SHELF_BAR_PATH.replace("ShelfLayout", fake.shelf_bar) \
                    if fake.shelf_bar in fake.ui else ""
            raise RuntimeError("// Error: the fake knows no MEL but $gShelfTopLevel: {}"
                               .format(expression))

        mel.eval = mel_eval
        omui = types.ModuleType("maya.OpenMayaUI")

        class MQtUtil(object):
            @staticmethod
            def mainWindow():
                if threading.current_thread() is not _MAIN:
                    raise RuntimeError("MQtUtil called off Maya's main thread")
                return None if fake.batch else fake.main_window_pointer

        omui.MQtUtil = MQtUtil
        standalone = types.ModuleType("maya.standalone")

        def initialize(name="python"):
            fake.standalone = True
            fake.standalone_calls.append("initialize")

        def uninitialize():
            fake.standalone = False
            fake.standalone_calls.append("uninitialize")

        standalone.initialize = initialize
        standalone.uninitialize = uninitialize
        app = types.ModuleType("maya.app")
        app.__path__ = []
        rs_pkg = types.ModuleType("maya.app.renderSetup")
        rs_pkg.__path__ = []
        model = types.ModuleType("maya.app.renderSetup.model")
        model.__path__ = []
        render_setup = self._build_render_setup()
        maya.cmds, maya.utils, maya.OpenMayaUI, maya.standalone, maya.app, maya.mel = (
            cmds, utils, omui, standalone, app, mel)
        app.renderSetup, rs_pkg.model, model.renderSetup = rs_pkg, model, render_setup
        return {"maya": maya, "maya.cmds": cmds, "maya.utils": utils, "maya.mel": mel,
                "maya.OpenMayaUI": omui, "maya.standalone": standalone, "maya.app": app,
                "maya.app.renderSetup": rs_pkg, "maya.app.renderSetup.model": model,
                "maya.app.renderSetup.model.renderSetup": render_setup}

    def install(self):
        """Put the fake modules into sys.modules (replacing any earlier fake)."""
        for name in list(sys.modules):
            if name == "maya" or name.startswith("maya."):
                del sys.modules[name]
        sys.modules.update(self.modules)

    def uninstall(self):
        for name in self.modules:
            if sys.modules.get(name) is self.modules[name]:
                del sys.modules[name]


def touch(path, data=b"x"):
    """Create a file (and its folders) for a scene's dependencies."""
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        os.makedirs(folder)
    with open(path, "wb") as handle:
        handle.write(data)
    return path
