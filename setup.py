"""rayvision-dcc: one submitter for Maya, 3ds Max and Blender to the Rayvision render API."""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "rayvision_dcc", "__init__.py"), encoding="utf-8") as handle:
    VERSION = re.search(r'__version__ = "([^"]+)"', handle.read()).group(1)

setup(
    name="rayvision-dcc",
    version=VERSION,
    description="Submit Maya, 3ds Max and Blender scenes to the Rayvision / Renderbus / "
                "Fox Renderfarm render API, with a shared Qt panel and a local test farm",
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.7",
    # The top-level resources/ folder ships inside the package as rayvision_dcc.resources.
    # The Blender add-on's and the Maya module's packages are installed too: their headless
    # scanners are what `rayvision-dcc submit scene.blend|.ma` runs (entry points below).
    packages=find_packages(include=["rayvision_dcc", "rayvision_dcc.*"])
    + ["rayvision_dcc.resources", "rayvision_blender", "rayvision_maya"],
    package_dir={"rayvision_dcc.resources": "resources",
                 "rayvision_blender": "blender/rayvision_blender",
                 "rayvision_maya": "maya/scripts/rayvision_maya"},
    package_data={"rayvision_dcc.resources": ["*.qss", "*.svg", "*.png", "*.md", "icons/*"]},
    install_requires=[
        "requests>=2.22",
        # OS keyring for the access key; falls back to a 0600 file where no backend works.
        "keyring>=21",
        # Terminal progress bars for the CLI (the issue asks for a well-kept library).
        "tqdm>=4.50",
    ],
    extras_require={
        # PySide6 6.12.0 on Python 3.11 drops references to None/True on ordinary signal
        # emits and crashes within seconds (reproduced with plain PySide6); 6.11 is fine.
        "qt": ["Qt.py>=1.3",
               "PySide6-Essentials>=6.5,<6.12; python_version>='3.9' and python_version<'3.12'",
               "PySide6-Essentials>=6.5; python_version>='3.12'",
               "PySide2==5.15.2.1; python_version<'3.9'"],
        "blender": ["bpy==4.5.*; python_version=='3.11'"],
        # The official transfer binaries (rayvision_transmitter with Aspera's ascp, for each
        # platform), run by the aspera engine (docs/transfer.md). The package itself pins
        # requests==2.23 and the SDK: installers and `make venv` take it with --no-deps.
        "transfer": ["rayvision_sync==3.1.8"],
        "test": ["pytest>=7", "pytest-timeout", "vermin>=1.5",
                 "pytest-qt>=4.2; python_version>='3.9'",
                 "pytest-qt<4.5; python_version<'3.9'"],
    },
    entry_points={"console_scripts": ["rayvision-dcc=rayvision_dcc.cli:main"],
                  "rayvision_dcc.scanners": ["blender=rayvision_blender.headless:SCANNER",
                                             "maya=rayvision_maya.headless:SCANNER"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
