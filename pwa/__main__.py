"""Command line: `python -m pwa serve` starts the app; more commands are listed by `python -m pwa --help`."""

from __future__ import annotations

import argparse
import sys

from . import create_app


def serve(args: argparse.Namespace) -> int:
    app = create_app()
    print(f"SafeSteps is running. Open http://{args.host}:{args.port}/ in your browser. Press Ctrl+C to stop.")
    app.run(host=args.host, port=args.port, debug=False, load_dotenv=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pwa", description="SafeSteps")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="start the web app")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.set_defaults(handler=serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
