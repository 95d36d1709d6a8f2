"""Handset SIP ports (hosted scenario, every packet through the NAT): a SIP port other than
5060, and a handset that sends from one port while its Via and Contact name another. With rport
(RFC 3581) the hosted PBX answers where the requests really came from and nothing goes wrong;
without it the PBX answers the port the Via names, which the NAT never mapped, and that handset
alone never registers (Timer F, 408)."""

from test_pcap_tshark import TSHARK, tshark_fields


SOURCE_PORT = ("--set", "phones.overrides.101.sip_source_port=5062")


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


def test_a_sip_port_other_than_5060_is_clean(scenario_run):
    result, out = scenario_run("hosted", "none", "--set", "phones.defaults.sip_port=5070")
    assert present(result) == set()
    if TSHARK:
        ports = set(tshark_fields(out / "phone-102-if1.pcap", 'sip.Method == "REGISTER"', "udp.srcport", "sip.Via.sent-by.port"))
        assert ports == {"5070\t5070"}, ports


def test_a_source_port_other_than_the_via_port_is_clean_with_rport(scenario_run):
    result, out = scenario_run("hosted", "none", *SOURCE_PORT)
    assert present(result) == set()
    if TSHARK:
        rows = set(tshark_fields(out / "phone-101-if1.pcap", 'sip.Method == "REGISTER"', "udp.srcport", "sip.Via.sent-by.port"))
        assert rows == {"5062\t5060"}, rows


def test_without_rport_the_handset_never_registers(scenario_run):
    result, _ = scenario_run("hosted", "none", *SOURCE_PORT, "--set", "phones.overrides.101.rport=false")
    failure = result["symptoms"]["registration_failure"]
    assert failure["present"]
    failing = {d["device"]: d for d in failure["devices"] if d["failed"] > 0}
    assert set(failing) == {"phone-101"}, failing
    assert failing["phone-101"]["succeeded"] == 0
    statuses = {s for e in failing["phone-101"]["episodes"] for s in e["statuses"]}
    assert statuses == {408}, statuses

