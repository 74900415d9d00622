"""Kubeconfig: which cluster to talk to and how (Helm's `genericclioptions` rules).

Files come from ``--kubeconfig``, else ``KUBECONFIG`` (a path list; for each setting the first
file that sets it wins), else ``~/.kube/config``; inside a pod without one, the service
account is used. The result is a `ClusterConfig`: server URL, TLS material, credentials and the
context's namespace.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import KubeError

_SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


@dataclass
class ClusterConfig:
    """Everything needed to open a connection to one API server."""

    server: str
    namespace: str = "default"
    namespace_from_context: bool = False
    ca_file: str | None = None
    insecure: bool = False
    tls_server_name: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    token: str | None = None
    token_file: str | None = None
    username: str | None = None
    password: str | None = None
    exec_config: dict[str, Any] | None = None
    impersonate: str | None = None
    impersonate_groups: list[str] = field(default_factory=list)
    context: str = ""
    _temp: list[str] = field(default_factory=list, repr=False)

    def bearer_token(self) -> str | None:
        """The token to send, reading a token file or running an exec plugin when configured."""
        if self.token:
            return self.token
        if self.token_file:
            try:
                with open(self.token_file, encoding="utf-8") as fh:
                    return fh.read().strip()
            except OSError as err:
                raise KubeError(f"kubernetes cluster unreachable: reading token file: {err}") from None
        if self.exec_config:
            status = run_exec_plugin(self.exec_config)
            if status.get("clientCertificateData") and status.get("clientKeyData"):
                self.client_cert = _write_temp(self, status["clientCertificateData"].encode())
                self.client_key = _write_temp(self, status["clientKeyData"].encode())
            return status.get("token")
        return None


def _write_temp(cfg: ClusterConfig, data: bytes) -> str:
    import tempfile  # only for certificates given inline or by an exec plugin

    fd, path = tempfile.mkstemp(prefix="pilot-kube-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    cfg._temp.append(path)
    return path


def run_exec_plugin(spec: dict[str, Any]) -> dict[str, Any]:
    """Run a client-go exec credential plugin and return its ``status``."""
    import subprocess
    cmd = [spec.get("command", "")] + list(spec.get("args") or [])
    env = dict(os.environ)
    for item in spec.get("env") or []:
        env[item.get("name", "")] = item.get("value", "")
    api_version = spec.get("apiVersion") or "client.authentication.k8s.io/v1"
    env["KUBERNETES_EXEC_INFO"] = json.dumps({"apiVersion": api_version, "kind": "ExecCredential",
                                              "spec": {"interactive": False}})
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, check=True, timeout=60).stdout
        return json.loads(out).get("status") or {}
    except (OSError, subprocess.SubprocessError, ValueError) as err:
        raise KubeError(f"kubernetes cluster unreachable: getting credentials: exec: {err}") from None


def _files(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [p for p in env.split(os.pathsep) if p]
    return [os.path.join(os.path.expanduser("~"), ".kube", "config")]


def _load_docs(paths: list[str], explicit: bool) -> list[tuple[str, dict[str, Any]]]:
    from pilothouse.parsecache import cached_parse

    docs = []
    for path in paths:
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            doc = cached_parse("kubeconfig", raw, lambda data, path=path: _parse_kubeconfig(path, data)) or {}
        except FileNotFoundError:
            if explicit:
                raise KubeError(f"kubernetes cluster unreachable: stat {path}: no such file or directory") from None
            continue
        except OSError as err:
            raise KubeError(f"kubernetes cluster unreachable: error loading config file \"{path}\": {err}") from None
        if isinstance(doc, dict):
            docs.append((path, doc))
    return docs


def _parse_kubeconfig(path: str, data: bytes) -> Any:
    import io

    from pilothouse.yamlimport import import_yaml

    yaml = import_yaml()
    # read as the file itself would be: text mode's newlines, its name in error marks
    raw = io.BytesIO(data)
    raw.name = path
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    try:
        return yaml.safe_load(stream)
    except yaml.YAMLError as err:
        raise KubeError(f"kubernetes cluster unreachable: error loading config file \"{path}\": {err}") from None


def _named(docs: list[tuple[str, dict[str, Any]]], section: str, name: str, inner: str) -> tuple[str, dict[str, Any]] | None:
    for path, doc in docs:
        for item in doc.get(section) or []:
            if isinstance(item, dict) and item.get("name") == name:
                return path, item.get(inner) or {}
    return None


def _resolve(base: str, path: str | None) -> str | None:
    if not path:
        return None
    return path if os.path.isabs(path) else os.path.join(os.path.dirname(os.path.abspath(base)), path)


def load_config(kubeconfig: str | None = None, context: str | None = None, namespace: str | None = None,
                *, kube_apiserver: str | None = None, kube_token: str | None = None,
                kube_ca_file: str | None = None, insecure: bool = False) -> ClusterConfig:
    """Resolve the cluster to use, as `helm --kubeconfig/--kube-context/-n` does."""
    kubeconfig = kubeconfig or os.environ.get("HELM_KUBECONFIG") or None
    context = context or os.environ.get("HELM_KUBECONTEXT") or None
    kube_apiserver = kube_apiserver or os.environ.get("HELM_KUBEAPISERVER") or None
    kube_token = kube_token or os.environ.get("HELM_KUBETOKEN") or None
    kube_ca_file = kube_ca_file or os.environ.get("HELM_KUBECAFILE") or None
    insecure = insecure or os.environ.get("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "").lower() in ("1", "t", "true")
    tls_server_name = os.environ.get("HELM_KUBETLS_SERVER_NAME") or None
    docs = _load_docs(_files(kubeconfig), explicit=bool(kubeconfig))
    if not docs:
        if kube_apiserver:
            return ClusterConfig(server=kube_apiserver, namespace=namespace or "default", token=kube_token,
                                 ca_file=kube_ca_file, insecure=insecure, tls_server_name=tls_server_name,
                                 impersonate=os.environ.get("HELM_KUBEASUSER") or None,
                                 impersonate_groups=[g for g in os.environ.get("HELM_KUBEASGROUPS", "").split(",")
                                                     if g])
        return _in_cluster(namespace)
    current = context
    if not current:
        for _, doc in docs:
            if doc.get("current-context"):
                current = doc["current-context"]
                break
    if not current:
        raise KubeError("kubernetes cluster unreachable: invalid configuration: no configuration has been provided, "
                        "try setting KUBERNETES_MASTER environment variable")
    ctx = _named(docs, "contexts", current, "context")
    if ctx is None:
        raise KubeError(f'kubernetes cluster unreachable: context "{current}" does not exist')
    _, ctx_body = ctx
    cluster = _named(docs, "clusters", ctx_body.get("cluster", ""), "cluster")
    if cluster is None:
        raise KubeError(f'kubernetes cluster unreachable: invalid configuration: cluster "{ctx_body.get("cluster", "")}" '
                        "not found")
    cpath, cl = cluster
    user_entry = _named(docs, "users", ctx_body.get("user", ""), "user") or ("", {})
    upath, user = user_entry
    cfg = ClusterConfig(server=kube_apiserver or cl.get("server", ""), context=current)
    ns_ctx = ctx_body.get("namespace")
    cfg.namespace = namespace or ns_ctx or "default"
    cfg.namespace_from_context = bool(ns_ctx) and not namespace
    cfg.insecure = insecure or bool(cl.get("insecure-skip-tls-verify"))
    cfg.tls_server_name = tls_server_name or cl.get("tls-server-name")
    if kube_ca_file:
        cfg.ca_file = kube_ca_file
    elif cl.get("certificate-authority-data"):
        cfg.ca_file = _write_temp(cfg, base64.b64decode(cl["certificate-authority-data"]))
    else:
        cfg.ca_file = _resolve(cpath, cl.get("certificate-authority"))
    if user.get("client-certificate-data"):
        cfg.client_cert = _write_temp(cfg, base64.b64decode(user["client-certificate-data"]))
    else:
        cfg.client_cert = _resolve(upath, user.get("client-certificate"))
    if user.get("client-key-data"):
        cfg.client_key = _write_temp(cfg, base64.b64decode(user["client-key-data"]))
    else:
        cfg.client_key = _resolve(upath, user.get("client-key"))
    cfg.token = kube_token or user.get("token")
    cfg.token_file = _resolve(upath, user.get("tokenFile"))
    cfg.username = user.get("username")
    cfg.password = user.get("password")
    cfg.exec_config = user.get("exec")
    # --kube-as-user/--kube-as-group (HELM_KUBEASUSER/HELM_KUBEASGROUPS) override the kubeconfig's, as in client-go
    cfg.impersonate = os.environ.get("HELM_KUBEASUSER") or user.get("as") or None
    env_groups = [g for g in os.environ.get("HELM_KUBEASGROUPS", "").split(",") if g]
    cfg.impersonate_groups = env_groups or list(user.get("as-groups") or [])
    if not cfg.server:
        raise KubeError("kubernetes cluster unreachable: invalid configuration: no server found for cluster "
                        f'"{ctx_body.get("cluster", "")}"')
    return cfg


def _in_cluster(namespace: str | None) -> ClusterConfig:
    host, port = os.environ.get("KUBERNETES_SERVICE_HOST"), os.environ.get("KUBERNETES_SERVICE_PORT")
    if not host or not port or not os.path.exists(os.path.join(_SA_DIR, "token")):
        raise KubeError("kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp "
                        "127.0.0.1:8080: connect: connection refused")
    ns = namespace
    if not ns:
        try:
            with open(os.path.join(_SA_DIR, "namespace"), encoding="utf-8") as fh:
                ns = fh.read().strip()
        except OSError:
            ns = "default"
    if ":" in host:
        host = f"[{host}]"
    return ClusterConfig(server=f"https://{host}:{port}", namespace=ns or "default",
                         ca_file=os.path.join(_SA_DIR, "ca.crt"), token_file=os.path.join(_SA_DIR, "token"))
