"""The audit log: every request the server answered, in order, and the simulation's endpoints.

Each `Entry` carries a sequence number (the order the server finished them in), a monotonic
time, the verb (``create``, ``patch``, ``watch``…), the resource (plural), namespace and name, and
the status code. Tests read `Audit.entries` in-process, or ``GET /_fakekube/audit`` over HTTP.
``POST /_fakekube/step`` advances the simulated controllers (``{"ticks": n}``), and
``GET /api/v1/namespaces/NS/pods/NAME/log`` answers with the Pod's simulated log.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs

_LIMIT = 200_000


@dataclass
class Entry:
    """One answered request."""

    seq: int
    time: float
    method: str
    verb: str
    group: str
    resource: str
    namespace: str
    name: str
    subresource: str
    code: int
    path: str


def describe(method: str, path: str, query: str) -> tuple[str, str, str, str, str, str]:
    """(verb, group, resource, namespace, name, subresource) of a request, as the API server's audit does."""
    parts = [p for p in path.split("/") if p]
    group = resource = namespace = name = sub = ""
    if parts and parts[0] == "api" and len(parts) >= 2:
        rest = parts[2:]
    elif parts and parts[0] == "apis" and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        return method.lower(), "", "", "", "", ""
    if len(rest) >= 2 and rest[0] == "namespaces" and (len(rest) >= 3):
        namespace, rest = rest[1], rest[2:]
    elif len(rest) == 2 and rest[0] == "namespaces":
        resource, name = "namespaces", rest[1]
        rest = []
    if rest:
        resource = rest[0]
        name = rest[1] if len(rest) > 1 else ""
        sub = rest[2] if len(rest) > 2 else ""
    q = parse_qs(query)
    verbs = {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}
    if method == "GET":
        verb = "get" if name else ("watch" if q.get("watch", [""])[-1] in ("true", "1") else "list")
    else:
        verb = verbs.get(method, method.lower())
        if verb == "delete" and not name:
            verb = "deletecollection"
    return verb, group, resource, namespace, name, sub


class Audit:
    """A bounded, thread-safe log of answered requests."""

    def __init__(self) -> None:
        self.entries: deque[Entry] = deque(maxlen=_LIMIT)
        self._seq = 0
        self._lock = threading.Lock()

    def record(self, method: str, path: str, query: str, code: int) -> None:
        """Note one request."""
        verb, group, resource, ns, name, sub = describe(method, path, query)
        with self._lock:
            self._seq += 1
            self.entries.append(Entry(self._seq, time.monotonic(), method, verb, group, resource, ns, name, sub, code,
                                      path + ("?" + query if query else "")))

    def writes(self) -> list[Entry]:
        """The requests that changed an object (create, update, patch, delete), in order."""
        with self._lock:
            return [e for e in self.entries if e.verb in ("create", "update", "patch", "delete") and e.code < 400]

    def clear(self) -> None:
        """Forget everything so far."""
        with self._lock:
            self.entries.clear()

    def as_json(self) -> list[dict[str, Any]]:
        """The log as plain dicts."""
        with self._lock:
            return [asdict(e) for e in self.entries]


def special(api: Any, method: str, path: str, query: str, body: bytes) -> tuple[int, Any, str] | None:
    """Answer the audit, step and Pod-log endpoints; None for every other request."""
    if path == "/_fakekube/audit" and method == "GET":
        return 200, api.audit.as_json(), "application/json"
    if path == "/_fakekube/step" and method == "POST":
        sim = getattr(api, "controllers", None)
        if sim is None:
            return 400, {"message": "the server runs no simulated controllers"}, "application/json"
        try:
            ticks = int((json.loads(body or b"{}") or {}).get("ticks", 1))
        except (ValueError, AttributeError):
            return 400, {"message": "expected {\"ticks\": n}"}, "application/json"
        sim.step(max(0, min(ticks, 10_000)))
        return 200, {"ticks": sim.ticks}, "application/json"
    parts = [p for p in path.split("/") if p]
    if method == "GET" and len(parts) == 7 and parts[:3] == ["api", "v1", "namespaces"] and parts[4] == "pods" \
            and parts[6] == "log":
        from fakekube.controllers import LOG

        pod = api.store.find(api.store.resolve("Pod"), parts[3], parts[5])
        if pod is None:
            return 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
                         "message": f'pods "{parts[5]}" not found'}, "application/json"
        text = ((pod["metadata"].get("annotations") or {}).get(LOG) or "")
        if not text:
            state = [cs.get("state") or {} for cs in (pod.get("status") or {}).get("containerStatuses") or []]
            text = "".join("exit status 1\n" for s in state if "waiting" in s and
                           s["waiting"].get("reason") == "CrashLoopBackOff")
        return 200, text, "text/plain"
    return None
