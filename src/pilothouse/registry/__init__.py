"""OCI registries: charts pushed and pulled as Helm does (media types, annotations, tags, credentials).

`RegistryClient` (in `pilothouse.registry.client`) speaks the OCI distribution API over httpx,
with Basic and Bearer-token authentication, and keeps logins in Helm's credential file (docker
``config.json`` format, ``HELM_REGISTRY_CONFIG``).
"""

OCI_SCHEME = "oci"
CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"


def is_oci(url: str) -> bool:
    """True for ``oci://`` references."""
    return url.startswith(OCI_SCHEME + "://")
