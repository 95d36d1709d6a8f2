"""MikroTik RouterOS's SIP helper as a model file (alg-models/mikrotik/model.yaml): the Linux
kernel's helper under RouterOS's names and defaults (vendor dossier section 7). It behaves as
linux-netfilter does, and its knobs speak RouterOS: sip-direct-media=yes (the default) drops
the first RTP of a provider media server at a third address, =no does not."""
import pytest

from conftest import list_vendors
from test_media_server import MEDIA_SERVER_ON, needs_tshark, provider_rtp_lost_at_router


def without_vendor(result):
    return {k: v for k, v in result.items() if k != "vendor"}


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_the_routeros_helper_is_the_kernel_helper(scenario_run, scenario):
    mikrotik, _ = scenario_run(scenario, "mikrotik")
    linux, _ = scenario_run(scenario, "linux-netfilter")
    assert mikrotik["vendor"] == "mikrotik"
    assert without_vendor(mikrotik) == without_vendor(linux)
    assert mikrotik["alg"]["rewritten"] > 0


def test_its_defaults_are_routeros_exports():
    vendors = list_vendors()
    knobs = {k["name"]: (k["default"], k["confidence"]) for k in vendors["mikrotik"]["knobs"]}
    # /ip firewall service-port export: ports=5060,5061 sip-direct-media=yes sip-timeout=1h
    assert knobs["ports"] == ("5060,5061", "from-docs")
    assert knobs["sip-direct-media"] == ("yes", "from-docs")
    assert knobs["sip-timeout"] == ("3600", "from-docs")
    assert knobs["sip-direct-signalling"] == ("yes", "unverified")


@needs_tshark
@pytest.mark.parametrize("direct_media, loses", [("yes", True), ("no", False)])
def test_sip_direct_media_drops_a_media_server_at_a_third_address(scenario_run, direct_media, loses):
    # The provider's media server (198.51.100.129) talks first; the helper's media pinhole
    # admits only the signalling peer (198.51.100.2) with sip-direct-media=yes.
    _, out = scenario_run("office", "mikrotik", *MEDIA_SERVER_ON, "--set", f"router.alg.sip-direct-media={direct_media}")
    assert bool(provider_rtp_lost_at_router(out)) == loses


def test_a_value_routeros_does_not_have_is_one_line(alglab):
    proc = alglab("run", "office", "--vendor", "mikrotik", "--set", "router.alg.sip-direct-media=maybe")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "sip-direct-media" in lines[0] and "maybe" in lines[0], lines
    assert "no, yes" in lines[0], lines
