"""D-Link as a model file (vendor dossier section 10): the Linux kernel helper behind D-Link's
NAT Endpoint Filtering, whose Endpoint Independent ports close after 5 minutes idle, SIP's too.
Handsets that refresh their registration every 10 minutes without keepalives
(scenarios/long-refresh.yaml) miss the inbound calls that come more than 5 minutes after their
last SIP packet; with a restricted filtering the kernel helper's hour applies and they ring.
The model's NAT defaults apply where the scenario states nothing, below the scenario file and
--set (docs/adding-a-router-model.md)."""
import pytest

from conftest import list_vendors, run_alglab, run_json
from test_cli_errors import assert_usage_error
from test_media_server import MEDIA_SERVER_ON, needs_tshark, provider_rtp_lost_at_router

RESTRICTED = ("--set", "router.alg.NAT Endpoint Filtering=Address Restricted")


def failed_calls(result):
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    return [round(c["t"]) for c in ring.get("affected_calls", [])]


def test_list_vendors_shows_the_knobs_and_the_routers_nat_defaults():
    d_link = list_vendors()["d-link"]
    assert d_link["error"] is None
    knobs = {k["name"]: k for k in d_link["knobs"]}
    assert list(knobs) == ["SIP", "NAT Endpoint Filtering", "Enable SPI", "sdk", "tcp_view"]
    assert knobs["SIP"]["default"] == "on" and knobs["SIP"]["applies"] == "after-reboot"
    assert knobs["NAT Endpoint Filtering"]["default"] == "Endpoint Independent"
    assert knobs["Enable SPI"]["default"] == "on"
    assert all(knobs[k]["confidence"] == "unverified" for k in ("SIP", "NAT Endpoint Filtering", "Enable SPI", "sdk"))
    assert d_link["router"] == {"filtering": "endpoint-independent", "refresh_on_inbound": "false",
                                "udp_timeout": "300s"}


def test_the_vendors_nat_defaults_apply_where_the_scenario_states_nothing(scenario_run):
    result, _ = scenario_run("long-refresh", "d-link")
    router = result["router"]
    assert router["udp_timeout"] == {"value": "300s", "from": "vendor"}
    assert router["filtering"] == {"value": "endpoint-independent", "from": "vendor knob 'NAT Endpoint Filtering'"}
    assert router["refresh_on_inbound"] == {"value": "false", "from": "vendor knob 'Enable SPI'"}
    assert router["mapping"] == {"value": "endpoint-independent", "from": "default"}


def test_the_scenario_file_wins_over_the_vendor_and_set_wins_over_both(tmp_path):
    from conftest import SOURCE_DIR
    stated = tmp_path / "stated.yaml"
    stated.write_text((SOURCE_DIR / "scenarios" / "long-refresh.yaml").read_text().replace(
        "  vendor: none ", "  udp_timeout: 60s\n  filtering: address-port-dependent\n  vendor: none "))
    router = run_json("run", stated, "--vendor", "d-link")["router"]
    assert router["udp_timeout"] == {"value": "60s", "from": "scenario"}
    assert router["filtering"] == {"value": "address-port-dependent", "from": "scenario"}
    router = run_json("run", stated, "--vendor", "d-link", "--set", "router.udp_timeout=200s")["router"]
    assert router["udp_timeout"] == {"value": "200s", "from": "scenario"}
    # The vendor's own knob given on the command line outranks the file's router.filtering...
    router = run_json("run", stated, "--vendor", "d-link", *RESTRICTED)["router"]
    assert router["filtering"] == {"value": "address-dependent", "from": "router.alg.NAT Endpoint Filtering"}
    # ... and stating one router knob twice at one rank is refused.
    proc = run_alglab("run", stated, "--vendor", "d-link", "--set", "router.filtering=endpoint-independent",
                      *RESTRICTED)
    assert_usage_error(proc, "--set router.alg.NAT Endpoint Filtering=Address Restricted",
                       "sets router.filtering", "--set router.filtering=endpoint-independent")


def test_with_the_defaults_calls_more_than_5_minutes_after_the_last_sip_packet_never_ring(scenario_run):
    result, _ = scenario_run("long-refresh", "d-link")
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    assert ring["present"]
    assert failed_calls(result) == [480, 1080]
    assert result["metrics"]["registrations_failed"] == 0


@pytest.mark.parametrize("settings", [
    RESTRICTED,
    ("--set", "router.alg.NAT Endpoint Filtering=Port and Address Restricted"),
    ("--set", "phones.defaults.register_expiry=300s"),   # refreshed every 4 minutes
    ("--set", "phones.defaults.keepalive=options"),      # OPTIONS every 25 s
])
def test_restricted_filtering_or_a_refresh_within_5_minutes_makes_every_call_ring(scenario_run, settings):
    result, _ = scenario_run("long-refresh", "d-link", *settings)
    assert not result["symptoms"]["incoming_calls_not_ringing"]["present"], failed_calls(result)
    assert result["metrics"]["inbound_calls"] == 4


def test_the_kernel_helper_elsewhere_keeps_the_sip_port_an_hour(scenario_run):
    result, _ = scenario_run("long-refresh", "linux-netfilter")
    assert not result["symptoms"]["incoming_calls_not_ringing"]["present"], failed_calls(result)


def test_unticking_sip_does_not_help_the_routers_own_5_minutes_close_the_port(scenario_run):
    # Without the helper, the router's UDP timeout (300 s) governs in every filtering mode.
    result, _ = scenario_run("long-refresh", "d-link", "--set", "router.alg.SIP=off", *RESTRICTED)
    assert failed_calls(result) == [480, 1080]
    assert result["alg"]["rewritten"] == 0  # the helper is off: nothing rewritten


def test_nat_endpoint_filtering_decides_whether_an_edge_proxys_calls_get_in(scenario_run):
    # inbound-proxy.yaml states endpoint-independent filtering; the vendor's knob on the command
    # line outranks it.
    open_nat, _ = scenario_run("inbound-proxy", "d-link")
    assert failed_calls(open_nat) == []
    strict, _ = scenario_run("inbound-proxy", "d-link",
                             "--set", "router.alg.NAT Endpoint Filtering=Port and Address Restricted")
    assert failed_calls(strict) == [150]


@pytest.mark.parametrize("spi, drops", [("on", True), ("off", False)])
def test_enable_spi_decides_whether_inbound_rtp_keeps_a_muted_handsets_port(scenario_run, spi, drops):
    # hold-and-mute.yaml with a 150 s mute: longer than its 120 s UDP timeout. With SPI off the
    # PBX's RTP keeps the muted handset's binding open (the helper is left out: SIP off).
    result, _ = scenario_run("hold-and-mute", "d-link", "--set", "timeline.3.mute.duration=150s",
                             "--set", "router.alg.SIP=off", "--set", f"router.alg.Enable SPI={spi}")
    assert result["router"]["refresh_on_inbound"]["value"] == ("false" if spi == "on" else "true")
    assert result["symptoms"]["audio_drop_midcall"]["present"] == drops


@needs_tshark
@pytest.mark.parametrize("sdk, loses", [("realtek", True), ("broadcom", False)])
def test_the_sdk_decides_whether_a_third_address_media_server_gets_through(scenario_run, sdk, loses):
    _, out = scenario_run("office", "d-link", *MEDIA_SERVER_ON, "--set", f"router.alg.sdk={sdk}")
    assert bool(provider_rtp_lost_at_router(out)) == loses


def test_a_timeline_change_of_nat_endpoint_filtering_applies_from_the_next_sip_packet(tmp_path):
    # At 200 s the handsets' ports already run on the 5-minute close (since their last SIP
    # packet at about 53 s), so the 480 s call is lost; after the refresh at about 600 s the
    # helper's hour applies and the 1080 s call rings.
    from conftest import SOURCE_DIR
    changed = tmp_path / "changed.yaml"
    changed.write_text((SOURCE_DIR / "scenarios" / "long-refresh.yaml").read_text() +
                       "  - at: 200s\n    set: {knob: router.alg.NAT Endpoint Filtering, value: Address Restricted}\n")
    result = run_json("run", changed, "--vendor", "d-link")
    assert failed_calls(result) == [480]
