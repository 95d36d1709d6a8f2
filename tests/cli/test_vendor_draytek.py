"""DrayTek Vigor's SIP ALG (alg-models/draytek/, vendor dossier section 6): the Listen Port over
the transports its UDP and TCP check-boxes tick; unticking TCP leaves a TCP trunk alone."""
from conftest import list_vendors
from test_provider_port_transport import TCP_TRUNK

def test_the_tcp_check_box_decides_whether_a_tcp_trunk_is_rewritten(scenario_run):
    ticked, _ = scenario_run("office", "draytek", *TCP_TRUNK)
    unticked, _ = scenario_run("office", "draytek", "--set", "router.alg.transport=UDP", *TCP_TRUNK)
    assert {"Via", "Contact"} <= set(ticked["alg"]["messages"]["outbound REGISTER"]["fields"])
    assert unticked["alg"]["rewritten"] == 0


def test_the_listen_port_is_what_it_inspects(scenario_run):
    moved, _ = scenario_run("office", "draytek", "--set", "provider.sip_port=5080")
    followed, _ = scenario_run("office", "draytek", "--set", "provider.sip_port=5080",
                               "--set", "router.alg.listen-port=5080")
    assert moved["alg"]["rewritten"] == 0
    assert followed["alg"]["rewritten"] > 0


def test_its_knobs_are_the_ui_s():
    vendors = list_vendors()
    knobs = {k["name"]: (k["default"], k["confidence"]) for k in vendors["draytek"]["knobs"]}
    assert knobs["listen-port"] == ("5060", "from-docs")
    assert knobs["transport"] == ("UDP+TCP", "from-docs")
    assert knobs["rewrite-headers"][1] == "unverified"
