"""``make bundle``: build the offline bundles (one zip per platform) into dist/bundle.

    python installer/make_bundle.py [--out dist/bundle] [--platform windows|macos|linux ...]

Needs the package index (pip download); everything else the bundle holds comes from here.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rayvision_installer.bundle import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
