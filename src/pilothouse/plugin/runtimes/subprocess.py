"""The ``subprocess`` runtime: choosing, expanding and running a plugin's command as Helm 4 does.

A runtime knows how to start a plugin; what the input and output mean is the plugin type's
business (`pilothouse.plugin.types`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from typing import IO, Any

from pilothouse.errors import PluginError
from pilothouse.plugin.expand import expand

_GOARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i386": "386",
           "i686": "386", "x86": "386", "armv7l": "arm", "armv6l": "arm", "ppc64le": "ppc64le",
           "s390x": "s390x", "riscv64": "riscv64"}


def go_os() -> str:
    """Go's GOOS name for this machine."""
    return {"win32": "windows", "cygwin": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))


def go_arch() -> str:
    """Go's GOARCH name for this machine."""
    m = (os.uname().machine if hasattr(os, "uname") else __import__("platform").machine()).lower()
    return _GOARCH.get(m, m)


def select_command(cmds: list[dict[str, Any]], goos: str | None = None, goarch: str | None = None) -> dict[str, Any]:
    """Helm's choice among ``{os, arch, command, args}`` entries (case-insensitive).

    An exact os+arch match wins; entries naming another arch are skipped even without an os;
    then os with no arch; then an entry with neither.
    """
    goos = (goos or go_os()).lower()
    goarch = (goarch or go_arch()).lower()
    os_only = None
    generic = None
    for c in cmds:
        c_os, c_arch = c.get("os", "").lower(), c.get("arch", "").lower()
        if c_os == goos and c_arch == goarch:
            return c
        if c_arch:
            continue
        if c_os == goos and os_only is None:
            os_only = c
        elif not c_os and generic is None:
            generic = c
    chosen = os_only or generic
    if chosen is None or not chosen.get("command"):
        raise PluginError("no plugin command is applicable")
    return chosen


def build_argv(entry: dict[str, Any], env: Mapping[str, str], *, expand_args: bool) -> list[str]:
    """The command split on single spaces, the executable always expanded, the rest when asked."""
    parts = entry["command"].split(" ")
    exe = expand(parts[0], env)
    rest = list(parts[1:]) + list(entry.get("args") or [])
    if expand_args:
        rest = [expand(a, env) for a in rest]
    return [exe, *rest]


def plugin_env(name: str, plugin_dir: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Helm's process env, then the input env, then HELM_PLUGIN_NAME and HELM_PLUGIN_DIR."""
    env = dict(os.environ)
    if extra:
        env.update(extra)
    env["HELM_PLUGIN_NAME"] = name
    env["HELM_PLUGIN_DIR"] = plugin_dir
    return env


def resolve(exe: str) -> str:
    """What Go's exec.Command does with a name: a bare name is looked up in PATH."""
    if os.sep in exe or (os.altsep and os.altsep in exe):
        return exe
    found = shutil.which(exe)
    if found is None:
        raise PluginError(f'exec: "{exe}": executable file not found in $PATH')
    return found


def run(argv: list[str], env: Mapping[str, str], *, name: str, stdin: bytes | IO[Any] | None = None,
        capture_stdout: bool = False, capture_stderr: bool = False) -> Any:
    """Run a plugin command. Input is bytes (piped) or a file (inherited); None inherits stdin.

    Returns the `subprocess.CompletedProcess`.
    """
    import subprocess  # only a subprocess plugin pays for it

    argv = [resolve(argv[0]), *argv[1:]]
    try:
        return subprocess.run(
            argv, env=dict(env),
            input=stdin if isinstance(stdin, bytes) else None,
            stdin=None if isinstance(stdin, bytes) else stdin,
            stdout=subprocess.PIPE if capture_stdout else None,
            stderr=subprocess.PIPE if capture_stderr else None, check=False)
    except OSError as err:
        raise PluginError(f'plugin "{name}": fork/exec {argv[0]}: {err.strerror}') from None


def run_hook(plugin: Any, event: str) -> None:
    """Run a subprocess plugin's ``install``/``update``/``delete`` hook, if it has one."""
    if plugin.runtime != "subprocess":
        return
    rc = plugin.metadata.runtime_config
    cmds = (rc.get("platformHooks") or {}).get(event) or []
    if not cmds:
        return
    entry = select_command(cmds)
    env = plugin_env(plugin.name, plugin.dir)
    # v1 hooks are not expanded; legacy platformHooks are; legacy `hooks` are left to `sh -c`
    expand_args = plugin.metadata.api_version == "legacy" and rc.get("expandHookArgs", True)
    argv = build_argv(entry, env, expand_args=bool(expand_args))
    res = run(argv, env, name=plugin.name)
    if res.returncode != 0:
        raise PluginError(f'plugin {event} hook for "{plugin.name}" exited with error')
