"""`pilot registry login|logout` (Helm's ``action.RegistryLogin``/``RegistryLogout``)."""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass
class RegistryLogin:
    """Check credentials against a registry and store them in Helm's credential file."""

    username: str = ""
    password: str = ""
    insecure: bool = False
    plain_http: bool = False
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    credentials_file: str = ""

    def run(self, host: str) -> str:
        """Log in to ``host``; returns ``Login Succeeded``."""
        from pilothouse.registry.client import RegistryClient

        out = io.StringIO()
        client = RegistryClient(credentials_file=self.credentials_file or None, plain_http=self.plain_http,
                                insecure=self.insecure, cert_file=self.cert_file, key_file=self.key_file,
                                ca_file=self.ca_file, out=out)
        try:
            client.login(host.removeprefix("oci://"), self.username, self.password)
        finally:
            client.close()
        return out.getvalue()


@dataclass
class RegistryLogout:
    """Remove a registry's stored credentials."""

    credentials_file: str = ""

    def run(self, host: str) -> str:
        """Log out of ``host``."""
        from pilothouse.registry.client import RegistryClient

        out = io.StringIO()
        RegistryClient(credentials_file=self.credentials_file or None, out=out).logout(host.removeprefix("oci://"))
        return out.getvalue()
