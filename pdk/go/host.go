//go:build wasip1

package pdk

import (
	"encoding/json"
	"fmt"
)

// The host API v1 ("pilothouse:host/v1"): JSON request in, JSON answer out. A plugin lists the
// functions it calls in runtimeConfig.hostFunctions and requests the grants they need (kube
// rules, releases.namespaces, chart, credentials); see docs/plugins.md. A call outside the grant
// stops the plugin with the host's error; a failure the plugin may handle (not found, the API
// server's 403) comes back as a *HostError.

//go:wasmimport pilothouse:host/v1 kube_get
func pilotKubeGet(h uint64) uint64

//go:wasmimport pilothouse:host/v1 kube_list
func pilotKubeList(h uint64) uint64

//go:wasmimport pilothouse:host/v1 kube_discovery
func pilotKubeDiscovery(h uint64) uint64

//go:wasmimport pilothouse:host/v1 kube_openapi
func pilotKubeOpenAPI(h uint64) uint64

//go:wasmimport pilothouse:host/v1 release_list
func pilotReleaseList(h uint64) uint64

//go:wasmimport pilothouse:host/v1 release_history
func pilotReleaseHistory(h uint64) uint64

//go:wasmimport pilothouse:host/v1 release_get
func pilotReleaseGet(h uint64) uint64

//go:wasmimport pilothouse:host/v1 chart_file
func pilotChartFile(h uint64) uint64

//go:wasmimport pilothouse:host/v1 chart_render
func pilotChartRender(h uint64) uint64

//go:wasmimport pilothouse:host/v1 credential_get
func pilotCredentialGet(h uint64) uint64

// HostError is a failure answer of a host function: Code is HTTP-like (404, 403, ...).
type HostError struct {
	Code    int    `json:"code"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func (e *HostError) Error() string { return fmt.Sprintf("%s (%d): %s", e.Reason, e.Code, e.Message) }

type answer struct {
	Result json.RawMessage `json:"result"`
	Error  *HostError      `json:"error"`
}

func hostCall(fn func(uint64) uint64, req any, out any) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	var a answer
	if err := json.Unmarshal(read(fn(memory(b))), &a); err != nil {
		return fmt.Errorf("pdk: bad answer from the host: %w", err)
	}
	if a.Error != nil {
		return a.Error
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(a.Result, out)
}

// KubeRef names what kube_get and kube_list read: APIVersion and Resource (plural) or Kind.
type KubeRef struct {
	APIVersion    string `json:"apiVersion"`
	Resource      string `json:"resource,omitempty"`
	Kind          string `json:"kind,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	Name          string `json:"name,omitempty"`
	LabelSelector string `json:"labelSelector,omitempty"`
	FieldSelector string `json:"fieldSelector,omitempty"`
	Limit         int    `json:"limit,omitempty"`
	Continue      string `json:"continue,omitempty"`
}

// KubeList is one page of a list.
type KubeList struct {
	Items    []map[string]any `json:"items"`
	Continue string           `json:"continue"`
}

// KubeGet reads one object.
func KubeGet(ref KubeRef) (map[string]any, error) {
	var out map[string]any
	return out, hostCall(pilotKubeGet, ref, &out)
}

// KubeListObjects lists objects (one page; pass Continue for the next).
func KubeListObjects(ref KubeRef) (KubeList, error) {
	var out KubeList
	return out, hostCall(pilotKubeList, ref, &out)
}

// APIResource is one resource of the discovery.
type APIResource struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Namespaced bool   `json:"namespaced"`
}

// APIGroupVersion is one group/version the cluster serves.
type APIGroupVersion struct {
	GroupVersion string        `json:"groupVersion"`
	Resources    []APIResource `json:"resources"`
}

// KubeDiscovery lists what the cluster serves.
func KubeDiscovery() ([]APIGroupVersion, error) {
	var out []APIGroupVersion
	return out, hostCall(pilotKubeDiscovery, map[string]any{}, &out)
}

// KubeOpenAPI reads the OpenAPI v3 index (path "") or one document ("apis/apps/v1").
func KubeOpenAPI(path string) (map[string]any, error) {
	var out map[string]any
	return out, hostCall(pilotKubeOpenAPI, map[string]any{"path": path}, &out)
}

// ReleaseSummary is one release revision as release_list and release_history give it.
type ReleaseSummary struct {
	Name        string `json:"name"`
	Namespace   string `json:"namespace"`
	Revision    int    `json:"revision"`
	Status      string `json:"status"`
	Description string `json:"description"`
	Updated     string `json:"updated"`
	Chart       string `json:"chart"`
	AppVersion  string `json:"appVersion"`
}

// ReleaseHook is a hook of a release.
type ReleaseHook struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Path     string   `json:"path"`
	Events   []string `json:"events"`
	Manifest string   `json:"manifest"`
}

// Release is one revision with its parts.
type Release struct {
	ReleaseSummary
	Manifest string         `json:"manifest"`
	Values   map[string]any `json:"values"`
	Notes    string         `json:"notes"`
	Hooks    []ReleaseHook  `json:"hooks"`
}

// ReleaseList lists the releases of a namespace (the latest revision of each).
func ReleaseList(namespace string) ([]ReleaseSummary, error) {
	var out []ReleaseSummary
	return out, hostCall(pilotReleaseList, map[string]any{"namespace": namespace}, &out)
}

// ReleaseHistory lists every stored revision of a release.
func ReleaseHistory(namespace, name string) ([]ReleaseSummary, error) {
	var out []ReleaseSummary
	return out, hostCall(pilotReleaseHistory, map[string]any{"namespace": namespace, "name": name}, &out)
}

// ReleaseGet reads one revision (0: the latest).
func ReleaseGet(namespace, name string, revision int) (Release, error) {
	var out Release
	return out, hostCall(pilotReleaseGet, map[string]any{"namespace": namespace, "name": name, "revision": revision}, &out)
}

// ChartFile reads a file of the chart being processed (a chart-relative path).
func ChartFile(path string) ([]byte, error) {
	var out struct {
		Text   *string `json:"text"`
		Base64 []byte  `json:"base64"`
	}
	if err := hostCall(pilotChartFile, map[string]any{"path": path}, &out); err != nil {
		return nil, err
	}
	if out.Text != nil {
		return []byte(*out.Text), nil
	}
	return out.Base64, nil
}

// ChartRender renders the chart being processed with values: template path → text.
func ChartRender(values map[string]any) (map[string]string, error) {
	var out struct {
		Manifests map[string]string `json:"manifests"`
	}
	return out.Manifests, hostCall(pilotChartRender, map[string]any{"values": values}, &out)
}

// Credential reads a credential the user mapped to this plugin by name.
func Credential(name string) (string, error) {
	var out struct {
		Value string `json:"value"`
	}
	return out.Value, hostCall(pilotCredentialGet, map[string]any{"name": name}, &out)
}

// ReleaseGetParts reads the chosen parts of one revision (manifest, values, notes, hooks,
// resources: the objects of the manifest as apiVersion/kind/namespace/name) into out.
func ReleaseGetParts(namespace, name string, revision int, parts []string, out any) error {
	return hostCall(pilotReleaseGet, map[string]any{"namespace": namespace, "name": name, "revision": revision,
		"parts": parts}, out)
}
