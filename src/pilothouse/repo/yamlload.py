"""Fast YAML reading for large repository files (index.yaml can hold tens of thousands of entries).

PyYAML's C loader is used when present; timestamps are left as strings, because Helm reads
``created`` and ``generated`` through JSON as RFC 3339 text.
"""

from __future__ import annotations

from typing import Any

_LOADER: Any = None


def _loader() -> Any:
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class _NoTimestamps(base):  # type: ignore[misc, valid-type]
            pass

        _NoTimestamps.yaml_implicit_resolvers = {
            k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
            for k, v in base.yaml_implicit_resolvers.items()
        }
        _LOADER = _NoTimestamps
    return _LOADER


def load(data: bytes | str) -> Any:
    """Parse one YAML document; raises ``ValueError`` with the parser's message."""
    import yaml

    try:
        return yaml.load(data, Loader=_loader())  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as err:
        raise ValueError(f"error converting YAML to JSON: {err}") from None
