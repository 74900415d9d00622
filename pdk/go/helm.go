//go:build wasip1

package pdk

// The JSON messages Helm 4 and Pilothouse exchange with each plugin type.

// CLIInput is what a cli/v1 plugin receives: the arguments after its name (Helm's own global
// flags removed). Write to stdout/stderr for the user and answer with CLIOutput{}.
type CLIInput struct {
	ExtraArgs []string `json:"extraArgs"`
}

// CLIOutput is a cli/v1 plugin's answer.
type CLIOutput struct{}

// GetterOptions are the download options (Go field names, as Helm sends them).
type GetterOptions struct {
	URL                   string
	CertFile              string
	KeyFile               string
	CAFile                string
	UNTar                 bool
	InsecureSkipVerifyTLS bool
	PlainHTTP             bool
	AcceptHeader          string
	Username              string
	Password              string
	PassCredentialsAll    bool
	UserAgent             string
	Version               string
	Timeout               int64
}

// GetterInput is what a getter/v1 plugin receives.
type GetterInput struct {
	Href     string        `json:"href"`
	Protocol string        `json:"protocol"`
	Options  GetterOptions `json:"options"`
}

// GetterOutput carries the downloaded bytes (base64 in JSON).
type GetterOutput struct {
	Data []byte `json:"data"`
}

// PostRendererInput is what a postrenderer/v1 plugin receives: the rendered manifests as one
// YAML stream, and the --post-renderer-args values.
type PostRendererInput struct {
	Manifests string   `json:"manifests"`
	ExtraArgs []string `json:"extraArgs"`
}

// PostRendererOutput is the new YAML stream.
type PostRendererOutput struct {
	Manifests string `json:"manifests"`
}
