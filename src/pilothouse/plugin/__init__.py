"""Plugins, as Helm 4 has them, with Wasm plugins in a sandbox.

Layout (after Helm's ``internal/plugin``): `metadata` reads plugin.yaml, `loader` finds plugins,
`runtimes` know how to start one (`subprocess`, `extism` on wasmtime), `types` know what the
messages mean (`cli`, `getter`, `postrenderer`), `policy` decides what a Wasm plugin may do,
`cache` keeps compiled modules, `install` manages what is installed. Entry points for the rest
of Pilothouse: `pilothouse.plugin.postrender.run_postrenderer` and
`pilothouse.plugin.getter.find_getter`.

Importing this package imports nothing heavy; wasmtime is loaded only to run a Wasm plugin.
"""
