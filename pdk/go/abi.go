//go:build wasip1

package pdk

// The Extism kernel ABI, as Helm 4 and Pilothouse provide it under "extism:host/env".
// Every handle is an offset into the kernel's memory, not into the plugin's.

//go:wasmimport extism:host/env input_length
func extismInputLength() uint64

//go:wasmimport extism:host/env input_load_u8
func extismInputLoadU8(offset uint64) uint32

//go:wasmimport extism:host/env input_load_u64
func extismInputLoadU64(offset uint64) uint64

//go:wasmimport extism:host/env alloc
func extismAlloc(n uint64) uint64

//go:wasmimport extism:host/env free
func extismFree(h uint64)

//go:wasmimport extism:host/env length
func extismLength(h uint64) uint64

//go:wasmimport extism:host/env load_u8
func extismLoadU8(p uint64) uint32

//go:wasmimport extism:host/env load_u64
func extismLoadU64(p uint64) uint64

//go:wasmimport extism:host/env store_u8
func extismStoreU8(p uint64, v uint32)

//go:wasmimport extism:host/env store_u64
func extismStoreU64(p uint64, v uint64)

//go:wasmimport extism:host/env output_set
func extismOutputSet(h uint64, n uint64)

//go:wasmimport extism:host/env error_set
func extismErrorSet(h uint64)

//go:wasmimport extism:host/env config_get
func extismConfigGet(key uint64) uint64

//go:wasmimport extism:host/env var_get
func extismVarGet(key uint64) uint64

//go:wasmimport extism:host/env var_set
func extismVarSet(key uint64, value uint64)

//go:wasmimport extism:host/env http_request
func extismHTTPRequest(req uint64, body uint64) uint64

//go:wasmimport extism:host/env http_status_code
func extismHTTPStatusCode() int32

//go:wasmimport extism:host/env get_log_level
func extismGetLogLevel() int32

//go:wasmimport extism:host/env log_debug
func extismLogDebug(h uint64)

//go:wasmimport extism:host/env log_info
func extismLogInfo(h uint64)

//go:wasmimport extism:host/env log_warn
func extismLogWarn(h uint64)

//go:wasmimport extism:host/env log_error
func extismLogError(h uint64)

// Pilothouse's own host functions ("pilothouse:host/v1"). A plugin that calls one must list it
// in runtimeConfig.hostFunctions; only a plugin that uses one imports it.

//go:wasmimport pilothouse:host/v1 log
func pilotLog(h uint64)

//go:wasmimport pilothouse:host/v1 getenv
func pilotGetenv(h uint64) uint64
