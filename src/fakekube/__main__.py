"""`python -m fakekube`: run the fake API server until killed."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from fakekube.server import Server


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start serving, print the URL, and serve until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m fakekube", description="An in-memory Kubernetes API server for tests.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--kubeconfig", metavar="PATH", help="write a kubeconfig pointing at the server here")
    parser.add_argument("--auto-ready", action="store_true", help="make workloads ready as soon as they are written")
    parser.add_argument("--simulate", type=float, default=None, metavar="SECONDS",
                        help="run simulated controllers, one tick every SECONDS (0: only on POST /_fakekube/step)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    log = (lambda line: print(line, file=sys.stderr, flush=True)) if args.verbose else None
    srv = Server(args.port, auto_ready=args.auto_ready, kubeconfig_path=args.kubeconfig, log=log, simulate=args.simulate)
    done = threading.Event()

    def stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    srv.start()
    print(srv.url, flush=True)
    done.wait()
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
