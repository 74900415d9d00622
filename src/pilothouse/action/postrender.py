"""Passing rendered files through a post-renderer and back (Helm's "combined" strategy).

Every document is tagged with the file it came from, all documents go to the post-renderer as
one YAML stream, and what comes back is regrouped per file by that tag (documents without one
become ``generated-by-postrender-N.yaml``, N counting every document of the output), as Helm 4's
``annotateAndMerge``/``splitAndDeannotate`` do.

Helm re-serialises every document through kyaml's node trees (key order and comments kept). We
edit the text instead: the tag line is inserted into each document's ``metadata.annotations`` on
the way in, and exactly that line is removed on the way out, so order, comments, quoting and
indentation are kept and nothing is parsed. The shapes the text form cannot handle safely (a
flow-style document, a document that already carries the tag, an indented top level, a quoted
scalar running over several top-level lines, ...) fall back to parsing the document and
emitting it again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from pilothouse.errors import PluginError
from pilothouse.manifest.split import split_manifests

FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename"

_KEY = re.escape(FILENAME_ANNOTATION)
_SQ = r"'(?:[^'\n]|'')*'"
_DQ = r'"(?:[^"\\\n]|\\.)*"'
_PLAIN_VALUE = r"""[^\s"'{\[#&*!|>%@`](?:(?!:[ \t]| #)[^\n])*"""
_SQ_SCALAR = re.compile(_SQ + r"[ \t]*(?:#.*)?$")
_DQ_SCALAR = re.compile(_DQ + r"[ \t]*(?:#.*)?$")
# A top-level line that is not a simple one-line `key: value` (or `key:` opening a block, or a
# block scalar header): the text form cannot be sure where the top-level keys are.
_ODD_TOP_LINE = re.compile(
    rf"""^(?=[^ \t\r\n#])(?!(?:[A-Za-z0-9_./-]+|"[^"\\\n]*"|'[^'\n]*')[ \t]*:"""
    rf"""(?:[ \t]+(?:{_PLAIN_VALUE}|{_SQ}|{_DQ}|\{{[^\n]*\}}|\[[^\n]*\]|[|>][-+0-9]*|&\S+|!\S+))?"""
    r"""[ \t]*(?:#[^\n]*)?\r?$)""", re.M)
_METADATA = re.compile(r"""^(?:metadata|"metadata"|'metadata')[ \t]*:[ \t]*(.*?)[ \t]*\r?$""", re.M)
_TOP_LINE = re.compile(r"^[^ \t\r\n#]", re.M)
_CONTENT_LINE = re.compile(r"^( *)[^ \r\n#]", re.M)
_ANNOTATIONS = re.compile(r"""^( *)(?:annotations|"annotations"|'annotations')[ \t]*:[ \t]*(.*?)[ \t]*\r?$""", re.M)
_MARKER_LINE = re.compile(r"\n(---|\.\.\.)((?:[ \t][^\n]*)?)(?=\n|\Z)")
_DOC_START = re.compile(r"(?:---[ \t]*(?:#[^\n]*)?\r?\n)+")
_KEEP_HEADER = re.compile(r"[ \t][|>](?:\+[0-9]?|[0-9]\+)[ \t]*(?:#.*)?$", re.M)
# the header of a block scalar: `key: |`, `- >-`, `key: &anchor |2+`, with an optional comment
_BLOCK_HEADER = re.compile(r"""^[ \t]*(?:-[ \t]+)*(?:(?:[^\s#'"][^#:]*|"[^"]*"|'[^']*')[ \t]*:[ \t]+)?"""
                           r"""(?:-[ \t]+)*(?:[!&]\S*[ \t]+)*([|>])([-+]?[0-9]?|[0-9][-+]?)[ \t]*(?:#.*)?$""")
_TAG_LINE = re.compile(rf"""^( *)(?:{_KEY}|"{_KEY}"|'{_KEY}')[ \t]*:[ \t]*(.*?)[ \t]*\r?$""", re.M)
# the tag as `_flow_add` writes it into a one-line flow mapping
_TAG_IN_FLOW = re.compile(rf"""(?:, )?annotations: \{{{_KEY}: ({_SQ}|{_DQ})\}}|(?:, )?{_KEY}: ({_SQ}|{_DQ})""")


class _TextUnsafe(Exception):
    """The text form cannot be edited safely; parse and emit instead."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    s = line.lstrip(" ")
    return bool(s) and s[0] not in "#\r\n"


def _quote(value: str) -> str:
    """A string as kyaml writes the tag's value: single-quoted, or double-quoted if it must be."""
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)


def _unquote(text: str) -> str | None:
    """The string a one-line YAML scalar stands for, or None when unsure."""
    if text.startswith("'"):
        if text.endswith("'") and "'" not in text[1:-1]:
            return text[1:-1]  # what we wrote
        m = _SQ_SCALAR.match(text)
        return text[1:text.rfind("'")].replace("''", "'") if m else None
    if text.startswith('"'):
        m = _DQ_SCALAR.match(text)
        if m is None:
            return None
        try:
            return str(json.loads(text[:text.rfind('"') + 1]))
        except ValueError:
            return None
    plain = text.split(" #", 1)[0].strip()
    if not plain or plain[0] in "&*!|>{[@`%#" or ": " in plain or plain in ("~", "null", "Null", "NULL"):
        return None
    return plain


# ---- lines as (start, end) spans of the text, end before the line break ----------------------

def _line_end(doc: str, start: int) -> int:
    end = doc.find("\n", start)
    return len(doc) if end < 0 else end


def _parent_line(doc: str, start: int, indent: int) -> int:
    """Start of the nearest content line above ``start`` indented less than ``indent``, or -1."""
    while start > 0:
        start = doc.rfind("\n", 0, start - 1) + 1
        line = doc[start:_line_end(doc, start)]
        if _is_content(line) and _indent(line) < indent:
            return start
    return -1


def _has_children(doc: str, start: int, ind: int | None = None) -> bool:
    """Whether the key on the line at ``start`` (indented ``ind``) has more-indented content
    lines below it."""
    end = doc.find("\n", start)
    if end < 0:
        return False
    if ind is None:
        ind = _indent(doc[start:end])
    m = _CONTENT_LINE.search(doc, end + 1)
    return m is not None and len(m.group(1)) > ind


def _ensure_newline(doc: str) -> str:
    """``doc`` ending in exactly one line break, meaning what it meant.

    Helm's splitting strips the line breaks after every document but the last, and kyaml writes
    a document's end the same way whatever the input had. Dropping or adding line breaks there
    is harmless unless the document ends inside a block scalar: one that had no final line break
    becomes ``|-``, a ``|+`` with one becomes ``|``, as kyaml writes them.
    """
    stripped = len(doc.rstrip(" \t\r\n"))
    cut = doc.find("\n", stripped)
    body = doc if cut < 0 else doc[:cut]
    breaks = doc.count("\n", len(body))
    if "|" not in body and ">" not in body:
        return body + "\n"  # no block scalar anywhere
    start = body.rfind("\n") + 1
    cur = _indent(body[start:])
    header = -1  # the outermost block scalar header above the last line
    while start > 0 and cur > 0:
        start = _parent_line(body, start, cur)
        if start < 0:
            break
        line = body[start:_line_end(body, start)]
        cur = _indent(line)
        if _BLOCK_HEADER.match(line):
            header = start
    if header < 0:
        return body + "\n"
    m = _BLOCK_HEADER.match(body[header:_line_end(body, header)])
    assert m is not None
    indicator = m.group(2).replace("+", "").replace("-", "")
    chomp = "-" if "-" in m.group(2) else "+" if "+" in m.group(2) else ""
    if chomp == "+" and breaks > 1:
        return body + "\n" * breaks
    if breaks == 0 and chomp != "-":
        chomp = "-"
    elif chomp == "+":
        chomp = ""
    return body[:header + m.start(2)] + indicator + chomp + body[header + m.end(2):] + "\n"


# ---- annotating ------------------------------------------------------------------------------

def _flow_add(line: str, flow: str, entry: str) -> str:
    """``line`` with ``entry`` added at the end of its one-line flow mapping ``flow``."""
    flow = flow.split(" #", 1)[0].rstrip()
    body = flow[1:-1].strip()
    return line.replace(flow, "{" + (f"{body}, " if body else "") + entry + "}", 1)


def _annotate_text(doc: str, tag: str) -> str | None:
    """``doc`` with the ``tag`` line added to its metadata.annotations; None for a comment-only one.

    Raises _TextUnsafe when the text cannot be edited safely.
    """
    if FILENAME_ANNOTATION in doc:
        raise _TextUnsafe  # kyaml would overwrite it; keep that rare case exact
    if doc.startswith("---"):
        marker = _DOC_START.match(doc)  # explicit document starts left over by Helm's splitting
        if marker is None:
            raise _TextUnsafe
        doc = doc[marker.end():]
    first = _CONTENT_LINE.search(doc)
    if first is None:
        return None
    if first.group(1) or _ODD_TOP_LINE.search(doc):
        raise _TextUnsafe
    doc = _ensure_newline(doc)
    m = _METADATA.search(doc)
    if m is None:
        return f"{doc}metadata:\n  annotations:\n    {tag}\n"
    if _METADATA.search(doc, m.end()):
        raise _TextUnsafe
    val = m.group(1)
    if val and not val.startswith("#"):
        if not val.startswith("{") or "annotations" in val:
            raise _TextUnsafe
        return doc[:m.start()] + _flow_add(m.group(0), val, "annotations: {" + tag + "}") + doc[m.end():]
    block = m.end() + 1
    nxt = _TOP_LINE.search(doc, block)
    block_end = nxt.start() if nxt else len(doc)
    child = _CONTENT_LINE.search(doc, block, block_end)
    if child is None:
        return f"{doc[:block]}  annotations:\n    {tag}\n{doc[block:]}"
    n = len(child.group(1))
    if doc.startswith("- ", child.end() - 1) or (doc.find("+", block, block_end) >= 0
                                                  and _KEEP_HEADER.search(doc, block, block_end)):
        raise _TextUnsafe  # a sequence, or trailing blank lines that belong to a value
    anns = [a for a in _ANNOTATIONS.finditer(doc, block, block_end) if len(a.group(1)) == n] \
        if doc.find("annotations", block, block_end) >= 0 else []
    if len(anns) > 1:
        raise _TextUnsafe
    if not anns:
        at = _last_content_end(doc, block, block_end)
        return f"{doc[:at]}{' ' * n}annotations:\n{' ' * (2 * n)}{tag}\n{doc[at:]}"
    a = anns[0]
    aval = a.group(2)
    if aval.startswith("{"):
        return doc[:a.start()] + _flow_add(a.group(0), aval, tag) + doc[a.end():]
    if aval and not aval.startswith("#"):
        raise _TextUnsafe  # an alias, a tag, null, or not a mapping
    sub = a.end() + 1
    sib = next((s for s in _CONTENT_LINE.finditer(doc, sub, block_end) if len(s.group(1)) <= n), None)
    sub_end = sib.start() if sib else block_end
    first_child = _CONTENT_LINE.search(doc, sub, sub_end)
    if first_child is None:
        at, ind = sub, 2 * n
    else:
        if doc.startswith("- ", first_child.end() - 1):
            raise _TextUnsafe
        at, ind = _last_content_end(doc, sub, sub_end), len(first_child.group(1))
    return f"{doc[:at]}{' ' * ind}{tag}\n{doc[at:]}"


def _last_content_end(doc: str, start: int, end: int) -> int:
    """Where a line goes after the last content line of ``doc[start:end]`` (a block's end)."""
    last = doc.rfind("\n", start, end - 1) + 1
    if last >= start and _is_content(doc[last:end]):
        return end  # the usual case: the block ends with a content line
    found = None
    for found in _CONTENT_LINE.finditer(doc, start, end):  # noqa: B007 - the last one is wanted
        pass
    if found is None:
        return start
    return min(_line_end(doc, found.start()) + 1, len(doc))


def _annotate_parsed(doc: str, fname: str) -> str | None:
    """The fallback: parse the document, set the annotation, emit it again."""
    from pilothouse.goyaml import YAMLError, load_yaml, to_yaml

    try:
        obj = load_yaml(doc)
    except YAMLError as err:
        raise PluginError(f"error merging manifests: parsing {fname}: {err}") from None
    if not isinstance(obj, dict):
        return None
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise PluginError(f"error merging manifests: annotating {fname}: metadata is not a map")
    ann = meta.get("annotations")
    if not isinstance(ann, dict):
        ann = meta["annotations"] = {}
    ann[FILENAME_ANNOTATION] = fname
    return to_yaml(obj)


def annotate(doc: str, fname: str, tag: str | None = None) -> str | None:
    """One document with its file name added as the tag annotation (None: not a manifest)."""
    try:
        return _annotate_text(doc, tag or f"{FILENAME_ANNOTATION}: {_quote(fname)}")
    except _TextUnsafe:
        return _annotate_parsed(doc, fname)


def annotate_and_merge(files: Mapping[str, str]) -> str:
    """One YAML stream of every document, each annotated with its file name."""
    out: list[str] = []
    for name in sorted(files):
        content = files[name]
        if name.rsplit("/", 1)[-1].startswith("_") or not content.strip():
            continue
        tag = f"{FILENAME_ANNOTATION}: {_quote(name)}"
        for doc in split_manifests(content):
            annotated = annotate(doc, name, tag)
            if annotated is not None:
                out.append(annotated)
    return "---\n".join(out)


# ---- taking the tag out again ------------------------------------------------------------------

def _deannotate_text(doc: str) -> tuple[str | None, str]:
    """(file name, document without the tag); raises _TextUnsafe."""
    at = doc.find(FILENAME_ANNOTATION)
    if doc.find(FILENAME_ANNOTATION, at + 1) >= 0:
        raise _TextUnsafe
    ls = doc.rfind("\n", 0, at) + 1
    m = _TAG_LINE.match(doc, ls)
    if m is None:
        return _deannotate_flow(doc)
    name = _unquote(m.group(2))
    ind = len(m.group(1))
    if name is None or ind == 0 or _has_children(doc, ls, ind):
        raise _TextUnsafe  # the value goes on over more lines
    a = _parent_line(doc, ls, ind)
    ann = _ANNOTATIONS.match(doc, a) if a >= 0 else None
    if ann is None or ann.group(2)[:1] not in ("", "#"):
        raise _TextUnsafe
    # metadata: the nearest top-level line above, with nothing but its own block between
    meta = doc.rfind("\nmetadata", 0, a) + 1
    top = _METADATA.match(doc, meta) if meta or doc.startswith("metadata") else None
    if top is None or top.group(1)[:1] not in ("", "#") or _TOP_LINE.search(doc, top.end(), a):
        raise _TextUnsafe
    doc = doc[:ls] + doc[m.end() + 1:]
    if not _has_children(doc, a, len(ann.group(1))):
        doc = doc[:a] + doc[_line_end(doc, a) + 1:]
        if not _has_children(doc, meta, 0):
            end = _line_end(doc, meta)
            doc = doc[:end].rstrip() + " {}" + doc[end:]
    return name, doc


def _deannotate_flow(doc: str) -> tuple[str | None, str]:
    """The tag as `_flow_add` wrote it into a one-line flow mapping under metadata."""
    m = _TAG_IN_FLOW.search(doc)
    if m is None or _TAG_IN_FLOW.search(doc, m.end()):
        raise _TextUnsafe
    start = doc.rfind("\n", 0, m.start()) + 1
    line = doc[start:_line_end(doc, start)]
    if not (line.startswith("metadata:") or _ANNOTATIONS.match(line) and _indent(line) > 0):
        raise _TextUnsafe
    name = _unquote(m.group(1) or m.group(2))
    if name is None:
        raise _TextUnsafe
    doc = doc[:m.start()] + doc[m.end():]
    if not doc[start:_line_end(doc, start)].strip():
        doc = doc[:start] + doc[_line_end(doc, start) + 1:]  # `annotations: {tag}` was the whole line
    return name, doc


def _deannotate_parsed(doc: str) -> tuple[str | None, str | None]:
    from pilothouse.goyaml import YAMLError, load_yaml, to_yaml

    try:
        obj = load_yaml(doc)
    except YAMLError as err:
        raise PluginError(f"error while parsing post rendered output: error parsing YAML: {err}") from None
    if not isinstance(obj, dict):
        return None, None
    name = None
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        ann = meta["annotations"]
        name = ann.pop(FILENAME_ANNOTATION, None)
        if not ann:
            del meta["annotations"]
    return (name if isinstance(name, str) and name else None), to_yaml(obj)


def _check_shape(doc: str) -> None:
    """Parse a document whose top level does not look like plain YAML, for a clear error early."""
    marker = _DOC_START.match(doc)
    if _ODD_TOP_LINE.search(doc, marker.end() if marker else 0):
        from pilothouse.goyaml import YAMLError, load_yaml

        try:
            load_yaml(doc)
        except YAMLError as err:
            raise PluginError(f"error while parsing post rendered output: error parsing YAML: {err}") from None


def _yaml_documents(stream: str) -> list[str]:
    """The non-blank documents of a YAML stream, split at its document markers as a YAML parser
    does (kyaml here, in Helm): unlike Helm's SplitManifests, a document keeps the line break
    before the next ``---``, which is part of a block scalar that ends the document."""
    docs = []
    # a literal "\n" first lets the regex engine skip ahead; a marker on the first line is
    # found by looking at the stream as if a line break came before it
    text = "\n" + stream
    begin = 1
    for m in _MARKER_LINE.finditer(text):
        docs.append(text[begin:m.start() + 1])
        begin = m.end() + 1
        rest = m.group(2).strip()
        if m.group(1) == "---" and rest and not rest.startswith("#"):
            begin = m.start() + 1  # content on the marker line (`--- !tag`) belongs to the document
    docs.append(text[begin:])
    return [d for d in docs if d.strip()]


def split_and_deannotate(stream: str, fallback_prefix: str = "") -> dict[str, str]:
    """Regroup a post-renderer's output stream per original file, removing the tag.

    A document without the tag becomes ``generated-by-postrender-[PREFIX-]N.yaml``, N being its
    position in the stream.
    """
    prefix = f"{fallback_prefix}-" if fallback_prefix else ""
    grouped: dict[str, list[str]] = {}
    for i, doc in enumerate(_yaml_documents(stream)):
        text: str | None
        if FILENAME_ANNOTATION not in doc:
            _check_shape(doc)
            name, text = None, doc
        else:
            try:
                name, text = _deannotate_text(doc)
            except _TextUnsafe:
                name, text = _deannotate_parsed(doc)
        if text is None:
            continue
        grouped.setdefault(name or f"generated-by-postrender-{prefix}{i}.yaml", []).append(_ensure_newline(text))
    return {name: "---\n".join(docs) for name, docs in grouped.items()}


def apply_post_renderer(files: Mapping[str, str], run: Callable[[str], str]) -> dict[str, str]:
    """Run ``run`` (the post-renderer) over the merged stream and regroup its output."""
    merged = annotate_and_merge(files)
    try:
        result = run(merged)
    except PluginError as err:
        raise PluginError(f"error while running post render on files: {err}") from None
    return split_and_deannotate(result)
