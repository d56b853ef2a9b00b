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


def find_render_env(envs, cg_id, host_version, wanted_name=None, plugin=""):
    """The one rule that picks a render environment among ``envs`` (getRenderEnv's
    answer), for the CLI, the workflow and the panel alike:

    1. the one named ``wanted_name``;
    2. the default (``isDefault`` 1) when it fits the scene (``env_fits``: the scene's
       version, and ``plugin``, the plug-in the scene's renderer needs, when given);
    3. the first other one that fits;
    4. the default;
    5. the only one.

    Returns ``(env, None)``, or ``(None, JobError)`` saying why none stands out (listing
    the choices). ``cg_id`` None keeps every env (they were asked for one host already).
    A chosen env of another version is reported by ``choose_render_env`` and by
    validation (15013), not here."""
    mine = [env for env in envs or [] if isinstance(env, dict)
            and (cg_id is None or _env_cg_id(env) in ("", str(cg_id)))]
    from rayvision_dcc.job.scene import CG_NAMES
    host = CG_NAMES.get(str(cg_id), "this host" if cg_id is None else "cg_id {}".format(cg_id))
    choices = "; ".join(describe_env(env) for env in mine)
    if not mine:
        return None, JobError("your account has no render environment for {}".format(host),
                              hint="add a {} {} environment on the website (Render settings) "
                                   "and make it the default".format(
                                       host, host_version or "").replace("  ", " "))
    if wanted_name:
        chosen = [env for env in mine if env.get("editName") == wanted_name]
        if chosen:
            return chosen[0], None
        return None, JobError("there is no {} render environment named {!r}".format(
            host, wanted_name), hint="choose one of: " + choices)
    defaults = [env for env in mine if str(env.get("isDefault")) in ("1", "True")]
    fitting = [env for env in mine if env_fits(env, host_version or "", plugin or "")]
    for env in [env for env in defaults if env in fitting] + fitting + defaults:
        return env, None
    if len(mine) == 1:
        return mine[0], None
    return None, JobError("{} render environments, none is the default and none is of the "
                          "scene's version".format(len(mine)),
                          hint="choose one with --env NAME: " + choices)


def choose_render_env(envs, cg_id, host_version, wanted_name=None, allow_mismatch=False,
                      plugin=""):
    """The render environment to use (``find_render_env``'s rule); JobError, listing the
    choices, when none stands out or when the chosen version differs from
    ``host_version`` (unless ``allow_mismatch``)."""
    env, problem = find_render_env(envs, cg_id, host_version, wanted_name, plugin)
    if problem is not None:
        raise problem
    if not allow_mismatch and not versions_match(env.get("cgVersion"), host_version):
        from rayvision_dcc.job.scene import CG_NAMES
        host = CG_NAMES.get(str(cg_id), "the host")
        mine = [item for item in envs if _env_cg_id(item) in ("", str(cg_id))]
        raise JobError(
            "the render environment {} is {} {}, but the scene was saved with {} {}".format(
                env.get("editName"), host, env.get("cgVersion"), host, host_version),
            hint="choose an environment of the scene's version with --env NAME: "
                 + "; ".join(describe_env(item) for item in mine))
    return env


def fill_render_env(spec, client):
    """Give ``spec`` its render environment when it has none: the account's envs for the
    scene's host, chosen by ``choose_render_env`` with ``spec.render_env_name`` and the
    plug-in the scene's renderer needs (``extra["renderer_plugin"]``)."""
    if spec.render_env:
        return spec.render_env
    cg_id = spec.scene.cg_id
    plugin = str((spec.scene.extra or {}).get("renderer_plugin") or "")
    spec.render_env = choose_render_env(client.render_envs(int(cg_id)), cg_id,
                                        spec.scene.host_version, spec.render_env_name or None,
                                        plugin=plugin)
    return spec.render_env


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
