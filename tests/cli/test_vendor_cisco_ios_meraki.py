"""Cisco IOS's NAT SIP ALG (alg-models/cisco-ios/, dossier section 2) translates TCP payloads
only with Layer 4 Forwarding; Cisco Meraki MX (alg-models/meraki-mx/, section 4) is a generic
ALG whose every knob is an assumption. Both leave a healthy office clean."""
import pytest

from conftest import list_vendors
from test_provider_port_transport import TCP_TRUNK

def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


@pytest.mark.parametrize("vendor", ["cisco-ios", "meraki-mx"])
@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_a_working_alg_leaves_the_office_clean(scenario_run, vendor, scenario):
    result, _ = scenario_run(scenario, vendor)
    assert result["alg"]["rewritten"] > 0
    assert present(result) == set()


def test_ios_translates_tcp_payloads_only_with_layer_4_forwarding(scenario_run):
    plain, _ = scenario_run("office", "cisco-ios", *TCP_TRUNK)
    l4f, _ = scenario_run("office", "cisco-ios", *TCP_TRUNK, "--set", "router.alg.sip-tcp-payload=enabled",
                          "--set", "router.alg.l4-forwarding=enabled")
    assert plain["alg"]["rewritten"] == 0
    assert {"Via", "Contact"} <= set(l4f["alg"]["messages"]["outbound REGISTER"]["fields"])
    assert present(l4f) == set()


def test_meraki_knobs_are_all_unverified():
    vendors = list_vendors()
    knobs = [k for k in vendors["meraki-mx"]["knobs"] if k["name"] != "tcp_view"]
    assert len(knobs) >= 8
    assert {k["confidence"] for k in knobs} == {"unverified"}
    ios = {k["name"]: k for k in vendors["cisco-ios"]["knobs"]}
    assert ios["l4-forwarding"]["default"] == "disabled" and ios["l4-forwarding"]["confidence"] == "from-docs"
