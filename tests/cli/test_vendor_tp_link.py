"""TP-Link and Billion as model files on the Linux kernel helper (vendor dossier sections 9 and
11): a Broadcom SDK loads nf_conntrack_sip with sip_direct_media=0, so with their default
`sdk: broadcom` a provider's media server at a third address gets through from its first
packet; with another SDK they are the kernel default, the same as linux-netfilter."""
import pytest

from test_media_server import MEDIA_SERVER_ON, needs_tshark, provider_rtp_lost_at_router
from test_vendor_mikrotik import without_vendor


@needs_tshark
@pytest.mark.parametrize("vendor, sdk, loses", [
    ("tp-link", "broadcom", False), ("tp-link", "realtek", True),
    ("billion", "broadcom", False), ("billion", "trendchip", True),
])
def test_the_sdk_decides_whether_a_third_address_media_server_gets_through(scenario_run, vendor, sdk, loses):
    _, out = scenario_run("office", vendor, *MEDIA_SERVER_ON, "--set", f"router.alg.sdk={sdk}")
    assert bool(provider_rtp_lost_at_router(out)) == loses


@pytest.mark.parametrize("vendor, sdk", [("tp-link", "mediatek"), ("billion", "trendchip")])
def test_with_a_kernel_default_sdk_it_is_linux_netfilter(scenario_run, vendor, sdk):
    model, _ = scenario_run("hosted", vendor, "--set", f"router.alg.sdk={sdk}")
    linux, _ = scenario_run("hosted", "linux-netfilter")
    assert without_vendor(model) == without_vendor(linux)
