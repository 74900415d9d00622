import os
import sys

import pytest

# Test helpers shared across test folders (corpus access) live at the top of tests/.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def pilot_in_process(monkeypatch, capsys):
    """``pilot_in_process(server)`` gives ``run(*argv) -> (rc, stdout, stderr)``: the `pilot`
    command run in this process against a fake API server, with no HELM_DRIVER/HELM_NAMESPACE
    of the caller's leaking in."""
    from pilothouse.cli.main import main

    def bind(server):
        monkeypatch.setenv("KUBECONFIG", server.kubeconfig_path)
        monkeypatch.delenv("HELM_DRIVER", raising=False)
        monkeypatch.delenv("HELM_NAMESPACE", raising=False)

        def run(*argv: str) -> tuple[int, str, str]:
            rc = main(list(argv))
            out, err = capsys.readouterr()
            return rc, out, err

        return run

    return bind


@pytest.fixture(autouse=True)
def _dev_null_stays_a_device():
    """No test may replace a system file: a write that renames over /dev/null (as root) would break
    every later test and service that writes there, far from the cause. Name the test that did it."""
    import stat

    yield
    mode = os.stat(os.devnull).st_mode
    assert stat.S_ISCHR(mode), f"{os.devnull} is no longer a character device after this test"
