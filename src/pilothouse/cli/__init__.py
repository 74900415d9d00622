"""The `pilot` command line. Nothing but argument parsing lives here; work is in `action`."""
