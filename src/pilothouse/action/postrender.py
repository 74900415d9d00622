"""Passing rendered files through a post-renderer and back (Helm's "combined" strategy).

Every document is tagged with the file it came from, all documents go to the post-renderer as
one YAML stream, and what comes back is regrouped per file by that tag (documents without one
become ``generated-by-postrender-N.yaml``), as Helm 4 does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pilothouse.errors import PluginError
from pilothouse.manifest.split import split_manifests

FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename"


def _dump(doc: object) -> str:
    from pilothouse.goyaml import to_yaml

    return to_yaml(doc)


def annotate_and_merge(files: Mapping[str, str]) -> str:
    """One YAML stream of every document, each annotated with its file name."""
    from pilothouse.goyaml import YAMLError, load_yaml

    out: list[str] = []
    for name in sorted(files):
        content = files[name]
        if name.rsplit("/", 1)[-1].startswith("_") or not content.strip():
            continue
        for doc in split_manifests(content):
            try:
                obj = load_yaml(doc)
            except YAMLError as err:
                raise PluginError(f"error merging manifests: {name}: {err}") from None
            if not isinstance(obj, dict):
                continue
            meta = obj.setdefault("metadata", {})
            if not isinstance(meta, dict):
                raise PluginError(f"error merging manifests: {name}: metadata is not a map")
            ann = meta.get("annotations")
            if not isinstance(ann, dict):
                ann = meta["annotations"] = {}
            ann[FILENAME_ANNOTATION] = name
            out.append(_dump(obj))
    return "".join("---\n" + d for d in out)


def split_and_deannotate(stream: str) -> dict[str, str]:
    """Regroup a post-renderer's output stream per original file, removing the tag."""
    from pilothouse.goyaml import YAMLError, load_yaml

    files: dict[str, str] = {}
    generated = 0
    for doc in split_manifests(stream):
        try:
            obj = load_yaml(doc)
        except YAMLError as err:
            raise PluginError(f"error while parsing post rendered output: {err}") from None
        if not isinstance(obj, dict):
            continue
        name = None
        meta = obj.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
            ann = meta["annotations"]
            name = ann.pop(FILENAME_ANNOTATION, None)
            if not ann:
                del meta["annotations"]
        if not isinstance(name, str):
            name = f"generated-by-postrender-{generated}.yaml"
            generated += 1
        text = _dump(obj)
        files[name] = files[name] + "\n---\n" + text if name in files else text
    return files


def apply_post_renderer(files: Mapping[str, str], run: Callable[[str], str]) -> dict[str, str]:
    """Run ``run`` (the post-renderer) over the merged stream and regroup its output."""
    merged = annotate_and_merge(files)
    try:
        result = run(merged)
    except PluginError as err:
        raise PluginError(f"error while running post render on files: {err}") from None
    return split_and_deannotate(result)
