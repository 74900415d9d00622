"""The one exception hierarchy of Pilothouse.

Every error a user can cause derives from `PilothouseError`; the CLI turns it into
``Error: <message>`` and a non-zero exit in one place (`pilothouse.cli.main`). Anything else
that escapes is a bug in Pilothouse and is reported as one.
"""

from __future__ import annotations


class PilothouseError(Exception):
    """Base of every error Pilothouse reports to its user."""

    exit_code: int = 1


class ChartError(PilothouseError):
    """A chart cannot be loaded or is invalid (Chart.yaml, archive, dependencies)."""


class ValuesError(PilothouseError):
    """Values cannot be read, parsed (`--set`, `-f`) or do not match the chart's schema."""


class TemplateError(PilothouseError):
    """A template cannot be parsed or executed. The message is Helm's."""


class ManifestError(PilothouseError):
    """A rendered manifest is not valid YAML, or cannot be sorted into resources and hooks."""


class PluginError(PilothouseError):
    """A plugin cannot be loaded, installed, or failed while running."""


class ReleaseError(PilothouseError):
    """A release operation failed or a release record is unreadable."""


class KubeError(PilothouseError):
    """The Kubernetes API refused or failed a request."""


class RepoError(PilothouseError):
    """A chart repository or registry operation failed."""


class UsageError(PilothouseError):
    """The command line itself is wrong (unknown flag, missing argument)."""
