"""A realistic, large INVITE (phones.sdp_codecs, phones.optional_header_bytes) through a plain
NAT router (scenarios/hold-and-mute.yaml, hosted PBX, no reboot). Over UDP the handset's IP stack
fragments the 1500-byte datagram and the router drops outbound fragments, so no call the
handsets place connects; with RFC 3261 section 18.1.1 on (phones.large_requests_over_tcp) the
same INVITEs go over TCP and every call connects."""

from test_pcap_tshark import TSHARK, tshark_fields

BIG = ("--set", "phones.defaults.sdp_codecs=10", "--set", "phones.defaults.optional_header_bytes=500")


def test_over_udp_the_fragmented_invite_never_leaves_the_office(scenario_run):
    result, out = scenario_run("hold-and-mute", "none", *BIG)
    clean, _ = scenario_run("hold-and-mute")
    assert clean["metrics"]["calls_established"] >= 4
    assert result["metrics"]["calls_established"] == 0
    if TSHARK:
        sizes = [int(n) for n in tshark_fields(out / "phone-101-if1.pcap",
                                               'sip.Method == "INVITE" && ip.src == 10.0.1.10', "udp.length")]
        assert sizes and min(sizes) > 1300, sizes
        # The handset's stack sent it in fragments (no DF from ns-3's UDP sockets) ...
        assert tshark_fields(out / "phone-101-if1.pcap", "ip.src == 10.0.1.10 && ip.flags.mf == 1", "frame.number")
        # ... and none of them crossed the router.
        assert tshark_fields(out / "router-if2.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1',
                             "frame.number") == []


def test_rfc3261_18_1_1_sends_the_large_invite_over_tcp(scenario_run):
    result, out = scenario_run("hold-and-mute", "none", *BIG, "--set", "phones.defaults.large_requests_over_tcp=true")
    clean, _ = scenario_run("hold-and-mute")
    assert {k for k, v in result["symptoms"].items() if v["present"]} == set()
    assert result["metrics"]["calls_established"] == clean["metrics"]["calls_established"]
    if TSHARK:
        wan = out / "router-if2.pcap"
        assert tshark_fields(wan, 'sip.Method == "INVITE" && ip.src == 203.0.113.1 && tcp', "frame.number")
        assert tshark_fields(wan, 'sip.Method == "INVITE" && ip.src == 203.0.113.1 && udp.length > 1300',
                             "frame.number") == []
        # Small requests (REGISTER, the hold re-INVITEs) keep using UDP.
        assert tshark_fields(wan, 'sip.Method == "REGISTER" && ip.src == 203.0.113.1 && udp', "frame.number")
