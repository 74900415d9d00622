"""Downloading by URL scheme (Helm's ``getter`` package).

``http``/``https`` go through httpx with Helm's rules (basic auth sent only to the repository's
own host unless ``pass_credentials_all``; TLS client certificates and CA bundles; a 2-minute
timeout); ``oci`` goes to the registry client; every other scheme is offered to the installed
``getter/v1`` plugins.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from pilothouse.errors import RepoError

DEFAULT_TIMEOUT = 120.0
USER_AGENT = "Helm/4.2.3"


@dataclass(kw_only=True)
class Credentials:
    """Who the user is to a server and how its TLS certificate is checked (the flags every download path has).

    Keyword-only, so the classes built on it keep their own fields' positional order.
    """

    username: str = ""
    password: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_tls_verify: bool = False

    def credentials(self) -> dict[str, Any]:
        """These settings as keyword arguments for another holder of them."""
        return {f.name: getattr(self, f.name) for f in fields(Credentials)}

    def new_registry_client(self, *, plain_http: bool, out: Any) -> Any:
        """An OCI registry client that logs in and checks TLS with these settings."""
        from pilothouse.registry.client import RegistryClient

        return RegistryClient(plain_http=plain_http, insecure=self.insecure_skip_tls_verify, username=self.username,
                              password=self.password, cert_file=self.cert_file, key_file=self.key_file,
                              ca_file=self.ca_file, out=out)


@dataclass(kw_only=True)
class RepoCredentials(Credentials):
    """`Credentials` for a chart repository, whose password may also go to other hosts it links to."""

    pass_credentials_all: bool = False

    def credentials(self) -> dict[str, Any]:
        """These settings (``pass_credentials_all`` included) as keyword arguments."""
        return {**super().credentials(), "pass_credentials_all": self.pass_credentials_all}


@dataclass
class GetterOptions(RepoCredentials):
    """What a download may need; mirrors Helm's ``getter.Option`` set."""

    url: str = ""  # the repository's base URL: credentials go only to its host
    plain_http: bool = False
    accept_header: str = ""
    timeout: float = DEFAULT_TIMEOUT
    version: str = ""
    registry_client: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def http_client(opts: GetterOptions) -> Any:
    """An httpx client configured for ``opts`` (TLS verification, client certificate, timeout)."""
    import ssl

    import httpx

    verify: Any = True
    if opts.insecure_skip_tls_verify:
        verify = False
    elif opts.ca_file or opts.cert_file:
        ctx = ssl.create_default_context(cafile=opts.ca_file or None)
        if opts.cert_file:
            try:
                ctx.load_cert_chain(opts.cert_file, opts.key_file or None)
            except (OSError, ssl.SSLError) as err:
                raise RepoError(f"can't create TLS config for client: {err}") from None
        verify = ctx
    return httpx.Client(verify=verify, timeout=opts.timeout, follow_redirects=True,
                        headers={"User-Agent": USER_AGENT})


def http_get(href: str, opts: GetterOptions) -> bytes:
    """GET ``href`` and return the body; non-200 answers raise `RepoError` with Helm's text."""
    import httpx

    headers = {}
    if opts.accept_header:
        headers["Accept"] = opts.accept_header
    auth = None
    if opts.username and opts.password:
        if opts.pass_credentials_all or not opts.url or _same_host(href, opts.url):
            auth = (opts.username, opts.password)
    try:
        with http_client(opts) as client:
            resp = client.get(href, headers=headers, auth=auth)
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        from pilothouse.kube.neterrors import go_url_error

        raise RepoError(go_url_error("GET", href, err)) from None
    if resp.status_code != 200:
        raise RepoError(f"failed to fetch {href} : {resp.status_code} {resp.reason_phrase}")
    return resp.content


def _same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


def get(href: str, opts: GetterOptions | None = None) -> bytes:
    """Download ``href`` with the getter of its scheme."""
    opts = opts or GetterOptions()
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("http", "https"):
        return http_get(href, opts)
    if scheme == "oci":
        from pilothouse.registry.client import RegistryClient

        client = opts.registry_client or RegistryClient(plain_http=opts.plain_http,
                                                        insecure=opts.insecure_skip_tls_verify)
        return client.pull_chart(href, want_prov=href.endswith(".prov")).data_for(href)
    from pilothouse.plugin.getter import find_getter

    fetch = find_getter(scheme)
    if fetch is None:
        raise RepoError(f'scheme "{scheme}" not supported')
    kwargs: dict[str, Any] = {
        "username": opts.username, "password": opts.password, "cert_file": opts.cert_file,
        "key_file": opts.key_file, "ca_file": opts.ca_file, "url": opts.url,
        "pass_credentials_all": opts.pass_credentials_all,
        "insecure_skip_verify_tls": opts.insecure_skip_tls_verify, "plain_http": opts.plain_http,
        "accept_header": opts.accept_header, "user_agent": USER_AGENT, "version": opts.version,
    }
    return fetch(href, **kwargs)


def supports(scheme: str) -> bool:
    """True when some getter (built in or plugin) handles ``scheme``."""
    scheme = scheme.lower()
    if scheme in ("http", "https", "oci"):
        return True
    from pilothouse.plugin.getter import find_getter

    return find_getter(scheme) is not None
