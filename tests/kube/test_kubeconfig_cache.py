"""The parsed-kubeconfig cache: found by content, never stale, never trusted when damaged."""

from __future__ import annotations

import os

from pilothouse.kube.config import load_config

KC = """apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: http://127.0.0.1:{port}
contexts:
- name: x
  context:
    cluster: c
    namespace: ns{port}
current-context: x
"""


def _entries(root):
    d = root / "parsed" / "kubeconfig"
    return sorted(d.iterdir()) if d.is_dir() else []


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    kc = tmp_path / "kc"
    kc.write_text(KC.format(port=1111))
    st = os.stat(kc)
    assert load_config(str(kc)).server == "http://127.0.0.1:1111"
    assert load_config(str(kc)).server == "http://127.0.0.1:1111"  # from the cache
    assert len(_entries(tmp_path / "cache")) == 1
    kc.write_text(KC.format(port=2222))
    os.utime(kc, ns=(st.st_atime_ns, st.st_mtime_ns))
    cfg = load_config(str(kc))
    assert (cfg.server, cfg.namespace) == ("http://127.0.0.1:2222", "ns2222")


def test_a_damaged_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    kc = tmp_path / "kc"
    kc.write_text(KC.format(port=3333))
    load_config(str(kc))
    (entry,) = _entries(tmp_path / "cache")
    entry.write_bytes(b'{"clusters": [')
    assert load_config(str(kc)).server == "http://127.0.0.1:3333"


def test_an_empty_cache_dir_setting_turns_caching_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    kc = tmp_path / "kc"
    kc.write_text(KC.format(port=4444))
    assert load_config(str(kc)).server == "http://127.0.0.1:4444"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kc"]
