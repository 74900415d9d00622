//go:build wasip1

// A postrenderer/v1 plugin that adds labels to every manifest's metadata.
//
// Labels come from --post-renderer-args KEY=VALUE, else from runtimeConfig.config
// (label_key / label_value). It edits the YAML text line by line, so it needs no YAML library.
package main

import (
	"strings"

	"pilothouse/pdk"
)

func main() {}

//go:wasmexport helm_plugin_main
func helmPluginMain() int32 {
	var in pdk.PostRendererInput
	if err := pdk.InputJSON(&in); err != nil {
		pdk.SetErrorString("invalid input: " + err.Error())
		return 1
	}
	labels := [][2]string{}
	for _, a := range in.ExtraArgs {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			pdk.SetErrorString("post-renderer argument must be KEY=VALUE, got " + a)
			return 1
		}
		labels = append(labels, [2]string{k, v})
	}
	if len(labels) == 0 {
		k, _ := pdk.GetConfig("label_key")
		v, _ := pdk.GetConfig("label_value")
		if k == "" {
			k, v = "app.kubernetes.io/managed-by", "pilothouse"
		}
		labels = append(labels, [2]string{k, v})
	}
	pdk.Log(pdk.LevelDebug, "adding labels")
	if err := pdk.OutputJSON(pdk.PostRendererOutput{Manifests: AddLabels(in.Manifests, labels)}); err != nil {
		pdk.SetError(err)
		return 1
	}
	return 0
}

// AddLabels puts each label under metadata.labels of every document in a YAML stream.
func AddLabels(stream string, labels [][2]string) string {
	lines := strings.Split(stream, "\n")
	out := make([]string, 0, len(lines)+8)
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out = append(out, line)
		if strings.TrimRight(line, " ") != "metadata:" {
			continue
		}
		// find an existing "  labels:" among metadata's children
		j := i + 1
		found := -1
		for ; j < len(lines); j++ {
			l := lines[j]
			if l == "" || !strings.HasPrefix(l, " ") {
				break
			}
			if strings.TrimRight(l, " ") == "  labels:" {
				found = j
				break
			}
		}
		if found < 0 {
			out = append(out, "  labels:")
			for _, kv := range labels {
				out = append(out, "    "+kv[0]+": "+quote(kv[1]))
			}
			continue
		}
		out = append(out, lines[i+1:found+1]...)
		for _, kv := range labels {
			out = append(out, "    "+kv[0]+": "+quote(kv[1]))
		}
		i = found
	}
	return strings.Join(out, "\n")
}

func quote(v string) string {
	if v == "" || strings.ContainsAny(v, ":#{}[]&*!|>'\"%@`") || v == "true" || v == "false" {
		return "\"" + strings.ReplaceAll(v, "\"", "\\\"") + "\""
	}
	return v
}
