"""The 3ds Max bundle: PackageContents.xml against Autodesk's documented format, the MaxScript
files for what can be checked without 3ds Max, and the start-up's sys.path set-up."""
from __future__ import annotations

import ast
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from maxscript_text import scan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BUNDLE = os.path.join(ROOT, "max")
CONTENTS = os.path.join(BUNDLE, "Contents")
SCRIPTS = os.path.join(CONTENTS, "scripts")
GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                  r"[0-9a-fA-F]{12}\}?$")
#: Component descriptions 3ds Max's package format documents (the ones a script uses).
COMPONENT_KINDS = ("pre-start-up scripts parts", "post-start-up scripts parts",
                   "macroscripts parts", "plugin parts", "icon parts", "menu parts",
                   "quadmenu parts")
#: The 3ds Max versions the bundle is for.
FIRST, LAST = 2022, 2027
#: maxVersion()[1] of 3ds Max 2025, where the menu manager replaced menuMan.
MAX_2025 = 27000


def package():
    return ElementTree.parse(os.path.join(BUNDLE, "PackageContents.xml")).getroot()


def components():
    """(description, SeriesMin, SeriesMax, module path) of every component entry."""
    found = []
    for component in package().findall("Components"):
        requirement = component.find("RuntimeRequirements")
        for entry in component.findall("ComponentEntry"):
            found.append((component.get("Description"), int(requirement.get("SeriesMin")),
                          int(requirement.get("SeriesMax")), entry.get("ModuleName")))
    return found


def script(name):
    with open(os.path.join(SCRIPTS, name), encoding="utf-8") as handle:
        return handle.read()


def strings_of(name):
    return [value for _offset, value in scan(script(name)).strings]


def code_of(name):
    return scan(script(name)).code


# -- PackageContents.xml ---------------------------------------------------------------------

def test_application_package_attributes():
    root = package()
    assert root.tag == "ApplicationPackage"
    assert root.get("AutodeskProduct") == "3ds Max"
    assert root.get("ProductType") == "Application"
    assert re.match(r"^\d{1,3}\.\d{1,3}\.\d{1,3}$", root.get("AppVersion"))
    assert GUID.match(root.get("UpgradeCode"))
    assert root.find("CompanyDetails") is not None


def test_app_version_is_the_packages_version():
    import rayvision_dcc
    root = package()
    assert root.get("AppVersion") == rayvision_dcc.__version__
    assert {entry.get("Version") for entry in root.iter("ComponentEntry")} == {
        rayvision_dcc.__version__}


def test_every_component_has_series_limits_for_2022_to_2027():
    root = package()
    top = root.find("RuntimeRequirements")
    assert (top.get("OS"), top.get("Platform")) == ("Win64", "3ds Max")
    assert (int(top.get("SeriesMin")), int(top.get("SeriesMax"))) == (FIRST, LAST)
    for component in root.findall("Components"):
        assert component.get("Description") in COMPONENT_KINDS
        requirement = component.find("RuntimeRequirements")
        assert requirement is not None, component.get("Description")
        assert (requirement.get("OS"), requirement.get("Platform")) == ("Win64", "3ds Max")
        low, high = int(requirement.get("SeriesMin")), int(requirement.get("SeriesMax"))
        assert FIRST <= low <= high <= LAST
        assert component.findall("ComponentEntry")


def test_every_module_file_exists_and_every_script_is_loaded():
    modules = [module for _kind, _low, _high, module in components()]
    for module in modules:
        assert module.startswith("./Contents/"), module
        assert os.path.isfile(os.path.join(BUNDLE, module[2:])), module
    on_disk = sorted("./Contents/scripts/" + name for name in os.listdir(SCRIPTS)
                     if name.endswith((".ms", ".mcr")))
    assert sorted(modules) == on_disk


def test_components_cover_each_version_once():
    """Every Max version gets the macro, the Python set-up and exactly one menu entry."""
    for version in range(FIRST, LAST + 1):
        loaded = [os.path.basename(module) for _kind, low, high, module in components()
                  if low <= version <= high]
        menus = [name for name in loaded if "menu" in name]
        assert "rayvision_macro.ms" in loaded and "rayvision_startup.ms" in loaded
        assert menus == (["rayvision_menu_2025.ms"] if version >= 2025
                         else ["rayvision_menu_legacy.ms"]), version


def test_menu_2025_is_registered_before_start_up_and_python_after():
    kinds = {os.path.basename(module): kind for kind, _low, _high, module in components()}
    # #cuiRegisterMenus fires while Max builds its menus, before post-start-up scripts run
    assert kinds["rayvision_menu_2025.ms"] == "pre-start-up scripts parts"
    assert kinds["rayvision_macro.ms"] == "pre-start-up scripts parts"
    assert kinds["rayvision_startup.ms"] == "post-start-up scripts parts"
    assert kinds["rayvision_menu_legacy.ms"] == "post-start-up scripts parts"


# -- the MaxScript files -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(n for n in os.listdir(SCRIPTS) if n.endswith(".ms")))
def test_maxscript_is_balanced(name):
    assert scan(script(name)).problems == []


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(SCRIPTS) if n.endswith(".ms")))
def test_functions_called_are_defined_in_the_same_file(name):
    code = code_of(name)
    defined = set(re.findall(r"\bfn\s+(rayvisionDcc_\w+)", code))
    used = set(re.findall(r"\b(rayvisionDcc_\w+)\s*\(\)", code))
    used |= set(re.findall(r"(rayvisionDcc_\w+)\(\)", " ".join(strings_of(name))))
    assert used <= defined
    # each function is declared global first (scripts run in their own scope)
    for function in defined:
        assert re.search(r"\bglobal\s+{}\b".format(function), code), function


def test_macroscript_name_and_category_are_what_python_and_menus_use():
    import rayvision_max
    match = re.search(r"\bmacroScript\s+(\w+)\s+category:\s*\"\"", code_of("rayvision_macro.ms"))
    assert match and match.group(1) == rayvision_max.MACRO_NAME
    assert strings_of("rayvision_macro.ms")[0] == rayvision_max.MACRO_CATEGORY == "Render Farm"
    action = "{}`{}".format(rayvision_max.MACRO_NAME, rayvision_max.MACRO_CATEGORY)
    assert action in strings_of("rayvision_menu_2025.ms")
    legacy = strings_of("rayvision_menu_legacy.ms")
    index = legacy.index(rayvision_max.MACRO_NAME)
    assert legacy[index + 1] == rayvision_max.MACRO_CATEGORY
    assert re.search(r"menuMan\.createActionItem\s+\"\"\s+\"\"", code_of(
        "rayvision_menu_legacy.ms"))


def test_the_macro_runs_a_python_function_that_exists():
    import rayvision_max
    python = [text for text in strings_of("rayvision_macro.ms") if "import" in text]
    assert len(python) == 1
    tree = ast.parse(python[0])
    imports = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names]
    calls = [(node.func.value.id, node.func.attr) for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    assert imports == ["rayvision_max"] and calls == [("rayvision_max", "open_panel")]
    assert callable(getattr(rayvision_max, "open_panel"))
    assert re.search(r"python\.Execute\s+\"\"", code_of("rayvision_macro.ms"))


def test_menu_2025_uses_the_macroscript_action_table_and_stable_ids():
    code = code_of("rayvision_menu_2025.ms")
    strings = strings_of("rayvision_menu_2025.ms")
    assert re.search(r"\.CreateAction\s+itemId\s+647394\s+\"\"", code)
    ids = [text for text in strings if GUID.match(text)]
    assert len(ids) == 2 and len(set(ids)) == 2
    # only created when the item is not there yet (a menu file loaded again)
    assert re.search(r"GetMenuItemById\s+itemId\s*\)\s*==\s*undefined", code)
    assert re.search(r"\(maxVersion\(\)\)\[1\]\s*>=\s*{}".format(MAX_2025), code)


@pytest.mark.parametrize("name, event", [("rayvision_menu_2025.ms", "#cuiRegisterMenus"),
                                         ("rayvision_menu_legacy.ms", "#preSystemShutdown")])
def test_callbacks_are_replaced_not_added_twice(name, event):
    code = code_of(name)
    remove = re.search(r"callbacks\.removeScripts\s+{}\s+id:(#\w+)".format(event), code)
    add = re.search(r"callbacks\.addScript\s+{}\s+\S+\s+id:(#\w+)".format(event), code)
    assert remove and add and remove.group(1) == add.group(1)
    assert remove.start() < add.start()


def test_legacy_menu_is_added_once_and_removed_at_shutdown():
    code = code_of("rayvision_menu_legacy.ms")
    assert re.search(r"\(maxVersion\(\)\)\[1\]\s*<\s*{}".format(MAX_2025), code)
    add = code[code.index("fn rayvisionDcc_addMenuItem"):]
    # the add first removes any entry with our title: loading twice leaves one entry
    assert add.index("rayvisionDcc_removeMenuItems()") < add.index("menu.addItem")
    assert "rayvisionDcc_removeMenuItems()" in strings_of("rayvision_menu_legacy.ms")


# -- the start-up's Python ---------------------------------------------------------------------

def startup_python():
    python = [text for text in strings_of("rayvision_startup.ms") if "import" in text]
    assert len(python) == 1
    return python[0]


def test_startup_python_puts_the_bundle_on_sys_path_once(monkeypatch, max_session, tmp_path):
    """Run the start-up's Python as python.Execute would, twice, in a copy of the layout."""
    import shutil
    bundle = tmp_path / "RayvisionDCC.bundle"
    shutil.copytree(os.path.join(CONTENTS, "scripts"), str(bundle / "Contents" / "scripts"))
    shutil.copytree(os.path.join(CONTENTS, "python"), str(bundle / "Contents" / "python"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    tag = "py{}{}".format(*sys.version_info[:2])
    (bundle / "Contents" / "site-packages" / tag).mkdir(parents=True)
    fake = max_session({})
    # what rayvision_startup.ms sets: getFilenamePath of the script, with its separator
    fake.set_global("rayvisionDcc_scriptsDir", str(bundle / "Contents" / "scripts") + os.sep)
    monkeypatch.setattr(sys, "path", [p for p in sys.path
                                      if not p.endswith(os.path.join("Contents", "python"))])
    for name in [m for m in sys.modules if m == "rayvision_max" or m.startswith("rayvision_max.")]:
        monkeypatch.delitem(sys.modules, name)
    code = compile(startup_python(), "rayvision_startup.ms", "exec")
    namespace = {"__name__": "__main__"}
    exec(code, namespace)
    first = list(sys.path)
    exec(code, namespace)
    contents = str(bundle / "Contents")
    assert first[:2] == [os.path.join(contents, "python"),
                         os.path.join(contents, "site-packages", tag)]
    assert sys.path == first  # the second run changed nothing
    assert sys.modules["rayvision_max"].__file__.startswith(contents)
    assert "_rayvision_setup" not in namespace  # nothing left in Max's __main__


def test_bootstrap_paths_per_max_python(tmp_path):
    from rayvision_max import startup
    contents = str(tmp_path / "Contents")
    for version_info, tag in (((3, 7, 9), "py37"), ((3, 9, 7), "py39"), ((3, 10, 11), "py310"),
                              ((3, 11, 9), "py311"), ((3, 13, 1), "py313")):
        search_path = ["/usr/lib/python"]
        added = startup.bootstrap(contents, version_info=version_info,
                                  search_path=search_path, register=False)
        assert added == [os.path.join(contents, "python"),
                         os.path.join(contents, "site-packages", tag)]
        assert search_path == added + ["/usr/lib/python"]
        assert startup.bootstrap(contents, version_info=version_info,
                                 search_path=search_path, register=False) == []


def test_bootstrap_says_what_to_do_when_site_packages_is_missing(tmp_path, caplog):
    from rayvision_max import startup
    startup.bootstrap(str(tmp_path), version_info=(3, 10, 0), search_path=[], register=False)
    assert "rayvision-dcc install --host max" in caplog.text and "py310" in caplog.text


#: The MAXScript members the scripts may use, each as 3ds Max's documentation names it
#: (docs/max.md): a new or misspelt one fails here until it is checked against the docs.
DOCUMENTED_MEMBERS = {
    # python interface
    "Execute",
    # callbacks
    "addScript", "removeScripts", "notificationParam",
    # menuMan and its menus / menu items (3ds Max 2022-2024)
    "findMenu", "createActionItem", "updateMenuBar", "numItems", "getItem", "addItem",
    "removeItemByPosition", "getTitle", "setTitle", "setUseCustomTitle",
    # CuiMenuMgr, CuiMenu, CuiMenuItem (3ds Max 2025+)
    "mainMenuBar", "GetMenuById", "GetMenuItemById", "menuItems", "CreateSubMenu",
    "CreateAction", "title", "id",
}


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(SCRIPTS) if n.endswith(".ms")))
def test_scripts_use_only_documented_members(name):
    used = set(re.findall(r"\.\s*([A-Za-z_]\w*)", code_of(name)))
    assert used <= DOCUMENTED_MEMBERS, sorted(used - DOCUMENTED_MEMBERS)
