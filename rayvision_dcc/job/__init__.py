"""Scene description -> job -> job files (and, from other modules, transfer and the
submit workflow). Importing this package touches no host module, no disk, no network."""
from __future__ import annotations

from rayvision_dcc.job.deps import (DependencyReport, IgnoreList, SequenceGap,
                                    find_sequence_gaps)
from rayvision_dcc.job.frames import count_frames, format_frames, frame_range, parse_frames
from rayvision_dcc.job.jobfiles import (Tip, build_asset_json, build_task_json, build_tips,
                                        build_upload_json, choose_render_env, server_path,
                                        software_config, validate, versions_match,
                                        write_job_files)
from rayvision_dcc.job.references import FileReference, resolve_references, tile_path
from rayvision_dcc.job.scene import CG_IDS, CG_NAMES, Camera, Dependency, RenderLayer, SceneInfo
from rayvision_dcc.job.spec import JobSpec

__all__ = [
    # scene.py
    "SceneInfo", "Camera", "RenderLayer", "Dependency", "CG_IDS", "CG_NAMES",
    # references.py
    "FileReference", "resolve_references", "tile_path",
    # spec.py
    "JobSpec",
    # frames.py
    "parse_frames", "format_frames", "frame_range", "count_frames",
    # jobfiles.py
    "server_path", "build_task_json", "build_upload_json", "build_asset_json", "build_tips",
    "validate", "Tip", "write_job_files", "choose_render_env", "software_config",
    "versions_match",
    # deps.py
    "DependencyReport", "IgnoreList", "SequenceGap", "find_sequence_gaps",
]
