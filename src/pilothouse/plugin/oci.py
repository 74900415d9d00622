"""Plugins as OCI artifacts (Helm 4.2's ``OCIInstaller`` and ``registry.PullPlugin``).

A plugin artifact is an image manifest whose ``artifactType`` (or, for older pushers, whose
config media type) is ``application/vnd.helm.plugin.v1+json``; its layers carry a
``org.opencontainers.image.title`` annotation, ``NAME-VERSION.tgz`` for the archive and
``NAME-VERSION.tgz.prov`` for an optional signature. NAME is the last path element of the
repository, which is also the directory the plugin is installed into.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pilothouse.errors import PilothouseError, PluginError

PLUGIN_ARTIFACT_TYPE = "application/vnd.helm.plugin.v1+json"
EMPTY_CONFIG_MEDIA_TYPE = "application/vnd.oci.empty.v1+json"
LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar"
TITLE_ANNOTATION = "org.opencontainers.image.title"
_ALLOWED_LAYER_TYPES = (LAYER_MEDIA_TYPE, LAYER_MEDIA_TYPE + "+gzip")


@dataclass
class PluginPull:
    """What a plugin pull fetched: the archive, its provenance (or b"") and their titles."""

    name: str
    ref: str
    digest: str
    archive: bytes
    archive_title: str
    prov: bytes = b""


def plugin_name(source: str) -> str:
    """The plugin name an ``oci://`` reference designates: its repository's last element."""
    from pilothouse.registry.reference import parse_reference

    try:
        ref = parse_reference(source)
    except PilothouseError as err:
        raise PluginError(f"invalid OCI reference: {err}") from None
    return ref.repository.rsplit("/", 1)[-1]


def _layers(manifest: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    artifact_type = manifest.get("artifactType") or ""
    if artifact_type and artifact_type != PLUGIN_ARTIFACT_TYPE:
        raise PluginError(f"expected artifact type {PLUGIN_ARTIFACT_TYPE}, got {artifact_type}")
    config_type = (manifest.get("config") or {}).get("mediaType", "")
    if not artifact_type and config_type != PLUGIN_ARTIFACT_TYPE:
        raise PluginError(f"expected config media type {PLUGIN_ARTIFACT_TYPE} for legacy compatibility, "
                          f"got {config_type}")
    archive: dict[str, Any] | None = None
    prov: dict[str, Any] | None = None
    for layer in manifest.get("layers") or []:
        title = str((layer.get("annotations") or {}).get(TITLE_ANNOTATION, ""))
        if not title.startswith(name + "-") or layer.get("mediaType") not in _ALLOWED_LAYER_TYPES:
            continue
        if archive is None and title.endswith(".tgz"):
            archive = layer
        if prov is None and title.endswith(".tgz.prov"):
            prov = layer
    if archive is None:
        raise PluginError(f"required layer matching pattern {name}-VERSION.tgz not found in manifest")
    return archive, prov


def pull(source: str, client: Any) -> PluginPull:
    """Fetch a plugin artifact with a `RegistryClient`; a tag-less reference means ``latest``."""
    from pilothouse.registry.reference import parse_reference

    name = plugin_name(source)
    ref = parse_reference(source)
    if not ref.tag and not ref.digest:
        ref.tag = "latest"
    try:
        manifest, digest = client.get_manifest(ref)
        archive_desc, prov_desc = _layers(manifest, name)
        archive = client.fetch_blob(ref, archive_desc)
        prov = client.fetch_blob(ref, prov_desc) if prov_desc else b""
    except PluginError as err:
        raise PluginError(f"failed to pull plugin from {source}: {err}") from None
    except PilothouseError as err:
        raise PluginError(f"failed to pull plugin from {source}: {err}") from None
    result = PluginPull(name, str(ref), digest, archive, str(archive_desc["annotations"][TITLE_ANNOTATION]), prov)
    print(f"Pulled plugin: {result.ref}", file=client.out)
    print(f"Digest: {digest}", file=client.out)
    if prov_desc:
        print(f"Provenance: {prov_desc['annotations'][TITLE_ANNOTATION]}", file=client.out)
    return result


def push(client: Any, archive: bytes, ref_text: str, *, prov: bytes | None = None) -> str:
    """Push a plugin archive (and signature) in Helm's plugin artifact layout; return the digest.

    The archive's plugin.yaml gives NAME and VERSION for the layer titles."""
    from pilothouse.registry import MANIFEST_MEDIA_TYPE
    from pilothouse.registry.client import descriptor
    from pilothouse.registry.reference import parse_reference

    md = archive_metadata(archive)
    title = f"{md.name}-{md.version}.tgz"
    ref = parse_reference(ref_text)
    if not ref.tag and not ref.digest:
        ref.tag = md.version.replace("+", "_")
    config = b"{}"
    layers = [dict(descriptor(LAYER_MEDIA_TYPE, archive), annotations={TITLE_ANNOTATION: title})]
    blobs = [config, archive]
    if prov is not None:
        layers.append(dict(descriptor(LAYER_MEDIA_TYPE, prov), annotations={TITLE_ANNOTATION: title + ".prov"}))
        blobs.append(prov)
    manifest = {"schemaVersion": 2, "mediaType": MANIFEST_MEDIA_TYPE, "artifactType": PLUGIN_ARTIFACT_TYPE,
                "config": descriptor(EMPTY_CONFIG_MEDIA_TYPE, config), "layers": layers}
    return client.push_artifact(ref, blobs, manifest)


def archive_metadata(archive: bytes) -> Any:
    """The parsed plugin.yaml of a plugin archive (at its root or in one sub-directory)."""
    import os
    import tempfile

    from pilothouse.plugin.install import _plugin_root, extract
    from pilothouse.plugin.metadata import parse

    with tempfile.TemporaryDirectory(prefix="pilot-plugin-") as tmp:
        extract(archive, tmp)
        root = _plugin_root(tmp)
        with open(os.path.join(root, "plugin.yaml"), "rb") as fh:
            return parse(fh.read(), "plugin.yaml")
