"""An OCI distribution client for Helm charts, over httpx.

Pushes lay a chart out exactly as Helm does: a config blob (the Chart.yaml metadata as JSON,
``application/vnd.cncf.helm.config.v1+json``), the archive layer, an optional provenance layer,
layers sorted by digest, and an image manifest carrying Helm's ``org.opencontainers.image.*``
annotations. Tags replace ``+`` with ``_``. Every blob is checked against its digest on pull.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from pilothouse.errors import RepoError
from pilothouse.registry import (
    CHART_LAYER_MEDIA_TYPE,
    CONFIG_MEDIA_TYPE,
    INDEX_MEDIA_TYPE,
    LEGACY_CHART_LAYER_MEDIA_TYPE,
    MANIFEST_MEDIA_TYPE,
    PROV_LAYER_MEDIA_TYPE,
)
from pilothouse.registry.credentials import CredentialStore
from pilothouse.registry.reference import Reference, parse_reference

UNDERSCORE_MESSAGE = """
OCI artifact references (e.g. tags) do not support the plus sign (+). To support
storing semantic versions, Helm adopts the convention of changing plus (+) to
an underscore (_) in chart version tags when pushing to a registry and back to
a plus (+) when pulling from a registry."""

# a pulled blob larger than this is refused before it fills memory
MAX_BLOB_SIZE = 256 * 1024 * 1024


def go_json(value: Any) -> bytes:
    """Compact JSON with Go's HTML escaping, keys in the order given (Go struct order)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text.encode("utf-8")


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type: str, data: bytes) -> dict[str, Any]:
    """An OCI descriptor for ``data``."""
    return {"mediaType": media_type, "digest": sha256_digest(data), "size": len(data)}


def chart_annotations(md: Any, creation_time: str) -> dict[str, str]:
    """Helm's manifest annotations from chart metadata, plus the chart's own annotations
    (which may not override title and version)."""
    out: dict[str, str] = {}

    def add(key: str, val: str) -> None:
        if val.strip():
            out[key] = val

    add("org.opencontainers.image.description", md.description)
    add("org.opencontainers.image.title", md.name)
    add("org.opencontainers.image.version", md.version)
    add("org.opencontainers.image.url", md.home)
    add("org.opencontainers.image.created", creation_time or _now_rfc3339())
    if md.sources:
        add("org.opencontainers.image.source", md.sources[0])
    if md.maintainers:
        parts = []
        for m in md.maintainers:
            s = ""
            if m is not None and m.name:
                s += m.name
            if m is not None and m.email:
                s += f" ({m.email})"
            parts.append(s)
        add("org.opencontainers.image.authors", ", ".join(parts))
    for key, val in (md.annotations or {}).items():
        if key in ("org.opencontainers.image.version", "org.opencontainers.image.title"):
            continue
        out[key] = val
    return out


def _now_rfc3339() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PullResult:
    """What a chart pull fetched; ``ref`` is the resolved reference, ``version`` its chart version."""

    ref: str
    manifest_digest: str
    chart: bytes = b""
    prov: bytes = b""
    config: dict[str, Any] = field(default_factory=dict)
    version: str = ""
    name: str = ""

    def data_for(self, href: str) -> bytes:
        """The layer a getter URL asks for: the provenance for ``….prov``, else the archive."""
        return self.prov if href.endswith(".prov") else self.chart


class RegistryClient:
    """Helm's ``registry.Client``: push, pull, tags, resolve, login and logout."""

    def __init__(self, *, credentials_file: str | None = None, plain_http: bool = False, insecure: bool = False,
                 username: str = "", password: str = "", cert_file: str = "", key_file: str = "",
                 ca_file: str = "", out: TextIO | None = None, debug: bool = False) -> None:
        from pilothouse.repo.paths import registry_config

        self.credentials = CredentialStore(credentials_file or registry_config())
        self.plain_http = plain_http
        self.insecure = insecure
        self.username = username
        self.password = password
        self.cert_file, self.key_file, self.ca_file = cert_file, key_file, ca_file
        self.out = out if out is not None else sys.stdout
        self.debug = debug
        self._tokens: dict[tuple[str, str], str] = {}
        self._client: Any = None

    # --- transport --------------------------------------------------------------------------

    def _http(self) -> Any:
        if self._client is None:
            from pilothouse.repo.getter import GetterOptions, http_client

            self._client = http_client(GetterOptions(cert_file=self.cert_file, key_file=self.key_file,
                                                     ca_file=self.ca_file, insecure_skip_tls_verify=self.insecure,
                                                     timeout=120.0))
        return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _base(self, host: str) -> str:
        return f"{'http' if self.plain_http else 'https'}://{host}"

    def _creds(self, host: str) -> tuple[str, str] | None:
        if self.username and self.password:
            return self.username, self.password
        return self.credentials.get(host)

    def _request(self, method: str, host: str, path: str, scope: str, *, headers: dict[str, str] | None = None,
                 content: bytes | None = None, creds: tuple[str, str] | None = None,
                 url: str | None = None) -> Any:
        import httpx

        target = url or self._base(host) + path
        hdrs = dict(headers or {})
        token = self._tokens.get((host, scope))
        if token:
            hdrs["Authorization"] = token
        try:
            resp = self._http().request(method, target, headers=hdrs, content=content)
            if resp.status_code == 401:
                auth = self._authorize(host, scope, resp.headers.get("www-authenticate", ""), creds)
                if auth:
                    hdrs["Authorization"] = auth
                    resp = self._http().request(method, target, headers=hdrs, content=content)
        except httpx.HTTPError as err:
            from pilothouse.kube.neterrors import go_url_error

            raise RepoError(go_url_error(method, target, err)) from None
        return resp

    def _authorize(self, host: str, scope: str, challenge: str, creds: tuple[str, str] | None) -> str:
        """An Authorization header answering ``challenge`` (Basic, or a Bearer token from the realm)."""
        import base64

        creds = creds or self._creds(host)
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "basic":
            if not creds:
                return ""
            value = "Basic " + base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
        elif scheme.lower() == "bearer":
            fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
            realm = fields.get("realm", "")
            if not realm:
                return ""
            query: dict[str, str] = {}
            if fields.get("service"):
                query["service"] = fields["service"]
            if scope or fields.get("scope"):
                query["scope"] = scope or fields["scope"]
            auth = (creds[0], creds[1]) if creds and creds[0] != "<token>" else None
            resp = self._http().get(realm, params=query, auth=auth)
            if resp.status_code != 200:
                raise RepoError(f"failed to fetch an access token from {realm}: {resp.status_code} "
                                f"{resp.reason_phrase}")
            body = resp.json()
            token = body.get("token") or body.get("access_token")
            if not token:
                raise RepoError(f"no token in the answer of {realm}")
            value = f"Bearer {token}"
        else:
            return ""
        self._tokens[(host, scope)] = value
        return value

    @staticmethod
    def _fail(resp: Any, what: str) -> RepoError:
        detail = ""
        try:
            errors = resp.json().get("errors") or []
            if errors:
                detail = "; ".join(f"{e.get('code', '')}: {e.get('message', '')}" for e in errors)
        except ValueError:
            pass
        msg = f"{what}: response status code {resp.status_code}: {resp.reason_phrase.lower()}"
        return RepoError(msg + (f": {detail}" if detail else ""))

    # --- login ------------------------------------------------------------------------------

    def login(self, host: str, username: str, password: str) -> None:
        """Check the credentials against ``/v2/`` and store them (Helm prints ``Login Succeeded``)."""
        if "/" in host:
            print(f'WARNING: registry login currently only supports registry hostname, not a repository path '
                  f'host={host} suggested={host.split("/")[0]}', file=sys.stderr)
            host = host.split("/")[0]
        resp = self._request("GET", host, "/v2/", "", creds=(username, password))
        if resp.status_code != 200:
            raise RepoError(f'authenticating to "{host}": {self._fail(resp, "GET " + self._base(host) + "/v2/")}')
        self.credentials.put(host, username, password)
        print("Login Succeeded", file=self.out)

    def logout(self, host: str) -> None:
        """Forget the stored login of ``host``."""
        # as oras' credential store: forgetting a login that is not there is no error
        self.credentials.delete(host)
        print(f"Removing login credentials for {host}", file=self.out)

    # --- blobs and manifests ----------------------------------------------------------------

    def _scope(self, ref: Reference, actions: str) -> str:
        return f"repository:{ref.repository}:{actions}"

    def _exists_on_destination(self, ref: Reference, path: str, scope: str) -> bool:
        """Whether the registry has ``path`` (a HEAD); errors worded as oras' CopyError."""
        try:
            head = self._request("HEAD", ref.registry, path, scope)
        except RepoError as err:
            raise RepoError(f'failed to perform "Exists" on destination: {err}') from None
        if head.status_code == 200:
            return True
        if head.status_code == 404:
            return False
        url = self._base(ref.registry) + path
        raise RepoError(f'failed to perform "Exists" on destination: {self._fail(head, "HEAD " + json.dumps(url))}')

    def _push_blob(self, ref: Reference, data: bytes, scope: str) -> None:
        digest = sha256_digest(data)
        if self._exists_on_destination(ref, f"/v2/{ref.repository}/blobs/{digest}", scope):
            return
        start = self._request("POST", ref.registry, f"/v2/{ref.repository}/blobs/uploads/", scope)
        if start.status_code not in (201, 202):
            raise self._fail(start, f"POST {self._base(ref.registry)}/v2/{ref.repository}/blobs/uploads/")
        location = start.headers.get("location", "")
        if location.startswith("/"):
            location = self._base(ref.registry) + location
        sep = "&" if "?" in location else "?"
        put = self._request("PUT", ref.registry, "", scope, url=f"{location}{sep}digest={digest}", content=data,
                            headers={"Content-Type": "application/octet-stream"})
        if put.status_code != 201:
            raise self._fail(put, f"PUT {location}")

    def fetch_blob(self, ref: Reference, desc: dict[str, Any]) -> bytes:
        digest = str(desc.get("digest", ""))
        size = int(desc.get("size", 0) or 0)
        if size > MAX_BLOB_SIZE:
            raise RepoError(f"blob {digest} is larger than {MAX_BLOB_SIZE} bytes")
        resp = self._request("GET", ref.registry, f"/v2/{ref.repository}/blobs/{digest}",
                             self._scope(ref, "pull"))
        if resp.status_code != 200:
            raise RepoError(f"unable to retrieve blob with digest {digest}: "
                            f"{self._fail(resp, 'GET blob')}")
        data = resp.content
        if sha256_digest(data) != digest or (size and len(data) != size):
            raise RepoError(f"unable to retrieve blob with digest {digest}: content does not match its digest")
        return data

    def get_manifest(self, ref: Reference) -> tuple[dict[str, Any], str]:
        resp = self._request("GET", ref.registry, f"/v2/{ref.repository}/manifests/{ref.reference}",
                             self._scope(ref, "pull"),
                             headers={"Accept": f"{MANIFEST_MEDIA_TYPE}, {INDEX_MEDIA_TYPE}"})
        if resp.status_code == 404:
            raise RepoError(f"{ref}: not found")
        if resp.status_code != 200:
            raise self._fail(resp, f"GET {self._base(ref.registry)}/v2/{ref.repository}/manifests/{ref.reference}")
        data = resp.content
        digest = sha256_digest(data)
        if ref.digest and ref.digest != digest:
            raise RepoError(f"manifest of {ref} does not match its digest {ref.digest}")
        try:
            return json.loads(data), digest
        except ValueError:
            raise RepoError(f"invalid manifest for {ref}") from None

    # --- artifacts ----------------------------------------------------------------------------

    def push_artifact(self, ref: Reference, blobs: list[bytes], manifest: dict[str, Any]) -> str:
        """Upload ``blobs``, then ``manifest`` under ``ref``; return the manifest's digest."""
        scope = self._scope(ref, "pull,push")
        body = go_json(manifest)
        # as oras' copy: the root (the manifest, by digest) is looked for first; if the registry has
        # it, only the tag is set. Failing to ask is reported as the "Exists" step that failed.
        if not self._exists_on_destination(ref, f"/v2/{ref.repository}/manifests/{sha256_digest(body)}", scope):
            for blob in blobs:
                self._push_blob(ref, blob, scope)
        resp = self._request("PUT", ref.registry, f"/v2/{ref.repository}/manifests/{ref.reference}", scope,
                             content=body, headers={"Content-Type": manifest.get("mediaType", MANIFEST_MEDIA_TYPE)})
        if resp.status_code != 201:
            raise self._fail(resp, f"PUT {self._base(ref.registry)}/v2/{ref.repository}/manifests/{ref.reference}")
        return sha256_digest(body)

    # --- charts -----------------------------------------------------------------------------

    def push(self, chart_data: bytes, ref_text: str, *, prov_data: bytes | None = None, strict: bool = True,
             creation_time: str = "") -> str:
        """Push an archive (and its provenance) as ``ref_text``; return the manifest digest."""
        from pilothouse.chart.loader import load_archive

        ref = parse_reference(ref_text)
        md = load_archive(chart_data).metadata
        assert md is not None
        if strict and not ref_text.endswith(f"/{md.name}:{md.version}"):
            raise RepoError("strict mode enabled, ref basename and tag must match the chart name and version")
        config = go_json(md.to_dict())
        chart_desc = descriptor(CHART_LAYER_MEDIA_TYPE, chart_data)
        layers = [chart_desc]
        blobs = [chart_data, config]
        if prov_data is not None:
            layers.append(descriptor(PROV_LAYER_MEDIA_TYPE, prov_data))
            blobs.append(prov_data)
        layers.sort(key=lambda d: d["digest"])
        manifest: dict[str, Any] = {"schemaVersion": 2, "config": descriptor(CONFIG_MEDIA_TYPE, config),
                                    "layers": layers}
        annotations = chart_annotations(md, creation_time)
        if annotations:
            manifest["annotations"] = dict(sorted(annotations.items()))
        digest = self.push_artifact(ref, blobs, manifest)
        print(f"Pushed: {ref}", file=self.out)
        print(f"Digest: {digest}", file=self.out)
        if "_" in ref.tag:
            print(f"{ref} contains an underscore.", file=self.out)
            print(UNDERSCORE_MESSAGE, file=self.out)
        return digest

    def pull_chart(self, ref_text: str, *, want_prov: bool = False, ignore_missing_prov: bool = False,
                   quiet: bool = False) -> PullResult:
        """Fetch manifest, config, archive and (if asked) provenance of ``ref_text``."""
        from pilothouse.chart.metadata import metadata_from_dict

        ref = parse_reference(ref_text.removesuffix(".prov"))
        try:
            manifest, digest = self.get_manifest(ref)
        except RepoError as err:
            # oras' copy names the step that failed
            raise RepoError(f'failed to perform "FetchReference" on source: {err}') from None
        layers = manifest.get("layers") or []
        config_desc = manifest.get("config") or {}
        if config_desc.get("mediaType") != CONFIG_MEDIA_TYPE:
            raise RepoError(f"could not load config with mediatype {CONFIG_MEDIA_TYPE}")
        chart_desc = prov_desc = None
        for layer in layers:
            mt = layer.get("mediaType")
            if mt == CHART_LAYER_MEDIA_TYPE:
                chart_desc = layer
            elif mt == PROV_LAYER_MEDIA_TYPE:
                prov_desc = layer
            elif mt == LEGACY_CHART_LAYER_MEDIA_TYPE:
                chart_desc = layer
                print(f"Warning: chart media type {LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated", file=self.out)
        if chart_desc is None:
            raise RepoError(f"manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}")
        if want_prov and prov_desc is None and not ignore_missing_prov:
            raise RepoError(f"manifest does not contain a layer with mediatype {PROV_LAYER_MEDIA_TYPE}")
        try:
            config = json.loads(self.fetch_blob(ref, config_desc))
        except ValueError:
            raise RepoError("invalid chart config blob") from None
        md = metadata_from_dict(config if isinstance(config, dict) else {})
        result = PullResult(ref=str(ref), manifest_digest=digest, config=config, version=md.version, name=md.name)
        result.chart = self.fetch_blob(ref, chart_desc)
        if want_prov and prov_desc is not None:
            result.prov = self.fetch_blob(ref, prov_desc)
        if not quiet:
            print(f"Pulled: {ref}", file=self.out)
            print(f"Digest: {digest}", file=self.out)
            if "_" in ref.tag:
                print(f"{ref} contains an underscore.", file=self.out)
                print(UNDERSCORE_MESSAGE, file=self.out)
        return result

    def tags(self, ref_text: str) -> list[str]:
        """The repository's semver tags (``_`` read back as ``+``), newest first."""
        from pilothouse.semver import Version

        ref = parse_reference(ref_text)
        path = f"/v2/{ref.repository}/tags/list"
        found: list[str] = []
        while path:
            resp = self._request("GET", ref.registry, path, self._scope(ref, "pull"))
            if resp.status_code != 200:
                raise self._fail(resp, f"GET {self._base(ref.registry)}{path}")
            found.extend((resp.json() or {}).get("tags") or [])
            link = resp.headers.get("link", "")
            m = re.match(r"<([^>]+)>", link)
            path = m.group(1) if m else ""
        versions = []
        for tag in found:
            try:
                versions.append(Version.parse_strict(tag.replace("_", "+")))
            except Exception:  # noqa: BLE001 - tags that are not versions are ignored, as in Helm
                continue
        versions.sort(key=lambda v: v, reverse=True)
        return [str(v) for v in versions]

    def resolve(self, ref_text: str) -> str:
        """The manifest digest of a tag."""
        ref = parse_reference(ref_text)
        resp = self._request("HEAD", ref.registry, f"/v2/{ref.repository}/manifests/{ref.reference}",
                             self._scope(ref, "pull"), headers={"Accept": MANIFEST_MEDIA_TYPE})
        if resp.status_code != 200:
            raise self._fail(resp, f"HEAD {ref}")
        digest = resp.headers.get("docker-content-digest")
        if digest:
            return str(digest)
        return self.get_manifest(ref)[1]

    def validate_reference(self, ref_text: str, version: str) -> tuple[str, str]:
        """Helm's ``ValidateReference``: the reference to download for ``version`` (a tag, a
        constraint, or empty for the newest) and the digest to expect ("" when none)."""
        from pilothouse.semver import Version

        ref = parse_reference(ref_text)
        if not version:
            version = ref.tag
        elif ref.tag and ref.tag != version.replace("+", "_"):
            raise RepoError(f"chart reference and version mismatch: {version} is not {ref.tag}")
        if ref.digest:
            if not version:
                return f"{ref.registry}/{ref.repository}@{ref.digest}", ref.digest
            actual = self.resolve(f"{ref.registry}/{ref.repository}:{version.replace('+', '_')}")
            if actual != ref.digest:
                raise RepoError(f"chart reference digest mismatch: {actual} is not {ref.digest}")
            return f"{ref.registry}/{ref.repository}@{ref.digest}", ref.digest
        try:
            Version.parse(version)
            tag = version
        except Exception:  # noqa: BLE001 - not a version: a constraint to match against the tags
            tags = self.tags(f"{ref.registry}/{ref.repository}")
            if not tags:
                raise RepoError(f"unable to locate any tags in provided repository: {ref_text}") from None
            tag = tag_matching(tags, version)
        return f"{ref.registry}/{ref.repository}:{tag.replace('+', '_')}", ""


def tag_matching(tags: list[str], version: str) -> str:
    """Helm's ``GetTagMatchingVersionOrConstraint``: an exact tag, else the newest matching one."""
    from pilothouse.semver import Constraints, Version

    if version and version in tags:
        return version
    try:
        constraint = Constraints.parse(version or "*")
    except Exception as err:  # noqa: BLE001
        raise RepoError(str(err)) from None
    for tag in tags:
        try:
            if constraint.check(Version.parse(tag)):
                return tag
        except Exception:  # noqa: BLE001
            continue
    raise RepoError(f"could not locate a version matching provided version string {version}")
