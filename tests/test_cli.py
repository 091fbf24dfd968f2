"""The command line (pwa/__main__.py): plans as PDF or JSON, the blank checklist, the schema and an example."""

import ast
import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pwa.__main__ import main
from pwa.assessment import SCHEMA_VERSION

from .pdf_text import text_of

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def run_process(*args, cwd):
    """`python -m pwa ...` in a process of its own, as a person or another tool runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pwa", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def run(*args, cwd):
    """The same command through main(argv) in this process (no new interpreter, no WeasyPrint import each time),
    with its exit code and what it wrote to standard output and standard error."""
    stdout, stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                returncode = main([str(arg) for arg in args])
            except SystemExit as exit:  # argparse refusing the arguments
                returncode = exit.code
    finally:
        os.chdir(previous)
    stdout.flush()
    return subprocess.CompletedProcess(args, returncode, stdout.buffer.getvalue().decode(), stderr.getvalue())


def test_plan_command_writes_the_pdf(tmp_path, content):
    item = next(iter(content.items.values()))
    saved = tmp_path / "assessment.json"
    saved.write_text(
        json.dumps(
            {
                "schema": 1,
                "profile": {"name": "Ann Example"},
                "answers": {item.id: {"answer": "fix", "note": "Loose mat by the door"}},
            }
        )
    )
    result = run("plan", saved, "-o", tmp_path / "plan.pdf", "--paper", "letter", "--large", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "plan.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = text_of(tmp_path / "plan.pdf")
    assert "Ann Example" in text and "Loose mat by the door" in text


def test_checklist_command_writes_the_pdf(tmp_path):
    result = run("checklist", "-o", tmp_path / "checklist.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "checklist.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 595 and len(reader.pages) > 3


def test_the_plan_command_prints_in_spanish(tmp_path, content):
    item = next(iter(content.items.values()))
    saved = tmp_path / "assessment.json"
    saved.write_text(json.dumps({"schema": 1, "answers": {item.id: {"answer": "fix"}}}))
    result = run("plan", saved, "-o", tmp_path / "plan.pdf", "--language", "es", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = text_of(tmp_path / "plan.pdf")
    assert "Mi plan de SafeSteps" in text and "Señales de alarma" in text and "Warning signs" not in text


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (None, "No such file"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"answers": {"x.y": {"answer": "maybe"}}}', "could not be read at 'answers"),
        (json.dumps({"schema": SCHEMA_VERSION + 1}), "newer version of SafeSteps"),
        ('{"schema": true}', "format version SafeSteps does not know"),
    ],
)
def test_plan_command_fails_clearly_on_bad_input(tmp_path, contents, message):
    saved = tmp_path / "assessment.json"
    if contents is not None:
        saved.write_text(contents)
    result = run("plan", saved, "-o", tmp_path / "plan.pdf", cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plan.pdf").exists()


def test_unknown_paper_is_refused(tmp_path):
    result = run("checklist", "-o", tmp_path / "c.pdf", "--paper", "legal", cwd=tmp_path)
    assert result.returncode != 0 and "invalid choice" in result.stderr


def test_schema_command_prints_the_json_schema(tmp_path):
    result = run("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == SCHEMA_VERSION


def test_example_satisfies_the_schema_and_makes_a_json_plan(tmp_path, content):
    import jsonschema

    schema = json.loads(run("schema", cwd=tmp_path).stdout)
    example = run("example", cwd=tmp_path)
    assert example.returncode == 0, example.stderr
    document = json.loads(example.stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["content_version"] == content.version

    saved = tmp_path / "example.json"
    saved.write_text(example.stdout)
    result = run("plan", saved, "--format", "json", "-o", tmp_path / "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    open_fixes = {
        item_id
        for item_id, a in document["answers"].items()
        if a["answer"] == "fix" and item_id not in document["done"]
    }
    assert {action["id"] for action in plan["actions"]} == open_fixes
    for action in plan["actions"]:
        assert set(action) == {"id", "room", "urgency", "action", "who", "reasons", "note"}
        assert action["action"] == content.items[action["id"]].action
        assert action["urgency"] in ("high", "medium", "low")
        assert action["note"] == document["answers"][action["id"]]["note"]
    assert any(action["reasons"] for action in plan["actions"])  # spine and hip raise some of them
    assert [d["id"] for d in plan["done"]] == list(document["done"])
    assert plan["warning_signs"][0]["signs"][0] == content.red_flags.groups[0].signs[0].text


def test_plan_json_goes_to_standard_output_with_dash(tmp_path, content):
    # The one test that runs `python -m pwa` as its own process: the entry point and a real standard output.
    saved = tmp_path / "a.json"
    saved.write_text(json.dumps({"schema": 2, "answers": {next(iter(content.items)): {"answer": "fix"}}}))
    result = run_process("plan", saved, "--format", "json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["actions"]) == 1


def test_serve_takes_its_defaults_from_the_apps_settings_and_a_flag_wins(monkeypatch):
    from pwa import create_app
    from pwa.__main__ import build_parser, gunicorn_settings, with_app_settings

    monkeypatch.setenv("SAFESTEPS_WORKERS", "3")
    monkeypatch.setenv("SAFESTEPS_THREADS", "4")
    config = create_app({"TESTING": True}).config
    settings = gunicorn_settings(with_app_settings(build_parser().parse_args(["serve"]), config))
    assert (settings["workers"], settings["threads"]) == (3, 4)
    flagged = with_app_settings(build_parser().parse_args(["serve", "--workers", "2"]), config)
    assert (flagged.workers, flagged.threads) == (2, 4)
    monkeypatch.delenv("SAFESTEPS_WORKERS")
    monkeypatch.delenv("SAFESTEPS_THREADS")
    plain = with_app_settings(build_parser().parse_args(["serve"]), create_app({"TESTING": True}).config)
    assert (plain.workers, plain.threads) == (1, 16)


def test_the_app_reads_the_environment_in_one_place_and_only_safesteps_names():
    # create_app's from_prefixed_env("SAFESTEPS") is the one channel: no module reads os.environ of its own
    # (gunicorn's own FORWARDED_ALLOW_IPS is overridden in gunicorn_settings: proxy trust is PROXY_FIX's).
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "pwa").rglob("*.py")
        if "os.environ" in path.read_text() or "getenv(" in path.read_text()
    ]
    assert readers == []
    init = (ROOT / "pwa" / "__init__.py").read_text()
    assert init.count("from_prefixed_env(") == 1 and 'from_prefixed_env("SAFESTEPS")' in init


def readme_settings() -> list[str]:
    """The settings the README's table documents, without their SAFESTEPS_ prefix."""
    table = README.read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `SAFESTEPS_")]
    return [name for row in rows for name in re.findall(r"`SAFESTEPS_([A-Z_]+)`", row.split(" | ", 1)[0])]


# Flask's own settings that create_app fixes for safety: not offered, so not in the table.
FIXED_SETTINGS = {"MAX_CONTENT_LENGTH", "WTF_CSRF_TIME_LIMIT", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_HTTPONLY"}


def test_every_setting_the_readme_documents_is_one_the_app_has():
    from pwa import create_app

    documented = readme_settings()
    config = create_app({"TESTING": True}).config
    assert len(documented) >= 20
    assert [name for name in documented if name not in config] == []


def test_every_setting_of_the_app_is_documented_in_the_readme():
    # The settings create_app gives a default (its app.config.from_mapping call), read from the source.
    tree = ast.parse((ROOT / "pwa" / "__init__.py").read_text())
    [call] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "from_mapping"
    ]
    defaults = {keyword.arg for keyword in call.keywords}
    assert "PDF_PROCESSES" in defaults and defaults >= FIXED_SETTINGS
    assert sorted(defaults - FIXED_SETTINGS - set(readme_settings())) == []


def test_scripts_import_nothing_from_the_tests():
    # The benchmarks and tools stand on their own; the tests may use them (scripts/_servers.py), never the reverse.
    importers = []
    for path in sorted((ROOT / "scripts").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name == "tests" or name.startswith("tests.") for name in names):
                importers.append(path.name)
    assert len(list((ROOT / "scripts").glob("*.py"))) > 10
    assert importers == []
