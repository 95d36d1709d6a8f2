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


def diagnose(lan, wan, _any=None):
    proc = run_alglab("diagnose", lan, "--wan", wan, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    return out


def test_kernel_helper_on_rewrites_are_shown(captures):
    check_kernel_helper_on(diagnose(*captures["on"]))


def test_kernel_helper_off_shows_no_rewrite(captures):
    check_kernel_helper_off(diagnose(*captures["off"]))


def test_router_any_capture_is_linux_cooked_with_both_sides(captures):
    lan, _, any_pcap = captures["on"]
    proc = run_alglab("diagnose", any_pcap, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    assert out["capture"]["link_type"].startswith("Linux cooked")
    # Every message twice: as it came in on one side and as it left on the other.
    single = json.loads(run_alglab("diagnose", lan, "--json").stdout)
    assert out["capture"]["analysis"]["sip_messages"] == 2 * single["capture"]["analysis"]["sip_messages"]
