"""Splitting one rendered file into YAML documents, as Helm v4.2.0–4.2.3 does.

The separator is Go's ``(?:^|\\s*\\n)---\\s*``: it swallows the whitespace around ``---``, and the
file and each document are only left-trimmed, so the last document of a file keeps its trailing
newline. That detail decides the blank lines of `pilot template` output.
"""

from __future__ import annotations

import re

_SEP = re.compile(r"(?:^|\s*\n)---\s*")
# Go's unicode.IsSpace for TrimLeftFunc.
_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def split_manifests(text: str) -> list[str]:
    """The non-blank documents of ``text`` in file order (Helm's SplitManifests)."""
    docs = []
    for d in _SEP.split(text.lstrip(_GO_SPACE)):
        if not d.strip(_GO_SPACE):
            continue
        docs.append(d.lstrip(_GO_SPACE))
    return docs
