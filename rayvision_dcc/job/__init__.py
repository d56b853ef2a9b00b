"""Scene description -> job -> job files (and, from other modules, transfer and the
submit workflow). Importing this package touches no host module, no disk, no network."""
from __future__ import annotations

from rayvision_dcc.job.background import Background, BackgroundJob
from rayvision_dcc.job.deps import (DependencyReport, IgnoreList, SequenceGap,
                                    find_sequence_gaps)
from rayvision_dcc.job.frames import count_frames, format_frames, frame_range, parse_frames
from rayvision_dcc.job.jobfiles import (build_asset_json, build_task_json, build_upload_json,
                                        write_job_files)
from rayvision_dcc.job.paths import server_path
from rayvision_dcc.job.progress import CancelToken, ProgressEvent, Reporter
from rayvision_dcc.job.renderenv import choose_render_env, software_config, versions_match
from rayvision_dcc.job.tips import Tip
from rayvision_dcc.job.validation import build_tips, validate
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
    # jobfiles.py and its parts: paths, renderenv, tips, validation
    "server_path", "build_task_json", "build_upload_json", "build_asset_json", "build_tips",
    "validate", "Tip", "write_job_files", "choose_render_env", "software_config",
    "versions_match",
    # background.py
    "Background", "BackgroundJob",
    # progress.py
    "CancelToken", "ProgressEvent", "Reporter",
    # deps.py
    "DependencyReport", "IgnoreList", "SequenceGap", "find_sequence_gaps",
]
