"""The real Helm v4 SDK, run the way the `helm` binary runs.

Helm names its server-side-apply field manager after the program (``helm`` for the CLI); the
SDK embedded in a Python process would call itself ``python``. So calls go to a child process
whose argv[0] is ``helm``, and objects end up owned by the same field manager as with the CLI.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from typing import Any

_CHILD = r"""
import json, sys
import helm_python
spec = json.load(sys.stdin)
cfg = helm_python.Config(**spec["config"])
out = []
for method, args, kwargs in spec["calls"]:
    try:
        out.append({"ok": getattr(cfg, method)(*args, **kwargs)})
    except helm_python.HelmError as err:
        out.append({"error": str(err)})
json.dump(out, sys.stdout)
"""


class HelmError(Exception):
    """What the Helm SDK raised, with its message."""


class Helm:
    """A `helm_python.Config` whose every call runs in a child process named ``helm``."""

    def __init__(self, **config: Any) -> None:
        self.config = config

    def call_many(self, calls: list[tuple[str, list[Any], dict[str, Any]]]) -> list[dict[str, Any]]:
        paths = [*site.getsitepackages(), os.path.join(os.path.dirname(__file__), "..", "..", "src")]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
        proc = subprocess.run(["helm", "-c", _CHILD], executable=sys.executable, env=env, capture_output=True,
                              text=True, input=json.dumps({"config": self.config, "calls": calls}), timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"helm SDK child failed: {proc.stderr[-2000:]}")
        return json.loads(proc.stdout)

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            res = self.call_many([(method, [os.fspath(a) if isinstance(a, os.PathLike) else a for a in args],
                                   kwargs)])[0]
            if "error" in res:
                raise HelmError(res["error"])
            return res["ok"]

        return call
