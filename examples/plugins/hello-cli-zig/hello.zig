//! A cli/v1 plugin in Zig: `pilot hello [args...]` greets and lists its arguments.
//!
//! It talks to the host through the Extism kernel ABI and writes to the terminal through WASI
//! fd_write, so it needs nothing but the Zig compiler:
//!   zig build-exe hello.zig -target wasm32-freestanding -fno-entry -rdynamic -O ReleaseSmall -femit-bin=plugin.wasm

extern "extism:host/env" fn input_length() u64;
extern "extism:host/env" fn input_load_u8(offset: u64) u8;
extern "extism:host/env" fn alloc(n: u64) u64;
extern "extism:host/env" fn store_u8(p: u64, v: u8) void;
extern "extism:host/env" fn output_set(h: u64, n: u64) void;
extern "extism:host/env" fn error_set(h: u64) void;

const Iovec = extern struct { base: [*]const u8, len: usize };
extern "wasi_snapshot_preview1" fn fd_write(fd: i32, iovs: [*]const Iovec, n: usize, written: *usize) u16;
extern "wasi_snapshot_preview1" fn environ_sizes_get(count: *usize, size: *usize) u16;
extern "wasi_snapshot_preview1" fn environ_get(env: [*][*:0]u8, buf: [*]u8) u16;

var input_buf: [65536]u8 = undefined;
var env_ptrs: [256][*:0]u8 = undefined;
var env_buf: [32768]u8 = undefined;

fn write(s: []const u8) void {
    const iov = [_]Iovec{.{ .base = s.ptr, .len = s.len }};
    var w: usize = 0;
    _ = fd_write(1, &iov, 1, &w);
}

fn store(s: []const u8) u64 {
    const h = alloc(s.len);
    for (s, 0..) |c, i| store_u8(h + i, c);
    return h;
}

fn getenv(name: []const u8) ?[]const u8 {
    var count: usize = 0;
    var size: usize = 0;
    if (environ_sizes_get(&count, &size) != 0 or count > env_ptrs.len or size > env_buf.len) return null;
    if (environ_get(&env_ptrs, &env_buf) != 0) return null;
    for (env_ptrs[0..count]) |p| {
        var n: usize = 0;
        while (p[n] != 0) n += 1;
        const kv = p[0..n];
        if (kv.len > name.len and kv[name.len] == '=' and eql(kv[0..name.len], name)) return kv[name.len + 1 ..];
    }
    return null;
}

fn eql(a: []const u8, b: []const u8) bool {
    if (a.len != b.len) return false;
    for (a, b) |x, y| if (x != y) return false;
    return true;
}

export fn helm_plugin_main() i32 {
    const n = input_length();
    if (n > input_buf.len) {
        error_set(store("input too large"));
        return 1;
    }
    const len: usize = @intCast(n);
    var i: usize = 0;
    while (i < len) : (i += 1) input_buf[i] = input_load_u8(i);
    const in = input_buf[0..len];
    write("Hello from Zig! namespace=");
    write(getenv("HELM_NAMESPACE") orelse "?");
    write("\n");
    // the input is {"extraArgs":[...]}; print the array as it came
    var start: usize = 0;
    while (start < in.len and in[start] != '[') start += 1;
    var end: usize = in.len;
    while (end > start and in[end - 1] != ']') end -= 1;
    write("args: ");
    write(if (start < end) in[start..end] else "[]");
    write("\n");
    const out = "{}";
    output_set(store(out), out.len);
    return 0;
}
