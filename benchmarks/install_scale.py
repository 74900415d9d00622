"""Install and upgrade a chart of 200 resources against the fake API server.

Measured in the same run, each on a fresh fake server:
- Pilothouse (`pilothouse.action.install.Install` / `upgrade.Upgrade`, in-process);
- the real Helm v4 SDK (helm-python-sdk, in-process), when it is installed.
For each: wall time and number of API requests (counted by the server) of install and of
upgrade, then the Pilothouse/Helm ratios (below 1 = Pilothouse is faster / makes fewer calls).

Run: .venv/bin/python benchmarks/install_scale.py [--resources N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time

KINDS = ("ConfigMap", "Secret", "Service", "ServiceAccount", "Deployment")


def make_chart(root: str, n: int) -> str:
    """A chart rendering ``n`` resources of common kinds (n/5 of each)."""
    chart = os.path.join(root, "scale")
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as fh:
        fh.write("apiVersion: v2\nname: scale\nversion: 1.0.0\nappVersion: \"1\"\n")
    with open(os.path.join(chart, "values.yaml"), "w") as fh:
        fh.write(f"count: {n // len(KINDS)}\ngeneration: 1\n")
    body = {
        "ConfigMap": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ $.Release.Name }}-cm-{{ $i }}\n"
                     "data:\n  generation: {{ $.Values.generation | quote }}\n  index: {{ $i | quote }}\n",
        "Secret": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ $.Release.Name }}-secret-{{ $i }}\n"
                  "stringData:\n  token: \"t-{{ $i }}-{{ $.Values.generation }}\"\n",
        "Service": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ $.Release.Name }}-svc-{{ $i }}\n"
                   "spec:\n  selector:\n    app: a{{ $i }}\n  ports:\n    - port: 80\n      targetPort: 8080\n",
        "ServiceAccount": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ $.Release.Name }}-sa-{{ $i }}\n"
                          "  labels:\n    generation: {{ $.Values.generation | quote }}\n",
        "Deployment": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ $.Release.Name }}-dep-{{ $i }}\n"
                      "spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: a{{ $i }}\n  template:\n"
                      "    metadata:\n      labels:\n        app: a{{ $i }}\n        generation: "
                      "{{ $.Values.generation | quote }}\n    spec:\n      containers:\n        - name: c\n"
                      "          image: nginx:1.27\n",
    }
    for kind, text in body.items():
        with open(os.path.join(chart, "templates", f"{kind.lower()}.yaml"), "w") as fh:
            fh.write("{{- range $i := until (int .Values.count) }}\n---\n" + text + "{{- end }}\n")
    return chart


def run_pilothouse(chart_dir: str) -> dict[str, float]:
    import fakekube
    from pilothouse.action.config import Configuration
    from pilothouse.action.install import Install
    from pilothouse.action.upgrade import Upgrade
    from pilothouse.chart import load

    out: dict[str, float] = {}
    with fakekube.serve(trace=True) as srv:
        cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default", driver="secret")
        t = time.perf_counter()
        Install(cfg, release_name="bench").run(load(chart_dir), {})
        out["install_s"] = time.perf_counter() - t
        out["install_requests"] = len(srv.requests)
        srv.requests.clear()
        t = time.perf_counter()
        Upgrade(cfg, max_history=10).run("bench", load(chart_dir), {"generation": 2})
        out["upgrade_s"] = time.perf_counter() - t
        out["upgrade_requests"] = len(srv.requests)
    return out


def run_helm(chart_dir: str) -> dict[str, float] | None:
    try:
        import helm_python
    except ImportError:
        return None
    import fakekube

    out: dict[str, float] = {}
    with fakekube.serve(trace=True) as srv:
        cfg = helm_python.Config(kubeconfig_path=srv.kubeconfig_path, namespace="default")
        t = time.perf_counter()
        cfg.install(chart_dir, "bench", {})
        out["install_s"] = time.perf_counter() - t
        out["install_requests"] = len(srv.requests)
        srv.requests.clear()
        t = time.perf_counter()
        cfg.upgrade(chart_dir, "bench", {"generation": 2})
        out["upgrade_s"] = time.perf_counter() - t
        out["upgrade_requests"] = len(srv.requests)
    return out


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def _fmt(v: float, unit: str) -> str:
    return f"{v:.3f}{unit}" if unit else f"{v:.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="install-scale-")
    try:
        chart = make_chart(tmp, opts.resources)
        ours = _median([run_pilothouse(chart) for _ in range(opts.repeat)])
        helm_runs = [run_helm(chart) for _ in range(opts.repeat)]
        theirs = _median(helm_runs) if helm_runs and helm_runs[0] is not None else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"install + upgrade of {opts.resources} resources against the fake API server "
          f"(median of {opts.repeat}; requests counted by the server)")
    print(f"{'':22}{'Pilothouse':>14}{'Helm SDK':>14}{'ratio':>10}")
    for key, unit in (("install_s", "s"), ("install_requests", ""), ("upgrade_s", "s"), ("upgrade_requests", "")):
        a = ours[key]
        b = theirs[key] if theirs else None
        ratio = f"{a / b:.2f}" if b else "n/a"
        print(f"{key:22}{_fmt(a, unit):>14}{(_fmt(b, unit) if b is not None else 'n/a'):>14}{ratio:>10}")
    if theirs is None:
        print("(helm-python-sdk is not installed: no reference measured)")


if __name__ == "__main__":
    main()
