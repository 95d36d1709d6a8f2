"""Fortinet FortiGate (alg-models/fortigate/): the SIP ALG, a proxy (default-voip-alg-mode
proxy-based, the default), and the kernel SIP session helper, end to end through the scenarios:
what the devices experienced (vendor dossier section 5)."""
import pytest

from conftest import list_vendors
from test_pcap_tshark import TSHARK, tshark_fields

needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
KERNEL_HELPER = ("--set", "router.alg.default-voip-alg-mode=kernel-helper-based")


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


def failed_inbound_calls(result):
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    return [(round(c["t"]), c["outcome"], c["reached_pbx"]) for c in ring.get("affected_calls", [])]


def without_vendor(result):
    return {k: v for k, v in result.items() if k != "vendor"}


def wan_invites(out):
    """(Via values, SDP i=) of every INVITE the office sent to the WAN."""
    lines = tshark_fields(out / "router-if2.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1',
                          "sip.Via", "sdp.session_info")
    return [tuple(line.split("\t")) for line in lines]


def test_calls_connect_through_the_proxy_on_prem(scenario_run):
    result, _ = scenario_run("office", "fortigate")
    assert present(result) == set(), present(result)
    assert result["alg"]["inspected"] > 0 and result["alg"]["dropped"] == 0


def test_hosted_calls_connect_and_only_a_watch_suffers_after_the_reboot(scenario_run):
    # Every call rings and connects with audio. The proxy wrote its public Contact into the
    # SUBSCRIBE the hosted PBX keeps; the router's reboot at 600 s reallocates the phones'
    # public ports, so one lamp stays stale until the subscription is refreshed (the dossier's
    # BOOT: router state wiped while the server keeps the rewritten Contact). Plain NAT: none.
    result, _ = scenario_run("hosted", "fortigate")
    assert present(result) == {"blf_not_updating", "fails_after_reboot"}, present(result)
    assert result["symptoms"]["blf_not_updating"]["by_reboot"]["before"] == 0
    assert result["symptoms"]["fails_after_reboot"]["failed_categories"] == ["blf"]
    plain, _ = scenario_run("hosted", "none")
    assert present(plain) == set()


@needs_tshark
def test_the_proxys_via_and_nat_trace_are_on_the_wire_only(scenario_run):
    _, out = scenario_run("office", "fortigate")
    wan = wan_invites(out)
    assert wan, "no INVITE left the office"
    for vias, info in wan:
        top, own = vias.split(",")[:2]
        assert top.startswith("SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg-"), top
        assert own.startswith("SIP/2.0/UDP 10.0.0.2:5060;"), own
        assert info == "(o=IN IP4 10.0.0.2)"
    # Responses reach the PBX with only its own Via.
    lan = tshark_fields(out / "router-if1.pcap", "sip.Status-Code && ip.dst == 10.0.0.2", "sip.Via")
    assert lan and not [v for v in lan if "z9hG4bK-alg-" in v or "," in v], lan[:3]


@needs_tshark
def test_nat_trace_disable_leaves_the_sdp_without_i(scenario_run):
    result, out = scenario_run("office", "fortigate", "--set", "router.alg.nat-trace=disable")
    assert present(result) == set()
    invites = wan_invites(out)
    assert invites and all(info == "" for _, info in invites), invites


def test_strict_register_keeps_calls_from_an_edge_proxy_from_ringing(scenario_run):
    # The provider sends the call at 150 s from an edge proxy it never registered the trunk at.
    # Even through a NAT that admits anyone, the proxy drops it: only the registrar may connect.
    strict, _ = scenario_run("inbound-proxy", "fortigate")
    assert failed_inbound_calls(strict) == [(150, "none_rang", False)]
    assert set(strict["alg"]["drop_reasons"]) == {"strict-register: request not from the registrar"}
    lenient, _ = scenario_run("inbound-proxy", "fortigate", "--set", "router.alg.strict-register=disable")
    assert present(lenient) == set()


def test_the_register_pinhole_admits_the_edge_proxy_through_a_filtering_nat(scenario_run):
    # Plain address-and-port-dependent filtering drops the edge proxy's call
    # (test_inbound_proxy.py); the open REGISTER pinhole lets it ring.
    apdf = ("--set", "router.filtering=address-port-dependent")
    opened, _ = scenario_run("inbound-proxy", "fortigate", *apdf, "--set", "router.alg.strict-register=disable")
    assert present(opened) == set()
    closed, _ = scenario_run("inbound-proxy", "fortigate", *apdf, "--set", "router.alg.strict-register=disable",
                             "--set", "router.alg.open-register-pinhole=disable")
    assert failed_inbound_calls(closed) == [(150, "none_rang", False)]


@pytest.mark.parametrize("knob, reason", [
    ("call-keepalive=1", "call ended: no RTP for call-keepalive"),
    ("max-idle-dialogs=1", "call ended: oldest idle dialog beyond max-idle-dialogs"),
])
def test_the_proxy_ends_a_long_call_mid_way_without_a_sip_message(scenario_run, knob, reason):
    # hold-and-mute: a 700 s call through a hosted PBX, with holds and a mute. With the
    # defaults (0) the proxy never gives up on it; a silent minute on hold (call-keepalive) or
    # two idle dialogs (max-idle-dialogs 1: the call's two legs) end it, and the audio stops
    # for good while the phones still think they are talking.
    default, _ = scenario_run("hold-and-mute", "fortigate")
    assert present(default) == set()
    result, _ = scenario_run("hold-and-mute", "fortigate", "--set", f"router.alg.{knob}")
    drop = result["symptoms"]["audio_drop_midcall"]
    assert drop["present"]
    assert any(d["stopped_for_good"] and d["start"] < 600 for d in drop["drops"]), drop["drops"]
    assert set(result["alg"]["drop_reasons"]) == {reason}
    # The handsets ended the call with a BYE at 720 s; the proxy blocked it (the call was gone).
    assert result["alg"]["messages"]["outbound BYE"]["dropped"] > 0


def test_status_disable_is_plain_nat(scenario_run):
    off, _ = scenario_run("hosted", "fortigate", "--set", "router.alg.status=disable")
    plain, _ = scenario_run("hosted", "none")
    assert off["alg"]["rewritten"] == 0 and off["alg"]["dropped"] == 0
    assert off["symptoms"] == plain["symptoms"]


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_the_kernel_session_helper_is_the_linux_helper(scenario_run, scenario):
    helper, _ = scenario_run(scenario, "fortigate", *KERNEL_HELPER, "--set", "router.alg.sip-nat-trace=disable")
    linux, _ = scenario_run(scenario, "linux-netfilter")
    assert without_vendor(helper) == without_vendor(linux)


@needs_tshark
def test_the_session_helper_traces_the_original_address_but_adds_no_via(scenario_run):
    # sip-nat-trace is on by default: the helper's SDP carries the i= trace too.
    _, out = scenario_run("office", "fortigate", *KERNEL_HELPER)
    invites = wan_invites(out)
    assert invites
    for vias, info in invites:
        assert "z9hG4bK-alg-" not in vias and "," not in vias, vias
        assert info == "(o=IN IP4 10.0.0.2)"


def test_its_knobs_are_fortios_words_with_the_dossiers_defaults():
    vendor = list_vendors()["fortigate"]
    assert vendor["error"] is None
    knobs = {k["name"]: (k["default"], k["confidence"]) for k in vendor["knobs"]}
    assert knobs["default-voip-alg-mode"] == ("proxy-based", "from-code")
    assert knobs["sip-expectation"] == ("disable", "unverified")
    assert knobs["sip-nat-trace"] == ("enable", "from-code")
    assert knobs["sip-udp-port"] == ("5060", "from-code")
    assert knobs["status"] == ("enable", "from-code")
    assert knobs["rtp"] == ("enable", "from-code")
    assert knobs["open-register-pinhole"] == ("enable", "from-code")
    assert knobs["open-contact-pinhole"] == ("enable", "from-code")
    assert knobs["open-record-route-pinhole"] == ("enable", "from-code")
    assert knobs["open-via-pinhole"] == ("disable", "from-code")
    assert knobs["strict-register"] == ("enable", "unverified")
    assert knobs["max-line-length"] == ("998", "unverified")
    assert knobs["block-long-lines"] == ("enable", "unverified")
    assert knobs["block-unknown"] == ("enable", "unverified")
    assert knobs["call-keepalive"] == ("0", "from-code")
    assert knobs["max-idle-dialogs"] == ("0", "from-code")
    assert knobs["provisional-invite-expiry-time"] == ("210", "from-code")
    assert knobs["contact-fixup"] == ("enable", "from-code")
    assert knobs["nat-trace"] == ("enable", "from-code")
    assert knobs["no-sdp-fixup"] == ("disable", "from-code")
    assert all(k["help"] for k in vendor["knobs"])
    applies = {k["name"]: k["applies"] for k in vendor["knobs"]}
    assert applies["default-voip-alg-mode"] == "after-reboot"


@pytest.mark.parametrize("setting, words", [
    ("default-voip-alg-mode=flow-based", ["flow-based", "kernel-helper-based, proxy-based"]),
    ("strict-register=yes", ["strict-register", "disable, enable"]),
    ("call-keepalive=forever", ["call-keepalive", "forever"]),
])
def test_a_value_fortios_does_not_have_is_one_line(alglab, setting, words):
    proc = alglab("run", "office", "--vendor", "fortigate", "--set", f"router.alg.{setting}")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0], lines


def test_session_ttl_is_the_firewalls_udp_timeout_and_a_scenario_may_state_its_own(scenario_run):
    # long-refresh states no router.udp_timeout: the vendor's applies.
    result, _ = scenario_run("long-refresh", "fortigate")
    assert result["router"]["udp_timeout"] == {"value": "180s", "from": "vendor knob 'session-ttl'"}
    # Handsets refreshing every 10 min without keepalives: with the ALG, the proxy's REGISTER
    # pinhole (open-register-pinhole) lets the 7-minute calls in; with it off the 180 s TTL has
    # closed the binding and they never ring, a plain-NAT problem the ALG masks.
    assert "incoming_calls_not_ringing" not in present(result)
    off, _ = scenario_run("long-refresh", "fortigate", "--set", "router.alg_enabled=false")
    assert off["router"]["udp_timeout"]["value"] == "180s"
    assert "incoming_calls_not_ringing" in present(off)
    longer, _ = scenario_run("long-refresh", "fortigate", "--set", "router.alg_enabled=false",
                             "--set", "router.alg.session-ttl=3600s")
    assert longer["router"]["udp_timeout"]["value"] == "3600s"
    assert "incoming_calls_not_ringing" not in present(longer)
    # The office states 120 s itself: the scenario wins.
    office, _ = scenario_run("office", "fortigate")
    assert office["router"]["udp_timeout"] == {"value": "120s", "from": "scenario"}
