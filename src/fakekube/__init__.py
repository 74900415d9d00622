"""fakekube: an in-memory Kubernetes API server for tests.

It speaks enough of the real API (discovery, OpenAPI, CRUD with resourceVersions, selectors,
server-side apply, strategic merge patch, watch, status subresources, CRDs) for client-go based
tools such as Helm and kubectl, and for the official Python client, to work against it.

>>> import fakekube
>>> with fakekube.serve() as srv:
...     srv.url, srv.kubeconfig_path
...     srv.store.make_ready("Deployment", "default", "web")  # doctest: +SKIP
"""

from fakekube.errors import ApiError
from fakekube.server import Server, kubeconfig, serve
from fakekube.store import Store

__all__ = ["ApiError", "Server", "Store", "kubeconfig", "serve"]
