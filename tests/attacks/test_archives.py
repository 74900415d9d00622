"""Attacks on plugin archives: bombs, lying headers, odd entry types, names and collisions.

Each refusal is a PluginError (`Error: ...`, exit 1 through `pilot`), it happens while
extracting, before the limit is passed, and nothing is left installed.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
from pathlib import Path

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import archive
from pilothouse.plugin.archive import extract_stream

PLUGIN_YAML = b"name: evil\nversion: 1.0.0\ncommand: echo hi\n"


def _tgz(entries: list[tuple[tarfile.TarInfo, bytes | None]], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=fmt) as tf:
        for info, data in entries:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def _file(name: str, data: bytes = b"x", mode: int = 0o644) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    return info, data


def _dir(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    return info, None


def _extract(data: bytes, dest: Path) -> None:
    dest.mkdir(exist_ok=True)
    extract_stream(io.BytesIO(data), str(dest))


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# ---- bombs -----------------------------------------------------------------------------------

class _Zeros(io.RawIOBase):
    def __init__(self, n: int) -> None:
        self.left = n

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001
        n = min(len(b), self.left)
        b[:n] = bytes(n)
        self.left -= n
        return n


def _bomb(size: int, name: str = "evil/plugin.wasm") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=1) as tf:
        info = tarfile.TarInfo(name)
        info.size = size
        tf.addfile(info, io.BufferedReader(_Zeros(size)))
    return buf.getvalue()


def test_a_gzip_bomb_is_refused_while_extracting(helm_home, pilot, tmp_path):
    size = archive.MAX_FILE_BYTES + 1
    data = _bomb(size)
    assert len(data) < size // 100  # it really is a bomb
    path = tmp_path / "evil-1.0.0.tgz"
    path.write_bytes(data)
    res = pilot("plugin", "install", "--verify=false", str(path))
    assert res.returncode == 1
    assert res.stderr.startswith(f"Error: plugin archive: evil/plugin.wasm is {size} bytes; a file may be at most"), \
        res.stderr
    assert list(helm_home.plugins.iterdir()) == []


def test_many_files_adding_up_past_the_total_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10_000)
    data = _tgz([_file(f"evil/f{i}", b"z" * 3000) for i in range(10)])
    with pytest.raises(PluginError, match="expands to more than 10000 bytes"):
        _extract(data, tmp_path / "out")
    assert _size(tmp_path / "out") <= 10_000


def test_a_directory_entry_with_a_huge_body_counts_too(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 4096)
    info = tarfile.TarInfo("evil/dir")
    info.type = tarfile.DIRTYPE
    raw = bytearray(_raw_tar([(info, b"")]))
    # rewrite the directory's size field to a large value, with its checksum
    _set_size(raw, 0, 1 << 40)
    with pytest.raises(PluginError, match="expands to more than 4096 bytes"):
        _extract(gzip.compress(bytes(raw)), tmp_path / "out")


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 50)
    data = _tgz([_file(f"evil/f{i}", b"") for i in range(60)])
    with pytest.raises(PluginError, match="more than 50 entries"):
        _extract(data, tmp_path / "out")
    assert len(list((tmp_path / "out").rglob("*"))) <= 51


def test_the_real_entry_limit_holds_for_empty_files(tmp_path):
    data = _tgz([_file(f"evil/{i}", b"") for i in range(archive.MAX_ENTRIES + 1)], fmt=tarfile.USTAR_FORMAT)
    with pytest.raises(PluginError, match=f"more than {archive.MAX_ENTRIES} entries"):
        _extract(data, tmp_path / "out")


def test_a_base256_size_beyond_any_disk_is_refused(tmp_path):
    raw = bytearray(_raw_tar([_file("evil/plugin.wasm", b"")]))
    raw[124:136] = b"\x80" + (1 << 80).to_bytes(11, "big")
    _fix_checksum(raw, 0)
    with pytest.raises(PluginError, match="expands to more than"):
        _extract(gzip.compress(bytes(raw)), tmp_path / "out")


def test_an_oversized_archive_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 100)
    path = tmp_path / "a.tgz"
    path.write_bytes(_tgz([_file("evil/plugin.yaml", os.urandom(400))]))
    with pytest.raises(PluginError, match="at most 100 are accepted"):
        archive.extract_file(str(path), str(tmp_path))


# ---- headers Go's archive/tar refuses --------------------------------------------------------

def _raw_tar(entries, fmt: int = tarfile.USTAR_FORMAT) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for info, data in entries:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def _fix_checksum(raw: bytearray, off: int) -> None:
    raw[off + 148:off + 156] = b" " * 8
    raw[off + 148:off + 156] = b"%06o\0 " % sum(raw[off:off + 512])


def _set_size(raw: bytearray, off: int, size: int) -> None:
    raw[off + 124:off + 136] = b"\x80" + size.to_bytes(11, "big")
    _fix_checksum(raw, off)


def test_a_pax_header_over_1_mib_is_refused(tmp_path):
    info, data = _file("evil/plugin.yaml", PLUGIN_YAML)
    info.pax_headers = {"comment": "x" * (1 << 20)}
    with pytest.raises(PluginError, match="header field too long"):
        _extract(_tgz([(info, data)]), tmp_path / "out")


def test_a_gnu_long_name_over_1_mib_is_refused(tmp_path):
    info, data = _file("evil/" + "n" * (1 << 20), b"")
    with pytest.raises(PluginError, match=r"header field too long \(GNU long name header"):
        _extract(_tgz([(info, data)], fmt=tarfile.GNU_FORMAT), tmp_path / "out")


def test_a_pax_header_claiming_a_huge_size_is_refused_without_reading_it(tmp_path):
    raw = bytearray(_raw_tar([(tarfile.TarInfo("x"), b"")]))
    raw[156:157] = b"x"
    _set_size(raw, 0, 1 << 50)
    with pytest.raises(PluginError, match="header field too long"):
        _extract(gzip.compress(bytes(raw)), tmp_path / "out")


def test_a_long_name_just_under_the_limit_fails_cleanly(tmp_path):
    info, data = _file("evil/" + "n" * 5000, b"")
    with pytest.raises(PluginError, match="cannot unpack plugin archive"):
        _extract(_tgz([(info, data)]), tmp_path / "out")


@pytest.mark.parametrize("records", [b"99999 path=x\n", b"5 a\n", b"abc path=x\n", b"11 size=-5\n"])
def test_malformed_pax_records_are_refused(tmp_path, records):
    pax = tarfile.TarInfo("././@PaxHeader")
    pax.type, pax.size = b"x", len(records)
    raw = _raw_tar([(pax, records), _file("evil/plugin.yaml", PLUGIN_YAML)])
    with pytest.raises(PluginError, match="invalid tar header"):
        _extract(gzip.compress(raw), tmp_path / "out")


@pytest.mark.parametrize("mangle", ["checksum", "truncate", "not-gzip", "truncated-gzip", "size-field"])
def test_corrupt_archives_are_refused(tmp_path, mangle):
    raw = bytearray(_raw_tar([_file("evil/plugin.yaml", PLUGIN_YAML)]))
    if mangle == "checksum":
        raw[0] ^= 1
        data = gzip.compress(bytes(raw))
    elif mangle == "truncate":
        data = gzip.compress(bytes(raw[:600]))
    elif mangle == "not-gzip":
        data = bytes(raw)
    elif mangle == "truncated-gzip":
        data = gzip.compress(bytes(raw))[:100]
    else:
        raw[124:136] = b"zzzzzzzzzzz\0"
        _fix_checksum(raw, 0)
        data = gzip.compress(bytes(raw))
    with pytest.raises(PluginError):
        _extract(data, tmp_path / "out")


# ---- names and entry types -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["/etc/evil", "../evil", "evil/../../x", "C:/evil", "evil\\..\\..\\x",
                                  "evil/a\nb", "evil/a\x1b[2J", "evil/\x7f", "/".join(["d"] * 200) + "/f"])
def test_hostile_names_are_refused(tmp_path, name):
    with pytest.raises(PluginError, match="illegal file path in plugin archive"):
        _extract(_tgz([_file(name)]), tmp_path / "out")
    assert not (tmp_path / "evil").exists() and not (tmp_path / "x").exists()


def test_a_pax_path_climbing_out_is_refused(tmp_path):
    info, data = _file("evil/ok")
    info.pax_headers = {"path": "../../pax-escape"}
    with pytest.raises(PluginError, match="illegal file path"):
        _extract(_tgz([(info, data)]), tmp_path / "out")
    assert not (tmp_path / "pax-escape").exists()


@pytest.mark.parametrize("kind, label", [(tarfile.SYMTYPE, "symbolic link"), (tarfile.LNKTYPE, "hard link"),
                                          (tarfile.CHRTYPE, "character device"), (tarfile.BLKTYPE, "block device"),
                                          (tarfile.FIFOTYPE, "FIFO"), (b"V", "type")])
def test_entries_that_are_not_files_or_directories_are_refused(tmp_path, kind, label):
    info = tarfile.TarInfo("evil/thing")
    info.type = kind
    info.linkname = "/etc/passwd"
    with pytest.raises(PluginError, match=f"unknown type \\({label}"):
        _extract(_tgz([(info, None)], fmt=tarfile.GNU_FORMAT), tmp_path / "out")
    assert not (tmp_path / "out" / "evil" / "thing").exists()


@pytest.mark.parametrize("order", [["file", "dir"], ["dir", "file"], ["file", "child"], ["child", "file"]])
def test_a_path_that_is_both_a_file_and_a_directory_is_a_clear_error(tmp_path, order):
    make = {"file": _file("evil/a"), "dir": _dir("evil/a"), "child": _file("evil/a/b")}
    with pytest.raises(PluginError, match="is both a file and a directory"):
        _extract(_tgz([make[k] for k in order]), tmp_path / "out")


def test_setuid_bits_are_dropped_and_duplicates_take_the_last(tmp_path):
    _extract(_tgz([_file("evil/run", b"1", mode=0o6755), _file("evil/run", b"2", mode=0o755)]), tmp_path / "out")
    path = tmp_path / "out" / "evil" / "run"
    assert path.read_bytes() == b"2"
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_gnu_and_v7_archives_still_unpack(tmp_path):
    for fmt in (tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT, tarfile.PAX_FORMAT):
        out = tmp_path / f"out{fmt}"
        _extract(_tgz([_dir("evil"), _file("evil/plugin.yaml", PLUGIN_YAML), _file("evil/" + "d" * 80 + "/" + "l" * 80, b"ok")],
                      fmt=fmt), out)
        assert (out / "evil" / "plugin.yaml").read_bytes() == PLUGIN_YAML
        assert (out / "evil" / ("d" * 80) / ("l" * 80)).read_bytes() == b"ok"


# ---- an archive that claims another plugin's name --------------------------------------------

def test_an_archive_may_not_install_over_another_plugin(helm_home, pilot, tmp_path):
    helm_home.add("victim", "name: victim\nversion: 1.0.0\ncommand: echo victim\n")
    path = tmp_path / "innocent-1.0.0.tgz"
    path.write_bytes(_tgz([_file("innocent/plugin.yaml", b"name: victim\nversion: 6.6.6\ncommand: echo evil\n")]))
    res = pilot("plugin", "install", "--verify=false", str(path))
    assert res.returncode == 1
    assert 'plugin "victim" is already installed at' in res.stderr
    assert not (helm_home.plugins / "innocent").exists()
    listed = pilot("plugin", "list")
    assert "victim" in listed.stdout and "1.0.0" in listed.stdout and listed.stderr == ""


def test_a_local_directory_may_not_claim_another_plugins_name(helm_home, pilot, tmp_path):
    helm_home.add("victim", "name: victim\nversion: 1.0.0\ncommand: echo victim\n")
    src = tmp_path / "other"
    src.mkdir()
    (src / "plugin.yaml").write_text("name: victim\nversion: 2.0.0\ncommand: echo evil\n")
    res = pilot("plugin", "install", str(src))
    assert res.returncode == 1 and "already installed" in res.stderr
    assert not (helm_home.plugins / "other").exists()


def test_installing_the_same_archive_twice_says_it_exists(helm_home, pilot, tmp_path):
    path = tmp_path / "same-1.0.0.tgz"
    path.write_bytes(_tgz([_file("same/plugin.yaml", b"name: same\nversion: 1.0.0\ncommand: echo hi\n")]))
    assert pilot("plugin", "install", "--verify=false", str(path)).returncode == 0
    res = pilot("plugin", "install", "--verify=false", str(path))
    assert res.returncode == 1 and "plugin already exists" in res.stderr
    assert "same" in pilot("plugin", "list").stdout


# ---- the temp dir grant's quota (disk a plugin can fill) -------------------------------------

def test_the_temp_dir_quota_counts_bytes_and_files(tmp_path):
    from pilothouse.plugin.quota import TempQuota, TempQuotaExceeded

    q = TempQuota(max_bytes=64 << 10, max_files=20)
    q.check(str(tmp_path), "p")  # empty: fine
    (tmp_path / "big").write_bytes(os.urandom(128 << 10))
    with pytest.raises(TempQuotaExceeded, match=r'plugin "p": its temp dir holds \d+ bytes, more than its quota'):
        q.check(str(tmp_path), "p")
    (tmp_path / "big").unlink()
    deep = tmp_path
    for i in range(30):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    with pytest.raises(TempQuotaExceeded, match="more than 20 files"):
        q.check(str(tmp_path), "p")


def test_the_quota_walk_stops_at_the_limit_and_follows_no_links(tmp_path):
    from pilothouse.plugin.quota import TempQuota

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "huge").write_bytes(os.urandom(256 << 10))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp / "link").symlink_to(outside)
    used, entries = TempQuota(max_bytes=1 << 20, max_files=5).usage(str(tmp))
    assert entries == 1 and used < (256 << 10)
    for i in range(100):
        (tmp / f"f{i}").touch()
    assert TempQuota(max_bytes=1 << 20, max_files=5).usage(str(tmp))[1] == 6


def test_a_sparse_file_is_charged_for_its_blocks_not_hidden(tmp_path):
    from pilothouse.plugin.quota import TempQuota

    with open(tmp_path / "sparse", "wb") as fh:
        fh.seek(1 << 30)
        fh.write(os.urandom(100 << 10))
    used, _ = TempQuota().usage(str(tmp_path))
    assert (100 << 10) <= used < (1 << 30)


def test_the_user_narrows_the_temp_dir_quota():
    from pilothouse.plugin import policy
    from pilothouse.plugin.quota import DEFAULT_TEMP_DIR_MAX_BYTES

    assert policy.temp_dir_quota({}).max_bytes == DEFAULT_TEMP_DIR_MAX_BYTES
    user = {"defaults": {"tempDirMaxBytes": 1 << 20}, "plugins": {"p": {"narrow": {"tempDirMaxFiles": 3}}}}
    q = policy.temp_dir_quota(user, "p")
    assert (q.max_bytes, q.max_files) == (1 << 20, 3)
