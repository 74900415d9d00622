"""The disk quota of a plugin's temp dir grant (``fileSystem.createTempDir``).

WASI writes go straight from the Wasm runtime to the host file system, so the quota cannot be
charged write by write from Python. The runtime asks `TempQuota.check` at the points it
controls (after each call, and from its deadline ticker while a call runs): the walk is
bounded by the quota itself (it stops at the first entry over the file count), follows no
links, and counts the disk blocks really used, so a sparse file cannot hide and a tree of
empty files cannot make the check slow.
"""

from __future__ import annotations

import os
import stat

from pilothouse.errors import PluginError

DEFAULT_TEMP_DIR_MAX_BYTES = 256 << 20
DEFAULT_TEMP_DIR_MAX_FILES = 10_000


class TempQuotaExceeded(PluginError):
    """A plugin's temp dir grew past its quota."""


class TempQuota:
    """At most ``max_bytes`` of disk and ``max_files`` entries (files, directories, links) in a temp dir."""

    __slots__ = ("max_bytes", "max_files")

    def __init__(self, max_bytes: int = DEFAULT_TEMP_DIR_MAX_BYTES, max_files: int = DEFAULT_TEMP_DIR_MAX_FILES) -> None:
        self.max_bytes = max_bytes
        self.max_files = max_files

    def usage(self, path: str) -> tuple[int, int]:
        """(bytes, entries) under ``path``, counting no further than one entry past the quota."""
        used = entries = 0
        stack = [path]
        while stack:
            top = stack.pop()
            try:
                it = os.scandir(top)
            except OSError:
                continue
            with it:
                for ent in it:
                    entries += 1
                    if entries > self.max_files:
                        return used, entries
                    try:
                        st = ent.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    blocks = getattr(st, "st_blocks", None)
                    used += blocks * 512 if blocks is not None else st.st_size
                    if stat.S_ISDIR(st.st_mode):
                        stack.append(ent.path)
        return used, entries

    def check(self, path: str, plugin: str) -> None:
        """Raise TempQuotaExceeded naming the plugin when ``path`` holds more than the quota."""
        from pilothouse.plugin.safetext import escape

        used, entries = self.usage(path)
        if entries > self.max_files:
            raise TempQuotaExceeded(f'plugin "{escape(plugin)}": its temp dir holds more than {self.max_files} '
                                    "files (temp dir quota)")
        if used > self.max_bytes:
            raise TempQuotaExceeded(f'plugin "{escape(plugin)}": its temp dir holds {used} bytes, more than its '
                                    f"quota of {self.max_bytes} bytes")
