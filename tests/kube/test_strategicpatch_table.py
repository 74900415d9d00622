"""The patch metadata table: the struct tags of the built-in API types, and which kinds use it."""

from __future__ import annotations

import pytest

from pilothouse.kube.strategicpatch import schema_for


def _field(api_version: str, kind: str, *path: str) -> tuple[list[str], str]:
    schema = schema_for(api_version, kind)
    assert schema is not None
    strategies: list[str] = []
    key = ""
    for name in path:
        schema, strategies, key = schema.lookup(name)
    return strategies, key


@pytest.mark.parametrize("api_version,kind,path,expected", [
    ("apps/v1", "Deployment", "spec template spec containers", (["merge"], "name")),
    ("apps/v1", "Deployment", "spec template spec containers env", (["merge"], "name")),
    ("apps/v1", "Deployment", "spec template spec containers ports", (["merge"], "containerPort")),
    ("apps/v1", "Deployment", "spec template spec containers volumeMounts", (["merge"], "mountPath")),
    ("apps/v1", "Deployment", "spec template spec volumes", (["merge", "retainKeys"], "name")),
    ("apps/v1", "Deployment", "spec template spec tolerations", ([], "")),
    ("apps/v1", "Deployment", "spec template spec containers args", ([], "")),
    ("apps/v1", "Deployment", "spec strategy", (["retainKeys"], "")),
    ("apps/v1", "StatefulSet", "spec volumeClaimTemplates metadata finalizers", (["merge"], "")),
    ("batch/v1", "CronJob", "spec jobTemplate spec template spec initContainers", (["merge"], "name")),
    ("v1", "Service", "spec ports", (["merge"], "port")),
    ("v1", "Pod", "metadata ownerReferences", (["merge"], "uid")),
    ("v1", "ConfigMap", "metadata finalizers", (["merge"], "")),
    ("v1", "Pod", "spec containers resizePolicy", ([], "")),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "webhooks", (["merge"], "name")),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition", "metadata ownerReferences", (["merge"], "uid")),
])
def test_patch_metadata_of_built_in_fields(api_version, kind, path, expected):
    assert _field(api_version, kind, *path.split()) == expected


@pytest.mark.parametrize("api_version,kind", [
    ("example.com/v1", "Widget"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apps/v1", "NoSuchKind"),
])
def test_kinds_without_patch_metadata_use_json_merge_patches(api_version, kind):
    assert schema_for(api_version, kind) is None


def test_every_served_built_in_kind_is_typed():
    for api_version, kind in [("v1", "Secret"), ("v1", "Namespace"), ("rbac.authorization.k8s.io/v1", "Role"),
                              ("networking.k8s.io/v1", "Ingress"), ("policy/v1", "PodDisruptionBudget"),
                              ("autoscaling/v2", "HorizontalPodAutoscaler"), ("storage.k8s.io/v1", "StorageClass")]:
        assert schema_for(api_version, kind) is not None, (api_version, kind)
