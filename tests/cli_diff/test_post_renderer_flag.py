"""`--post-renderer` is parsed as Helm's postRendererString: named once, looked up when parsed, an empty
value ignored (pkg/cmd/flags.go). Pilot against helm, with a post-renderer plugin of our own."""

from __future__ import annotations

import os
import shlex
import stat

import pytest

PLUGIN_YAML = """apiVersion: v1
name: "upcase-notes"
version: "0.1.0"
type: postrenderer/v1
runtime: subprocess
runtimeConfig:
  platformCommand:
  - command: "${HELM_PLUGIN_DIR}/run.sh"
"""
# a post-renderer that hands the manifests back with a comment added (what it prints is not compared here:
# only how the flag is parsed)
RUN_SH = "#!/bin/sh\nprintf '# post-rendered\\n'\ncat\n"

W = "charts/web"
LINES = [
    f"template r1 {W} --post-renderer upcase-notes --post-renderer upcase-notes",
    f"template r1 {W} --post-renderer upcase-notes --post-renderer other",
    f"install r1 {W} --post-renderer upcase-notes --post-renderer=other",
    f"upgrade r1 {W} --post-renderer upcase-notes --post-renderer upcase-notes",
    # unknown: a flag error, before the chart is even looked for
    f"template r1 {W} --post-renderer nope",
    "template r1 charts/missing --post-renderer nope",
    # an empty value is ignored wherever it comes
    f"template r1 {W} --post-renderer '' --post-renderer nope",
    f"template r1 {W} --post-renderer nope --post-renderer ''",
    f"template r1 {W} --post-renderer=''",
]


def _install_plugin(diff) -> None:
    for side in diff.sides.values():
        d = side.root / "plugins" / "upcase-notes"
        d.mkdir(parents=True)
        (d / "plugin.yaml").write_text(PLUGIN_YAML)
        (d / "run.sh").write_text(RUN_SH)
        os.chmod(d / "run.sh", stat.S_IRWXU)


@pytest.mark.parametrize("line", LINES)
def test_post_renderer_flag_as_helm(diff, line):
    _install_plugin(diff)
    diff.check(shlex.split(line))
