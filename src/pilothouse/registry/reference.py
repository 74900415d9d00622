"""``oci://host[:port]/repository[:tag][@digest]`` references (Helm's ``registry.reference``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pilothouse.errors import RepoError

_REPO = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


@dataclass
class Reference:
    """A parsed reference; ``tag`` has Helm's ``+`` → ``_`` substitution applied."""

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    @property
    def reference(self) -> str:
        """What goes after ``/manifests/``: the tag, else the digest."""
        return self.tag or self.digest

    def __str__(self) -> str:
        out = f"{self.registry}/{self.repository}"
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def parse_reference(raw: str) -> Reference:
    """Parse a reference with or without ``oci://``; raises `RepoError` on a malformed one."""
    text = raw.removeprefix("oci://")
    digest = ""
    if "@" in text:
        text, digest = text.rsplit("@", 1)
        if not _DIGEST.match(digest):
            raise RepoError(f"invalid reference: invalid digest {digest!r}")
    if "/" not in text:
        raise RepoError(f"invalid reference: missing repository: {raw}")
    registry, rest = text.split("/", 1)
    tag = ""
    last = rest.rsplit("/", 1)[-1]
    if ":" in last:
        rest, tag = rest.rsplit(":", 1)
        tag = tag.replace("+", "_")
        if tag and not _TAG.match(tag):
            raise RepoError(f"invalid reference: invalid tag {tag!r}")
    if not registry or not _REPO.match(rest):
        raise RepoError(f"invalid reference: invalid repository {rest!r}")
    return Reference(registry, rest, tag, digest)
