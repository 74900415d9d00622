;; Pilothouse's Extism-ABI kernel.
;;
;; A plugin imports these functions from the module "extism:host/env". They manage a memory of
;; their own (separate from the plugin's), in which the host places the call's input and the
;; plugin places its output, error text, and the arguments of host calls. A "handle" is the i64
;; address of a block's data in that memory; 0 means "none".
;;
;; Every block is preceded by a 16-byte header: capacity (i64) then length (i64). Blocks are
;; handed out by a bump allocator; freeing the newest block gives its space back, and `reset`
;; (done by the host before every call) empties the whole heap. Calls are short-lived, so a
;; general free list would cost more than it saves.
;;
;; The memory never grows past $limit bytes: the host sets it before every call (and before the
;; plugin is instantiated) to this memory's share of the instance's one memory budget. The
;; `pilothouse_*` functions are the host's; a plugin cannot import them.
(module
  (memory (export "memory") 1)

  (global $heap_start i64 (i64.const 64))
  (global $top (mut i64) (i64.const 64))
  (global $input_off (mut i64) (i64.const 0))
  (global $input_len (mut i64) (i64.const 0))
  (global $output_off (mut i64) (i64.const 0))
  (global $output_len (mut i64) (i64.const 0))
  (global $error (mut i64) (i64.const 0))
  (global $limit (mut i64) (i64.const 65536))

  ;; Make sure the memory reaches `end` (exclusive); 0 when it cannot grow that far.
  (func $ensure (param $end i64) (result i32)
    (local $have i64)
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.le_u (local.get $end) (local.get $have)) (then (return (i32.const 1))))
    (if (i64.gt_u (local.get $end) (global.get $limit)) (then (return (i32.const 0))))
    (if (i64.gt_u (local.get $end) (i64.const 0xFFFFFFFF)) (then (return (i32.const 0))))
    (i32.ne
      (memory.grow
        (i32.wrap_i64
          (i64.shr_u
            (i64.add (i64.sub (local.get $end) (local.get $have)) (i64.const 0xFFFF))
            (i64.const 16))))
      (i32.const -1)))

  (func $alloc (export "alloc") (param $n i64) (result i64)
    (local $block i64)
    (local $cap i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    ;; a length that would wrap the arithmetic below is more than any memory holds
    (if (i64.gt_u (local.get $n) (i64.const 0xFFFFFFFF)) (then (return (i64.const 0))))
    (local.set $cap (i64.and (i64.add (local.get $n) (i64.const 7)) (i64.const -8)))
    (local.set $block (global.get $top))
    (if (i32.eqz (call $ensure (i64.add (i64.add (local.get $block) (i64.const 16)) (local.get $cap))))
      (then (return (i64.const 0))))
    (i64.store (i32.wrap_i64 (local.get $block)) (local.get $cap))
    (i64.store offset=8 (i32.wrap_i64 (local.get $block)) (local.get $n))
    (global.set $top (i64.add (i64.add (local.get $block) (i64.const 16)) (local.get $cap)))
    (i64.add (local.get $block) (i64.const 16)))

  (func $valid (param $h i64) (result i32)
    (i32.and
      (i64.ge_u (local.get $h) (i64.add (global.get $heap_start) (i64.const 16)))
      (i64.lt_u (local.get $h) (global.get $top))))

  (func (export "free") (param $h i64)
    (if (i32.eqz (call $valid (local.get $h))) (then (return)))
    ;; only the newest block can be given back to a bump allocator
    (if (i64.eq
          (i64.add (local.get $h) (i64.load (i32.wrap_i64 (i64.sub (local.get $h) (i64.const 16)))))
          (global.get $top))
      (then (global.set $top (i64.sub (local.get $h) (i64.const 16))))))

  (func (export "length") (param $h i64) (result i64)
    (if (i32.eqz (call $valid (local.get $h))) (then (return (i64.const 0))))
    (i64.load (i32.wrap_i64 (i64.sub (local.get $h) (i64.const 8)))))

  ;; length + free in one crossing: a host function reads its argument block and gives it back
  ;; (the host reads the bytes before it allocates anything else, so the freed block is intact)
  (func (export "pilothouse_take") (param $h i64) (result i64)
    (local $n i64)
    (if (i32.eqz (call $valid (local.get $h))) (then (return (i64.const 0))))
    (local.set $n (i64.load (i32.wrap_i64 (i64.sub (local.get $h) (i64.const 8)))))
    (if (i64.eq
          (i64.add (local.get $h) (i64.load (i32.wrap_i64 (i64.sub (local.get $h) (i64.const 16)))))
          (global.get $top))
      (then (global.set $top (i64.sub (local.get $h) (i64.const 16)))))
    (local.get $n))

  (func (export "length_unsafe") (param $h i64) (result i64)
    (i64.load (i32.wrap_i64 (i64.sub (local.get $h) (i64.const 8)))))

  (func (export "load_u8") (param $p i64) (result i32)
    (i32.load8_u (i32.wrap_i64 (local.get $p))))
  (func (export "load_u64") (param $p i64) (result i64)
    (i64.load (i32.wrap_i64 (local.get $p))))
  (func (export "store_u8") (param $p i64) (param $v i32)
    (i32.store8 (i32.wrap_i64 (local.get $p)) (local.get $v)))
  (func (export "store_u64") (param $p i64) (param $v i64)
    (i64.store (i32.wrap_i64 (local.get $p)) (local.get $v)))

  (func (export "input_set") (param $p i64) (param $n i64)
    (global.set $input_off (local.get $p))
    (global.set $input_len (local.get $n)))
  (func (export "input_length") (result i64) (global.get $input_len))
  (func (export "input_offset") (result i64) (global.get $input_off))
  (func (export "input_load_u8") (param $i i64) (result i32)
    (i32.load8_u (i32.wrap_i64 (i64.add (global.get $input_off) (local.get $i)))))
  (func (export "input_load_u64") (param $i i64) (result i64)
    (i64.load (i32.wrap_i64 (i64.add (global.get $input_off) (local.get $i)))))

  (func (export "output_set") (param $p i64) (param $n i64)
    (global.set $output_off (local.get $p))
    (global.set $output_len (local.get $n)))
  (func (export "output_length") (result i64) (global.get $output_len))
  (func (export "output_offset") (result i64) (global.get $output_off))

  (func (export "error_set") (param $h i64) (global.set $error (local.get $h)))
  (func (export "error_get") (result i64) (global.get $error))

  (func (export "memory_bytes") (result i64)
    (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))

  (func $reset (export "reset")
    (global.set $top (global.get $heap_start))
    (global.set $input_off (i64.const 0))
    (global.set $input_len (i64.const 0))
    (global.set $output_off (i64.const 0))
    (global.set $output_len (i64.const 0))
    (global.set $error (i64.const 0)))

;; The host's: this memory's share of the budget, in bytes.
  (func (export "pilothouse_limit") (param $limit i64)
    (global.set $limit (local.get $limit)))

  ;; The host's start of a call in one crossing: the memory's share, reset, then a block of $n
  ;; bytes that is the input; its handle, or 0 when the memory cannot hold it (or $n is 0).
  (func (export "pilothouse_begin") (param $n i64) (param $limit i64) (result i64)
    (local $h i64)
    (global.set $limit (local.get $limit))
    (call $reset)
    (local.set $h (call $alloc (local.get $n)))
    (if (i64.ne (local.get $h) (i64.const 0))
      (then
        (global.set $input_off (local.get $h))
        (global.set $input_len (local.get $n))))
    (local.get $h))
)
