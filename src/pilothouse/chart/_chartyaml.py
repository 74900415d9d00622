"""Reading Chart.yaml-like files with yaml.v2's own types.

Chart.yaml, Chart.lock and requirements.yaml are decoded by Helm into Go structs, where the
difference between an integer and a float still matters (``version: 10000000`` stays
``"10000000"``, ``version: 1.0`` becomes ``"1"``). Values files lose that difference; these
files must not, so they are read with yaml.v2's types (`pilothouse.goyaml.load_yaml_v2`) and
converted to struct fields in `pilothouse.chart.metadata`.
"""

from __future__ import annotations

from typing import Any


class Uint64(int):
    """A yaml.v2 uint64 (an integer above int64's range): only its decimal form matters here."""


def decode(data: bytes | str, filename: str = "Chart.yaml") -> Any:
    """Decode the first YAML document of ``data`` as yaml.v2 does into interface{}.

    Maps keep their keys as decoded (they may be non-strings). Raises `ValueError` with the
    message Helm gives (``error converting YAML to JSON: yaml: line 3: ...``).
    """
    from pilothouse import goyaml

    text = data.decode("utf-8", errors="surrogateescape") if isinstance(data, bytes) else data
    try:
        return goyaml.load_yaml_v2(text)
    except goyaml.YAMLError as err:
        raise ValueError(f"error converting YAML to JSON: {err}") from None
