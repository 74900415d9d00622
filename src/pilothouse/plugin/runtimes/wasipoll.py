"""WASI ``poll_oneoff``, in place of wasmtime's: a sleep that keeps to the call's deadline.

wasmtime's own implementation blocks the thread inside the host, where neither the epoch
deadline nor Ctrl-C can reach it, so a plugin asking to sleep for a year would hang `pilot`.
Here a clock subscription sleeps in Python (where signals are handled) and never past the
call's deadline: a sleep that would end after it stops the plugin with a timeout. File
descriptor subscriptions are reported ready at once (spurious readiness is allowed by WASI;
the plugin's next read or write says what really happens).
"""

from __future__ import annotations

import struct
import time
from typing import Any

_SUB = 48  # bytes per subscription
_EVENT = 32  # bytes per event
_MAX_SUBS = 4096
_MAX_SLEEP_S = 86_400.0  # time.sleep refuses absurd values; a day is "until interrupted"
_EINVAL, _EFAULT, _ENOTSUP = 28, 21, 58
_CLOCK, _FD_READ, _FD_WRITE = 0, 1, 2
_ABSTIME = 1


def _now_ns(clock: int) -> int:
    return time.time_ns() if clock == 0 else time.monotonic_ns()


def poll_oneoff(inst: Any, ctx: Any, in_ptr: int, out_ptr: int, nsubs: int, nevents_ptr: int) -> int:
    """The WASI call for instance ``inst``: an errno (0 on success)."""
    mem = inst.gmem
    if mem is None:
        return _ENOTSUP  # in a start function, before the plugin's memory is known
    in_ptr, out_ptr, nevents_ptr, nsubs = (x & 0xFFFFFFFF for x in (in_ptr, out_ptr, nevents_ptr, nsubs))
    if nsubs == 0 or nsubs > _MAX_SUBS:
        return _EINVAL
    size = mem.size(ctx)
    if in_ptr + _SUB * nsubs > size or out_ptr + _EVENT * nsubs > size or nevents_ptr + 4 > size:
        return _EFAULT
    raw = mem.read(ctx, in_ptr, in_ptr + _SUB * nsubs)
    ready: list[bytes] = []
    clocks: list[tuple[int, int]] = []  # (nanoseconds to wait, userdata)
    for i in range(nsubs):
        base = i * _SUB
        userdata, tag = struct.unpack_from("<QB", raw, base)
        if tag == _CLOCK:
            clock, timeout, _precision, flags = struct.unpack_from("<I4xQQH", raw, base + 16)
            if clock > 3:
                ready.append(struct.pack("<QHB5xQH6x", userdata, _EINVAL, _CLOCK, 0, 0))
                continue
            wait = timeout - _now_ns(clock) if flags & _ABSTIME else timeout
            clocks.append((max(0, wait), userdata))
        elif tag in (_FD_READ, _FD_WRITE):
            ready.append(struct.pack("<QHB5xQH6x", userdata, 0, tag, 0, 0))
        else:
            return _EINVAL
    if not ready and clocks:
        from pilothouse.plugin.runtimes.wasmtime_ffi import check_signals

        check_signals()  # a Ctrl-C that arrived on the way in stops the plugin before it sleeps
        wait_ns = min(w for w, _ in clocks)
        seconds = min(wait_ns / 1e9, _MAX_SLEEP_S)
        left = inst.remaining()  # raises once the deadline has passed
        if left is not None and seconds >= left:
            time.sleep(left)
            inst.remaining()  # the deadline: the plugin stops here
        elif seconds > 0:
            time.sleep(seconds)
        ready = [struct.pack("<QHB5xQH6x", ud, 0, _CLOCK, 0, 0) for w, ud in clocks if w <= wait_ns]
    mem.write(ctx, b"".join(ready), out_ptr)
    mem.write(ctx, struct.pack("<I", len(ready)), nevents_ptr)
    return 0
