"""The command line: `python -m pwa plan` and `python -m pwa checklist` write PDFs; bad input fails clearly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "pwa", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_plan_command_writes_the_pdf(tmp_path, content):
    item = next(iter(content.items.values()))
    saved = tmp_path / "assessment.json"
    saved.write_text(json.dumps({
        "schema": 1, "profile": {"name": "Ann Example"},
        "answers": {item.id: {"answer": "fix", "note": "Loose mat by the door"}},
    }))
    result = run("plan", saved, "-o", tmp_path / "plan.pdf", "--paper", "letter", "--large", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "plan.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ann Example" in text and "Loose mat by the door" in text


def test_checklist_command_writes_the_pdf(tmp_path):
    result = run("checklist", "-o", tmp_path / "checklist.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "checklist.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 595 and len(reader.pages) > 3


@pytest.mark.parametrize(("contents", "message"), [
    (None, "No such file"),
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"answers": {"x.y": {"answer": "maybe"}}}', "could not be read at 'answers"),
])
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
