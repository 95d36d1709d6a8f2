"""Ubiquiti EdgeOS / UniFi USG's conntrack module sip as a model file (alg-models/unifi/): the
stock Linux helper under the Vyatta CLI's names (vendor dossier section 8). It behaves as
linux-netfilter does; `enable-indirect-media true` (presumed sip_direct_media=0) admits a
provider media server at a third address from its first packet."""
import pytest

from conftest import list_vendors
from test_media_server import MEDIA_SERVER_ON, needs_tshark, provider_rtp_lost_at_router
from test_vendor_mikrotik import without_vendor


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_the_edgeos_module_is_the_kernel_helper(scenario_run, scenario):
    unifi, _ = scenario_run(scenario, "unifi")
    linux, _ = scenario_run(scenario, "linux-netfilter")
    assert without_vendor(unifi) == without_vendor(linux)


def test_its_knobs_are_the_vyatta_options_with_their_confidence():
    vendors = list_vendors()
    knobs = {k["name"]: (k["default"], k["confidence"]) for k in vendors["unifi"]["knobs"]}
    assert knobs["port"] == ("5060", "from-docs")
    assert knobs["enable-indirect-media"] == ("false", "unverified")
    assert knobs["enable-indirect-signalling"] == ("false", "unverified")


@needs_tshark
@pytest.mark.parametrize("indirect, loses", [("false", True), ("true", False)])
def test_indirect_media_admits_a_media_server_at_a_third_address(scenario_run, indirect, loses):
    _, out = scenario_run("office", "unifi", *MEDIA_SERVER_ON, "--set", f"router.alg.enable-indirect-media={indirect}")
    assert bool(provider_rtp_lost_at_router(out)) == loses
