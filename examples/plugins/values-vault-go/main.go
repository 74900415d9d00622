//go:build wasip1

// vault: a values/v1 provider for a Vault-style KV HTTP API.
//
// A value "ref+vault://secret/data/app#password" is the field "password" of the secret at
// {address}/v1/secret/data/app (KV v2: under data.data; KV v1: under data). The address is the
// config key "address"; the token is the credential "token", which the user maps with
//
//	pilot plugin configure vault --secret token=env:VAULT_TOKEN --config address=http://127.0.0.1:8200
//
// The plugin never sees the environment; it reaches only the hosts it was granted.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"pilothouse/pdk"
)

type request struct {
	References []string `json:"references"`
}

type secret struct {
	Data map[string]any `json:"data"`
}

func validPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || len(p) > 512 {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return false
			}
		}
	}
	return true
}

func fetch(address, token, path string) (map[string]any, error) {
	u := strings.TrimRight(address, "/") + "/v1/" + (&url.URL{Path: path}).EscapedPath()
	resp, err := pdk.HTTPRequest{URL: u, Method: "GET", Headers: map[string]string{"X-Vault-Token": token}}.Send()
	if err != nil {
		return nil, err
	}
	if resp.Status != 200 {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.Status)
	}
	var s secret
	if err := json.Unmarshal(resp.Body, &s); err != nil {
		return nil, fmt.Errorf("GET %s: not a secret: %v", path, err)
	}
	// KV v2 nests the fields under data.data and adds metadata
	if inner, ok := s.Data["data"].(map[string]any); ok {
		if _, meta := s.Data["metadata"]; meta {
			return inner, nil
		}
	}
	return s.Data, nil
}

func resolve() error {
	var req request
	if err := pdk.InputJSON(&req); err != nil {
		return fmt.Errorf("bad input: %v", err)
	}
	address, ok := pdk.GetConfig("address")
	if !ok || address == "" {
		return fmt.Errorf("no Vault address: run `pilot plugin configure vault --config address=URL`")
	}
	token, err := pdk.Credential("token")
	if err != nil {
		return fmt.Errorf("no Vault token: %v", err)
	}
	cache := map[string]map[string]any{}
	out := map[string]string{}
	for _, ref := range req.References {
		rest, ok := strings.CutPrefix(ref, "ref+vault://")
		if !ok {
			return fmt.Errorf("not a vault reference: %q", ref)
		}
		path, key, ok := strings.Cut(rest, "#")
		key = strings.TrimPrefix(key, "/")
		if !ok || key == "" || !validPath(path) {
			return fmt.Errorf("invalid reference %q: use ref+vault://PATH#KEY", ref)
		}
		fields, seen := cache[path]
		if !seen {
			if fields, err = fetch(address, token, path); err != nil {
				return err
			}
			cache[path] = fields
		}
		val, found := fields[key]
		if !found {
			return fmt.Errorf("%s has no key %q", path, key)
		}
		switch v := val.(type) {
		case string:
			out[ref] = v
		default:
			b, _ := json.Marshal(v)
			out[ref] = string(b)
		}
	}
	return pdk.OutputJSON(map[string]any{"values": out})
}

//go:wasmexport helm_plugin_main
func helmPluginMain() int32 {
	if err := resolve(); err != nil {
		pdk.SetError(err)
		return 1
	}
	return 0
}

func main() {}
