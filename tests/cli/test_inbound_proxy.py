"""A provider that sends inbound calls from an edge proxy it never registered at
(scenarios/inbound-proxy.yaml): the INVITEs really come from the second address; an
endpoint-independent NAT admits them, a filtering NAT drops them before the PBX (plain NAT
damage, no ALG involved), and the Linux kernel's SIP helper admits them only when
sip_direct_signalling=0."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields


def failed_calls(result):
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    return [(round(c["t"]), c["outcome"], c["reached_pbx"]) for c in ring.get("affected_calls", [])]


def test_endpoint_independent_filtering_admits_every_proxy(scenario_run):
    result, _ = scenario_run("inbound-proxy", "none")
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert present == {}, present
    assert result["symptoms"]["incoming_calls_not_ringing"]["summary"]["all_rang"] == 3


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_inbound_invites_come_from_the_registrar_and_the_proxy_in_turn(scenario_run):
    _, out = scenario_run("inbound-proxy", "none")
    sources = tshark_fields(out / "router-if2.pcap", 'sip.Method == "INVITE" && ip.dst == 203.0.113.1', "ip.src")
    assert sources == ["198.51.100.2", "198.51.100.65", "198.51.100.2"], sources
    # The trunk registered to the registrar only.
    registers = set(tshark_fields(out / "router-if2.pcap", 'sip.Method == "REGISTER"', "ip.dst"))
    assert registers == {"198.51.100.2"}, registers


@pytest.mark.parametrize("filtering", ["address-dependent", "address-port-dependent"])
def test_a_filtering_nat_drops_only_the_proxy_calls(scenario_run, filtering):
    result, _ = scenario_run("inbound-proxy", "none", "--set", f"router.filtering={filtering}")
    assert result["symptoms"]["incoming_calls_not_ringing"]["present"]
    # Only the call at 150 s (from the proxy) failed, and it never reached the PBX.
    assert failed_calls(result) == [(150, "none_rang", False)]


@pytest.mark.parametrize("direct_signalling, proxy_call_rings", [("1", False), ("0", True)])
def test_linux_kernel_admits_the_proxy_only_without_direct_signalling(scenario_run, direct_signalling,
                                                                      proxy_call_rings):
    # nf_conntrack_sip.c, process_register_request: with sip_direct_signalling (default 1) the
    # expectation for signalling toward the registered contact names the registrar's address as
    # its source, else any source. Conntrack itself filters by address and port, so only the
    # expectation can admit the proxy's INVITE.
    result, _ = scenario_run("inbound-proxy", "linux-netfilter", "--set", "router.filtering=address-port-dependent",
                    "--set", f"router.alg.sip_direct_signalling={direct_signalling}")
    expected = [] if proxy_call_rings else [(150, "none_rang", False)]
    assert failed_calls(result) == expected
