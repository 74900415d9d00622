"""`pilot push CHART.tgz oci://REMOTE`: upload an archive (and its ``.prov``) to a registry (Helm's ``action.Push``)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from pilothouse.errors import PilothouseError, RepoError
from pilothouse.registry import is_oci
from pilothouse.repo.getter import Credentials


@dataclass
class Push(Credentials):
    """Options of `helm push`; ``run`` returns what the registry client printed."""

    plain_http: bool = False
    registry_client: object | None = None

    def run(self, chart_ref: str, remote: str) -> str:
        """Push ``chart_ref`` under ``remote/<name>:<version>``."""
        from datetime import datetime

        from pilothouse.chart.loader import load_file

        if not is_oci(remote):
            if "://" in remote:
                raise RepoError(f'scheme "{remote.split("://")[0]}" not supported')
            if ":" in remote.split("/", 1)[0]:
                # Go's url.Parse refuses a colon in the first segment of a URL without a scheme
                raise RepoError(f"invalid chart URL format: {remote}")
            raise RepoError('scheme prefix missing from remote (e.g. "oci://")')
        try:
            st = os.stat(chart_ref)
        except FileNotFoundError:
            raise PilothouseError(f"{chart_ref}: no such file") from None
        if os.path.isdir(chart_ref):
            raise PilothouseError("cannot push directory, must provide chart archive (.tgz)")
        chart = load_file(chart_ref)
        assert chart.metadata is not None
        out = io.StringIO()
        client = self.registry_client or self.new_registry_client(plain_http=self.plain_http, out=out)
        with open(chart_ref, "rb") as fh:
            data = fh.read()
        prov = None
        if os.path.exists(chart_ref + ".prov"):
            with open(chart_ref + ".prov", "rb") as fh:
                prov = fh.read()
        base = remote.removeprefix("oci://").rstrip("/")
        ref = f"{base}/{chart.metadata.name}:{chart.metadata.version}"
        created = datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds").replace("+00:00", "Z")
        client.push(data, ref, prov_data=prov, creation_time=created)  # type: ignore[attr-defined]
        return out.getvalue()
