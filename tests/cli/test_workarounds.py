"""The workarounds users try when they cannot switch the ALG off (issue 11): `alglab run
--workaround`, SIP over TLS as the ALGs see it (opaque TCP on 5061), and the matrix's table of
which workaround removes which symptom.

The hosted office is where linux-netfilter and fortigate do their damage to the handsets' own
SIP (BLF, calls after the router's reboot; the kernel helper also audio): over TLS both routers
see nothing they can read, and the damage goes."""
import json

import pytest

from conftest import run_alglab
from test_pcap_tshark import TSHARK, tshark_fields


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


@pytest.mark.parametrize("vendor", ["linux-netfilter", "fortigate"])
def test_over_tls_the_alg_sees_nothing_and_its_symptoms_go(scenario_run, vendor):
    plain, _ = scenario_run("hosted", vendor)
    tls, out = scenario_run("hosted", vendor, "--workaround", "tls")
    assert plain["workarounds"] == [] and tls["workarounds"] == ["tls"]
    # Under UDP the ALG rewrites the handsets' SIP and causes symptoms; with the ALG off they go
    # (the golden matrix: cause "alg"), so these are the ALG's.
    assert plain["alg"]["rewritten"] > 0 and present(plain), plain["alg"]
    assert {"blf_not_updating", "fails_after_reboot"} <= present(plain)
    # Over TLS: no rewrite, no drop, no SIP message recognised; no symptom.
    assert tls["alg"]["rewritten"] == 0 and tls["alg"]["dropped"] == 0, tls["alg"]
    assert tls["alg"]["messages"] == {}, tls["alg"]["messages"]
    assert present(tls) == set(), {k: v for k, v in tls["symptoms"].items() if v["present"]}
    for key in ("calls_established", "inbound_calls"):
        assert tls["metrics"][key] > 0, (key, tls["metrics"])
    if TSHARK and vendor == "linux-netfilter":  # the same records whichever router forwards them
        wan = out / "router-if2.pcap"
        records = tshark_fields(wan, "tls.record.content_type == 23 && tcp.dstport == 5061", "frame.number")
        assert len(records) > 20, len(records)
        assert tshark_fields(wan, "sip", "frame.number") == []
        for pcap in (wan, out / "router-if1.pcap", out / "phone-101-if1.pcap", out / "pbx-if1.pcap"):
            assert tshark_fields(pcap, "_ws.malformed || _ws.expert.severity == error", "frame.number") == [], pcap


def test_an_explicit_set_wins_over_a_workaround_setting(scenario_run):
    # The office's trunk crosses the router: over TLS the kernel helper sees none of it; the
    # explicit --set puts the trunk back on UDP, where the helper rewrites it again.
    hidden, _ = scenario_run("office", "linux-netfilter", "--workaround", "tls")
    back, _ = scenario_run("office", "linux-netfilter", "--workaround", "tls", "--set", "pbx.transport=udp")
    assert hidden["alg"]["messages"] == {} and hidden["metrics"]["inbound_calls"] > 0
    assert back["workarounds"] == ["tls"]
    assert "outbound REGISTER" in back["alg"]["messages"], back["alg"]["messages"]


def test_the_pbx_port_is_one_setting_the_handsets_follow(scenario_run):
    moved, out = scenario_run("hosted", "none", "--set", "pbx.sip_port=5080")
    assert present(moved) == set()
    assert moved["metrics"]["calls_established"] > 0
    if TSHARK:
        ports = set(tshark_fields(out / "router-if2.pcap", "sip && ip.src == 203.0.113.1", "udp.dstport"))
        assert "5080" in ports and "5060" not in ports, ports


@pytest.mark.parametrize("names, message", [
    ("vpn", "unknown workaround 'vpn' (valid: sip-port-5080, tcp, tls, short-keepalives, server-nat-traversal)"),
    ("tls,tls", "'tls' named twice"),
    ("tls,", "an empty name in the list"),
])
def test_a_bad_workaround_is_one_line_and_status_2(alglab, names, message):
    proc = alglab("run", "office", "--vendor", "none", "--workaround", names)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    matrix = alglab("matrix", "--vendors", "none", "--scenarios", "office", "--workarounds", names)
    assert matrix.returncode == 2 and message in matrix.stderr, matrix.stderr


def test_the_matrix_says_which_workaround_removes_which_symptom(tmp_path):
    proc = run_alglab("matrix", "--vendors", "none,linux-netfilter", "--scenarios", "call-across-reboot",
                      "--workarounds", "tls,server-nat-traversal", "--jobs", "2", "--out", tmp_path / "m")
    assert proc.returncode == 0, proc.stderr
    matrix = json.loads((tmp_path / "m" / "matrix.json").read_text())
    table = matrix["workarounds"]
    # The kernel helper drops the callee's 200 OK (calls_not_connecting, cause alg) and its
    # media pinholes cut the call across the reboot: over TLS it can do neither. Plain NAT
    # (none) had nothing to remove.
    tls = table["linux-netfilter"]["tls"]["symptoms"]
    assert tls["calls_not_connecting"] == {"helps": True, "removed_in": ["call-across-reboot"], "remains_in": []}
    assert tls["audio_drop_midcall"]["helps"] is True
    assert tls["registration_failure"]["helps"] == "n.a."
    assert all(s["helps"] == "n.a." for s in table["none"]["tls"]["symptoms"].values())
    assert table["linux-netfilter"]["tls"]["new_symptoms"] == {}
    # One TLS run (linux-netfilter's); none's cell had no symptom, and server-side traversal
    # is judged on the matrix's own runs.
    assert matrix["workaround_runs"] == 1
    assert set(table["linux-netfilter"]) == {"tls", "server-nat-traversal"}
    run = json.loads((tmp_path / "m" / "runs" / "linux-netfilter" / "call-across-reboot" / "workaround-tls.json").read_text())
    assert run["workarounds"] == ["tls"] and run["alg"]["messages"] == {}
    assert "matrix: workarounds: 1/1 runs" in proc.stderr
    # The text output's second table: REG RING BLF 1WAY DROP BOOT CONN, then what it brings.
    assert "Which workaround removes which symptom" in proc.stdout
    row = [l for l in proc.stdout.splitlines() if l.startswith("linux-netfilter") and " tls " in l]
    assert len(row) == 1 and row[0].split()[2:] == [".", ".", ".", ".", "Y", ".", "Y", "-"], row
