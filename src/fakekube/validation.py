"""Object validation: the checks whose failure a client sees as 422 Invalid.

Only what charts and clients trip over in practice: names, labels, the shape of the common
workload kinds. Messages follow the real server's wording so that tests and users see the same text.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from fakekube.errors import ApiError, bad_request, invalid
from fakekube.limits import data_size_causes, max_len_message
from fakekube.resources import ResourceType

_DNS1123_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_LABEL_VALUE = r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
_QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_CONFIG_KEY = r"[-._a-zA-Z0-9]+"

_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
_DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)

# Kinds whose names must be DNS labels rather than subdomains.
_LABEL_NAMED = {("", "Namespace"), ("", "Service")}
# Kinds whose names may be any path segment (RBAC names such as "system:controller:foo").
_PATH_NAMED = {
    ("rbac.authorization.k8s.io", "Role"),
    ("rbac.authorization.k8s.io", "RoleBinding"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
}

Cause = tuple[str, str, str]


def _value_repr(value: Any) -> str:
    import json

    return json.dumps(value)


def _bad(field: str, value: Any, why: str) -> Cause:
    return (field, "FieldValueInvalid", f"Invalid value: {_value_repr(value)}: {why}")


def _required(field: str, why: str = "") -> Cause:
    return (field, "FieldValueRequired", "Required value" + (f": {why}" if why else ""))


def _check_name(rt: ResourceType, name: str, causes: list[Cause]) -> None:
    gk = (rt.group, rt.kind)
    if gk in _PATH_NAMED:
        if name in (".", "..") or "/" in name or "%" in name:
            causes.append(_bad("metadata.name", name, 'may not contain "/"'))
        return
    if gk == ("", "Service"):
        pattern, limit, msg = _DNS1035_LABEL, 63, _DNS1035_MSG
    elif gk in _LABEL_NAMED:
        pattern, limit, msg = _DNS1123_LABEL, 63, _LABEL_MSG
    else:
        pattern, limit, msg = _DNS1123_SUBDOMAIN, 253, _SUBDOMAIN_MSG
    # the real server reports the length and the format as separate causes, length first
    if len(name) > limit:
        causes.append(_bad("metadata.name", name, max_len_message(limit)))
    if not re.fullmatch(pattern, name):
        causes.append(_bad("metadata.name", name, msg))


def _check_labels(labels: Any, field: str, causes: list[Cause]) -> None:
    if labels is None:
        return
    if not isinstance(labels, dict):
        causes.append(_bad(field, labels, "must be a map of strings"))
        return
    for key, value in labels.items():
        prefix, _, name = key.rpartition("/")
        if len(name) > 63:
            causes.append(_bad(field, key, "name part " + max_len_message(63)))
        if prefix and len(prefix) > 253:
            causes.append(_bad(field, key, "prefix part " + max_len_message(253)))
        if not re.fullmatch(_QUALIFIED_NAME, name) or (prefix and not re.fullmatch(_DNS1123_SUBDOMAIN, prefix)):
            causes.append(
                _bad(
                    field,
                    key,
                    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                )
            )
        if isinstance(value, str) and len(value) > 63:
            causes.append(_bad(field, value, max_len_message(63)))
        if not isinstance(value, str) or not re.fullmatch(_LABEL_VALUE, value):
            causes.append(
                _bad(
                    field,
                    value,
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                )
            )


def _containers(spec: dict[str, Any], field: str, causes: list[Cause]) -> None:
    containers = spec.get("containers")
    if not containers:
        causes.append(_required(f"{field}.containers"))
        return
    seen: set[str] = set()
    for i, c in enumerate(containers):
        if not isinstance(c, dict):
            continue
        cf = f"{field}.containers[{i}]"
        name = c.get("name")
        if not name:
            causes.append(_required(f"{cf}.name"))
        elif name in seen:
            causes.append((f"{cf}.name", "FieldValueDuplicate", f"Duplicate value: {_value_repr(name)}"))
        else:
            seen.add(name)
            if not re.fullmatch(_DNS1123_LABEL, name):
                causes.append(_bad(f"{cf}.name", name, _LABEL_MSG))
        if not c.get("image"):
            causes.append(_required(f"{cf}.image"))


def _selector_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _workload(obj: dict[str, Any], causes: list[Cause], needs_selector: bool = True) -> None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        causes.append(_required("spec"))
        return
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    selector = spec.get("selector")
    if needs_selector:
        if not selector:
            causes.append(_required("spec.selector"))
        elif not _selector_matches(selector, labels):
            causes.append(_bad("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"))
    _containers(template.get("spec") or {}, "spec.template.spec", causes)


def validate(rt: ResourceType, obj: dict[str, Any]) -> None:
    """Raise 422 Invalid if `obj` would be refused by the real server for these reasons."""
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    causes: list[Cause] = []
    if not name:
        causes.append(_required("metadata.name", "name or generateName is required"))
    else:
        _check_name(rt, name, causes)
    _check_labels(meta.get("labels"), "metadata.labels", causes)
    annotations = meta.get("annotations")
    if annotations is not None and (
        not isinstance(annotations, dict) or not all(isinstance(v, str) for v in annotations.values())
    ):
        raise bad_request("json: cannot unmarshal non-string annotation values into Go struct field ObjectMeta.metadata.annotations of type string")
    gk = (rt.group, rt.kind)
    if gk in (("", "ConfigMap"), ("", "Secret")):
        for key in list(obj.get("data") or {}) + list(obj.get("binaryData") or {}):
            if not re.fullmatch(_CONFIG_KEY, key) or len(key) > 253:
                causes.append(
                    _bad(
                        f"data[{key}]",
                        key,
                        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                        "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                    )
                )
    causes.extend(data_size_causes(rt.group, rt.kind, obj))
    if gk == ("", "Secret"):
        for key, value in (obj.get("data") or {}).items():
            try:
                base64.b64decode(str(value), validate=True)
            except (binascii.Error, ValueError):
                raise bad_request(
                    f"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0 (key {key})"
                ) from None
    if gk in (("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet")):
        _workload(obj, causes)
    elif gk == ("batch", "Job"):
        _workload(obj, causes, needs_selector=False)
    elif gk == ("", "Pod"):
        _containers(obj.get("spec") or {}, "spec", causes)
    elif gk == ("", "Service"):
        spec = obj.get("spec") or {}
        if spec.get("type", "ClusterIP") != "ExternalName" and spec.get("clusterIP") != "None" and not spec.get("ports"):
            causes.append(_required("spec.ports"))
        for i, port in enumerate(spec.get("ports") or []):
            p = port.get("port") if isinstance(port, dict) else None
            if not isinstance(p, int) or not 0 < p < 65536:
                causes.append(_bad(f"spec.ports[{i}].port", p, "must be between 1 and 65535, inclusive"))
    elif gk == ("apiextensions.k8s.io", "CustomResourceDefinition"):
        _crd(obj, name, causes)
    if causes:
        raise invalid(rt.kind, rt.group, name, causes)


def _crd(obj: dict[str, Any], name: str, causes: list[Cause]) -> None:
    spec = obj.get("spec") or {}
    names = spec.get("names") or {}
    group = spec.get("group") or ""
    plural = names.get("plural") or ""
    if not group:
        causes.append(_required("spec.group"))
    if not plural:
        causes.append(_required("spec.names.plural"))
    if not names.get("kind"):
        causes.append(_required("spec.names.kind"))
    if group and plural and name != f"{plural}.{group}":
        causes.append(_bad("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"))
    if spec.get("scope") not in ("Namespaced", "Cluster"):
        causes.append(("spec.scope", "FieldValueNotSupported", f'Unsupported value: {_value_repr(spec.get("scope", ""))}: supported values: "Cluster", "Namespaced"'))
    versions = spec.get("versions") or []
    if not versions:
        causes.append(_required("spec.versions", "must have exactly one version marked as storage version"))
    elif sum(1 for v in versions if isinstance(v, dict) and v.get("storage")) != 1:
        causes.append(_bad("spec.versions", versions, "must have exactly one version marked as storage version"))


def check_identity(rt: ResourceType, obj: Any, namespace: str | None, name: str | None) -> None:
    """400 when the body's kind, apiVersion, namespace or name contradicts the URL."""
    if not isinstance(obj, dict):
        raise bad_request(f"the object provided is unrecognized (must be of type {rt.kind})")
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if kind and kind != rt.kind:
        raise bad_request(f"the object provided is unrecognized (must be of type {rt.kind}): {kind}")
    if api_version and api_version != rt.api_version:
        raise bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})"
        )
    meta = obj.get("metadata") or {}
    if namespace is not None and meta.get("namespace") and meta["namespace"] != namespace:
        raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
    if name is not None and meta.get("name") and meta["name"] != name:
        raise bad_request(f"the name of the object ({meta['name']}) does not match the name on the URL ({name})")


__all__ = ["ApiError", "validate", "check_identity"]
