"""Installing, updating, uninstalling, packaging and verifying plugins (`internal/plugin/installer`).

Sources, detected in Helm's order: an ``oci://`` reference (a plugin artifact, see
`pilothouse.plugin.oci`), a local directory (linked, "development mode"), a local
``.tgz``/``.tar.gz``, an HTTP(S) URL of an archive, else a VCS (git) repository. Archives are
verified against their ``.prov`` by default, as in Helm 4.2.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from pilothouse.errors import PluginError
from pilothouse.plugin import env as penv
from pilothouse.plugin import provenance
from pilothouse.plugin.loader import Plugin, find_plugins, load_dir

_ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
Out = Callable[[str], None]


@dataclass
class InstallOptions:
    """The options of `pilot plugin install`."""

    version: str = ""
    verify: bool = True
    keyring: str = ""
    yes: bool = False
    ask: Callable[[str], bool] | None = None
    # registry access for oci:// sources
    plain_http: bool = False
    insecure_skip_tls_verify: bool = False
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    username: str = ""
    password: str = ""


def _is_archive(src: str) -> bool:
    return src.endswith(_ARCHIVE_SUFFIXES)


def stripped_name(filename: str) -> str:
    """``foo-1.2.3.tgz`` -> ``foo``: the directory an archive is installed into."""
    base = os.path.basename(filename)
    for suf in _ARCHIVE_SUFFIXES:
        if base.endswith(suf):
            base = base[: -len(suf)]
            break
    m = re.match(r"^(.*)-\d+\..*$", base)
    return m.group(1) if m else base


def extract(data: bytes, dest: str) -> None:
    """Unpack a plugin archive with Helm's rules (regular files and directories only, no
    absolute names, no ``..``, no ``:``) and bounded sizes; see `pilothouse.plugin.archive`."""
    from pilothouse.plugin.archive import extract_stream

    extract_stream(io.BytesIO(data), dest)


def _plugin_root(tmp: str) -> str:
    """plugin.yaml at the archive's root or in one sub-directory."""
    if os.path.isfile(os.path.join(tmp, "plugin.yaml")):
        return tmp
    for entry in sorted(os.listdir(tmp)):
        if os.path.isfile(os.path.join(tmp, entry, "plugin.yaml")):
            return os.path.join(tmp, entry)
    raise PluginError("plugin.yaml not found in the archive (at its root or in one sub-directory)")


def _check_name_free(src: str, target: str) -> None:
    """Refuse a plugin whose plugin.yaml claims the name of another installed plugin.

    Two plugins with one name make Helm (and us) ignore their whole plugins directory, so
    installing one would silently disable every other plugin there.
    """
    from pilothouse.plugin.safetext import escape

    plugin = load_dir(src)
    other = _find_installed(plugin.name)
    if other is not None and os.path.abspath(other.dir) != os.path.abspath(target):
        raise PluginError(f'plugin "{escape(plugin.name)}" is already installed at {escape(other.dir)}; '
                          "uninstall it first (an archive may not install over another plugin)")


def _http_get(url: str) -> bytes | None:
    import urllib.error
    import urllib.request

    from pilothouse.plugin.archive import MAX_ARCHIVE_BYTES

    try:
        with urllib.request.urlopen(url, timeout=60) as resp:  # noqa: S310 - user-given plugin URL
            data = resp.read(MAX_ARCHIVE_BYTES + 1)
            if len(data) > MAX_ARCHIVE_BYTES:
                raise PluginError(f"failed to download {url}: larger than {MAX_ARCHIVE_BYTES} bytes")
            return data
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise PluginError(f"failed to download {url}: {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        raise PluginError(f"failed to download {url}: {getattr(err, 'reason', err)}") from None


def _verify_archive(archive: str, prov_path: str | None, keyring: str, out: Out) -> None:
    if not prov_path or not os.path.isfile(prov_path):
        raise PluginError("plugin verification failed: no provenance file (.prov) found")
    out("Verifying plugin signature...")
    try:
        v = provenance.verify(archive, prov_path, keyring or provenance.default_keyring())
    except PluginError as err:
        raise PluginError(f"plugin verification failed: {err}") from None
    for s in v.signers:
        out(f"Signed by: {s}")
    out(f"Using Key With Fingerprint: {v.fingerprint}")
    out(f"Plugin Hash Verified: {v.file_hash}")


def _git(args: list[str], cwd: str | None = None) -> str:
    exe = shutil.which("git")
    if exe is None:
        raise PluginError("installing from a VCS repository needs git, which is not installed")
    res = subprocess.run([exe, *args], cwd=cwd, capture_output=True, check=False)
    if res.returncode != 0:
        raise PluginError(f"git {args[0]} failed: {res.stderr.decode(errors='replace').strip()}")
    return res.stdout.decode(errors="replace")


def _pick_tag(tags: list[str], constraint: str) -> str:
    """The highest tag matching a SemVer constraint, or the literal ref when none parses."""
    from pilothouse.semver import Constraints, SemverError, Version

    try:
        cons = Constraints.parse(constraint)
    except SemverError:
        return constraint
    best: tuple[Version, str] | None = None
    for t in tags:
        try:
            v = Version.parse(t)
        except SemverError:
            continue
        if cons.check(v) and (best is None or v.compare(best[0]) > 0):
            best = (v, t)
    if best is None:
        raise PluginError(f"requested version {constraint!r} does not exist")
    return best[1]


def _cache_key(url: str) -> str:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    key = f"{u.scheme}-{(u.username + '-') if u.username else ''}{u.hostname or ''}{u.path}"
    return key.replace("/", "-").replace(":", "-")


def install(source: str, opts: InstallOptions | None = None, out: Out = print) -> Plugin:
    """Install a plugin from a directory, archive, URL or git repository; returns it loaded."""
    opts = opts or InstallOptions()
    dest_root = penv.install_dir()
    os.makedirs(dest_root, exist_ok=True)
    kind = ("oci" if source.startswith("oci://") else "local-dir" if os.path.isdir(source) else "local-archive" if os.path.isfile(source)
            and _is_archive(source) else "http" if re.match(r"^https?://", source) and _is_archive(source)
            else "vcs")
    if kind == "local-dir":
        out("Installing plugin from local directory (development mode)")
    elif kind == "vcs" and opts.verify:
        raise PluginError("plugin source does not support verification. Use --verify=false to skip verification")
    elif not opts.verify:
        out("WARNING: Skipping plugin signature verification")

    if kind == "local-dir":
        src = os.path.abspath(source)
        target = os.path.join(dest_root, os.path.basename(src))
        if os.path.lexists(target):
            raise PluginError("plugin already exists")
        _check_name_free(src, target)  # refuses a broken plugin before linking it
        os.symlink(src, target)
        return _finish(target, opts, out)

    if kind == "vcs":
        return _install_vcs(source, dest_root, opts, out)

    with tempfile.TemporaryDirectory(prefix="pilot-plugin-") as tmp:
        target = ""
        prov: str | None
        if kind == "oci":
            archive, prov, target = _pull_oci(source, dest_root, tmp, opts)
        elif kind == "local-archive":
            archive = os.path.abspath(source)
            prov = archive + ".prov"
        else:
            data = _http_get(source)
            if data is None:
                raise PluginError(f"failed to download {source}: 404 Not Found")
            archive = os.path.join(tmp, os.path.basename(source.split("?")[0]))
            with open(archive, "wb") as fh:
                fh.write(data)
            prov = None
            if opts.verify:
                pdata = _http_get(source + ".prov")
                if pdata is not None:
                    prov = archive + ".prov"
                    with open(prov, "wb") as fh:
                        fh.write(pdata)
        target = target or os.path.join(dest_root, stripped_name(archive))
        if os.path.lexists(target):
            raise PluginError("plugin already exists")
        if opts.verify:
            _verify_archive(archive, prov, opts.keyring, out)
        unpack = os.path.join(tmp, "unpacked")
        os.makedirs(unpack)
        from pilothouse.plugin.archive import extract_file

        extract_file(archive, unpack)
        root = _plugin_root(unpack)
        _check_name_free(root, target)
        shutil.move(root, target)
        plugin = _finish(target, opts, out)
        # keep the archive (and its signature) beside the plugin, for `plugin list` PROVENANCE
        base = os.path.join(dest_root, f"{plugin.name}-{plugin.metadata.version}.tgz")
        shutil.copyfile(archive, base)
        if prov and os.path.isfile(prov):
            shutil.copyfile(prov, base + ".prov")
        return plugin


def _pull_oci(source: str, dest_root: str, tmp: str, opts: InstallOptions) -> tuple[str, str | None, str]:
    """Pull a plugin artifact into ``tmp``: (archive path, provenance path or None, install dir)."""
    from pilothouse.plugin import oci
    from pilothouse.registry.client import RegistryClient

    client = RegistryClient(plain_http=opts.plain_http, insecure=opts.insecure_skip_tls_verify,
                            username=opts.username, password=opts.password, cert_file=opts.cert_file,
                            key_file=opts.key_file, ca_file=opts.ca_file)
    try:
        pulled = oci.pull(source, client)
    finally:
        client.close()
    archive = os.path.join(tmp, os.path.basename(pulled.archive_title))
    with open(archive, "wb") as fh:
        fh.write(pulled.archive)
    prov: str | None = None
    if pulled.prov:
        prov = archive + ".prov"
        with open(prov, "wb") as fh:
            fh.write(pulled.prov)
    return archive, prov, os.path.join(dest_root, pulled.name)


def _install_vcs(url: str, dest_root: str, opts: InstallOptions, out: Out) -> Plugin:
    cache = os.path.join(penv.cache_home(), "plugins", _cache_key(url))
    if os.path.isdir(os.path.join(cache, ".git")):
        _git(["fetch", "--tags", "--quiet"], cwd=cache)
    else:
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        _git(["clone", "--quiet", url, cache])
    if opts.version:
        tags = [t for t in _git(["tag", "--list"], cwd=cache).split() if t]
        ref = _pick_tag(tags, opts.version)
        _git(["checkout", "--quiet", ref], cwd=cache)
    target = os.path.join(dest_root, os.path.basename(url.rstrip("/")).removesuffix(".git"))
    if os.path.lexists(target):
        raise PluginError("plugin already exists")
    _check_name_free(cache, target)
    shutil.copytree(cache, target, symlinks=True)
    return _finish(target, opts, out)


def _finish(target: str, opts: InstallOptions, out: Out) -> Plugin:
    from pilothouse.plugin.runtimes.subprocess import run_hook

    try:
        plugin = load_dir(target)
    except PluginError as err:
        raise PluginError(f"plugin is installed but unusable: {err}") from None
    if plugin.runtime == "extism/v1":
        try:
            _approve(plugin, opts, out)
        except PluginError:
            _remove(target)
            raise
        from pilothouse.plugin import wasm
        from pilothouse.plugin.runtimes import extism

        extism.precompile(plugin.wasm_path, wasm.granted(plugin))
    run_hook(plugin, "install")
    out(f"Installed plugin: {plugin.name}")
    return plugin


def _approve(plugin: Plugin, opts: InstallOptions, out: Out) -> None:
    """Show what a Wasm plugin asks for and what it would really be given; ask the user when that
    goes beyond what any plugin gets.

    Without a terminal and without ``--yes`` nothing beyond the defaults is ever granted: the
    installation is refused with a message saying to review and pass ``--yes``.
    """
    from pilothouse.plugin import policy
    from pilothouse.plugin.safetext import escape

    req = policy.requested(plugin.metadata.runtime_config, os.path.join(plugin.dir, "plugin.yaml"), plugin.dir)
    name = escape(plugin.name)
    out(f'Plugin "{name}" runs in the Wasm sandbox and requests:')
    for line in req.describe():
        out(f"  {line}")
    sensitive = (req.allowed_hosts or req.mounts or req.env or req.host_functions or req.create_temp_dir
                 or req.needs_approval() or req.host_api)
    if not sensitive:
        policy.approve(plugin.name, req)
        return
    out("If approved, it will be granted (after your narrowing in the plugin policy):")
    for line in policy.would_grant(plugin.name, req).describe():
        out(f"  {line}")
    if not opts.yes:
        ask = opts.ask or _ask_tty
        if not ask(f'Grant these capabilities to "{name}"? [y/N] '):
            raise PluginError("installation cancelled: capabilities not granted (use --yes to accept them)")
    policy.approve(plugin.name, req)


def _ask_tty(prompt: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise PluginError("the plugin requests capabilities beyond the defaults and there is no terminal to ask; "
                          "nothing was installed: review them and pass --yes to accept")
    return input(prompt).strip().lower() in ("y", "yes")


def _remove(path: str) -> None:
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _find_installed(name: str) -> Plugin | None:
    for p in find_plugins(warn=False):
        if p.name == name:
            return p
    return None


def uninstall(name: str, out: Out = print) -> None:
    """Remove an installed plugin, its saved archive and signature; then run its delete hook."""
    from pilothouse.plugin import policy
    from pilothouse.plugin.runtimes.subprocess import run_hook

    plugin = _find_installed(name)
    if plugin is None:
        raise PluginError(f"plugin: {name} not found")
    _remove(plugin.dir)
    base = os.path.join(os.path.dirname(plugin.dir), f"{plugin.name}-{plugin.metadata.version}.tgz")
    for f in (base, base + ".prov"):
        if os.path.exists(f):
            os.unlink(f)
    policy.forget(plugin.name)
    run_hook(plugin, "delete")
    out(f"Uninstalled plugin: {name}")


def update(name: str, out: Out = print) -> None:
    """Update a plugin installed from git, in place."""
    from pilothouse.plugin.runtimes.subprocess import run_hook

    plugin = _find_installed(name)
    if plugin is None:
        raise PluginError(f"plugin: {name} not found")
    path = os.path.realpath(plugin.dir)
    if not os.path.isdir(os.path.join(path, ".git")):
        raise PluginError("cannot get information about plugin source")
    if _git(["status", "--porcelain"], cwd=path).strip():
        raise PluginError("plugin repo was modified")
    _git(["pull", "--quiet", "--ff-only"], cwd=path)
    plugin = load_dir(plugin.dir)
    if plugin.runtime == "extism/v1":
        from pilothouse.plugin import wasm
        from pilothouse.plugin.runtimes import extism

        extism.precompile(plugin.wasm_path, wasm.granted(plugin))
    run_hook(plugin, "update")
    out(f"Updated plugin: {name}")


def package(path: str, destination: str = ".", *, sign: bool = True, key: str = "", keyring: str = "",
            passphrase: str | None = None, out: Out = print) -> str:
    """Write ``<name>-<version>.tgz`` (and, when signing, its ``.prov``); returns the archive path."""
    from pilothouse.plugin.package import package as run_package

    return run_package(path, destination, sign=sign, key=key, keyring=keyring, passphrase=passphrase, out=out)


def verify(path: str, keyring: str = "", out: Out = print) -> None:
    """`pilot plugin verify`: check a plugin tarball against its ``.prov`` (Helm's checks, in its order)."""
    try:
        st = os.stat(path)
    except OSError as err:
        raise PluginError(f"stat {path}: {(err.strerror or str(err)).lower()}") from None
    if stat.S_ISDIR(st.st_mode):
        raise PluginError("directory verification not supported - only plugin tarballs can be verified")
    if os.path.splitext(path)[1] not in (".gz", ".tgz"):
        raise PluginError("plugin file must be a gzipped tarball (.tar.gz or .tgz)")
    prov = path + ".prov"
    try:
        os.stat(prov)
    except OSError as err:
        raise PluginError(f"could not find provenance file {prov}: stat {prov}: "
                          f"{(err.strerror or str(err)).lower()}") from None
    v = provenance.verify(path, prov, keyring or provenance.default_keyring())
    for s in v.signers:
        out(f"Signed by: {s}")
    out(f"Using Key With Fingerprint: {v.fingerprint}")
    out(f"Plugin Hash Verified: {v.file_hash}")


def provenance_status(plugin: Plugin) -> str:
    """The PROVENANCE column of `plugin list`.

    As Helm's GetPluginSigningInfo, the plugin is looked up under ``$HELM_DATA_HOME/plugins/NAME``
    (not HELM_PLUGINS): a plugin found elsewhere has no signing information, "unknown"."""
    from pilothouse.plugin.env import data_home

    plugins = os.path.join(data_home(), "plugins")
    where = os.path.join(plugins, plugin.name)
    try:
        if os.path.islink(where):
            return "local dev"
        if not os.path.lexists(where):
            return "unknown"
        base = os.path.join(plugins, f"{plugin.name}-{plugin.metadata.version}.tgz")
        return provenance.status(base, base + ".prov")
    except OSError:
        return "unknown"
