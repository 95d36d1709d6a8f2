"""What an ALG sees of SIP over TCP (router.alg.tcp_view, a knob every model has). Hosted PBX
(scenarios/hold-and-mute.yaml) through linux-netfilter, with large INVITEs (10 codecs, 500
optional header bytes) that RFC 3261 18.1.1 sends over TCP, where they span several segments.

The kernel's helper looks at one segment at a time: sip_help_tcp reads Content-Length and, when
the message ends past the segment, accepts the segment untouched (no mangling, no expectation).
So the INVITEs leave with the handsets' private c= address. A router that reassembles the stream
(tcp_view=message) holds the segments until the message is whole and rewrites it as the kernel
rewrites a message that fits one segment."""

from test_pcap_tshark import TSHARK, tshark_fields

BIG_OVER_TCP = ("--set", "phones.defaults.sdp_codecs=10", "--set", "phones.defaults.optional_header_bytes=500",
                "--set", "phones.defaults.large_requests_over_tcp=true")
WAN_INVITE = 'sip.Method == "INVITE" && ip.src == 203.0.113.1 && tcp && sdp'


def test_linux_sees_segments_and_leaves_a_split_invite_alone(scenario_run):
    result, out = scenario_run("hold-and-mute", "linux-netfilter", *BIG_OVER_TCP)
    assert not result["alg"]["messages"]["outbound INVITE"]["fields"]
    if TSHARK:
        addresses = set(tshark_fields(out / "router-if2.pcap", WAN_INVITE, "sdp.connection_info.address"))
        assert addresses and all(a.startswith("10.0.1.") for a in addresses), addresses


def test_a_reassembling_alg_rewrites_the_whole_invite(scenario_run):
    result, out = scenario_run("hold-and-mute", "linux-netfilter", *BIG_OVER_TCP,
                               "--set", "router.alg.tcp_view=message")
    assert {"c=", "o="} <= set(result["alg"]["messages"]["outbound INVITE"]["fields"])
    if TSHARK:
        wan = out / "router-if2.pcap"
        assert set(tshark_fields(wan, WAN_INVITE, "sdp.connection_info.address")) == {"203.0.113.1"}
        assert tshark_fields(wan, "_ws.malformed || _ws.expert.severity == error", "frame.number") == []
    # The same damage as when the INVITE fits one segment: small INVITEs over TCP, segment view.
    small, _ = scenario_run("hold-and-mute", "linux-netfilter", "--set", "phones.defaults.transport=tcp")
    assert result["metrics"]["calls_established"] == small["metrics"]["calls_established"]


def test_tcp_view_takes_segment_or_message_only(alglab):
    proc = alglab("run", "hold-and-mute", "--vendor", "linux-netfilter", "--set", "router.alg.tcp_view=stream")
    assert proc.returncode == 2
    assert "tcp_view" in proc.stderr and "stream" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
