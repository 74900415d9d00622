"""``pilot plugin package``: a plugin directory into ``<name>-<version>.tgz`` (and its ``.prov``),
in Helm's order: the path is checked, the plugin loaded, the destination made, the signing key
readied, and only then the archive written; a signature that cannot be made leaves no archive."""

from __future__ import annotations

import io
import os
import stat
import tarfile
from collections.abc import Callable

from pilothouse.errors import PluginError

Out = Callable[[str], None]
SKIP_WARNING = "WARNING: Skipping plugin signing. This is not recommended for plugins intended for distribution."


def _go_reason(err: OSError) -> str:
    """Go's syscall error text (lower case, as in "no such file or directory")."""
    return (err.strerror or str(err)).lower()


def mkdir_all(path: str) -> None:
    """os.MkdirAll's errors: the first existing ancestor that is not a directory is named."""
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            return
        raise PluginError(f"mkdir {path}: not a directory")
    parent = os.path.dirname(path.rstrip(os.sep))
    if parent and parent != path:
        mkdir_all(parent)
    try:
        os.mkdir(path, 0o755)
    except FileExistsError:
        if not os.path.isdir(path):
            raise PluginError(f"mkdir {path}: not a directory") from None
    except OSError as err:
        raise PluginError(f"mkdir {path}: {_go_reason(err)}") from None


def tarball(path: str, name: str) -> bytes:
    """The gzipped tar of a plugin directory, entries under ``name/``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT) as tf:
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for entry in sorted(dirs) + sorted(files):
                full = os.path.join(root, entry)
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                info = tf.gettarinfo(full, arcname=f"{name}/{rel}")
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if info.isfile():
                    with open(full, "rb") as fh:
                        tf.addfile(info, fh)
                elif info.isdir() or info.issym():
                    tf.addfile(info)
    return buf.getvalue()


def package(path: str, destination: str = ".", *, sign: bool = True, key: str = "", keyring: str = "",
            passphrase: str | None = None, out: Out = print) -> str:
    """Write the archive (and, when signing, its ``.prov``); returns the archive's path."""
    from pilothouse.plugin.loader import load_dir

    try:
        st = os.stat(path)
    except OSError as err:
        raise PluginError(f"stat {path}: {_go_reason(err)}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise PluginError("plugin package only supports directories, not tarballs")
    try:
        plugin = load_dir(path)
    except PluginError as err:
        raise PluginError(f"invalid plugin directory: {err}") from None
    mkdir_all(destination)
    signer = None
    if sign:
        from pilothouse.plugin.provenance import default_keyring
        from pilothouse.provenance.sign import ProvenanceError, Signatory

        try:
            signer = Signatory.from_keyring(keyring or default_keyring(), key)
        except ProvenanceError as err:
            raise PluginError(f"error reading from keyring: {err}") from None
    else:
        out(SKIP_WARNING)
    name, version = plugin.name, plugin.metadata.version
    # filepath.Join cleans the path: "./x.tgz" is printed as "x.tgz"
    archive = os.path.normpath(os.path.join(destination, f"{name}-{version}.tgz"))
    data = tarball(path, name)
    prov_text = None
    if signer is not None:
        from pilothouse.plugin.provenance import go_metadata_yaml
        from pilothouse.provenance.sign import ProvenanceError

        fetch = None if passphrase is None else (lambda _name: passphrase)
        try:
            prov_text = signer.clear_sign(data, os.path.basename(archive), go_metadata_yaml(plugin.metadata).encode(),
                                          passphrase=fetch)
        except ProvenanceError as err:
            # Helm readies the key (NewFromKeyring, DecryptKey) before writing the archive, so a key
            # that cannot sign leaves nothing behind; its errors come bare, a vague --key wrapped
            text = str(err)
            raise PluginError(f"error reading from keyring: {text}" if text.startswith("more than one key")
                              else text) from None
    try:
        with open(archive, "wb") as fh:
            fh.write(data)
    except OSError as err:
        raise PluginError(f"failed to create tarball: open {archive}: {_go_reason(err)}") from None
    if prov_text is not None:
        prov = archive + ".prov"
        with open(prov, "w", encoding="utf-8") as fh:
            fh.write(prov_text)
        out(f"Successfully signed. Signature written to: {prov}")
    out(f"Successfully packaged plugin and saved it to: {archive}")
    return archive
