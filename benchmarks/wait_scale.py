"""Waiting on many objects: `pilot install --wait` vs the real `helm install --wait`.

A chart of N objects (Deployments, StatefulSets, Jobs, Services, ConfigMaps in equal parts by
default 500 in all) is installed with ``--wait --wait-for-jobs`` against a fresh fake API server
whose simulated controllers make every workload ready a few ticks after it is written. Both tools
run as child processes against their own fresh server; measured for each:

- requests the server answered (all of them, by verb, and the lists and watches of objects, which
  is what waiting costs: discovery and the apply itself are the same for both);
- CPU time of the client process (user + system, from the kernel's child accounting);
- wall time (dominated by the simulated controllers, shown for reference only).

Then the Pilothouse/Helm ratios (below 1: Pilothouse sends fewer requests / burns less CPU).

Run: .venv/bin/python benchmarks/wait_scale.py [--objects 500] [--tick 0.05]
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

KINDS = {
    "Deployment": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: d-{{ $i }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: d-{{ $i }}}
  template:
    metadata:
      labels: {app: d-{{ $i }}}
    spec:
      containers: [{name: c, image: "nginx:1.27"}]
""",
    "StatefulSet": """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: s-{{ $i }}
spec:
  serviceName: s-{{ $i }}
  replicas: 1
  selector:
    matchLabels: {app: s-{{ $i }}}
  template:
    metadata:
      labels: {app: s-{{ $i }}}
    spec:
      containers: [{name: c, image: "postgres:16"}]
""",
    "Job": """apiVersion: batch/v1
kind: Job
metadata:
  name: j-{{ $i }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1"}]
""",
    "Service": """apiVersion: v1
kind: Service
metadata:
  name: svc-{{ $i }}
spec:
  selector: {app: d-{{ $i }}}
  ports: [{port: 80}]
""",
    "ConfigMap": """apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
data: {index: "{{ $i }}"}
""",
}


def make_chart(root: str, n: int) -> str:
    """A chart of ``n`` objects, the kinds above in equal parts."""
    chart = os.path.join(root, "waitscale")
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as fh:
        fh.write("apiVersion: v2\nname: waitscale\nversion: 1.0.0\n")
    per = n // len(KINDS)
    for kind, body in KINDS.items():
        with open(os.path.join(chart, "templates", f"{kind.lower()}.yaml"), "w") as fh:
            fh.write(f"{{{{- range $i := until {per} }}}}\n---\n{body}{{{{- end }}}}\n")
    return chart


def run_one(argv: list[str], tick: float) -> dict[str, object]:
    import fakekube

    with fakekube.serve(simulate=tick) as srv:
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_DRIVER="secret",
                   PYTHONPATH=os.path.join(ROOT, "src"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"{argv[0]} failed: {proc.stderr[-2000:]}")
        entries = srv.api.audit.as_json()
        verbs = collections.Counter(e["verb"] for e in entries)
        # what waiting costs: lists and watches of objects (discovery reads name no resource)
        waiting = sum(1 for e in entries if e["verb"] in ("list", "watch") and e["resource"])
        return {"requests": len(entries), "verbs": dict(sorted(verbs.items())), "wall": wall, "waiting": waiting,
                "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=500)
    ap.add_argument("--tick", type=float, default=0.05, help="seconds between ticks of the simulated controllers")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wait-scale-")
    try:
        chart = make_chart(tmp, args.objects)
        common = ["install", "scale", chart, "--wait", "--wait-for-jobs", "--timeout=600s"]
        ours = run_one([sys.executable, "-m", "pilothouse", *common, "--progress=none"], args.tick)
        helm_bin = os.path.join(ROOT, ".venv", "bin", "helm")
        helm = run_one([helm_bin, *common], args.tick) if os.path.exists(helm_bin) else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"waiting on {args.objects} objects (ticks every {args.tick}s)")
    for name, r in (("pilothouse", ours), ("helm", helm)):
        if r is None:
            print(f"{name:<11} (not installed)")
            continue
        print(f"{name:<11} requests {r['requests']:>6} (list/watch of objects {r['waiting']:>4})  "
              f"cpu {r['cpu']:7.2f}s  wall {r['wall']:6.2f}s  {r['verbs']}")
    if helm is not None:
        print(f"ratio pilothouse/helm: requests {ours['requests'] / helm['requests']:.2f}  "
              f"list/watch {ours['waiting'] / max(helm['waiting'], 1):.2f}  "
              f"cpu {ours['cpu'] / max(helm['cpu'], 1e-9):.2f}  wall {ours['wall'] / max(helm['wall'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
