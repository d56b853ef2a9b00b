"""rayvision-dcc: submit Maya, 3ds Max and Blender scenes to the Rayvision render API.

Importing this package costs nothing: no network, no disk, no Qt. The layers are
``rayvision_dcc.api`` (signer, client), ``rayvision_dcc.job`` (job files, transfer,
submit workflow), ``rayvision_dcc.hosts`` (the adapter protocol), ``rayvision_dcc.ui``
(the shared Qt panel) and ``rayvision_dcc.localfarm`` (a local emulator of the API).
"""
import logging

__version__ = "0.1.0"

# A library leaves handlers to its application (the CLI, the host).
logging.getLogger("rayvision_dcc").addHandler(logging.NullHandler())
