"""What the repository tests share: running `pilot` in-process and writing small charts."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def pilot(*argv: str) -> int:
    """Run the `pilot` command in-process."""
    from pilothouse.cli.main import main

    return main(list(argv))


def make_chart(root: Path, name: str = "demo", version: str = "0.1.0", *, deps: str = "",
               app_version: str = "1.0") -> Path:
    """A small chart with a template that echoes values and metadata."""
    d = root / name
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{app_version}\"\n"
                                  f"description: The {name} chart\nkeywords: [testing, {name}]\n{deps}")
    (d / "values.yaml").write_text("greeting: hello\nreplicas: 2\n")
    (d / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\n"
        "data:\n  greeting: {{ .Values.greeting | quote }}\n  version: {{ .Chart.Version | quote }}\n"
        "  replicas: {{ .Values.replicas | quote }}\n")
    (d / "README.md").write_text(f"# {name}\n")
    return d
