"""SIP over TCP end to end (phones.defaults.transport=tcp): in the office and the hosted office
the handsets register, call, watch BLF and ring over one TCP connection each to the PBX (through
the NAT for the hosted one, and across the router's reboot); through a plain NAT router (vendor
none) nothing goes wrong, tshark decodes every pcap as SIP over TCP, and a seed gives the same
results and bytes every time."""
import filecmp
import json

import pytest

from conftest import run_alglab
from test_pcap_tshark import TSHARK, tshark_fields
from test_scenarios_clean import COUNTS, SYMPTOMS

TCP = ["--set", "phones.defaults.transport=tcp"]
_runs = {}


@pytest.fixture(scope="module", params=["office", "hosted"])
def run_tcp(request, tmp_path_factory):
    scenario = request.param
    if scenario not in _runs:
        out = tmp_path_factory.mktemp(f"{scenario}-tcp")
        proc = run_alglab("run", scenario, "--vendor", "none", *TCP, "--out", out, "--json")
        assert proc.returncode == 0, proc.stderr
        _runs[scenario] = (scenario, json.loads(proc.stdout), out)
    return _runs[scenario]


def test_over_tcp_no_symptom_and_every_count_nonzero(run_tcp):
    _, result, _ = run_tcp
    assert list(result["symptoms"]) == SYMPTOMS
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert present == {}, present
    for key in COUNTS:
        assert result["metrics"][key] > 0, (key, result["metrics"])
    assert result["metrics"]["registrations_failed"] == 0
    assert result["metrics"]["rtp_packets_received"] >= 0.99 * result["metrics"]["rtp_packets_sent"]


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_over_tcp_pcaps_decode_as_sip_over_tcp(run_tcp):
    _, _, out = run_tcp
    pcaps = sorted(out.glob("*.pcap"))
    assert pcaps
    for pcap in pcaps:
        assert tshark_fields(pcap, "_ws.malformed || _ws.expert.severity == error", "frame.number") == [], pcap.name
    phones = sorted(out.glob("phone-*.pcap"))
    assert len(phones) == 4
    everyone = set()
    for pcap in phones:
        # A segment may carry several messages: tshark lists their methods comma-separated.
        methods = {m for row in tshark_fields(pcap, "sip && tcp", "sip.CSeq.method") for m in row.split(",")}
        assert {"REGISTER", "INVITE", "ACK", "BYE"} <= methods, (pcap.name, methods)
        everyone |= methods
        # The handset itself never sends SIP over UDP (frames flooded by the switch before it
        # learned the PBX's port are the PBX's own trunk traffic).
        sent_udp = tshark_fields(pcap, "sip && udp && ip.src == 10.0.1.0/24", "frame.number")
        assert sent_udp == [], pcap.name
        vias = {v for row in tshark_fields(pcap, "sip.Method == \"REGISTER\" && ip.src == 10.0.1.0/24",
                                           "sip.Via.transport") for v in row.split(",")}
        assert vias == {"TCP"}, vias
    assert {"SUBSCRIBE", "NOTIFY", "OPTIONS"} <= everyone, everyone


def test_over_tcp_is_deterministic(run_tcp, tmp_path):
    scenario, result, out = run_tcp
    proc = run_alglab("run", scenario, "--vendor", "none", *TCP, "--out", tmp_path, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == result
    names = sorted(p.name for p in out.glob("*.pcap"))
    assert names == sorted(p.name for p in tmp_path.glob("*.pcap"))
    match, mismatch, errors = filecmp.cmpfiles(out, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == [], (mismatch, errors)


def test_transport_knob_takes_udp_or_tcp_only():
    proc = run_alglab("run", "office", "--vendor", "none", "--set", "phones.defaults.transport=sctp")
    assert proc.returncode == 2
    assert "phones.defaults.transport" in proc.stderr and "sctp" in proc.stderr
