"""`pilot package`: a chart directory into a reproducible ``.tgz``, optionally signed (Helm's ``action.Package``)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from pilothouse.errors import ChartError, PilothouseError
from pilothouse.repo.getter import Credentials


@dataclass
class Package(Credentials):
    """Options of `helm package`; ``run(path)`` returns the archive's path."""

    sign: bool = False
    key: str = ""
    keyring: str = ""
    passphrase_file: str = ""
    version: str = ""
    app_version: str = ""
    destination: str = "."
    dependency_update: bool = False
    repository_config: str = ""
    repository_cache: str = ""
    plain_http: bool = False
    _passphrase: bytes | None = None

    def run(self, path: str) -> str:
        """Package the chart directory ``path``."""
        from pilothouse.chart.archive import save
        from pilothouse.chart.dependencies import check_dependencies
        from pilothouse.chart.loader import load_dir
        from pilothouse.semver import Version

        if self.dependency_update:
            from pilothouse.action.dependency import Manager

            Manager(chart_path=path, keyring=self.keyring, out=open(os.devnull, "w"),  # noqa: SIM115
                    plain_http=self.plain_http).update()
        chart = load_dir(path)
        assert chart.metadata is not None
        if self.version:
            chart.metadata.version = self.version
        try:
            Version.parse(chart.metadata.version)
        except Exception as err:  # noqa: BLE001 - SemverError with Go's text
            raise ChartError(str(err)) from None
        if self.app_version:
            chart.metadata.app_version = self.app_version
        if chart.metadata.dependencies:
            check_dependencies(chart, hint=False)
        dest = os.getcwd() if self.destination == "." else self.destination
        try:
            name = save(chart, dest)
        except ChartError as err:
            raise ChartError(f"failed to save: {err}") from None
        if self.sign:
            self.clearsign(name)
        return name

    def _fetch_passphrase(self, key_name: str) -> bytes:
        if self._passphrase is not None:
            return self._passphrase
        if self.passphrase_file:
            if self.passphrase_file == "-":
                if sys.stdin.isatty():
                    raise PilothouseError("specified reading passphrase from stdin, without input on stdin")
                line = sys.stdin.buffer.readline()
            else:
                try:
                    with open(self.passphrase_file, "rb") as fh:
                        line = fh.readline()
                except OSError as err:
                    raise PilothouseError(f"open {self.passphrase_file}: {(err.strerror or '').lower()}") from None
            self._passphrase = line.rstrip(b"\r\n")
            return self._passphrase
        import getpass

        return getpass.getpass(f'Password for key "{key_name}" >  ').encode("utf-8")

    def clearsign(self, filename: str) -> None:
        """Write ``filename.prov`` for the archive."""
        from pilothouse import goyaml
        from pilothouse.chart.loader import load_file
        from pilothouse.provenance.sign import Signatory

        signer = Signatory.from_keyring(self.keyring, self.key)
        try:
            chart = load_file(filename)
        except ChartError as err:
            raise ChartError(f"failed to load chart for signing: {err}") from None
        with open(filename, "rb") as fh:
            archive = fh.read()
        assert chart.metadata is not None
        # Helm signs yaml.Marshal(chart.Metadata), dependencies included whatever the apiVersion
        metadata_yaml = goyaml.to_yaml(chart.metadata.to_dict()).encode("utf-8")
        prov = signer.clear_sign(archive, os.path.basename(filename), metadata_yaml,
                                 passphrase=self._fetch_passphrase)
        with open(filename + ".prov", "w", encoding="utf-8") as fh:
            fh.write(prov)

