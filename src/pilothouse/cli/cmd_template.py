"""`pilot template [NAME] CHART`: flags as `helm template` has them."""

from __future__ import annotations

import argparse
import os
import sys


def _csv(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def add_render_flags(p: argparse.ArgumentParser, *, naming: bool = True) -> None:
    """Flags template, install and upgrade share for rendering (``naming``: --name-template and
    --generate-name, which upgrade does not have)."""
    from pilothouse.cli.flag_values import checked
    from pilothouse.cli.post_renderer_flag import PostRendererOnce, check
    from pilothouse.cli.values_flags import add_values_flags

    add_values_flags(p)
    checked(p.add_argument("--post-renderer", default=None, action=PostRendererOnce,
                           help="the name of a postrenderer plugin, or a path to an executable"), check)
    p.add_argument("--post-renderer-args", action="append", default=[], help="an argument to the post-renderer")
    p.add_argument("--policy", action="append", default=[], help="a policy/v1 plugin to check the manifests with "
                   "(repeatable)")
    p.add_argument("--policy-mode", default="enforce", choices=("enforce", "audit"),
                   help="enforce: a deny stops the operation; audit: report and go on")
    p.add_argument("--skip-schema-validation", action="store_true", help="disable JSON schema validation")
    p.add_argument("--enable-dns", action="store_true", help="enable DNS lookups when rendering templates")
    p.add_argument("--render-subchart-notes", action="store_true", help="render subchart notes along with the parent")
    p.add_argument("--dependency-update", action="store_true", help="update dependencies before rendering")
    p.add_argument("--version", default="", help="a version constraint for the chart version to use")
    p.add_argument("--devel", action="store_true", help="use development versions, too")
    p.add_argument("--no-hooks", action="store_true", help="prevent hooks from running (template: not printed)")
    if naming:
        p.add_argument("--name-template", default="", help="specify template used to name the release")
        p.add_argument("-g", "--generate-name", action="store_true",
                       help="generate the name (and omit the NAME parameter)")
    p.add_argument("--description", default="", help="add a custom description")
    p.add_argument("--repo", default="", help="chart repository url where to locate the requested chart")
    p.add_argument("--plain-http", action="store_true", help="use insecure HTTP connections for the chart download")
    p.add_argument("--verify", action="store_true", help="verify the package before using it")
    p.add_argument("--keyring", default="", help="location of public keys used for verification")


def locate_chart(args: argparse.Namespace, chart_ref: str) -> str:
    """A local path for ``chart_ref``: itself, or the chart downloaded from a repository or registry
    (``repo/chart``, ``oci://``, a URL or a getter plugin's scheme), with the command's credentials."""
    repo = getattr(args, "repo", "") or ""
    verify = bool(getattr(args, "verify", False))
    if repo or verify or not os.path.exists(chart_ref):
        from pilothouse.action.pull import locate_chart as locate
        from pilothouse.repo.getter import GetterOptions

        opts = GetterOptions(
            plain_http=bool(getattr(args, "plain_http", False)),
            username=getattr(args, "username", "") or "",
            password=getattr(args, "password", "") or "",
            cert_file=getattr(args, "cert_file", "") or "",
            key_file=getattr(args, "key_file", "") or "",
            ca_file=getattr(args, "ca_file", "") or "",
            insecure_skip_tls_verify=bool(getattr(args, "insecure_skip_tls_verify", False)),
            pass_credentials_all=bool(getattr(args, "pass_credentials", False)),
        )
        version = getattr(args, "version", "") or ""
        if not version and getattr(args, "devel", False):
            version = ">0.0.0-0"
        # registry messages (Pulled:, Digest:) go to stdout in Helm 4.2 (its registry client writes
        # to the command's output since helm/helm#32056)
        return locate(chart_ref, version, verify=verify, keyring=getattr(args, "keyring", "") or "",
                      repo_url=repo, options=opts, out=sys.stdout)
    return chart_ref


def located_with_debug_lines(args: argparse.Namespace, chart_ref: str) -> str:
    """`locate_chart` with the debug lines Helm's runInstall logs around it."""
    from pilothouse import slog

    version = getattr(args, "version", "") or ""
    slog.debug("Original chart version", version=version)
    if not version and getattr(args, "devel", False):
        slog.debug("setting version to >0.0.0-0")
    path = locate_chart(args, chart_ref)
    slog.debug("Chart path", path=os.path.abspath(path) if os.path.exists(path) else path)
    return path


def _wait_value(value: str) -> str:
    """``--wait`` as install parses it (kept here: template must not import the install command)."""
    from pilothouse.errors import UsageError

    strategy = {"true": "watcher", "false": "hookOnly"}.get(value, value)
    if strategy not in ("watcher", "hookOnly", "legacy", "ordered"):
        raise UsageError(f'invalid argument "{value}" for "--wait" flag: invalid wait input "{value}". Valid inputs '
                         "are watcher, hookOnly, legacy, and ordered")
    return strategy


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="locally render templates", usage="pilot template [NAME] [CHART] [flags]")
    p.add_argument("args", nargs="*", metavar="[NAME] CHART")
    add_render_flags(p)
    p.add_argument("-s", "--show-only", action="append", default=[], help="only show manifests rendered from the given templates")
    p.add_argument("--output-dir", default=None, help="writes the executed templates to files in output-dir")
    p.add_argument("--include-crds", action="store_true", help="include CRDs in the templated output")
    p.add_argument("--skip-crds", action="store_true", help="no CRDs will be installed (accepted for compatibility)")
    p.add_argument("--skip-tests", action="store_true", help="skip tests from templated output")
    p.add_argument("--is-upgrade", action="store_true", help="set .Release.IsUpgrade instead of .Release.IsInstall")
    p.add_argument("--kube-version", default=None, help="Kubernetes version used for Capabilities.KubeVersion")
    p.add_argument("-a", "--api-versions", action="append", default=[], type=_csv,
                   help="Kubernetes api versions used for Capabilities.APIVersions")
    p.add_argument("--release-name", action="store_true", help="use release name in the output-dir path")
    from pilothouse.cli.dry_run_flag import BARE, TEMPLATE_USAGE

    p.add_argument("--dry-run", nargs="?", const=BARE, default="client", help=TEMPLATE_USAGE)
    p.add_argument("--validate", action="store_true", help="deprecated: use --dry-run=server")
    from pilothouse.cli.flag_values import checked, wait_input

    checked(p.add_argument("--wait", nargs="?", const="watcher", default="hookOnly",
                           help="accepted as helm does; with ordered, print in HIP-0025 order with resource-group "
                                "comments"), wait_input)
    from pilothouse.cli.template_install_flags import add_template_install_flags

    add_template_install_flags(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.template import Template, release_name_and_chart
    from pilothouse.cli.chart_loading import load_release_chart
    from pilothouse.cli.dry_run_flag import dry_run_value
    from pilothouse.cli.values_flags import values_from_args
    from pilothouse.errors import PilothouseError

    args.dry_run = dry_run_value(args.dry_run, template=True)
    name, chart_ref = release_name_and_chart(args.args, generate_name=args.generate_name,
                                             name_template=args.name_template, default_name="release-name")
    chart = load_release_chart(located_with_debug_lines(args, chart_ref), dependency_update=args.dependency_update,
                               keyring=args.keyring, out=sys.stderr, install=True)
    action = Template(
        release_name=name,
        namespace=args.namespace or os.environ.get("HELM_NAMESPACE") or "default",
        values=values_from_args(args),
        kube_version=args.kube_version,
        api_versions=[v for group in args.api_versions for v in group],
        is_upgrade=args.is_upgrade,
        include_crds=args.include_crds,
        skip_tests=args.skip_tests,
        disable_hooks=args.no_hooks,
        show_only=args.show_only,
        output_dir=args.output_dir,
        use_release_name=args.release_name,
        skip_schema_validation=args.skip_schema_validation,
        sub_notes=args.render_subchart_notes,
        enable_dns=args.enable_dns,
        hide_secret=getattr(args, "hide_secret", False),
        post_renderer=args.post_renderer,
        post_renderer_args=args.post_renderer_args,
        debug=args.debug,
        policies=args.policy,
        policy_mode=args.policy_mode,
        wait=_wait_value(args.wait),
    )
    try:
        text = action.run(chart)
    except PilothouseError as err:
        partial = getattr(err, "partial_output", None)
        if partial is not None:
            sys.stdout.write(partial)
            sys.stdout.flush()
        raise
    sys.stdout.write(text)
    return 0
