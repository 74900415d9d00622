"""Splitting one rendered file into YAML documents, as Helm v4.2.0–4.2.3 does.

The separator is Go's ``(?:^|\\s*\\n)---\\s*``: it swallows the whitespace around ``---``, and the
file and each document are only left-trimmed, so the last document of a file keeps its trailing
newline. That detail decides the blank lines of `pilot template` output.

Helm v4.2.4 changed the separator to ``(?m)^---[ \t]*`` ("Fix vanishing empty lines"), which also keeps
the line breaks of a document followed by another in the same file; Pilothouse follows v4.2.3, the
version of its reference SDK and corpus.
"""

from __future__ import annotations

import re

_SEP = re.compile(r"(?:^|\s*\n)---\s*")
# Go's unicode.IsSpace for TrimLeftFunc.
_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


# `_SEP` scanned as is tries `\s*` at every position (3 ms on 150 KB); this finds the same
# separators from their literal "\n---" and then takes in the whitespace before them.
_SEP_TAIL = re.compile(r"\n---\s*")
_SEP_HEAD = re.compile(r"---\s*")


def split_manifests(text: str) -> list[str]:
    """The non-blank documents of ``text`` in file order (Helm's SplitManifests)."""
    text = text.lstrip(_GO_SPACE)
    docs = []
    pos = 0
    if text.startswith("---"):
        pos = _SEP_HEAD.match(text).end()  # type: ignore[union-attr]
    for m in _SEP_TAIL.finditer(text, pos):
        start = m.start()
        while start > pos and text[start - 1].isspace():
            start -= 1
        d = text[pos:start]
        pos = m.end()
        if d.strip(_GO_SPACE):
            docs.append(d.lstrip(_GO_SPACE))
    d = text[pos:]
    if d.strip(_GO_SPACE):
        docs.append(d.lstrip(_GO_SPACE))
    return docs
