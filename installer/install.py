"""Install the Rayvision submitter into Maya, 3ds Max and Blender from this bundle.

    python installer/install.py [--host maya|max|blender|all] [--version V] [--dry-run]
    python installer/install.py uninstall

Runs on any Python 3.7 or newer with nothing else installed; needs no network.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rayvision_installer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
