"""A release as Go templates see it (`pilot get all --template`): Helm's struct field names, not JSON keys."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from pilothouse.gotemplate.gotypes import GoObject


class _Struct(GoObject):
    """A Go struct value whose exported fields are attributes of the same name."""

    go_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **fields: Any) -> None:
        for name in self.go_fields:
            setattr(self, name, fields.get(name))


def _struct(go_type: str, fields: str) -> type[_Struct]:
    # a pointer type prints as Go prints pointers: &{...} when handed to a function, an address inside
    # another value, the struct itself when the template prints it (text/template dereferences)
    return type(go_type.strip("*").replace(".", "_"), (_Struct,),
                {"go_type": go_type, "go_kind": "ptr" if go_type.startswith("*") else "struct",
                 "go_fields": tuple(fields.split())})


def _list_type(go_type: str) -> type[list]:
    return type("List_" + go_type.strip("[]*").replace(".", "_"), (list,), {"__slots__": (), "go_type": go_type})


class _StrMap(dict):
    """A Go map[string]string (labels, annotations)."""

    go_type = "map[string]string"


HookList = _list_type("[]*v1.Hook")
FileList = _list_type("[]*common.File")
DependencyList = _list_type("[]*v2.Dependency")
MaintainerList = _list_type("[]*v2.Maintainer")
StringList = _list_type("[]string")
EventList = _list_type("[]v1.HookEvent")
DeletePolicyList = _list_type("[]v1.HookDeletePolicy")
OutputLogPolicyList = _list_type("[]v1.HookOutputLogPolicy")

ReleaseV = _struct("*v1.Release", "Name Info Chart Config Manifest Hooks Version Namespace Labels ApplyMethod")
InfoV = _struct("*v1.Info", "FirstDeployed LastDeployed Deleted Description Status Notes Resources")
HookV = _struct("*v1.Hook", "Name Kind Path Manifest Events LastRun Weight DeletePolicies OutputLogPolicies")
HookExecutionV = _struct("v1.HookExecution", "StartedAt CompletedAt Phase")
ChartV = _struct("*v2.Chart", "Raw Metadata Lock Templates Values Schema SchemaModTime Files ModTime")
MetadataV = _struct("*v2.Metadata", "Name Home Sources Version Description Keywords Maintainers Icon APIVersion "
                    "Condition Tags AppVersion Deprecated Annotations KubeVersion Dependencies Type")
MaintainerV = _struct("*v2.Maintainer", "Name Email URL")
DependencyV = _struct("*v2.Dependency", "Name Version Repository Condition Tags Enabled ImportValues Alias")
FileV = _struct("*common.File", "Name ModTime Data")


def go_time(text: str) -> Any:
    """A stored RFC 3339 time as Go's time.Time (the zero time when absent)."""
    from pilothouse.funcs.gotime import UTC, FixedZone, GoTime
    from pilothouse.release import timeutil

    parsed = timeutil.parse(text or "")
    if parsed is None:
        return GoTime.zero()
    dt, ns = parsed
    offset = int(dt.utcoffset().total_seconds()) if dt.utcoffset() else 0
    loc = UTC if offset == 0 else FixedZone("", offset)
    return GoTime(int(dt.replace(microsecond=0).timestamp()), ns, loc)


def _metadata(md: dict[str, Any]) -> Any:
    return MetadataV(
        Name=md.get("name", ""), Home=md.get("home", ""), Sources=StringList(md.get("sources") or []),
        Version=md.get("version", ""), Description=md.get("description", ""),
        Keywords=StringList(md.get("keywords") or []),
        Maintainers=MaintainerList(MaintainerV(Name=m.get("name", ""), Email=m.get("email", ""), URL=m.get("url", ""))
                                   for m in md.get("maintainers") or [] if isinstance(m, dict)),
        Icon=md.get("icon", ""), APIVersion=md.get("apiVersion", ""), Condition=md.get("condition", ""),
        Tags=md.get("tags", ""), AppVersion=md.get("appVersion", ""), Deprecated=bool(md.get("deprecated")),
        Annotations=_StrMap(md.get("annotations") or {}),
        KubeVersion=md.get("kubeVersion", ""),
        Dependencies=DependencyList(
            DependencyV(Name=d.get("name", ""), Version=d.get("version", ""), Repository=d.get("repository", ""),
                        Condition=d.get("condition", ""), Tags=StringList(d.get("tags") or []),
                        Enabled=bool(d.get("enabled")), ImportValues=list(d.get("import-values") or []),
                        Alias=d.get("alias", ""))
            for d in md.get("dependencies") or [] if isinstance(d, dict)),
        Type=md.get("type", ""))


def _files(items: Any) -> list[Any]:
    out = FileList()
    for f in items or []:
        if isinstance(f, dict):
            try:
                data = base64.b64decode(f.get("data") or "")
            except ValueError:
                data = b""
            out.append(FileV(Name=f.get("name", ""), ModTime=go_time(f.get("modtime") or ""), Data=data))
    return out


def _chart(rec: dict[str, Any] | None) -> Any:
    if rec is None:
        return None
    schema = rec.get("schema")
    return ChartV(Raw=[], Metadata=_metadata(rec.get("metadata") or {}), Lock=None,
                  Templates=_files(rec.get("templates")), Values=rec.get("values") or {},
                  Schema=base64.b64decode(schema) if isinstance(schema, str) and schema else b"",
                  SchemaModTime=go_time(rec.get("schemamodtime") or ""), Files=_files(rec.get("files")),
                  ModTime=go_time(rec.get("modtime") or ""))


def release_view(rel: Any) -> Any:
    """`*release.Release` with its Go field names, for ``{{ .Release.Name }}`` and friends."""
    info = rel.info
    hooks = HookList()
    for h in rel.hooks:
        run = h.last_run or {}
        hooks.append(HookV(Name=h.name, Kind=h.kind, Path=h.path, Manifest=h.manifest, Events=EventList(h.events),
                           LastRun=HookExecutionV(StartedAt=go_time(run.get("started_at") or ""),
                                                  CompletedAt=go_time(run.get("completed_at") or ""),
                                                  Phase=run.get("phase") or ""),
                           Weight=h.weight, DeletePolicies=DeletePolicyList(h.delete_policies),
                           OutputLogPolicies=OutputLogPolicyList(h.output_log_policies)))
    return ReleaseV(
        Name=rel.name,
        Info=InfoV(FirstDeployed=go_time(info.first_deployed), LastDeployed=go_time(info.last_deployed),
                   Deleted=go_time(info.deleted), Description=info.description, Status=info.status,
                   Notes=info.notes, Resources=info.resources or {}),
        Chart=_chart(rel.chart), Config=rel.config, Manifest=rel.manifest, Hooks=hooks, Version=rel.version,
        Namespace=rel.namespace, Labels=_StrMap(rel.labels or {}), ApplyMethod=rel.apply_method)
