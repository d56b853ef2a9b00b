"""The render environment: which of the account's environments a job uses, and the
``software_config`` it gives task.json."""
from __future__ import annotations

import re

from rayvision_dcc.errors import JobError


def _env_cg_id(env):
    for key in ("cgId", "cglId", "cg_id"):
        if env.get(key) not in (None, ""):
            return str(env[key])
    return ""


def _version_key(text):
    return [int(part) for part in re.findall(r"\d+", str(text or ""))][:2]


def versions_match(env_version, host_version):
    """True when the render environment's version is the scene's host version, compared
    on the leading numbers both give (major.minor at most): ``"4.5"`` matches ``"4.5.1"``,
    ``"2022"`` matches ``"2022.3"``, ``"3.6"`` does not match ``"4.5"``. An unknown host
    version matches anything."""
    host_key = _version_key(host_version)
    env_key = _version_key(env_version)
    if not host_key or not env_key:
        return True
    size = min(len(host_key), len(env_key))
    return host_key[:size] == env_key[:size]


def describe_env(env):
    return "{} ({} {}{})".format(env.get("editName") or "<unnamed>", env.get("cgName") or "",
                                 env.get("cgVersion") or "?",
                                 ", default" if str(env.get("isDefault")) == "1" else "")


def choose_render_env(envs, cg_id, host_version, wanted_name=None, allow_mismatch=False):
    """The render environment to use among ``envs`` (getRenderEnv's answer).

    The one named ``wanted_name``, else the default (``isDefault`` 1), else the only one,
    else the only one with the scene's version. JobError, listing the choices, when there
    is none, when the wanted name does not exist, when no single choice stands out, or
    when the chosen version differs from ``host_version`` (unless ``allow_mismatch``)."""
    cg_id = str(cg_id)
    mine = [env for env in envs or [] if _env_cg_id(env) in ("", cg_id)]
    from rayvision_dcc.job.scene import CG_NAMES
    host = CG_NAMES.get(cg_id, "cg_id " + cg_id)
    choices = "; ".join(describe_env(env) for env in mine)
    if not mine:
        raise JobError("your account has no render environment for {}".format(host),
                       hint="add a {} {} environment on the website (Render settings) and "
                            "make it the default".format(host, host_version or "").replace(
                                "  ", " "))
    if wanted_name:
        chosen = [env for env in mine if env.get("editName") == wanted_name]
        if not chosen:
            raise JobError("there is no {} render environment named {!r}".format(
                host, wanted_name), hint="choose one of: " + choices)
        env = chosen[0]
    else:
        defaults = [env for env in mine if str(env.get("isDefault")) == "1"]
        matching = [env for env in mine
                    if versions_match(env.get("cgVersion"), host_version)]
        if defaults:
            env = defaults[0]
        elif len(mine) == 1:
            env = mine[0]
        elif len(matching) == 1:
            env = matching[0]
        else:
            raise JobError("{} render environments and none is the default".format(len(mine)),
                           hint="choose one with --env NAME: " + choices)
    if not allow_mismatch and not versions_match(env.get("cgVersion"), host_version):
        raise JobError(
            "the render environment {} is {} {}, but the scene was saved with {} {}".format(
                env.get("editName"), host, env.get("cgVersion"), host, host_version),
            hint="choose an environment of the scene's version with --env NAME: " + choices)
    return env


def env_plugins(env):
    """``{pluginName: version}`` of a render environment (getRenderEnv's
    ``respUserPluginInfoVos``)."""
    plugins = {}
    for plugin in (env or {}).get("respUserPluginInfoVos") or []:
        name = str(plugin.get("pluginName") or "")
        version = str(plugin.get("pluginVersion") or "")
        if not name:
            continue
        # getRenderEnv spells versions as "<name> <version>" ("wobble 0.9.5").
        if version.startswith(name + " "):
            version = version[len(name) + 1:]
        plugins[name] = version
    return plugins


def env_fits(env, host_version="", plugin=""):
    """True when ``env`` is of the scene's version and has ``plugin`` (the one the
    scene's renderer needs; "" = none needed)."""
    return (versions_match(env.get("cgVersion"), host_version)
            and (not plugin or plugin in env_plugins(env)))


def software_config(spec):
    """``software_config`` from the spec's render environment (or the scene when none)."""
    env = spec.render_env or {}
    plugins = env_plugins(env)
    if not env:
        plugins = {str(k): str(v) for k, v in spec.scene.plugins.items()}
    return {
        "cg_name": str(env.get("cgName") or spec.host),
        "cg_version": str(env.get("cgVersion") or spec.scene.host_version),
        "plugins": plugins,
    }
