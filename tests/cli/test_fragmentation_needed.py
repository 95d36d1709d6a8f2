"""An INVITE that the ALG's rewrite pushes past the WAN's 1500-byte MTU (hold-and-mute, hosted
PBX; phones.sdp_codecs and optional_header_bytes make the handsets' INVITE 1496 bytes of IP).
The handsets send it with DF, as Linux does. Through a plain NAT it fits and every call connects.
Through linux-netfilter the kernel's SIP helper rewrites Via, Contact, o= and c= with the longer
public address after the forwarding path's MTU check, so ip_fragment finds a DF datagram larger
than the link and answers ICMP "fragmentation needed" (MTU 1500) instead of sending it; every
retransmission meets the same fate and no handset's INVITE reaches the PBX."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields

BIG = ("--set", "phones.defaults.sdp_codecs=10", "--set", "phones.defaults.optional_header_bytes=477")


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_through_a_plain_nat_the_df_invite_fits_and_is_answered(scenario_run):
    result, out = scenario_run("hold-and-mute", "none", *BIG)
    rows = tshark_fields(out / "phone-101-if1.pcap", 'sip.Method == "INVITE" && ip.src == 10.0.1.10',
                         "ip.len", "ip.flags.df")
    assert rows[0] == "1496\t1", rows
    assert tshark_fields(out / "pbx-if1.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1', "frame.number")
    assert tshark_fields(out / "phone-101-if1.pcap", "icmp.type == 3 && icmp.code == 4", "frame.number") == []
    assert result["metrics"]["calls_established"] >= 4


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_through_linux_netfilter_the_grown_invite_meets_fragmentation_needed(scenario_run):
    result, out = scenario_run("hold-and-mute", "linux-netfilter", *BIG)
    # The mechanism: the helper rewrote the handsets' INVITEs (longer public address) ...
    rewritten = result["alg"]["messages"]["outbound INVITE"]["fields"]
    assert {"Via", "Contact", "c=", "o="} <= set(rewritten), rewritten
    # ... the router answered each with ICMP type 3 code 4 and the WAN MTU, from its LAN side ...
    # (tshark lists the ICMP's own source first, then the quoted datagram's.)
    icmp = [(src.split(",")[0], mtu) for src, mtu in
            (row.split("\t") for row in tshark_fields(out / "phone-101-if1.pcap", "icmp.type == 3 && icmp.code == 4",
                                                      "ip.src", "icmp.mtu"))]
    assert icmp and set(icmp) == {("10.0.0.1", "1500")}, icmp
    # ... and retransmissions changed nothing: no handset INVITE ever reached the PBX.
    assert len(icmp) >= 4
    assert tshark_fields(out / "pbx-if1.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1', "frame.number") == []
    assert result["metrics"]["calls_established"] == 0


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_a_handset_learns_a_smaller_path_mtu_and_stops_setting_df(scenario_run):
    # A 1400-byte WAN (network.wan_mtu): the plain NAT answers the 1496-byte DF INVITE with
    # ICMP MTU 1400; the handset's stack records that path MTU, so the retransmission 0.5 s
    # later leaves without DF (RFC 1191, Linux's IP_PMTUDISC_WANT). ns-3 then fragments it on
    # the WAN link (Linux would fragment at the handset; the router forwards either way) and
    # the call connects.
    result, out = scenario_run("hold-and-mute", "none", *BIG, "--set", "network.wan_mtu=1400")
    assert result["metrics"]["calls_established"] >= 4
    assert tshark_fields(out / "phone-101-if1.pcap", "icmp.type == 3 && icmp.code == 4", "icmp.mtu") == ["1400"]
    invites = tshark_fields(out / "phone-101-if1.pcap", 'sip.Method == "INVITE" && ip.src == 10.0.1.10 && ip.len > 1400',
                            "ip.flags.df")
    assert invites == ["1", "0"], invites
    assert tshark_fields(out / "router-if2.pcap", "ip.src == 203.0.113.1 && ip.flags.mf == 1", "frame.number")


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_with_rfc3261_18_1_1_a_learned_path_mtu_moves_requests_to_tcp(scenario_run):
    # A 1252-byte INVITE is under the 1300 bytes that send a request over TCP while the path
    # MTU is unknown, so it leaves over UDP with DF; the 1200-byte WAN answers with ICMP MTU
    # 1200. From then on a request within 200 bytes of the path MTU (over 1000 bytes) goes over
    # TCP: the INVITE's retransmission and the later hold re-INVITEs (about 1030 bytes).
    result, out = scenario_run("hold-and-mute", "none", "--set", "phones.defaults.sdp_codecs=10",
                               "--set", "phones.defaults.optional_header_bytes=261", "--set", "network.wan_mtu=1200",
                               "--set", "phones.defaults.large_requests_over_tcp=true")
    assert result["metrics"]["calls_established"] >= 4
    phone = out / "phone-101-if1.pcap"
    assert tshark_fields(phone, "icmp.type == 3 && icmp.code == 4", "icmp.mtu") == ["1200"]
    invites = [row.split("\t") for row in tshark_fields(phone, 'sip.Method == "INVITE" && ip.src == 10.0.1.10',
                                                          "frame.time_relative", "ip.proto")]
    assert invites[0][1] == "17" and all(proto == "6" for _, proto in invites[1:]), invites
    assert len(invites) >= 3
