from pilothouse.cli.main import entry

entry()
