//go:build wasip1

// report: `pilot report RELEASE` prints the resources of a release with their live status.
//
// It reads the release through release_get (the host parses the manifest into a list of
// resources) and each resource through kube_get, with the grant the user approved and the
// user's own access. Secrets are skipped: the plugin does not ask for them.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"pilothouse/pdk"
)

type input struct {
	ExtraArgs []string `json:"extraArgs"`
}

type resource struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

func num(m map[string]any, keys ...string) int64 {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return 0
		}
		cur = mm[k]
	}
	if f, ok := cur.(float64); ok {
		return int64(f)
	}
	return 0
}

func str(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	s, _ := cur.(string)
	return s
}

func status(kind string, obj map[string]any) string {
	switch kind {
	case "Deployment", "StatefulSet", "ReplicaSet":
		want := num(obj, "spec", "replicas")
		return fmt.Sprintf("%d/%d ready", num(obj, "status", "readyReplicas"), want)
	case "DaemonSet":
		return fmt.Sprintf("%d/%d ready", num(obj, "status", "numberReady"), num(obj, "status", "desiredNumberScheduled"))
	case "Service":
		t := str(obj, "spec", "type")
		if t == "" {
			t = "ClusterIP"
		}
		return t + " " + str(obj, "spec", "clusterIP")
	case "Pod":
		return str(obj, "status", "phase")
	case "Job":
		return fmt.Sprintf("%d succeeded", num(obj, "status", "succeeded"))
	}
	return "present"
}

func run() error {
	var in input
	if err := pdk.InputJSON(&in); err != nil {
		return err
	}
	if len(in.ExtraArgs) != 1 {
		return errors.New("usage: pilot report RELEASE")
	}
	ns := os.Getenv("HELM_NAMESPACE")
	if ns == "" {
		ns = "default"
	}
	var out struct {
		pdk.ReleaseSummary
		Resources []resource `json:"resources"`
	}
	if err := pdk.ReleaseGetParts(ns, in.ExtraArgs[0], 0, []string{"resources"}, &out); err != nil {
		return err
	}
	fmt.Printf("RELEASE %s (namespace %s, revision %d, %s, chart %s)\n", out.Name, out.Namespace, out.Revision,
		out.Status, out.Chart)
	w := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "KIND\tNAMESPACE\tNAME\tSTATUS")
	for _, r := range out.Resources {
		rns := r.Namespace
		if rns == "" {
			rns = ns
		}
		var st string
		if r.Kind == "Secret" {
			st = "(not read: the report does not ask for Secrets)"
		} else {
			obj, err := pdk.KubeGet(pdk.KubeRef{APIVersion: r.APIVersion, Kind: r.Kind, Namespace: rns, Name: r.Name})
			var he *pdk.HostError
			switch {
			case errors.As(err, &he) && he.Code == 404:
				st = "missing"
			case err != nil:
				st = "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
			default:
				st = status(r.Kind, obj)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Kind, rns, r.Name, st)
	}
	return w.Flush()
}

//go:wasmexport helm_plugin_main
func helmPluginMain() int32 {
	if err := run(); err != nil {
		pdk.SetError(err)
		return 1
	}
	pdk.Output([]byte("{}")) // cli/v1 answers an (empty) JSON object
	return 0
}

func main() {}
