"""`alglab diagnose`: on the simulator's pcaps of a representative set of matrix cells (every
vendor on a scenario where it shows a symptom, and on one more), on real-kernel captures kept
as fixtures (tests/data/captures/, made by diagnose_kernel_capture.py), against tshark's own
dissection, its JSON schema, and bad input (one line naming the file, status 2)."""
import json
import shutil
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from conftest import SOURCE_DIR, run_alglab
from diagnose_check import compare

SCHEMA = json.loads((SOURCE_DIR / "docs" / "schemas" / "diagnose.schema.json").read_text())
CAPTURES = SOURCE_DIR / "tests" / "data" / "captures"

# Every vendor of the matrix. large-invite-mtu: every ALG but none pushes the desk phone's
# INVITE past the MTU (calls_not_connecting); hosted: four handsets through the NAT, where the
# Linux-helper family also shows one-way audio and BLF damage and the others are clean.
VENDORS = ["billion", "cisco-asa", "cisco-ios", "d-link", "draytek", "fortigate", "linux-netfilter", "meraki-mx",
           "mikrotik", "none", "tp-link", "unifi"]
CELLS = [(v, s) for v in VENDORS for s in ("large-invite-mtu", "hosted")]


def diagnose_json(*args):
    proc = run_alglab("diagnose", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    return out


# The phone-side capture diagnosed alone, per cell (filled by the cells fixture).
lan_only = {}


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    """Every cell run once with pcaps and diagnosed (LAN + WAN), two at a time."""
    # Directories are made here, before the threads: TempPathFactory is not thread-safe (two
    # threads making the first directory at once each create a base directory).
    outs = {cell: tmp_path_factory.mktemp(f"{cell[1]}-{cell[0]}") for cell in CELLS}

    def one(cell):
        vendor, scenario = cell
        out = outs[cell]
        proc = run_alglab("run", scenario, "--vendor", vendor, "--out", out, "--json")
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        diagnosis = diagnose_json(out / "router-if1.pcap", "--wan", out / "router-if2.pcap")
        lan_only[cell] = diagnose_json(out / "router-if1.pcap")
        return cell, (result, diagnosis, out)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, CELLS))


@pytest.mark.parametrize("cell", CELLS, ids=[f"{v}-{s}" for v, s in CELLS])
def test_diagnose_names_the_runs_symptoms(cells, cell):
    result, diagnosis, _ = cells[cell]
    check = compare(result, diagnosis)
    assert not check["symptoms"]["missed"], check


@pytest.mark.parametrize("cell", CELLS, ids=[f"{v}-{s}" for v, s in CELLS])
def test_diagnose_shows_exactly_the_rewrites_the_alg_made(cells, cell):
    result, diagnosis, _ = cells[cell]
    check = compare(result, diagnosis)
    assert not check["rewrites"]["missed"], check["rewrites"]
    assert not check["rewrites"]["extra"], check["rewrites"]
    if cell[0] == "none":
        assert not diagnosis["summary"]["alg_fingerprints"], diagnosis["summary"]
        for side in ("capture", "wan"):
            assert not [f for f in diagnosis[side]["analysis"]["fingerprints"] if f["alg"]]


@pytest.mark.parametrize("cell", CELLS, ids=[f"{v}-{s}" for v, s in CELLS])
def test_phone_side_alone_names_the_symptoms_and_the_alg(cells, cell):
    """One capture, the phone side: the same symptoms (an INVITE the router dropped would not
    be there; no cell here has one), and the Linux-style inbound Via rewrite (received= a
    private address) for every ALG but FortiOS's proxy, which takes its own Via away instead
    and leaves no mark on the phone side."""
    result, _, _ = cells[cell]
    diagnosis = lan_only[cell]
    check = compare(result, diagnosis)
    assert not check["symptoms"]["missed"], check["symptoms"]
    assert diagnosis["capture"]["analysis"]["side"] == "lan"
    kinds = set(diagnosis["capture"]["analysis"]["fingerprint_counts"])
    if cell[0] == "none":
        assert not diagnosis["summary"]["alg_fingerprints"], kinds
    elif cell[0] != "fortigate":
        assert "via-received-private" in kinds, kinds


def test_none_leaks_private_addresses_on_the_wan(cells):
    _, diagnosis, _ = cells[("none", "hosted")]
    kinds = {f["kind"] for f in diagnosis["wan"]["analysis"]["fingerprints"]}
    assert "private-address-leak" in kinds
    assert diagnosis["summary"]["private_address_leak"]


def test_fortigate_proxy_and_trace_are_fingerprinted_from_one_side(cells):
    _, diagnosis, _ = cells[("fortigate", "hosted")]
    kinds = {f["kind"] for side in ("capture", "wan") for f in diagnosis[side]["analysis"]["fingerprints"]}
    assert "sdp-nat-trace" in kinds, kinds


def test_sip_count_and_call_ids_agree_with_tshark(cells):
    _, diagnosis, out = cells[("linux-netfilter", "hosted")]
    pcap = out / "router-if1.pcap"
    fields = subprocess.run(
        ["tshark", "-r", str(pcap), "-Y", "sip.Call-ID", "-T", "fields", "-e", "frame.number", "-e", "sip.Call-ID"],
        capture_output=True, text=True, timeout=120, check=True).stdout.split("\n")
    rows = [line.split("\t") for line in fields if line.strip()]
    analysis = diagnosis["capture"]["analysis"]
    assert analysis["sip_messages"] == len(rows)
    assert analysis["sip_call_ids"] == len({r[1] for r in rows})
    # Every frame a symptom or fingerprint names is, for tshark too, a SIP message of that Call-ID.
    call_of_frame = {int(r[0]): r[1] for r in rows}
    assert analysis["symptoms"], "this cell has symptoms to check"
    for s in analysis["symptoms"]:
        for frame in s["frames"]:
            assert call_of_frame.get(frame) == s["call_id"], (frame, s)
    for f in analysis["fingerprints"]:
        assert call_of_frame.get(f["frame"]) == f["call_id"], f


def test_text_output_names_symptoms_fingerprints_and_rewrites(cells):
    _, _, out = cells[("linux-netfilter", "large-invite-mtu")]
    proc = run_alglab("diagnose", out / "router-if1.pcap", "--wan", out / "router-if2.pcap")
    assert proc.returncode == 0, proc.stderr
    assert "calls_not_connecting" in proc.stdout
    assert "Across the router" in proc.stdout
    assert "outbound INVITE" in proc.stdout


def test_same_capture_same_output(cells):
    _, _, out = cells[("tp-link", "hosted")]
    args = (out / "router-if1.pcap", "--wan", out / "router-if2.pcap", "--json")
    assert run_alglab("diagnose", *args).stdout == run_alglab("diagnose", *args).stdout


# --- real-kernel captures (fixtures) ------------------------------------------------------------

def kernel_rewrites(diagnosis):
    return {(r["direction"], r["message"], r["field"]) for r in diagnosis["across_router"]["rewrites"]}


def check_kernel_helper_on(diagnosis):
    found = kernel_rewrites(diagnosis)
    for expected in [("outbound", "REGISTER", "Via"), ("outbound", "REGISTER", "Contact"),
                     ("outbound", "INVITE", "Via"), ("outbound", "INVITE", "Contact"), ("outbound", "INVITE", "o="),
                     ("outbound", "INVITE", "c="), ("outbound", "INVITE", "Content-Length"),
                     ("inbound", "200 REGISTER", "Via")]:
        assert expected in found, (expected, sorted(found))
    for r in diagnosis["across_router"]["rewrites"]:
        if r["direction"] == "outbound" and r["field"] == "c=":
            assert r["before"] == "c=IN IP4 10.0.0.2" and r["after"] == "c=IN IP4 203.0.113.1"
    assert diagnosis["summary"]["alg_fingerprints"]
    assert not diagnosis["across_router"]["dropped"]


def check_kernel_helper_off(diagnosis):
    assert diagnosis["across_router"]["rewrites"] == []
    assert diagnosis["across_router"]["paired"] == 8
    assert not diagnosis["summary"]["alg_fingerprints"]
    leaks = {f["field"] for f in diagnosis["wan"]["analysis"]["fingerprints"] if f["kind"] == "private-address-leak"}
    assert {"Via", "Contact", "o=", "c="} <= leaks, leaks


def test_kernel_fixture_helper_on_shows_the_kernels_rewrites():
    d = diagnose_json(CAPTURES / "kernel-helper-on-lan.pcap", "--wan", CAPTURES / "kernel-helper-on-wan.pcap")
    assert d["capture"]["link_type"] == "Ethernet" and d["capture"]["analysis"]["side"] == "lan"
    assert d["wan"]["analysis"]["side"] == "wan"
    check_kernel_helper_on(d)


def test_kernel_fixture_helper_off_shows_none():
    d = diagnose_json(CAPTURES / "kernel-helper-off-lan.pcap", "--wan", CAPTURES / "kernel-helper-off-wan.pcap")
    check_kernel_helper_off(d)


def test_pcapng_and_cooked_captures_read_the_same(tmp_path):
    if not shutil.which("editcap"):
        pytest.skip("editcap missing")
    src = CAPTURES / "kernel-helper-on-wan.pcap"
    ng = tmp_path / "wan.pcapng"
    subprocess.run(["editcap", "-F", "pcapng", str(src), str(ng)], check=True, timeout=30)
    a = diagnose_json(src)["capture"]["analysis"]
    b = diagnose_json(ng)["capture"]["analysis"]
    assert a == b


# --- bad input ------------------------------------------------------------------------------------

def pcap_header(linktype):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)


def bad_inputs(tmp_path):
    real = (CAPTURES / "kernel-helper-on-lan.pcap").read_bytes()
    cases = {
        "missing.pcap": None,
        "empty.pcap": b"",
        "text.pcap": b"REGISTER sip:x SIP/2.0\r\n\r\n",
        "header-only-cut.pcap": real[:10],
        "record-cut.pcap": real[: len(real) - 40],
        "wifi.pcap": pcap_header(105) + real[24:],
        "record-too-long.pcap": pcap_header(1) + struct.pack("<IIII", 0, 0, 0x7FFFFFFF, 0x7FFFFFFF) + b"x" * 32,
    }
    for name, data in cases.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    (tmp_path / "a-directory.pcap").mkdir()
    return [tmp_path / n for n in list(cases) + ["a-directory.pcap"]]


def test_bad_captures_are_one_line_naming_the_file_status_2(tmp_path):
    good = CAPTURES / "kernel-helper-on-lan.pcap"
    for path in bad_inputs(tmp_path):
        for args in ((path,), (good, "--wan", path)):
            proc = run_alglab("diagnose", *args)
            assert proc.returncode == 2, (path, proc.returncode, proc.stdout[-300:], proc.stderr)
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0], (path, proc.stderr)
            assert proc.stdout == ""


def test_diagnose_without_a_capture_is_a_usage_error():
    proc = run_alglab("diagnose")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


# --- SIP over TCP ---------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor", ["none", "fortigate", "linux-netfilter"])
def test_sip_over_tcp_is_reassembled_and_paired(tmp_path, vendor):
    """Handsets on TCP: every stream framed to the end, the run's symptoms named, the router's
    rewrites shown. The Linux helper rewrites TCP segment by segment; its record also names
    "body" lines of segments whose bytes it left as they were, which no capture can show."""
    out = tmp_path / vendor
    proc = run_alglab("run", "hosted", "--vendor", vendor, "--set", "phones.defaults.transport=tcp", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    diagnosis = diagnose_json(out / "router-if1.pcap", "--wan", out / "router-if2.pcap")
    assert diagnosis["capture"]["tcp_bytes_unframed"] == 0 and diagnosis["capture"]["analysis"]["sip_defects"] == 0
    check = compare(result, diagnosis)
    assert not check["symptoms"]["missed"], check["symptoms"]
    assert not [m for m in check["rewrites"]["missed"] if m[2] != "body"], check["rewrites"]
    assert not check["rewrites"]["extra"], check["rewrites"]
