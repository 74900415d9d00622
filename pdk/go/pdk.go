//go:build wasip1

// Package pdk is the plugin development kit for Pilothouse and Helm 4 Wasm plugins written in Go.
//
// Build a plugin with the standard Go toolchain (no third-party modules):
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o plugin.wasm .
//
// and export the entry function Helm calls:
//
//	//go:wasmexport helm_plugin_main
//	func helmPluginMain() int32 { ... return 0 }
//
// A post-renderer may also export Pilothouse's fast entry, FastPostRenderEntry, which gets the
// YAML stream itself as its Input and sets the new stream as its Output (no JSON); Helm ignores it:
//
//	//go:wasmexport pilothouse_postrender
//	func fastPostRender() int32 { pdk.Output(transform(pdk.Input())); return 0 }
package pdk

import (
	"encoding/json"
	"errors"
)

// FastPostRenderEntry is the name of the post-renderer fast entry (same shape as
// helm_plugin_main). Pilothouse calls it instead of helm_plugin_main when a postrenderer/v1
// module exports it and the user passed no --post-renderer-args.
const FastPostRenderEntry = "pilothouse_postrender"

// LogLevel is the level of a log message.
type LogLevel int32

// The log levels, in the order Extism numbers them.
const (
	LevelTrace LogLevel = iota
	LevelDebug
	LevelInfo
	LevelWarn
	LevelError
)

// memory copies b into a fresh kernel block and returns its handle (0 for empty b).
func memory(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	h := extismAlloc(uint64(len(b)))
	if h == 0 {
		return 0
	}
	n := uint64(len(b))
	i := uint64(0)
	for ; i+8 <= n; i += 8 {
		v := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		extismStoreU64(h+i, v)
	}
	for ; i < n; i++ {
		extismStoreU8(h+i, uint32(b[i]))
	}
	return h
}

// read copies a kernel block into Go memory.
func read(h uint64) []byte {
	if h == 0 {
		return nil
	}
	n := extismLength(h)
	out := make([]byte, n)
	i := uint64(0)
	for ; i+8 <= n; i += 8 {
		v := extismLoadU64(h + i)
		for k := uint64(0); k < 8; k++ {
			out[i+k] = byte(v >> (8 * k))
		}
	}
	for ; i < n; i++ {
		out[i] = byte(extismLoadU8(h + i))
	}
	return out
}

// Input returns the bytes of this call's input (for Helm plugins: a JSON message).
func Input() []byte {
	n := extismInputLength()
	out := make([]byte, n)
	i := uint64(0)
	for ; i+8 <= n; i += 8 {
		v := extismInputLoadU64(i)
		for k := uint64(0); k < 8; k++ {
			out[i+k] = byte(v >> (8 * k))
		}
	}
	for ; i < n; i++ {
		out[i] = byte(extismInputLoadU8(i))
	}
	return out
}

// InputJSON decodes the input as JSON into v.
func InputJSON(v any) error { return json.Unmarshal(Input(), v) }

// Output sets this call's output.
func Output(b []byte) { extismOutputSet(memory(b), uint64(len(b))) }

// OutputJSON encodes v as JSON and sets it as the output.
func OutputJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	Output(b)
	return nil
}

// SetError reports an error; return a non-zero value from the entry function after it.
func SetError(err error) { SetErrorString(err.Error()) }

// SetErrorString reports an error message.
func SetErrorString(msg string) { extismErrorSet(memory([]byte(msg))) }

// GetConfig reads a key of runtimeConfig.config from plugin.yaml.
func GetConfig(key string) (string, bool) {
	h := extismConfigGet(memory([]byte(key)))
	if h == 0 {
		return "", false
	}
	return string(read(h)), true
}

// GetVar reads a plugin variable (needs runtimeConfig.memory.maxVarBytes).
func GetVar(key string) []byte { return read(extismVarGet(memory([]byte(key)))) }

// SetVar stores a plugin variable that lives as long as the plugin instance.
func SetVar(key string, value []byte) { extismVarSet(memory([]byte(key)), memory(value)) }

// Log writes a message to the host's log; the host shows it at its level.
func Log(level LogLevel, msg string) {
	if LogLevel(extismGetLogLevel()) > level {
		return
	}
	h := memory([]byte(msg))
	switch level {
	case LevelTrace, LevelDebug:
		extismLogDebug(h)
	case LevelInfo:
		extismLogInfo(h)
	case LevelWarn:
		extismLogWarn(h)
	default:
		extismLogError(h)
	}
}

// HTTPRequest is a request made through the host (only to runtimeConfig.allowedHosts).
type HTTPRequest struct {
	URL     string            `json:"url"`
	Method  string            `json:"method,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    []byte            `json:"-"`
}

// HTTPResponse is the host's answer.
type HTTPResponse struct {
	Status int
	Body   []byte
}

// Send performs the request; a denied host stops the plugin with an error from the host.
func (r HTTPRequest) Send() (HTTPResponse, error) {
	if r.URL == "" {
		return HTTPResponse{}, errors.New("pdk: request without URL")
	}
	req, err := json.Marshal(r)
	if err != nil {
		return HTTPResponse{}, err
	}
	h := extismHTTPRequest(memory(req), memory(r.Body))
	return HTTPResponse{Status: int(extismHTTPStatusCode()), Body: read(h)}, nil
}

// LogStructured sends a structured log record through Pilothouse's "log" host function
// (list "log" in runtimeConfig.hostFunctions). Pilothouse only.
func LogStructured(level string, msg string, attrs map[string]any) {
	rec := map[string]any{"level": level, "msg": msg}
	for k, v := range attrs {
		rec[k] = v
	}
	b, _ := json.Marshal(rec)
	pilotLog(memory(b))
}

// Getenv reads an environment variable the plugin was granted, through Pilothouse's "getenv"
// host function (list "getenv" in runtimeConfig.hostFunctions). Pilothouse only; WASI
// plugins can also use os.Getenv.
func Getenv(name string) string { return string(read(pilotGetenv(memory([]byte(name))))) }
