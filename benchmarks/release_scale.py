"""Release records at scale, Pilothouse and the real helm CLI side by side on one fake API server.

1. A release whose compressed record is ~5 MiB: `pilot install`, `upgrade`, `rollback`, `uninstall`
   (whole processes, wall time each); the real `helm install` of the same chart, which the server
   refuses (a Secret's data is limited to 1 MiB).
2. `list -A` over N releases x R revisions (default 1,000 x 5) written straight into the fake
   server's store (records encoded as Helm writes them, spread over 4 namespaces): wall time of
   whole `pilot list -A` and `helm list -A` processes (median of --repeat runs), API requests and
   response bytes per run, and the ratio.

Run: .venv/bin/python benchmarks/release_scale.py [--releases 1000] [--revisions 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELM = ROOT / ".venv" / "bin" / "helm"
NAMESPACES = ("default", "team-a", "team-b", "team-c")


def env_for(home: Path, kubeconfig: str) -> dict[str, str]:
    # warm bytecode caches, as an installed package has (kept out of the source tree)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "pilothouse-bench-pycache"))
    env.update(HOME=str(home), KUBECONFIG=kubeconfig, HELM_CONFIG_HOME=str(home / "config"),
               HELM_CACHE_HOME=str(home / "cache"), HELM_DATA_HOME=str(home / "data"),
               PYTHONPATH=str(ROOT / "src"), TZ="UTC")
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    return time.perf_counter() - t0, out


PILOT = [sys.executable, "-m", "pilothouse"]


def timed_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + system, from wait4) and the result of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, os.waitstatus_to_exitcode(status), out.read().decode(),
                                           err.read().decode())
    return secs, usage.ru_utime + usage.ru_stime, done


def big_chart(root: Path, payload: int) -> Path:
    chart = root / "huge"
    (chart / "templates").mkdir(parents=True)
    (chart / "files").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: huge\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("greeting: hi\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n"
        "  greeting: {{ .Values.greeting | quote }}\n")
    (chart / "files" / "blob.bin").write_bytes(random.Random(5).randbytes(payload))
    return chart


def big_release(tmp: Path) -> None:
    import fakekube

    print("## A release with a ~5 MiB compressed record")
    with fakekube.serve() as srv:
        env = env_for(tmp / "home-big", srv.kubeconfig_path)
        chart = big_chart(tmp, 5 * 1024 * 1024)
        steps = [("install", ["install", "huge", str(chart)]),
                 ("upgrade", ["upgrade", "huge", str(chart), "--set", "greeting=yo"]),
                 ("rollback", ["rollback", "huge", "1"]),
                 ("history", ["history", "huge"]),
                 ("uninstall", ["uninstall", "huge"])]
        for label, args in steps:
            secs, out = timed(PILOT + args, env)
            pieces = [o for o in srv.store.objects("Secret", "default")
                      if o["metadata"]["name"].startswith("sh.helm.release.v1.huge.")]
            size = sum(len(base64.b64decode(o["data"]["release"])) for o in pieces)
            state = "ok" if out.returncode == 0 else "FAILED: " + out.stderr.strip()[:200]
            print(f"pilot {label:9s} {secs:6.2f} s  {state}; stored: {len(pieces)} Secrets, {size / 2**20:.2f} MiB encoded")
        secs, out = timed([str(HELM), "install", "huge", str(chart), "-n", "default"], env)
        print(f"helm  install   {secs:6.2f} s  exit {out.returncode}: {out.stderr.strip()[:160]}")


def populate(srv, releases: int, revisions: int, seed_rel) -> int:
    """Write releases x revisions records straight into the store; returns the count."""
    from pilothouse.release.codec import encode_release

    store = srv.store
    secret = store.resolve("Secret")
    ns_type = store.resolve("Namespace")
    for ns in NAMESPACES[1:]:
        store.create(ns_type, None, {"metadata": {"name": ns}})
    n = 0
    for i in range(releases):
        ns = NAMESPACES[i % len(NAMESPACES)]
        for rev in range(1, revisions + 1):
            rel = seed_rel.copy()
            rel.name, rel.namespace, rel.version = f"rel-{i:05d}", ns, rev
            rel.info.status = "deployed" if rev == revisions else "superseded"
            data = base64.b64encode(encode_release(rel).encode()).decode()
            store.create(secret, ns, {
                "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                "metadata": {"name": f"sh.helm.release.v1.{rel.name}.v{rev}", "labels": {
                    "name": rel.name, "owner": "helm", "status": rel.info.status, "version": str(rev),
                    "modifiedAt": "1700000000"}},
                "data": {"release": data}})
            n += 1
    return n


def listing(tmp: Path, releases: int, revisions: int, repeat: int) -> None:
    import fakekube

    print(f"\n## list -A over {releases} releases x {revisions} revisions")
    with fakekube.serve(trace=True) as srv:
        env = env_for(tmp / "home-list", srv.kubeconfig_path)
        subprocess.run(PILOT + ["create", str(tmp / "starter")], env=env, check=True, capture_output=True)
        subprocess.run([str(HELM), "install", "seed", str(tmp / "starter"), "-n", "default"], env=env,
                       check=True, capture_output=True)
        from pilothouse.kube.client import KubeClient
        from pilothouse.release.driver.kubeobjects import Secrets

        with KubeClient.from_kubeconfig(srv.kubeconfig_path, namespace="default") as kube:
            drv = Secrets(kube, "default")
            seed = drv.get("sh.helm.release.v1.seed.v1")
            drv.delete("sh.helm.release.v1.seed.v1")
        t0 = time.perf_counter()
        count = populate(srv, releases, revisions, seed)
        print(f"populated {count} records in {time.perf_counter() - t0:.1f} s "
              f"(record: {len(base64.b64decode(srv.store.objects('Secret', 'default')[0]['data']['release']))} bytes)")
        results: dict[str, float] = {}
        outputs: dict[str, str] = {}
        release_reqs: dict[str, int] = {}
        samples: dict[str, tuple[list[float], list[float], int]] = {"helm": ([], [], 0), "pilot": ([], [], 0)}
        cmds = {"helm": [str(HELM), "list", "-A"], "pilot": PILOT + ["list", "-A"]}
        # the tools alternate run by run, so that load changes hit both alike
        for _ in range(repeat):
            for label, cmd in cmds.items():
                srv.requests.clear()
                secs, cpu, out = timed_cpu(cmd, env)
                assert out.returncode == 0, out.stderr
                walls, cpus, _ = samples[label]
                walls.append(secs)
                cpus.append(cpu)
                samples[label] = (walls, cpus, len(srv.requests))
                outputs[label] = out.stdout
                release_reqs[label] = sum(1 for r in srv.requests if "/secrets" in r[1])
        for label, (walls, cpus, nreq) in samples.items():
            results[label] = statistics.median(walls)
            print(f"{label:5s} list -A: median {results[label]:.3f} s of {repeat} "
                  f"(runs: {', '.join(f'{t:.3f}' for t in walls)}); client CPU median {statistics.median(cpus):.3f} s; "
                  f"{nreq} requests ({release_reqs[label]} for release records); "
                  f"{len(outputs[label].splitlines()) - 1} rows")
        print(f"same output: {outputs['helm'] == outputs['pilot']}")
        print(f"ratio pilot/helm: {results['pilot'] / results['helm']:.3f} (goal <= 0.1)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--releases", type=int, default=1000)
    ap.add_argument("--revisions", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-big", action="store_true", help="only the listing part")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="release-scale-") as tmp:
        if not args.skip_big:
            big_release(Path(tmp))
        listing(Path(tmp), args.releases, args.revisions, args.repeat)


if __name__ == "__main__":
    main()
