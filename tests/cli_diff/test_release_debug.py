"""`--debug` output of install and upgrade: the values of subcharts in COMPUTED VALUES (Helm prints the
release it just made, whose chart still has its subcharts, library ones included) and the debug lines
of the upgrade and history actions, pilot against helm.

The commands run with the memory driver (Helm's printing kube client), the earlier release given as
HELM_MEMORY_DRIVER_DATA: what is compared is the actions' own output, not the kube client's debug lines."""

from __future__ import annotations

import json
import shlex

import pytest

# written by the tests; templates end without a newline, where 4.1.4 and 4.2 print manifests alike
_CHARTS = {
    "withsub/Chart.yaml": "apiVersion: v2\nname: withsub\nversion: 1.0.0\ndependencies:\n"
                          "- name: child\n  version: 0.1.0\n- name: lib\n  version: 0.1.0\n"
                          "- name: opt\n  version: 0.1.0\n  condition: opt.enabled\n",
    "withsub/values.yaml": "top: 1\nglobal:\n  region: eu\nchild:\n  size: 2\n",
    "withsub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-top\n"
                                 "data:\n  top: {{ .Values.top | quote }}",
    "withsub/charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.1.0\n",
    "withsub/charts/child/values.yaml": "size: 1\ncolor: blue\n",
    "withsub/charts/child/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                              "  name: {{ .Release.Name }}-child\ndata:\n"
                                              "  size: {{ .Values.size | quote }}",
    "withsub/charts/lib/Chart.yaml": "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
    "withsub/charts/lib/values.yaml": "libval: x\n",
    "withsub/charts/lib/templates/_h.tpl": '{{ define "lib.x" }}x{{ end }}',
    "withsub/charts/opt/Chart.yaml": "apiVersion: v2\nname: opt\nversion: 0.1.0\n",
    "withsub/charts/opt/values.yaml": "never: shown\n",
}


@pytest.fixture
def charts(diff):
    for side in diff.sides.values():
        for rel, text in _CHARTS.items():
            path = side.work / "charts" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return diff


C = "charts/withsub"
# (flags of the release installed first, or None; the command compared)
LINES = [
    (None, f"install r1 {C} --dry-run=client --debug"),
    (None, f"install r1 {C} --debug --set child.color=red"),
    (None, f"install r1 {C} --debug --set opt.enabled=true -o table"),
    (None, f"upgrade r1 {C} --install --debug"),
    ("", f"upgrade r1 {C} --debug"),
    ("--set top=5", f"upgrade r1 {C} --debug"),
    ("--set top=5", f"upgrade r1 {C} --debug --reuse-values --set child.size=9"),
    ("--set top=5", f"upgrade r1 {C} --debug --reset-values"),
    ("--set top=5", f"upgrade r1 {C} --debug --reset-then-reuse-values --dry-run=client"),
    ("", f"upgrade r1 {C} --debug --no-hooks --server-side=false"),
    ("", f"upgrade r1 {C} --install --debug"),
    ("", "history r1 --debug"),
    # a stored release has no subcharts: status and get all show only the parent's values
    ("", "status r1 --debug"),
    ("", "get all r1"),
]


@pytest.mark.parametrize(("first", "line"), LINES)
def test_debug_output_as_helm(charts, tmp_path, first, line):
    data = tmp_path / "releases.json"
    data.write_text("[]")
    releases = []
    if first is not None:
        made = charts.run("helm", ["install", "r1", C, "-o", "json", *shlex.split(first)],
                          env={"HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": str(data)}, raw=True)
        assert made.rc == 0, made
        releases.append(json.loads(made.out))
    data.write_text(json.dumps(releases))
    charts.check(shlex.split(line), env={"HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": str(data)})
