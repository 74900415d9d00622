"""Helpers of the differential tests: the same command line given to the real `helm` (4.1.4, the oracle) and to
`pilot`, with the same environment, comparing stdout, stderr and exit code.

Each test gets two sides, ``a`` and ``b``: each has its own HELM_* homes, working directory (with a
copy of ``charts/``) and fake API server. `Diff.both` runs helm on side ``a`` and pilot on side ``b``
(so commands that change something change comparable, separate states), or both tools on the same
side (``side="a"``) to read what one of them wrote. Outputs are normalised only where they cannot be
equal: the program's name (`helm` → `pilot`), the sides' own paths and URLs, and timestamps.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import fakekube

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
HELM = BIN / "helm"
PILOT = BIN / "pilot"
CHARTS = Path(__file__).resolve().parent / "charts"

_PROG = re.compile(r"(?<![\w./=-])helm(?![\w./-])")
_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?: [+-]\d{4} UTC| UTC)?"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d "
    r"\d{2}:\d{2}:\d{2} \d{4}"
)


@dataclass(frozen=True)
class Result:
    """What a command printed and returned, normalised."""

    out: str
    err: str
    rc: int

    def triple(self) -> tuple[str, str, int]:
        return self.out, self.err, self.rc


class Side:
    """One tool's world: HELM_* homes, a working directory with the test charts, a cluster."""

    def __init__(self, root: Path, kube: fakekube.Server) -> None:
        self.root = root
        self.kube = kube
        self.work = root / "work"
        shutil.copytree(CHARTS, self.work / "charts")
        for d in ("config", "data", "cache", "plugins", "home"):
            (root / d).mkdir(parents=True, exist_ok=True)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("HELM_", "XDG_", "KUBE")) and k not in ("HOME",)
        }
        env.update(
            HOME=str(self.root / "home"),
            HELM_CONFIG_HOME=str(self.root / "config"),
            HELM_DATA_HOME=str(self.root / "data"),
            HELM_CACHE_HOME=str(self.root / "cache"),
            HELM_PLUGINS=str(self.root / "plugins"),
            KUBECONFIG=self.kube.kubeconfig_path,
            PYTHONPATH=str(REPO / "src"),
            NO_COLOR="1",
        )
        env.update(extra or {})
        return env


# a klog line: severity, date, time, thread id, file:line]
_KLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w.-]+:\d+\] .*\n", re.M)


class Diff:
    """Runs command lines under both tools and compares them; counts the lines it compared."""

    compared = 0

    def __init__(self, root: Path, kubes: tuple[fakekube.Server, fakekube.Server]) -> None:
        self.sides = {"a": Side(root / "a", kubes[0]), "b": Side(root / "b", kubes[1])}
        self.subs: dict[str, str] = {}

    def _normalise(self, text: str, tool: str, stream: str) -> str:
        for side in self.sides.values():
            text = text.replace(str(side.root), "$ROOT").replace(side.kube.url, "$KUBE")
        for old, new in self.subs.items():
            text = text.replace(old, new)
        if tool == "helm" and stream == "err":
            # client-go's reflector logs (klog) when a watch it no longer needs ends mid-stream: a race
            # inside helm, in some runs and not others, so no part of what is compared
            text = _KLOG.sub("", text)
            # messages name the program; release data on stdout (owner=helm, field managers) does not
            text = _PROG.sub("pilot", text)
        # Go names its temporary files with a random number
        text = re.sub(r"(\.tgz)\d+(: no such file)", r"\1<N>\2", text)
        return _TIME.sub("<TIME>", text)

    def run(self, tool: str, argv: list[str], side: str = "a", *, stdin: str | None = None,
            env: dict[str, str] | None = None, raw: bool = False) -> Result:
        """`tool argv` on one side."""
        s = self.sides[side]
        exe = str(HELM if tool == "helm" else PILOT)
        proc = subprocess.run(
            [exe, *argv], cwd=s.work, env=s.env(env), input=stdin, capture_output=True, text=True,
            timeout=600,
        )
        if raw:
            return Result(proc.stdout, proc.stderr, proc.returncode)
        return Result(self._normalise(proc.stdout, tool, "out"), self._normalise(proc.stderr, tool, "err"),
                      proc.returncode)

    def setup(self, argv: list[str], *, tool: str = "helm", sides: tuple[str, ...] = ("a", "b"),
              env: dict[str, str] | None = None) -> None:
        """Bring both sides to the same state with the same (successful) command."""
        for side in sides:
            r = self.run(tool, argv, side, env=env)
            assert r.rc == 0, (argv, r)

    def both(self, argv: list[str], *, side: str | None = None, stdin: str | None = None,
             env: dict[str, str] | None = None) -> tuple[Result, Result]:
        """helm on side a and pilot on side b, or both on `side`."""
        h = self.run("helm", argv, side or "a", stdin=stdin, env=env)
        p = self.run("pilot", argv, side or "b", stdin=stdin, env=env)
        return h, p

    def check(self, argv: list[str], *, v42: Callable[[Result], Result] | None = None, **kw: Any) -> Result:
        """Assert pilot prints and returns exactly what helm does; helm's result.

        ``v42`` turns helm 4.1.4's result into Helm 4.2's where Helm's v4.2 source differs (the
        target is 4.2): each use says why.
        """
        h, p = self.both(argv, **kw)
        Diff.compared += 1
        expected = v42(h) if v42 is not None else h
        assert p.triple() == expected.triple(), explain(argv, expected, p)
        return h


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def static_http(directory: Path) -> Iterator[str]:
    """A plain HTTP server for `directory` on a free port; its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()




def out_plus(extra: str) -> Callable[[Result], Result]:
    """4.2 keeps a template file's trailing newline on its last document (SplitManifests trims only
    the left side since 4.2): the output has ``extra`` more at its end."""
    return lambda r: Result(r.out + extra, r.err, r.rc)


def replaced(stream: str, old: str, new: str) -> Callable[[Result], Result]:
    """4.2 words or lays out something differently: ``old`` becomes ``new`` in one stream."""
    def change(r: Result) -> Result:
        assert old in (r.out if stream == "out" else r.err), old
        if stream == "out":
            return Result(r.out.replace(old, new), r.err, r.rc)
        return Result(r.out, r.err.replace(old, new), r.rc)
    return change


def explain(argv: list[str], expected: Result, got: Result) -> str:
    """A unified diff of what differs, for the failure message."""
    import difflib

    parts = [f"pilot {' '.join(argv)}: exit {got.rc}, helm's {expected.rc}"]
    for name, a, b in (("stdout", expected.out, got.out), ("stderr", expected.err, got.err)):
        if a != b:
            parts.extend(difflib.unified_diff(a.splitlines(), b.splitlines(), f"helm {name}", f"pilot {name}",
                                              lineterm="", n=1))
    return "\n".join(parts[:80])
