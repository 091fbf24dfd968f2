"""Command line: `python -m pwa serve` starts the app; `python -m pwa --help` lists the other commands.

The commands are an interface for other tools too: `schema` prints the assessment's JSON Schema (`--plan`: the JSON
plan's), `example` prints an assessment that satisfies it, and `plan A.json --format json` writes the action plan
as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import create_app
from .assessment import AssessmentError, json_schema, parse_assessment
from .content import load_content
from .example import example_assessment
from .fhir import questionnaire, response
from .i18n import ENVIRON_KEY, LANGUAGES
from .pdf import PAPERS, checklist_pdf, plan_pdf, render_pool, summary_pdf
from .plan import build, plan_as_json
from .plan_schema import plan_json_schema
from .service import EXTENSION_KEY as SERVICE_KEY

# The command line makes one PDF: it renders in its own process, with no renderer to start.
CLI_CONFIG = {"PDF_PROCESSES": 0}


def serve(args: argparse.Namespace) -> int:
    """The production server (gunicorn, threaded workers) unless --dev asks for Flask's development server."""
    app = create_app()
    if args.dev:
        print(f"SafeSteps (development server) at http://{args.host}:{args.port}/. Press Ctrl+C to stop.")
        app.run(host=args.host, port=args.port, debug=False, load_dotenv=False)
        return 0
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_settings(args).items():
                self.cfg.set(key, value)

        def load(self):
            return app  # made before the fork: each server process gets its own copy (renderers start after it)

    args = with_app_settings(args, app.config)
    if args.workers > 1 and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # memory:// counts in each process: with several, one address gets the rate limit once per process.
        print(
            "Several server processes count rate limits apart with SAFESTEPS_RATELIMIT_STORAGE_URI=memory://. "
            "Set it to a shared store (redis://host:6379), or use one process (the default).",
            file=sys.stderr,
        )
    print(f"SafeSteps is running. Open http://{args.host}:{args.port}/ in your browser. Press Ctrl+C to stop.")
    Server().run()
    return 0


def with_app_settings(args: argparse.Namespace, config) -> argparse.Namespace:
    """The flags given, and for those left out the app's settings (SAFESTEPS_WORKERS, SAFESTEPS_THREADS): the
    command line reads no environment of its own."""
    return argparse.Namespace(
        **{
            **vars(args),
            "workers": args.workers if args.workers is not None else int(config["WORKERS"]),
            "threads": args.threads if args.threads is not None else int(config["THREADS"]),
        }
    )


def start_renderers(worker) -> None:
    """gunicorn's hook as a server process has loaded the app: its PDF renderers start now, not at the first PDF."""
    render_pool(worker.wsgi).start()


def stop_renderers(server, worker) -> None:
    """gunicorn's hook as a server process exits: its PDF renderers stop with it."""
    app = getattr(worker, "wsgi", None)  # None when the app never loaded
    if app is not None:
        render_pool(app).shutdown()


def gunicorn_settings(args: argparse.Namespace) -> dict:
    """gunicorn with threaded (gthread) workers: a slow client holds one thread, not a whole process, and a long
    PDF render (in its own process, see pwa/pdf/pool.py) does not stop the worker answering its heartbeat."""
    return {
        "bind": [f"{args.host}:{args.port}"],
        "worker_class": "gthread",
        "workers": args.workers,
        "threads": args.threads,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": "-" if args.access_log else None,
        # The access log names the path and status only: bodies are never logged, and /plan.pdf's is a POST.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "errorlog": "-",
        "control_socket_disable": True,
        "post_worker_init": start_renderers,
        "worker_exit": stop_renderers,
        # Which proxy to believe is decided in one place, the app's PROXY_FIX (pwa/__init__.py): gunicorn itself
        # trusts no X-Forwarded-* header from anyone, loopback included.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
    }


def _write(output: str, data: bytes) -> int:
    """Write to a file, or to standard output for "-"; errors to stderr, exit 1."""
    if output == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        print(f"Could not write {output}: {exc.strerror}.", file=sys.stderr)
        return 1
    print(f"Wrote {output}", file=sys.stderr)
    return 0


def _read_assessment(path: Path):
    """The assessment in a JSON file, or None after saying plainly on stderr why it cannot be read."""
    try:
        return parse_assessment(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        problem = f"No such file: {path}"
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"Could not read {path}: {exc}"
    except json.JSONDecodeError as exc:
        problem = f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
    except AssessmentError as exc:
        problem = f"{path}: {exc}"
    print(problem, file=sys.stderr)
    return None


def plan(args: argparse.Namespace) -> int:
    assessment = _read_assessment(Path(args.assessment))
    if assessment is None:
        return 1
    app = create_app(CLI_CONFIG)
    # The service's 24-hour number (SAFESTEPS_CARE_LINE_NUMBER) stands in where the person gave none, as on the web.
    action_plan = build(
        app.extensions["safesteps.contents"][args.language], app.extensions[SERVICE_KEY].fill(assessment)
    )
    if args.format == "json":
        return _write(
            args.output, (json.dumps(plan_as_json(action_plan), indent=2, ensure_ascii=False) + "\n").encode()
        )
    render = summary_pdf if args.summary else plan_pdf
    with _in_language(app, args.language):  # the PDF templates need a context, and its language
        return _write(args.output, render(action_plan, args.paper, args.large))


def checklist(args: argparse.Namespace) -> int:
    app = create_app(CLI_CONFIG)
    with _in_language(app, args.language):
        return _write(
            args.output, checklist_pdf(app.extensions["safesteps.contents"][args.language], args.paper, args.large)
        )


def schema(args: argparse.Namespace) -> int:
    print(json.dumps(plan_json_schema() if args.plan else json_schema(), indent=2))
    return 0


def example(args: argparse.Namespace) -> int:
    print(json.dumps(example_assessment(load_content().version), indent=2, ensure_ascii=False))
    return 0


def fhir(args: argparse.Namespace) -> int:
    """The checklist as a FHIR Questionnaire, or a saved visit as a QuestionnaireResponse (JSON)."""
    content = load_content()
    if args.what == "questionnaire":
        resource = questionnaire(content)
    else:
        if not args.assessment:
            print("Give the assessment JSON file: python -m pwa fhir response A.json", file=sys.stderr)
            return 2
        assessment = _read_assessment(Path(args.assessment))
        if assessment is None:
            return 1
        resource = response(content, assessment)
    return _write(args.output, (json.dumps(resource, indent=2, ensure_ascii=False) + "\n").encode())


def _in_language(app, language: str):
    """A request context in `language`, as a page at its prefix would have (/es/...): words, content, dates."""
    return app.test_request_context(environ_overrides={ENVIRON_KEY: language})


def _print_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--paper", choices=tuple(PAPERS), default="a4", help="paper size (default a4)")
    command.add_argument("--large", action="store_true", help="large print")
    command.add_argument("--language", choices=tuple(LANGUAGES), default="en", help="the words' language (default en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pwa", description="SafeSteps")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="start the web app (gunicorn; --dev for the development server)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.add_argument(
        "--workers",
        type=int,
        # One by default: the rate limits and each address's share of the renderers are then counted exactly
        # in memory. Several need a shared store (SAFESTEPS_RATELIMIT_STORAGE_URI=redis://...).
        default=None,
        help="server processes (default 1, or SAFESTEPS_WORKERS; more need a redis:// rate-limit store)",
    )
    run.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per process (default 16, or SAFESTEPS_THREADS)",
    )
    run.add_argument("--access-log", action="store_true", help="log each request (method, path, status; never a body)")
    run.add_argument(
        "--dev", action="store_true", help="Flask's development server instead (one process; not for the open web)"
    )
    run.set_defaults(handler=serve)

    make_plan = commands.add_parser("plan", help="make the action plan from a saved assessment (JSON)")
    make_plan.add_argument("assessment", help="the assessment JSON file")
    make_plan.add_argument("--format", choices=("pdf", "json"), default="pdf", help="pdf (default) or json")
    make_plan.add_argument(
        "-o", "--output", help="where to write it, or - for standard output (default plan.pdf or plan.json)"
    )
    make_plan.add_argument(
        "--summary", action="store_true", help="the one-page summary for the fridge door (a PDF) instead of the plan"
    )
    _print_options(make_plan)
    make_plan.set_defaults(handler=plan)

    blank = commands.add_parser("checklist", help="make the blank printable checklist PDF")
    blank.add_argument("-o", "--output", default="checklist.pdf", help="where to write the PDF (default checklist.pdf)")
    _print_options(blank)
    blank.set_defaults(handler=checklist)

    print_schema = commands.add_parser("schema", help="print the assessment's JSON Schema (draft 2020-12)")
    print_schema.add_argument(
        "--plan", action="store_true", help="the JSON plan's schema instead (what plan --format json writes)"
    )
    print_schema.set_defaults(handler=schema)
    commands.add_parser("example", help="print an example assessment").set_defaults(handler=example)

    make_fhir = commands.add_parser(
        "fhir", help="the checklist as a FHIR R4 Questionnaire, or a visit as a QuestionnaireResponse (JSON)"
    )
    make_fhir.add_argument("what", choices=("questionnaire", "response"))
    make_fhir.add_argument("assessment", nargs="?", help="for response: the assessment JSON file")
    make_fhir.add_argument("-o", "--output", default="-", help="where to write it (default: standard output)")
    make_fhir.set_defaults(handler=fhir)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "command", None) == "plan" and args.summary and args.format == "json":
        build_parser().error("--summary makes a PDF: leave out --format json")
    if getattr(args, "command", None) == "plan" and not args.output:
        args.output = "summary.pdf" if args.summary else f"plan.{args.format}"
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
