"""`pilot --help` lists the built-in commands and the installed cli/v1 plugins, as `helm --help` does."""

from __future__ import annotations

from pilothouse.cli.main import main


def test_help_lists_commands_and_plugins(tmp_path, monkeypatch, capsys):
    plugin = tmp_path / "plugins" / "greet"
    plugin.mkdir(parents=True)
    (plugin / "plugin.yaml").write_text('name: greet\nversion: 0.1.0\nusage: "say hello"\ncommand: "echo hello"\n')
    monkeypatch.setenv("HELM_PLUGINS", str(tmp_path / "plugins"))
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "  template    locally render templates\n" in out  # Cobra pads names to 11
    assert "  greet       say hello\n" in out


def test_unknown_command_is_a_usage_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HELM_PLUGINS", str(tmp_path))
    assert main(["frobnicate"]) == 1
    assert capsys.readouterr().err == 'Error: unknown command "frobnicate" for "pilot"\nRun \'pilot --help\' for usage.\n'


def test_a_bug_is_reported_without_a_traceback(monkeypatch, capsys):
    import pilothouse.cli.cmd_version as version

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(version, "run", broken)
    monkeypatch.delenv("HELM_DEBUG", raising=False)
    assert main(["version"]) == 70
    err = capsys.readouterr().err
    assert err.startswith("Error: internal error: ZeroDivisionError: division by zero\n")
    assert "Traceback" not in err
