"""tshark (the real Wireshark dissectors) decodes what alglab writes as valid SIP/SDP/RTP."""
import shutil
import subprocess

import pytest

TSHARK = shutil.which("tshark")
pytestmark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")

# RTP has no well-known port: let the heuristic dissector find it, as an analyst would.
TSHARK_OPTS = ["-o", "rtp.heuristic_rtp:TRUE"]


def tshark_fields(pcap, display_filter, *fields):
    cmd = [TSHARK, "-n", "-r", str(pcap), *TSHARK_OPTS, "-Y", display_filter, "-T", "fields"]
    for f in fields:
        cmd += ["-e", f]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [l for l in proc.stdout.splitlines() if l.strip()]


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_every_pcap_decodes_without_malformed_packets(scenario_run, scenario):
    _, out = scenario_run(scenario)
    pcaps = sorted(out.glob("*.pcap"))
    assert pcaps
    for pcap in pcaps:
        assert tshark_fields(pcap, "_ws.malformed || _ws.expert.severity == error", "frame.number") == [], pcap.name


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_sip_sdp_and_rtp_are_recognised(scenario_run, scenario):
    _, out = scenario_run(scenario)
    wan = sorted(out.glob("router-if*.pcap"))
    assert wan
    sip = sum(len(tshark_fields(p, "sip", "sip.CSeq.method")) for p in wan)
    sdp = sum(len(tshark_fields(p, "sdp", "sdp.connection_info")) for p in wan)
    rtp = sum(len(tshark_fields(p, "rtp", "rtp.seq")) for p in wan)
    assert sip > 50 and sdp > 2 and rtp > 1000, (sip, sdp, rtp)
    methods = set()
    for p in wan:
        methods |= set(tshark_fields(p, "sip.Method", "sip.Method"))
    assert {"REGISTER", "INVITE", "ACK", "BYE"} <= methods, methods


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_internet_never_sees_a_private_address(scenario_run, scenario):
    """The NAT really translates: nothing beyond the router carries 10.0.0.0/8 in an IP header."""
    _, out = scenario_run(scenario)
    outside = [p for p in out.glob("*.pcap") if p.name.startswith(("provider", "internet"))]
    if scenario == "hosted":
        outside += list(out.glob("pbx-*.pcap"))
    assert outside
    for pcap in outside:
        assert tshark_fields(pcap, "ip.addr == 10.0.0.0/8", "frame.number") == [], pcap.name
