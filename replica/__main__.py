"""``python -m replica [--port N]``: serve every replica site until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from replica import ReplicaServer, build_sites


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="same port on every site (0: free)")
    args = parser.parse_args(argv)
    with ReplicaServer(build_sites(), port=args.port) as srv:
        for site in srv.sites.values():
            base = srv.base_url(site.name)
            print(f"{site.name:10} {site.cms:8} {base}/  list: {base}{site.list_path}", flush=True)
        print("serving; Ctrl-C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
