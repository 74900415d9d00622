"""`plugin.yaml`: the apiVersion v1 and legacy (Helm 3) formats, validated and converted as Helm 4.2 does.

Both formats end up as one `Metadata`: a v1-shaped record (name, type, runtime, version,
``config`` for the type, ``runtimeConfig`` for the runtime) with ``api_version`` telling where it
came from. The conversion of legacy files follows Helm: a plugin with ``downloaders`` becomes a
``getter/v1`` and stops being a CLI command; anything else is a ``cli/v1``.
"""

from __future__ import annotations

import re
from typing import Any

from pilothouse.errors import PluginError

NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
# a plugin.yaml is a few hundred bytes; anything near this is an attack on every command that
# looks plugins up
MAX_METADATA_BYTES = 1 << 20
# compiled on first use: a one-shot `pilot` reads cached metadata and never needs it
_SEMVER = (r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
           r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
           r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")

TYPES = ("cli/v1", "getter/v1", "postrenderer/v1", "test/v1", "policy/v1", "values/v1")
RUNTIMES = ("subprocess", "extism/v1")
_V1_KEYS = ("apiVersion", "name", "type", "runtime", "version", "sourceURL", "config", "runtimeConfig")
# config keys each type accepts (decoded strictly, as Helm does) and their Python types
_CONFIG_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "cli/v1": {"usage": str, "shortHelp": str, "longHelp": str, "ignoreFlags": bool},
    "getter/v1": {"protocols": list},
    "postrenderer/v1": {},
    "test/v1": {},
    "policy/v1": {},
    "values/v1": {"schemes": list},
}


class Metadata:
    """One plugin's metadata in the v1 shape, whatever format its file was in.

    A plain class (not a dataclass): building dataclasses costs milliseconds at import, which a
    one-shot `pilot` run would pay.
    """

    FIELDS = ("name", "type", "runtime", "version", "api_version", "source_url", "config", "runtime_config")
    __slots__ = FIELDS

    def __init__(self, name: str, type: str, runtime: str, version: str = "", api_version: str = "v1",  # noqa: A002
                 source_url: str = "", config: dict[str, Any] | None = None,
                 runtime_config: dict[str, Any] | None = None) -> None:
        self.name = name
        self.type = type
        self.runtime = runtime
        self.version = version
        self.api_version = api_version  # "v1" or "legacy"
        self.source_url = source_url
        self.config: dict[str, Any] = config if config is not None else {}
        self.runtime_config: dict[str, Any] = runtime_config if runtime_config is not None else {}

    def record(self) -> dict[str, Any]:
        """The fields as a dict (the inverse of ``Metadata(**record)``)."""
        return {f: getattr(self, f) for f in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Metadata) and self.record() == other.record()

    def __repr__(self) -> str:
        return f"Metadata({self.record()!r})"

    def to_dict(self) -> dict[str, Any]:
        """The v1 form, as `plugin.yaml` would spell it."""
        return {"apiVersion": self.api_version, "name": self.name, "type": self.type,
                "runtime": self.runtime, "version": self.version, "sourceURL": self.source_url,
                "config": self.config, "runtimeConfig": self.runtime_config}


def _loader() -> type:
    """A YAML loader that rejects duplicate keys, as go-yaml v3 does."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Strict(base):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"mapping key {key!r} already defined", key_node.start_mark)
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    _Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return _Strict


def parse_yaml(data: bytes | str, source: str = "plugin.yaml") -> dict[str, Any]:
    """Read the first YAML document of a plugin.yaml; errors name the file."""
    import yaml

    from pilothouse.plugin.yamlguard import YAMLBombError, check

    if len(data) > MAX_METADATA_BYTES:
        raise PluginError(f"failed to parse {source}: the file is {len(data)} bytes; plugin metadata may be "
                          f"at most {MAX_METADATA_BYTES}")
    try:
        check(data)  # aliasing bombs are refused before anything is expanded
        docs = yaml.load_all(data, Loader=_loader())  # noqa: S506 - the loader is a SafeLoader
        doc = next(iter(docs), None)
    except YAMLBombError as err:
        raise PluginError(f"failed to parse {source}: yaml: {err}") from None
    except yaml.YAMLError as err:
        raise PluginError(f"failed to parse {source}: {err}") from None
    except RecursionError:
        raise PluginError(f"failed to parse {source}: yaml: the document is nested too deeply") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise PluginError(f"failed to parse {source}: not a mapping")
    return doc


def _str(doc: dict[str, Any], key: str, source: str) -> str:
    """A string field; YAML scalars of other kinds are taken by their text, as go-yaml does."""
    val = doc.get(key)
    if val is None:
        return ""
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, (int, float, str)):
        return str(val)
    raise PluginError(f"{source}: field {key!r} must be a string")


def check_version(version: str, source: str, *, required: bool) -> None:
    """Helm 4.1.4+: a version, when given (always in v1), is strict SemVer 2."""
    if not version:
        if required:
            raise PluginError(f"{source}: plugin `version` is required")
        return
    if not re.fullmatch(_SEMVER, version):  # `$` alone would let a trailing newline through
        raise PluginError(f"{source}: invalid plugin version {version!r}: must be valid semver")


def check_name(name: str, source: str) -> None:
    """Plugin names are ``^[A-Za-z0-9_-]+$`` (they become directory and command names)."""
    if not name:
        raise PluginError(f"{source}: plugin `name` is required")
    if not NAME_RE.fullmatch(name):
        raise PluginError(f"{source}: invalid plugin name {name!r}: must match {NAME_RE.pattern}")


def parse(data: bytes | str, source: str = "plugin.yaml") -> Metadata:
    """Parse and validate a plugin.yaml of either format."""
    doc = parse_yaml(data, source)
    api = doc.get("apiVersion")
    if api in (None, ""):
        return _parse_legacy(doc, source)
    if api == "v1":
        return _parse_v1(doc, source)
    raise PluginError(f'{source}: invalid plugin apiVersion: "{api}"')


def _parse_v1(doc: dict[str, Any], source: str) -> Metadata:
    extra = [k for k in doc if k not in _V1_KEYS]
    if extra:
        raise PluginError(f"{source}: field {extra[0]!r} not found in plugin metadata (apiVersion v1 is strict)")
    md = Metadata(
        name=_str(doc, "name", source), type=_str(doc, "type", source), runtime=_str(doc, "runtime", source),
        version=_str(doc, "version", source), api_version="v1", source_url=_str(doc, "sourceURL", source))
    check_name(md.name, source)
    if not md.type:
        raise PluginError(f"{source}: plugin `type` is required")
    if md.type not in TYPES:
        raise PluginError(f'{source}: unknown plugin type "{md.type}"')
    if not md.runtime:
        raise PluginError(f"{source}: plugin `runtime` is required")
    if md.runtime not in RUNTIMES:
        raise PluginError(f'{source}: unsupported plugin runtime type "{md.runtime}"')
    check_version(md.version, source, required=True)
    config = doc.get("config") or {}
    rconfig = doc.get("runtimeConfig") or {}
    if not isinstance(config, dict) or not isinstance(rconfig, dict):
        raise PluginError(f"{source}: `config` and `runtimeConfig` must be mappings")
    md.config = _check_config(md.type, config, source)
    md.runtime_config = _check_runtime_config(md.runtime, rconfig, source)
    return md


def _check_config(ptype: str, config: dict[str, Any], source: str) -> dict[str, Any]:
    allowed = _CONFIG_KEYS[ptype]
    for key, val in config.items():
        if key not in allowed:
            raise PluginError(f"{source}: unknown field {key!r} in config of a {ptype} plugin")
        want = allowed[key]
        if want is str and isinstance(val, (int, float)) and not isinstance(val, bool):
            config[key] = str(val)
        elif val is not None and not isinstance(val, want):
            raise PluginError(f"{source}: config field {key!r} has the wrong type")
    if ptype == "getter/v1":
        protocols = config.get("protocols") or []
        if not protocols:
            raise PluginError(f"{source}: getter plugin must declare at least one protocol in config.protocols")
        if any(not isinstance(p, str) or not p for p in protocols):
            raise PluginError(f"{source}: getter plugin protocols must not be empty")
    return dict(config)


def _check_cmd_list(val: Any, what: str, source: str) -> list[dict[str, Any]]:
    if val is None:
        return []
    if not isinstance(val, list):
        raise PluginError(f"{source}: {what} must be a list")
    out = []
    for item in val:
        if not isinstance(item, dict):
            raise PluginError(f"{source}: each {what} entry must be a mapping")
        args = item.get("args") or []
        if not isinstance(args, list):
            raise PluginError(f"{source}: {what}.args must be a list")
        out.append({"os": str(item.get("os") or ""), "arch": str(item.get("arch") or ""),
                    "command": str(item.get("command") or ""), "args": [str(a) for a in args]})
    return out


def _check_runtime_config(runtime: str, rc: dict[str, Any], source: str) -> dict[str, Any]:
    """runtimeConfig is lenient (unknown keys ignored) but known keys must have the right shape."""
    rc = dict(rc)
    if runtime == "subprocess":
        if "platformCommand" in rc:
            rc["platformCommand"] = _check_cmd_list(rc["platformCommand"], "platformCommand", source)
        hooks = rc.get("platformHooks")
        if hooks is not None:
            if not isinstance(hooks, dict):
                raise PluginError(f"{source}: platformHooks must be a mapping")
            rc["platformHooks"] = {str(k): _check_cmd_list(v, f"platformHooks.{k}", source) for k, v in hooks.items()}
        pcs = rc.get("protocolCommands")
        if pcs is not None:
            if not isinstance(pcs, list):
                raise PluginError(f"{source}: protocolCommands must be a list")
            rc["protocolCommands"] = [
                {"protocols": [str(p) for p in (pc.get("protocols") or [])],
                 "platformCommand": _check_cmd_list(pc.get("platformCommand"), "protocolCommands.platformCommand",
                                                    source)}
                for pc in pcs if isinstance(pc, dict)]
    else:
        # the shapes of the sandbox keys are checked by the policy module, which owns them
        from pilothouse.plugin.policy import check_runtime_config

        check_runtime_config(rc, source)
    return rc


def sanitize_usage(text: str) -> str:
    """Legacy `usage`: every whitespace rune becomes a space, non-printable runes are dropped."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif ch.isprintable():
            out.append(ch)
    return "".join(out)


def _parse_legacy(doc: dict[str, Any], source: str) -> Metadata:
    name = _str(doc, "name", source)
    check_name(name, source)
    version = _str(doc, "version", source)
    check_version(version, source, required=False)
    command = _str(doc, "command", source)
    platform_command = _check_cmd_list(doc.get("platformCommand"), "platformCommand", source)
    if command and platform_command:
        raise PluginError(f"{source}: both platformCommand and command are set")
    hooks = doc.get("hooks") or {}
    platform_hooks_raw = doc.get("platformHooks") or {}
    if hooks and platform_hooks_raw:
        raise PluginError(f"{source}: both platformHooks and hooks are set")
    if not isinstance(hooks, dict) or not isinstance(platform_hooks_raw, dict):
        raise PluginError(f"{source}: hooks must be a mapping")
    downloaders = doc.get("downloaders") or []
    if not isinstance(downloaders, list):
        raise PluginError(f"{source}: downloaders must be a list")
    protocols: list[str] = []
    protocol_commands = []
    for d in downloaders:
        if not isinstance(d, dict) or not d.get("command"):
            raise PluginError(f"{source}: each downloader requires a command")
        prots = [str(p) for p in (d.get("protocols") or [])]
        if not prots or any(not p for p in prots):
            raise PluginError(f"{source}: each downloader requires at least one non-empty protocol")
        protocols += prots
        protocol_commands.append({"protocols": prots,
                                  "platformCommand": [{"os": "", "arch": "", "command": str(d["command"]), "args": []}]})
    if command:
        platform_command = [{"os": "", "arch": "", "command": command, "args": []}]
    platform_hooks: dict[str, list[dict[str, Any]]] = {}
    hooks_expand = True
    if platform_hooks_raw:
        platform_hooks = {str(k): _check_cmd_list(v, f"platformHooks.{k}", source)
                          for k, v in platform_hooks_raw.items()}
    elif hooks:
        # Helm runs legacy hook text through `sh -c` and leaves the expansion to the shell
        hooks_expand = False
        platform_hooks = {str(k): [{"os": "", "arch": "", "command": "sh", "args": ["-c", str(v)]}]
                          for k, v in hooks.items()}
    rc: dict[str, Any] = {"platformCommand": platform_command, "platformHooks": platform_hooks,
                          "expandHookArgs": hooks_expand}
    if downloaders:
        rc["protocolCommands"] = protocol_commands
        return Metadata(name=name, type="getter/v1", runtime="subprocess", version=version,
                        api_version="legacy", config={"protocols": protocols}, runtime_config=rc)
    usage = sanitize_usage(_str(doc, "usage", source))
    config = {"usage": "", "shortHelp": usage, "longHelp": _str(doc, "description", source),
              "ignoreFlags": bool(doc.get("ignoreFlags"))}
    return Metadata(name=name, type="cli/v1", runtime="subprocess", version=version, api_version="legacy",
                    config=config, runtime_config=rc)
