"""The two things users do when they cannot reach the router's ALG switch: move the trunk to
another SIP port (provider.sip_port; the PBX's trunk is configured with it) or to TCP
(pbx.transport, provider.transport). Office scenario: the on-prem PBX's trunk crosses the NAT.

Linux's helper only watches the ports of its `ports` parameter (5060): on 5080 the trunk's SIP
crosses untouched (conntrack has no helper for the connection, nf_conntrack_sip.c registers one
per port), while on 5060 it rewrites every message. Over TCP the kernel's helper still sees the
trunk (sip_help_tcp), with what the connection's ephemeral source port changes."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields
from test_scenarios_clean import COUNTS

TCP_TRUNK = ("--set", "pbx.transport=tcp", "--set", "provider.transport=tcp")


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


def test_on_another_port_the_kernel_helper_never_sees_the_trunk(scenario_run):
    moved, out = scenario_run("office", "linux-netfilter", "--set", "provider.sip_port=5080")
    usual, _ = scenario_run("office", "linux-netfilter")
    assert usual["alg"]["messages"], "on 5060 the helper rewrites the trunk"
    assert not moved["alg"]["messages"], moved["alg"]["messages"]
    assert moved["metrics"]["calls_established"] > 0
    assert moved["metrics"]["inbound_calls"] > 0
    assert present(moved) == set()
    if TSHARK:
        ports = set(tshark_fields(out / "router-if2.pcap", "sip && ip.dst == 198.51.100.2", "udp.dstport"))
        assert ports == {"5080"}, ports


@pytest.mark.parametrize("vendor", ["none", "linux-netfilter"])
def test_a_tcp_trunk_registers_and_calls_both_ways(scenario_run, vendor):
    result, out = scenario_run("office", vendor, *TCP_TRUNK)
    for key in COUNTS:
        assert result["metrics"][key] > 0, (key, result["metrics"])
    if vendor == "none":
        assert present(result) == set()
    else:
        # The kernel's helper follows the trunk over TCP, but the connection comes from an
        # ephemeral port while Via and Contact name the listening port 5060. map_addr only
        # rewrites an address *and port* equal to the connection's source, so the Via keeps the
        # private address; the REGISTER's Contact is rewritten by nf_nat_sip_expect, which
        # replaces the address and keeps a port other than the source port.
        fields = set(result["alg"]["messages"]["outbound REGISTER"]["fields"])
        assert "Contact" in fields and "Via" not in fields, fields
    if TSHARK:
        wan = out / "router-if2.pcap"
        assert tshark_fields(wan, 'sip.Method == "REGISTER" && tcp', "frame.number")
        assert tshark_fields(wan, 'sip.Method == "INVITE" && ip.src == 198.51.100.2 && tcp', "frame.number")
        assert tshark_fields(wan, "sip && udp", "frame.number") == []
        assert tshark_fields(wan, "_ws.malformed || _ws.expert.severity == error", "frame.number") == []
