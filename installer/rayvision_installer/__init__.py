"""The rayvision-dcc installer: stdlib only, so ``python installer/install.py`` runs from an
unpacked bundle on any Python 3.7+; ``rayvision-dcc install`` calls the same code."""
from .cli import (add_install_arguments, add_uninstall_arguments, main, run_install,
                  run_uninstall)
from .run import InstallError
from .system import System

__all__ = ["main", "run_install", "run_uninstall", "add_install_arguments",
           "add_uninstall_arguments", "InstallError", "System"]
