"""`alglab diagnose` on captures made now through the real kernel's SIP helper (root only):
SIPp on both sides of network namespaces, the helper on and off (diagnose_kernel_capture.py).
The checks are the fixtures' (test_diagnose.py), so the fixtures stay honest."""
import json

import jsonschema
import pytest

from conftest import SOURCE_DIR, run_alglab
import diagnose_kernel_capture as kc
from test_diagnose import check_kernel_helper_off, check_kernel_helper_on

SCHEMA = json.loads((SOURCE_DIR / "docs" / "schemas" / "diagnose.schema.json").read_text())


@pytest.fixture(scope="module")
def captures(tmp_path_factory):
    try:
        kc.check_available()
    except kc.Unavailable as exc:
        pytest.skip(str(exc))
    return kc.capture_both(tmp_path_factory.mktemp("kernel"))


def diagnose(lan, wan):
    proc = run_alglab("diagnose", lan, "--wan", wan, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    return out


def test_kernel_helper_on_rewrites_are_shown(captures):
    check_kernel_helper_on(diagnose(*captures["on"]))


def test_kernel_helper_off_shows_no_rewrite(captures):
    check_kernel_helper_off(diagnose(*captures["off"]))
