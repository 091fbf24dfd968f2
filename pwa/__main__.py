"""Command line: `python -m pwa serve` starts the app; more commands are listed by `python -m pwa --help`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import create_app
from .pdf import PAPERS


def serve(args: argparse.Namespace) -> int:
    app = create_app()
    print(f"SafeSteps is running. Open http://{args.host}:{args.port}/ in your browser. Press Ctrl+C to stop.")
    app.run(host=args.host, port=args.port, debug=False, load_dotenv=False)
    return 0


def _write_pdf(output: Path, render) -> int:
    """Render inside an app context (the PDF templates need it) and write the file; errors to stderr, exit 1."""
    app = create_app()
    with app.app_context():
        pdf = render(app.extensions["safesteps.content"])
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        print(f"Could not write {output}: {exc.strerror}.", file=sys.stderr)
        return 1
    print(f"Wrote {output}")
    return 0


def plan(args: argparse.Namespace) -> int:
    from .assessment import AssessmentError, parse_assessment
    from .plan import build
    from .views.plan import plan_pdf

    path = Path(args.assessment)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        assessment = parse_assessment(document)
    except FileNotFoundError:
        print(f"No such file: {path}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"Could not read {path}: {exc}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).", file=sys.stderr)
        return 1
    except AssessmentError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    return _write_pdf(Path(args.output), lambda content: plan_pdf(build(content, assessment), args.paper, args.large))


def checklist(args: argparse.Namespace) -> int:
    from .views.plan import checklist_pdf

    return _write_pdf(Path(args.output), lambda content: checklist_pdf(content, args.paper, args.large))


def _print_options(command: argparse.ArgumentParser, default_output: str) -> None:
    command.add_argument("-o", "--output", default=default_output, help=f"where to write the PDF (default {default_output})")
    command.add_argument("--paper", choices=tuple(PAPERS), default="a4", help="paper size (default a4)")
    command.add_argument("--large", action="store_true", help="large print")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pwa", description="SafeSteps")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="start the web app")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.set_defaults(handler=serve)
    make_plan = commands.add_parser("plan", help="make the action plan PDF from a saved assessment (JSON)")
    make_plan.add_argument("assessment", help="the assessment JSON file")
    _print_options(make_plan, "plan.pdf")
    make_plan.set_defaults(handler=plan)
    blank = commands.add_parser("checklist", help="make the blank printable checklist PDF")
    _print_options(blank, "checklist.pdf")
    blank.set_defaults(handler=checklist)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
