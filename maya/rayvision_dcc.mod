# Rayvision render farm submitter: a Maya module (one block per Maya version and platform).
# Put this file's folder on MAYA_MODULE_PATH (or copy it into ~/maya/modules with the
# path below made absolute). site-packages/py<XY> holds rayvision_dcc and its
# dependencies for that Maya's Python (the installer fills it); Maya adds icons/ itself.

+ MAYAVERSION:2022 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py37

+ MAYAVERSION:2022 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py37

+ MAYAVERSION:2022 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py37

+ MAYAVERSION:2023 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py39

+ MAYAVERSION:2023 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py39

+ MAYAVERSION:2023 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py39

+ MAYAVERSION:2024 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py310

+ MAYAVERSION:2024 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py310

+ MAYAVERSION:2024 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py310

+ MAYAVERSION:2025 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2025 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2025 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2026 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2026 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2026 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py311

+ MAYAVERSION:2027 PLATFORM:win64 rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py313

+ MAYAVERSION:2027 PLATFORM:linux rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py313

+ MAYAVERSION:2027 PLATFORM:mac rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/py313
