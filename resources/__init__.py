"""Icons and the style sheet of the panel; installed as rayvision_dcc.resources."""
import os

FOLDER = os.path.dirname(os.path.abspath(__file__))


def path(name):
    """Absolute path of a resource file, e.g. path("style.qss")."""
    return os.path.join(FOLDER, *name.split("/"))
