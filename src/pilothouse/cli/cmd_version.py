"""`pilot version`: Helm's ``version.BuildInfo``, filled with what is true of this build."""

from __future__ import annotations

import argparse
import sys
from typing import ClassVar

from pilothouse.engine.context import HELM_VERSION, KUBE_CLIENT_VERSION
from pilothouse.gotemplate.gotypes import GoObject

# Helm prints the minor of the client-go it was built with: v1.36 for Helm 4.2 (client-go v0.36),
# the same value templates see as .Capabilities.HelmVersion.KubeClientVersion
__all__ = ["KUBE_CLIENT_VERSION", "BuildInfo"]


class BuildInfo(GoObject):
    """``version.BuildInfo``. ``Version`` is the Helm version Pilothouse implements, the one templates
    see as ``.Capabilities.HelmVersion``, so that scripts and plugins that test `helm version` keep
    working with `pilot` (Pilothouse's own release is ``pilothouse.__version__``). Pilothouse is not
    built by Go from a git tree: those fields stay empty, as in a Helm built without them."""

    go_type: ClassVar[str] = "version.BuildInfo"
    go_fields: ClassVar[tuple[str, ...]] = ("Version", "GitCommit", "GitTreeState", "GoVersion",
                                            "KubeClientVersion")

    def __init__(self) -> None:
        self.Version = HELM_VERSION
        self.GitCommit = ""
        self.GitTreeState = ""
        self.GoVersion = ""
        self.KubeClientVersion = KUBE_CLIENT_VERSION

    def go_sharp(self) -> str:
        """Go's ``%#v`` of the struct."""
        return "version.BuildInfo{" + ", ".join(f'{f}:"{getattr(self, f)}"' for f in self.go_fields) + "}"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("version", help="print the version information")
    p.add_argument("--short", action="store_true", help="print the version number")
    p.add_argument("--template", default="", help="template for version string format")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    info = BuildInfo()
    if args.template:
        from pilothouse.gotemplate import TemplateSet

        ts = TemplateSet()
        ts.parse("_", args.template)
        sys.stdout.write(ts.execute("_", info))
        return 0
    if args.short:
        print(info.Version + (f"+g{info.GitCommit[:7]}" if len(info.GitCommit) >= 7 else ""))
    else:
        print(info.go_sharp())
    return 0
