"""A realistic, large INVITE (phones.sdp_codecs, phones.optional_header_bytes) through a plain
NAT router (scenarios/hold-and-mute.yaml, hosted PBX, no reboot). Over UDP the handset's IP stack
fragments the datagram at the LAN's 1500-byte MTU. A router that reassembles (router.fragments,
as Linux's nf_defrag does) translates the whole datagram and the WAN link fragments it again, so
every call connects; one that drops fragments loses every such INVITE, so none does. With
RFC 3261 section 18.1.1 on (phones.large_requests_over_tcp) the INVITEs go over TCP instead and
every call connects."""

from test_pcap_tshark import TSHARK, tshark_fields

BIG = ("--set", "phones.defaults.sdp_codecs=10", "--set", "phones.defaults.optional_header_bytes=500")


def test_a_router_that_drops_fragments_never_lets_the_invite_leave(scenario_run):
    result, out = scenario_run("hold-and-mute", "none", *BIG, "--set", "router.fragments=drop")
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
    assert result["metrics"]["router_packets_dropped"] > 0
    # The handsets experienced calls that never connected: plain NAT's doing, no ALG involved.
    outcomes = result["symptoms"]["calls_not_connecting"]["summary"]
    assert result["symptoms"]["calls_not_connecting"]["present"]
    assert outcomes["failed"] + outcomes["timed_out"] == 2, outcomes  # both calls the handsets placed
    assert sum(outcomes.values()) == 2, outcomes


def test_a_reassembling_router_translates_the_whole_invite_and_fragments_it_again(scenario_run):
    result, out = scenario_run("hold-and-mute", "none", *BIG)
    clean, _ = scenario_run("hold-and-mute")
    assert {k for k, v in result["symptoms"].items() if v["present"]} == set()
    assert result["metrics"]["calls_established"] == clean["metrics"]["calls_established"]
    if TSHARK:
        wan = out / "router-if2.pcap"
        # Fragments of the public address's INVITE on the WAN, which tshark reassembles ...
        assert tshark_fields(wan, "ip.src == 203.0.113.1 && ip.flags.mf == 1", "frame.number")
        sizes = [int(n) for n in tshark_fields(wan, 'sip.Method == "INVITE" && ip.src == 203.0.113.1', "udp.length")]
        assert sizes and max(sizes) > 1480, sizes  # larger than one 1500-byte IP packet holds
        # ... and the PBX answered them.
        assert tshark_fields(out / "pbx-if1.pcap", 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"',
                             "frame.number")


def test_linux_netfilter_sees_the_reassembled_invite_and_rewrites_it(scenario_run):
    # nf_defrag_ipv4 runs before conntrack, so the SIP helper gets the whole datagram: it finds
    # the SDP in the last fragment's bytes and rewrites c= and o= as in a small INVITE.
    result, out = scenario_run("hold-and-mute", "linux-netfilter", *BIG)
    rewritten = result["alg"]["messages"]["outbound INVITE"]["fields"]
    assert {"Via", "Contact", "c=", "o="} <= set(rewritten), rewritten
    if TSHARK:
        assert tshark_fields(out / "pbx-if1.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1 && sdp',
                             "sdp.connection_info.address") != []


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
