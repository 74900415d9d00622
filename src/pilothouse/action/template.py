"""`pilot template`: render a chart locally, exactly as `helm template` prints it.

The action is an object whose options are its fields; `run` does the work and returns the text
`helm template` would print. The CLI only builds it from flags.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.render import RenderFailed, check_chart, prepare_render, render_resources, write_output_file
from pilothouse.errors import PilothouseError, UsageError
from pilothouse.manifest.split import split_manifests

_SOURCE_RX = re.compile(r"# Source: [^/]+/(.+)")


def release_name_and_chart(args: list[str], *, generate_name: bool = False, name_template: str = "",
                           default_name: str = "") -> tuple[str, str]:
    """Helm's NameAndChart: which argument is the release name and which the chart."""
    if len(args) > 2:
        raise UsageError(f"expected at most two arguments, unexpected arguments: {', '.join(args[2:])}")
    if len(args) == 2:
        if generate_name:
            raise UsageError("cannot set --generate-name and also specify a name")
        if name_template:
            raise UsageError("cannot set --name-template and also specify a name")
        return args[0], args[1]
    if not args:
        raise UsageError("requires at least 1 arg(s), only received 0")
    if name_template:
        return template_name(name_template), args[0]
    if default_name:
        return default_name, args[0]
    if not generate_name:
        raise UsageError("must either provide a name or specify --generate-name")
    base = os.path.basename(args[0].rstrip("/")) or "chart"
    if base == ".":
        base = "chart"
    base = base.split(".", 1)[0]
    return f"{base}-{int(time.time())}", args[0]


def template_name(name_template: str) -> str:
    """Render ``--name-template`` with the template functions (Helm's TemplateName)."""
    from pilothouse.funcs import helm_funcs
    from pilothouse.gotemplate import TemplateSet

    ts = TemplateSet(funcs=helm_funcs())
    ts.parse("name-template", name_template)
    return ts.execute("name-template", {})


@dataclass
class Template:
    """`helm template` as an action object. Fields mirror the flags."""

    release_name: str = "release-name"
    namespace: str = "default"
    values: Mapping[str, Any] = field(default_factory=dict)
    kube_version: str | None = None
    api_versions: list[str] = field(default_factory=list)
    is_upgrade: bool = False
    include_crds: bool = False
    skip_tests: bool = False
    disable_hooks: bool = False
    show_only: list[str] = field(default_factory=list)
    output_dir: str | None = None
    use_release_name: bool = False
    skip_schema_validation: bool = False
    sub_notes: bool = False
    enable_dns: bool = False
    hide_secret: bool = False
    post_renderer: str | None = None
    post_renderer_args: list[str] = field(default_factory=list)
    debug: bool = False
    policies: list[str] = field(default_factory=list)
    policy_mode: str = "enforce"
    # "ordered": print in HIP-0025 apply order with resource-group comments; any other value: as Helm
    wait: str = "hookOnly"

    def run(self, chart: Any) -> str:
        """Render ``chart`` (a loaded chart) and return what `helm template` prints."""
        from pilothouse.engine.render import Engine

        check_chart(chart)
        _check_name(self.release_name)
        top = prepare_render(chart, self.values, name=self.release_name, namespace=self.namespace,
                             is_upgrade=self.is_upgrade, kube_version=self.kube_version,
                             api_versions=self.api_versions, skip_schema_validation=self.skip_schema_validation)
        release_dir = os.path.join(self.output_dir, self.release_name) if (
            self.output_dir and self.use_release_name) else self.output_dir
        try:
            rendered = render_resources(
                chart, top, include_crds=self.include_crds, sub_notes=self.sub_notes, hide_secret=self.hide_secret,
                post_render=self._post_renderer(), engine=Engine(enable_dns=self.enable_dns),
                output_dir=self.output_dir, release_dir=release_dir, gate=self._policy_gate(chart))
        except RenderFailed as err:
            if self.debug:
                # Helm prints what it rendered (trimmed, as the release manifest) before the error
                failed = PilothouseError(str(err))
                failed.partial_output = err.raw.strip() + "\n"  # type: ignore[attr-defined]
                raise failed from None
            raise PilothouseError(f"{err}\n\nUse --debug flag to render out invalid YAML") from None
        from pilothouse.action.sequencing import check_release

        check_release(chart, rendered.manifest)
        text = rendered.manifest.strip() + "\n"
        if self.wait == "ordered" and rendered.manifest.strip():
            from pilothouse.action.sequencing import template_in_order

            # HIP-0025: in the order an install would apply them, resource groups marked by comments
            text = template_in_order(chart, rendered.manifest)
        if not self.disable_hooks:
            for hook in rendered.hooks:
                if self.skip_tests and hook.is_test():
                    continue
                if self.output_dir is None:
                    text += f"---\n# Source: {hook.path}\n{hook.manifest}\n"
                else:
                    target = release_dir or self.output_dir
                    exists = os.path.exists(os.path.join(target, *hook.path.split("/")))
                    write_output_file(target, hook.path, hook.manifest, {hook.path} if exists else set())
        if self.output_dir is not None:
            # Helm still prints the (then empty) main manifest, trimmed, and its newline
            return rendered.manifest.strip() + "\n"
        if self.show_only:
            return self._show_only(text)
        return text

    def _policy_gate(self, chart: Any) -> Callable[..., None] | None:
        from pilothouse.plugin.types.policy import hook

        return hook(self.policies, self.policy_mode, "template", chart)

    def _post_renderer(self) -> Callable[[str], str] | None:
        if not self.post_renderer:
            return None
        # the configuration module is only loaded when a post-renderer is asked for: `template` stays light
        from pilothouse.action.config import post_renderer_func

        return post_renderer_func(self.post_renderer, self.post_renderer_args)

    def _show_only(self, text: str) -> str:
        docs = split_manifests(text)
        chosen: list[str] = []
        for pattern in self.show_only:
            pattern = pattern.replace(os.sep, "/")
            missing = True
            for doc in docs:
                m = _SOURCE_RX.search(doc)
                if not m:
                    continue
                if not _go_path_match(pattern, m.group(1)):
                    continue
                chosen.append(doc)
                missing = False
            if missing:
                raise PilothouseError(f"could not find template {pattern} in chart")
        return "".join(f"---\n{d}\n" for d in chosen)


def _go_path_match(pattern: str, name: str) -> bool:
    """Go's filepath.Match as `helm template --show-only` calls it: a malformed pattern matches nothing."""
    from pilothouse.chart.ignore import BadPattern, go_path_match

    try:
        return go_path_match(pattern, name)
    except BadPattern:
        return False


def _check_name(name: str) -> None:
    """Install's name check, which `helm template` runs too (only the in-use check is skipped)."""
    from pilothouse import slog
    from pilothouse.action.names import validate_release_name
    from pilothouse.errors import ReleaseError

    try:
        validate_release_name(name)
    except ReleaseError as err:
        slog.error("release name check failed", error=f'release name "{name}": {err}')
        raise ReleaseError(f'release name check failed: release name "{name}": {err}') from None
