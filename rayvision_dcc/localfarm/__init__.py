"""A local render farm: the Rayvision render API on loopback, with real Blender renders.

``LocalFarm(data_dir, users=..., port=0)`` in Python, ``rayvision-dcc farm serve`` on the
command line; docs/localfarm.md says what it emulates and what it does not.
"""
from rayvision_dcc.localfarm.farm import LocalFarm
from rayvision_dcc.localfarm.faults import Faults, FaultSpecError

__all__ = ["LocalFarm", "Faults", "FaultSpecError"]
