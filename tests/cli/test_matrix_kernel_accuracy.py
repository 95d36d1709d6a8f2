"""`alglab matrix --kernel-accuracy FILE`: bench/kernel-accuracy.py's measurement through the real
kernel (tests/data/kernel-accuracy.json, made on the development machine) copied into matrix.json
and report.html; a missing or malformed file is a one-line error, status 2, before any run."""
import json
import shutil
import subprocess

import jsonschema
import pytest

from conftest import SOURCE_DIR, run_alglab
from test_report import page_data

FIXTURE = SOURCE_DIR / "tests" / "data" / "kernel-accuracy.json"
SCHEMA = json.loads((SOURCE_DIR / "docs" / "schemas" / "kernel-accuracy.schema.json").read_text())
MATRIX = ("matrix", "--vendors", "none", "--scenarios", "office", "--workarounds", "none", "--jobs", "2")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("kacc") / "m"
    proc = run_alglab(*MATRIX, "--kernel-accuracy", FIXTURE, "--out", out, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_the_fixture_validates_against_the_schema():
    jsonschema.validate(json.loads(FIXTURE.read_text()), SCHEMA)


def test_matrix_json_carries_the_file_as_it_was(out):
    path, _ = out
    matrix = json.loads((path / "matrix.json").read_text())
    assert matrix["kernel_accuracy"] == json.loads(FIXTURE.read_text())
    assert "vendors" in matrix and "none" in matrix["vendors"]


def test_report_embeds_and_renders_it(out):
    path, _ = out
    page = (path / "report.html").read_text()
    assert page_data(path / "report.html")["kernel_accuracy"] == json.loads(FIXTURE.read_text())
    assert "renderKernelAccuracy" in page and "Accuracy through the real kernel" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium to render the page")
def test_the_browser_draws_each_matrix(out):
    path, _ = out
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          (path / "report.html").as_uri()], capture_output=True, text=True, timeout=60).stdout
    assert '<section id="kernel-accuracy">' in dom
    fixture = json.loads(FIXTURE.read_text())
    for title, key in (("Presence", "presence"), ("Rewrite kind", "rewrite_kind"), ("Proxy vs rewrite", "proxy"),
                       ("Vendor family", "vendor_family"), ("Diagnose: presence", "diagnose_presence")):
        m = fixture["matrices"][key]
        assert "<h3>%s: %.1f%% (%d/%d)</h3>" % (title, m["accuracy"] * 100, m["correct"], m["total"]) in dom, title


def test_text_output_names_each_matrix(out):
    _, stdout = out
    fixture = json.loads(FIXTURE.read_text())
    assert "Through the real kernel (%s):" % fixture["kernel"] in stdout
    for name, m in fixture["matrices"].items():
        assert "  %s: %d/%d right" % (name, m["correct"], m["total"]) in stdout


def test_without_the_flag_there_is_no_key(tmp_path):
    proc = run_alglab(*MATRIX, "--json", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "kernel_accuracy" not in json.loads(proc.stdout)


def bad_files(tmp_path):
    fixture = json.loads(FIXTURE.read_text())
    cases = {"missing": None, "not-json.json": "{not json", "array.json": "[]",
             "wrong-kind.json": json.dumps(dict(fixture, kind="detect-accuracy")),
             "no-matrices.json": json.dumps({k: v for k, v in fixture.items() if k != "matrices"}),
             "bad-accuracy.json": json.dumps(dict(fixture, matrices=dict(
                 fixture["matrices"], presence=dict(fixture["matrices"]["presence"], accuracy=3))))}
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text)
        yield name, path


def test_a_bad_file_is_a_one_line_error(tmp_path):
    for name, path in bad_files(tmp_path):
        proc = run_alglab(*MATRIX, "--kernel-accuracy", path, "--out", tmp_path / "o", timeout=60)
        assert proc.returncode == 2, (name, proc.returncode, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("alglab: --kernel-accuracy " + str(path)), (name, proc.stderr)
        assert not (tmp_path / "o" / "matrix.json").exists(), name
