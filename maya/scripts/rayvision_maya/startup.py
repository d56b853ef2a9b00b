"""The Render Farm menu, the RenderFarm shelf's Submit button, and what they open.

``load()`` is idempotent: a second call changes nothing. The Submit button is made once
per installation: a user who deletes it does not get it back at the next start, only
after a reinstall (the option variable ``MARKER`` remembers for which installation it
was made). ``unload()`` removes what ``load()`` made, closes the panel and forgets the
marker, so a later ``load()`` starts afresh.

Only ``maya.cmds`` is imported here; the panel and the core load on the first press.
"""
import os
import sys

MENU = "RayvisionRenderFarmMenu"
MENU_LABEL = "Render Farm"
SHELF = "RenderFarm"
BUTTON_LABEL = "Submit"
#: Maya's shelf bar when the MEL global $gShelfTopLevel does not say (its usual name).
SHELF_PARENT = "ShelfLayout"
MAIN_WINDOW = "MayaWindow"
MARKER = "rayvisionDccShelfButton"
ICON = "rayvision_submit.png"
#: What the shelf button runs (a string: Maya saves shelves as MEL files).
BUTTON_COMMAND = "import rayvision_maya; rayvision_maya.open_panel()"


def _cmds():
    from maya import cmds
    return cmds


def install_stamp():
    """Names this installation: a reinstall gives a new one. ``install.stamp`` in the module
    folder when the installer wrote one, else the creation time of this package's files
    (a copy makes them anew; Maya starting again does not)."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamp_file = os.path.join(os.path.dirname(os.path.dirname(package)), "install.stamp")
    try:
        with open(stamp_file, "r") as handle:
            text = handle.read().strip()
        if text:
            return text
    except (IOError, OSError):
        pass
    from rayvision_maya import __version__
    return "{}:{:.0f}".format(__version__, os.stat(os.path.join(package, "__init__.py")).st_ctime)


def load():
    """Add the menu and the shelf button (interactive Maya only). Returns what exists now:
    ``{"menu": name or None, "button": name or None}``."""
    cmds = _cmds()
    if cmds.about(batch=True):
        return {"menu": None, "button": None}
    return {"menu": add_menu(), "button": add_shelf_button()}


def add_menu():
    cmds = _cmds()
    if cmds.menu(MENU, exists=True):
        return MENU
    cmds.menu(MENU, parent=MAIN_WINDOW, label=MENU_LABEL, tearOff=True)
    cmds.menuItem(label="Submit to render farm...", parent=MENU,
                  annotation="Open the render farm panel on the open scene",
                  command=lambda *args: open_panel())
    return MENU


def find_button():
    """Our Submit button on the RenderFarm shelf, or None."""
    cmds = _cmds()
    if not cmds.shelfLayout(SHELF, exists=True):
        return None
    for child in cmds.shelfLayout(SHELF, query=True, childArray=True) or []:
        try:
            if cmds.shelfButton(child, query=True, label=True) == BUTTON_LABEL:
                return child
        except RuntimeError:  # a separator or another control: not a button
            continue
    return None


def shelf_bar():
    """Maya's shelf bar (a shelfTabLayout): the MEL global ``$gShelfTopLevel``, else its
    usual name; None when there is none."""
    cmds = _cmds()
    try:
        from maya import mel
        found = mel.eval("$rayvisionShelfTop = $gShelfTopLevel")
    except Exception:  # RuntimeError from MEL; no MEL at all
        found = ""
    for name in (found, SHELF_PARENT):
        if name and cmds.shelfTabLayout(name, exists=True):
            return name
    return None


def add_shelf_button():
    cmds = _cmds()
    parent = shelf_bar()
    if parent is None:
        sys.stderr.write("rayvision_dcc: Maya's shelf bar was not found; use the Render Farm "
                         "menu\n")
        return None
    stamp = install_stamp()
    made_for = cmds.optionVar(query=MARKER) if cmds.optionVar(exists=MARKER) else ""
    button = find_button()
    if button:
        if made_for != stamp:  # kept from before a reinstall: it is this installation's now
            cmds.optionVar(stringValue=(MARKER, stamp))
        return button
    if made_for == stamp:
        return None  # made for this installation and deleted by the user since
    if not cmds.shelfLayout(SHELF, exists=True):
        cmds.shelfLayout(SHELF, parent=parent)
    button = cmds.shelfButton(parent=SHELF, label=BUTTON_LABEL, image=ICON,
                              imageOverlayLabel=BUTTON_LABEL, sourceType="python",
                              command=BUTTON_COMMAND,
                              annotation="Submit the scene to the render farm")
    cmds.optionVar(stringValue=(MARKER, stamp))
    return button


def unload():
    """Remove the menu, our button (and the shelf when that leaves it empty), close the
    panel and forget the host adapter."""
    cmds = _cmds()
    if not cmds.about(batch=True):
        if cmds.menu(MENU, exists=True):
            cmds.deleteUI(MENU, menu=True)
        button = find_button()
        if button:
            cmds.deleteUI(button, control=True)
        if cmds.shelfLayout(SHELF, exists=True) and not cmds.shelfLayout(
                SHELF, query=True, childArray=True):
            cmds.deleteUI(SHELF, layout=True)
        cmds.optionVar(remove=MARKER)
    panel_module = sys.modules.get("rayvision_dcc.ui.panel")
    if panel_module is not None:
        panel_module.close_panels()
    adapter_module = sys.modules.get("rayvision_maya.adapter")
    if adapter_module is not None:
        from rayvision_dcc.hosts import deregister_host
        deregister_host(adapter_module.MayaAdapter)


def open_panel(client_factory=None):
    """The buttons' command: register the adapter and show the panel (raised if open).
    What stops it is said in one line on Maya's command line, never as a traceback; the
    details go to the Script Editor."""
    try:
        from rayvision_dcc.hosts import register_host
        from rayvision_dcc.ui import show_panel

        from rayvision_maya.adapter import MayaAdapter
        register_host(MayaAdapter)
        return show_panel(MayaAdapter(), client_factory=client_factory)
    except Exception as exc:
        import traceback
        sys.stderr.write(traceback.format_exc())
        _cmds().warning("Render farm: " + problem_text(exc))
        return None


def problem_text(exc):
    """One line for what stopped the panel, with what to do."""
    if isinstance(exc, ImportError):
        return ("the submitter's packages are missing for this Maya's Python ({}: {}); "
                "install again: python installer/install.py --host maya".format(
                    type(exc).__name__, exc))
    message = getattr(exc, "message", "") or "{}: {}".format(type(exc).__name__, exc)
    hint = getattr(exc, "hint", "")
    return message + (" - " + hint if hint else "")
