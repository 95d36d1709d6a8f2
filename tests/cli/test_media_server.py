"""A provider whose RTP comes from a media server at its own address (provider.media_server),
which latches to the source it hears (comedia, provider.latch_media) and may wait for the office
to send first (provider.media_first). Everything asserted is what the devices did on the wire
or experienced: captures at the router's WAN (router-if2) and LAN (router-if1) sides and at the
provider, and each call leg's RTP counts."""
import json
from collections import defaultdict

import pytest

from conftest import run_alglab
from test_pcap_tshark import TSHARK, tshark_fields

SIGNALLING = "198.51.100.2"
MEDIA_SERVER = "198.51.100.129"
PROVIDER_NET = "198.51.100.0/24"
MEDIA_SERVER_ON = ("--set", "provider.media_server=true")
# The office's calls through the trunk: three inbound, two outbound.
TRUNK_CALLS = 5

needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")


def present_symptoms(result):
    return {k: v for k, v in result["symptoms"].items() if v["present"]}


def provider_legs(result):
    return [s for s in result["symptoms"]["one_way_audio"]["streams"] if s["device"] == "provider"]


def media_calls(pcap, address):
    """Each call's RTP at `address` as one capture saw it: a list of {"port", "sent", "heard"},
    the capture times of the first packet from and of the first packet to that address. Calls are
    told apart by the address's RTP port and, as ports are reused, by a silence of over 5 s."""
    rows = tshark_fields(pcap, f"rtp && ip.addr == {address}", "frame.time_relative", "ip.src", "udp.srcport",
                         "udp.dstport")
    packets = defaultdict(list)  # port -> [(time, sent by address)]
    for row in rows:
        t, src, sport, dport = row.split("\t")
        sent = src == address
        packets[int(sport if sent else dport)].append((float(t), sent))
    calls = []
    for port, seen in sorted(packets.items()):
        call = None
        for t, sent in sorted(seen):
            if call is None or t - call["last"] > 5:
                call = {"port": port, "sent": None, "heard": None, "last": t}
                calls.append(call)
            call["last"] = t
            key = "sent" if sent else "heard"
            if call[key] is None:
                call[key] = t
    return sorted(calls, key=lambda c: min(t for t in (c["sent"], c["heard"]) if t is not None))


def provider_rtp(pcap):
    """Every provider RTP packet in a capture: (SSRC, sequence) -> capture time."""
    rows = tshark_fields(pcap, f"rtp && ip.src == {PROVIDER_NET}", "rtp.ssrc", "rtp.seq", "frame.time_relative")
    return {(ssrc, seq): float(t) for ssrc, seq, t in (row.split("\t") for row in rows)}


def provider_rtp_lost_at_router(out):
    """Capture times of the provider RTP packets that reached the router's WAN side and never
    left on its LAN side (the router dropped them), in time order."""
    arrived = provider_rtp(out / "router-if2.pcap")
    forwarded = provider_rtp(out / "router-if1.pcap")
    assert forwarded.keys() <= arrived.keys()
    return sorted(arrived[k] for k in arrived.keys() - forwarded.keys())


# --- the knobs ----------------------------------------------------------------------------------

def test_knobs_are_provider_attributes():
    proc = run_alglab("list", "knobs", "--json")
    assert proc.returncode == 0, proc.stderr
    table = {k["name"]: k for k in json.loads(proc.stdout)}
    server, first = table["provider.media_server"], table["provider.media_first"]
    assert (server["object"], server["attribute"], server["type"], server["default"]) == \
        ("alglab::SipProvider", "MediaServer", "bool", "false")
    assert server["changes_during_run"] is False  # the address is the network's, made at start
    assert (first["attribute"], first["type"], first["choices"], first["default"]) == \
        ("MediaFirst", "choice", ["provider", "peer"], "provider")
    assert first["changes_during_run"] is True  # read for every new call
    assert table["provider.latch_media"]["attribute"] == "LatchMedia"
    assert "comedia" in table["provider.latch_media"]["help"]


# --- the media server at its own address ---------------------------------------------------------

@needs_tshark
@pytest.mark.parametrize("media_server, rtp_address", [(False, SIGNALLING), (True, MEDIA_SERVER)])
def test_provider_rtp_uses_the_media_server_and_sip_the_signalling_address(scenario_run, media_server, rtp_address):
    result, out = scenario_run("office", "none", "--set", f"provider.media_server={str(media_server).lower()}")
    wan = out / "router-if2.pcap"
    assert set(tshark_fields(wan, f"rtp && ip.src == {PROVIDER_NET}", "ip.src")) == {rtp_address}
    assert set(tshark_fields(wan, f"rtp && ip.dst == {PROVIDER_NET}", "ip.dst")) == {rtp_address}
    assert set(tshark_fields(wan, f"sip && ip.src == {PROVIDER_NET}", "ip.src")) == {SIGNALLING}
    assert set(tshark_fields(wan, f"sip && ip.dst == {PROVIDER_NET}", "ip.dst")) == {SIGNALLING}
    # The provider's SDP (its INVITEs and its 200s) names where its RTP is.
    sdp = tshark_fields(wan, f"sdp && ip.src == {PROVIDER_NET}", "sdp.connection_info.address")
    assert len(sdp) == TRUNK_CALLS and set(sdp) == {rtp_address}, sdp
    # Every trunk call had two-way audio at the provider and nowhere a symptom.
    assert present_symptoms(result) == {}
    legs = provider_legs(result)
    assert len(legs) == TRUNK_CALLS and {l["verdict"] for l in legs} == {"two_way"}, legs


@needs_tshark
def test_a_filtering_nat_admits_a_waiting_media_server_once_the_office_sent_to_it(scenario_run):
    # The trunk's SIP opened a binding toward 198.51.100.2 only; an address-dependent filter lets
    # 198.51.100.129 in once the PBX's own RTP went there. A media server that waits for the
    # office's RTP (comedia; the office's SDP names a private address anyway) is never early.
    result, out = scenario_run("office", "none", "--set", "router.filtering=address-dependent", *MEDIA_SERVER_ON,
                               "--set", "provider.media_first=peer")
    assert present_symptoms(result) == {}
    legs = provider_legs(result)
    assert len(legs) == TRUNK_CALLS and {l["verdict"] for l in legs} == {"two_way"}, legs
    calls = media_calls(out / "router-if2.pcap", MEDIA_SERVER)
    assert len(calls) == TRUNK_CALLS, calls
    for call in calls:
        assert call["heard"] < call["sent"], call  # "heard" = the PBX's RTP leaving the router
    # Nothing the media server sent was lost at the NAT.
    assert provider_rtp(out / "router-if2.pcap").keys() == provider_rtp(out / "router-if1.pcap").keys()


# --- who sends media first -------------------------------------------------------------------------

@needs_tshark
@pytest.mark.parametrize("first", ["provider", "peer"])
def test_who_sends_first_is_what_the_provider_does(scenario_run, first):
    """The hosted PBX is on the internet, so its SDP address is reachable at once. A provider that
    sends first starts its audio as it answers the PBX's outbound calls, before any RTP reached it;
    one that waits sends its first packet the moment the call's first RTP packet arrives."""
    result, out = scenario_run("hosted", "none", *MEDIA_SERVER_ON, "--set", f"provider.media_first={first}")
    assert present_symptoms(result) == {}
    calls = media_calls(out / "provider-if1.pcap", MEDIA_SERVER)
    assert len(calls) == TRUNK_CALLS, calls
    if first == "peer":
        for call in calls:
            assert call["heard"] <= call["sent"] < call["heard"] + 0.001, call
    else:
        early = [c for c in calls if c["sent"] < c["heard"]]
        assert len(early) >= 2, calls  # at least the two calls the provider answers


@needs_tshark
@pytest.mark.parametrize("settings, media_server_loses_packets", [
    ((*MEDIA_SERVER_ON,), True),
    ((*MEDIA_SERVER_ON, "--set", "provider.media_first=peer"), False),
    ((*MEDIA_SERVER_ON, "--set", "router.alg.sip_direct_media=0"), False),
    ((), False),
])
def test_kernel_media_pinhole_drops_a_media_server_that_talks_first(scenario_run, settings,
                                                                    media_server_loses_packets):
    """nf_conntrack_sip with sip_direct_media=1 (its default) opens the media pinhole for the
    PBX's SDP address only from the signalling peer, 198.51.100.2. The ALG also made the PBX's SDP
    address public, so a provider that talks first sends before the PBX's RTP opened a
    connection toward the media server: those packets reach the router's WAN side and go no
    further. A media server that waits, a helper without direct media, or RTP from the
    signalling address lose nothing."""
    result, out = scenario_run("office", "linux-netfilter", *settings)
    assert present_symptoms(result) == {}
    lost = provider_rtp_lost_at_router(out)
    assert bool(lost) == media_server_loses_packets, lost
    # Each lost packet came before the PBX's first RTP to the media server in its call.
    calls = media_calls(out / "router-if2.pcap", MEDIA_SERVER)
    for t in lost:
        call = next(c for c in calls if c["sent"] <= t <= c["last"])
        assert t < call["heard"], (t, call)
