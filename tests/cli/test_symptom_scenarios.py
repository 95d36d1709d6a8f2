"""The symptom scenarios (scenarios/README.md, "Symptom scenarios"): each exposes one mechanism an
office meets, so that under the vendors' default configurations a symptom appears for the
vendors whose ALG model does that to a packet or to NAT state, and never through a plain NAT
with the servers' NAT traversal on (vendor none). Each test checks the symptom for the vendors
that show it, its absence for those that do not, and one piece of evidence naming the device,
call or message it is about."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields

# The vendors whose models compose the Linux kernel's nf_conntrack_sip + nf_nat_sip.
KERNEL = ["linux-netfilter", "mikrotik", "unifi", "tp-link", "billion"]
# Every shipped model that rewrites (all but the control).
REWRITERS = KERNEL + ["cisco-asa", "cisco-ios", "draytek", "meraki-mx", "example-cpe"]
# The symptom scenarios: each must be clean through a plain NAT.
SCENARIOS = ["register-past-sip-timer", "large-invite-mtu", "shared-rtp-port", "reboot-port-swap",
             "reboot-with-reset", "pinhole-table-full"]

needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


def others(*vendors):
    return [v for v in REWRITERS if v not in vendors]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_clean_through_a_plain_nat(scenario_run, scenario):
    result, _ = scenario_run(scenario)
    assert result["scenario"] == scenario and result["vendor"] == "none"
    assert present(result) == set(), {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert result["metrics"]["registrations_failed"] == 0
    assert result["metrics"]["calls_established"] > 0


# --- register-past-sip-timer ---------------------------------------------------------------------

SHORT_SIP_TIMER = ["cisco-ios", "draytek", "example-cpe"]  # 120 s (the UDP timeout), 120 s, 300 s


def ring_outcomes(result):
    """{inbound call time: outcome} of the calls that did not ring every handset."""
    return {round(c["t"]): c["outcome"] for c in result["symptoms"]["incoming_calls_not_ringing"]["affected_calls"]}


@pytest.mark.parametrize("vendor", SHORT_SIP_TIMER)
def test_a_sip_timer_shorter_than_the_registration_loses_calls_and_lamps(scenario_run, vendor):
    result, _ = scenario_run("register-past-sip-timer", vendor)
    assert present(result) == {"incoming_calls_not_ringing", "blf_not_updating"}
    # Both inbound calls (400 s and 2300 s) find the handsets' bindings gone: no handset rang.
    assert ring_outcomes(result) == {400: "none_rang", 2300: "none_rang"}
    assert result["symptoms"]["blf_not_updating"]["stale_watches"] == ["phone-103 -> 102"]
    # The mechanism: the ALG wrote the public address into every REGISTER's Contact.
    assert "Contact" in result["alg"]["messages"]["outbound REGISTER"]["fields"]


def test_the_asa_keeps_the_binding_for_its_30_minute_sip_timer_only(scenario_run):
    result, _ = scenario_run("register-past-sip-timer", "cisco-asa")
    assert present(result) == {"incoming_calls_not_ringing"}
    assert ring_outcomes(result) == {2300: "none_rang"}  # 1900 s after the last SIP; 400 s rang


@pytest.mark.parametrize("vendor", ["linux-netfilter", "meraki-mx"])
def test_an_hour_long_sip_timer_outlasts_the_refresh(scenario_run, vendor):
    result, _ = scenario_run("register-past-sip-timer", vendor)
    assert present(result) == set()
    assert "Contact" in result["alg"]["messages"]["outbound REGISTER"]["fields"]


def test_without_the_pbx_pings_a_plain_nat_loses_the_same_calls(scenario_run):
    """What the rewritten Contact does, done by hand: the PBX's NAT pings off, and vendor none
    misses the calls too. The ALG's harm is exactly the keepalives it switched off."""
    result, _ = scenario_run("register-past-sip-timer", "none", "--set", "pbx.nat_keepalive=0s")
    assert "incoming_calls_not_ringing" in present(result)
    assert ring_outcomes(result) == {400: "none_rang", 2300: "none_rang"}


# --- large-invite-mtu ------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor", REWRITERS)
def test_a_rewrite_pushes_the_df_invite_past_the_mtu(scenario_run, vendor):
    result, _ = scenario_run("large-invite-mtu", vendor)
    assert present(result) == {"calls_not_connecting"}
    calls = result["symptoms"]["calls_not_connecting"]["calls"]
    assert [(c["device"], c["outcome"], c["end_reason"]) for c in calls] == [("phone-101", "timed_out", "408")] * 2
    assert result["metrics"]["calls_established"] == 0
    # Every INVITE was rewritten (longer public address) and every copy dropped at the router.
    invite = result["alg"]["messages"]["outbound INVITE"]
    assert {"Via", "Contact"} <= set(invite["fields"]) and invite["dropped"] == 0
    assert result["metrics"]["router_packets_dropped"] >= invite["rewritten"] >= 10


@needs_tshark
def test_the_router_answers_the_grown_invite_with_fragmentation_needed(scenario_run):
    _, out = scenario_run("large-invite-mtu", "draytek")
    invites = tshark_fields(out / "phone-101-if1.pcap", 'sip.Method == "INVITE" && ip.src == 10.0.1.10', "ip.len",
                            "ip.flags.df")
    assert invites and set(invites) == {"1496\t1"}, invites  # fits 1500 as the handset sends it
    icmp = tshark_fields(out / "phone-101-if1.pcap", "icmp.type == 3 && icmp.code == 4", "icmp.mtu")
    assert len(icmp) == len(invites) and set(icmp) == {"1500"}, icmp
    assert tshark_fields(out / "pbx-if1.pcap", 'sip.Method == "INVITE" && ip.src == 203.0.113.1', "frame.number") == []


# --- shared-rtp-port -------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor", KERNEL)
def test_the_kernel_refuses_an_identical_media_pinhole(scenario_run, vendor):
    result, _ = scenario_run("shared-rtp-port", vendor)
    assert present(result) == {"one_way_audio", "calls_not_connecting", "audio_drop_midcall"}
    # The handsets whose 200 OK never got through hung up 32 s later, never ACKed: calls cut.
    cut = result["symptoms"]["audio_drop_midcall"]["cut_calls"]
    assert {(c["device"], c["reason"]) for c in cut} == {("phone-102", "ack-timeout")}
    # The second handset to answer the ring group heard nothing: its 200 OK never got through.
    one_way = result["symptoms"]["one_way_audio"]["one_way_streams"]
    assert [(s["device"], s["peer_sent"], s["received"]) for s in one_way] == [("phone-102", 0, 0)]
    assert one_way[0]["sent"] >= 50
    # 101's call to 102 failed before an answer: 102's 200 OK was dropped again.
    calls = result["symptoms"]["calls_not_connecting"]["calls"]
    assert [(c["device"], c["outcome"], c["target"].split("@")[0]) for c in calls] == [
        ("phone-101", "failed", "sip:102")]
    # The mechanism, by the kernel's own log text, on the handsets' 200 OKs only.
    alg = result["alg"]
    assert set(alg["drop_reasons"]) == {"all ports in use for SDP media"}
    assert {k for k, v in alg["messages"].items() if v["dropped"]} == {"outbound 200 INVITE"}


@pytest.mark.parametrize("vendor", others(*KERNEL))
def test_pinholes_without_the_kernel_rule_share_the_port(scenario_run, vendor):
    result, _ = scenario_run("shared-rtp-port", vendor)
    assert present(result) == set()
    assert result["alg"]["dropped"] == 0


# --- reboot-port-swap --------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor", KERNEL)
def test_after_the_reboot_the_hidden_port_swap_misroutes_notifies(scenario_run, vendor):
    result, _ = scenario_run("reboot-port-swap", vendor)
    assert present(result) == {"blf_not_updating", "fails_after_reboot"}
    after = result["symptoms"]["fails_after_reboot"]
    assert after["failed_categories"] == ["blf"]
    assert [f["watch"] for f in after["blf"]["failed_after"]] == ["phone-102 -> 101"]
    assert after["blf"]["worked_before"] == ["phone-102 -> 101"]
    # The mechanism: responses' Via received/rport written back to the inside address.
    assert "Via" in result["alg"]["messages"]["inbound 200 OPTIONS"]["fields"]


@pytest.mark.parametrize("vendor", ["linux-netfilter"])
def test_a_reset_on_reboot_changes_nothing_the_helper_state_is_ram_only(scenario_run, vendor):
    plain, _ = scenario_run("reboot-port-swap", vendor)
    reset, _ = scenario_run("reboot-port-swap", vendor, "--set", "router.reset_config_on_reboot=true")
    assert present(reset) == present(plain) == {"blf_not_updating", "fails_after_reboot"}


@pytest.mark.parametrize("vendor", others(*KERNEL))
def test_handsets_that_see_their_rport_register_again(scenario_run, vendor):
    result, _ = scenario_run("reboot-port-swap", vendor)
    assert present(result) == set()


@needs_tshark
def test_the_call_for_101_reaches_102_after_the_reboot(scenario_run):
    """The PBX keeps 101's binding at the public port 102 now has; through a plain NAT 101
    registered again from its new port before the call."""
    def invites_for_101(out, phone):
        rows = tshark_fields(out / f"{phone}-if1.pcap", 'sip.Method == "INVITE" && sip.r-uri.user == "101"',
                             "frame.time_relative")
        return [float(t) for t in rows if float(t) > 164]  # after the reboot's grace window

    _, linux = scenario_run("reboot-port-swap", "linux-netfilter")
    _, plain = scenario_run("reboot-port-swap", "none")
    assert invites_for_101(linux, "phone-102") and not invites_for_101(linux, "phone-101")
    assert invites_for_101(plain, "phone-101") and not invites_for_101(plain, "phone-102")


# --- reboot-with-reset -------------------------------------------------------------------------------

NO_SIP_TIMER = ["cisco-ios", "draytek"]


@pytest.mark.parametrize("vendor", NO_SIP_TIMER)
def test_a_reset_reboot_undoes_the_udp_timeout_workaround(scenario_run, vendor):
    result, _ = scenario_run("reboot-with-reset", vendor)
    assert present(result) == {"incoming_calls_not_ringing", "fails_after_reboot"}
    assert ring_outcomes(result) == {1360: "none_rang"}  # the 880 s call rang
    after = result["symptoms"]["fails_after_reboot"]
    assert after["failed_categories"] == ["inbound_ringing"]
    assert after["inbound_ringing"]["worked_before"] == ["101"]


@pytest.mark.parametrize("vendor", NO_SIP_TIMER)
def test_a_plain_reboot_restores_the_saved_workaround(scenario_run, vendor):
    result, _ = scenario_run("reboot-with-reset", vendor, "--set", "router.reset_config_on_reboot=false")
    assert present(result) == set()


@pytest.mark.parametrize("vendor", NO_SIP_TIMER)
def test_without_the_workaround_the_call_before_the_reboot_is_lost_too(scenario_run, vendor):
    result, _ = scenario_run("reboot-with-reset", vendor, "--set", "timeline.0.set.value=120s")
    assert "incoming_calls_not_ringing" in present(result)
    assert ring_outcomes(result) == {880: "none_rang", 1360: "none_rang"}


@pytest.mark.parametrize("reset", ["true", "false"])
def test_a_sip_timer_of_its_own_ignores_the_workaround(scenario_run, reset):
    """example-cpe sets every SIP binding to its 300 s SIP timer, whatever the UDP timeout: the
    480 s registration interval loses both calls, reset or not; nothing is new after the reboot."""
    result, _ = scenario_run("reboot-with-reset", "example-cpe", "--set", f"router.reset_config_on_reboot={reset}")
    assert present(result) == {"incoming_calls_not_ringing"}
    assert ring_outcomes(result) == {880: "none_rang", 1360: "none_rang"}


@pytest.mark.parametrize("vendor", others(*NO_SIP_TIMER, "example-cpe"))
def test_alg_timers_keep_the_binding_without_the_workaround(scenario_run, vendor):
    result, _ = scenario_run("reboot-with-reset", vendor)
    assert present(result) == set()


# --- pinhole-table-full ------------------------------------------------------------------------------

SMALL_TABLE = ("--set", "router.alg.expect_max=32")


@pytest.mark.parametrize("vendor", ["linux-netfilter", "mikrotik", "unifi"])
def test_a_router_sized_table_is_not_filled_by_forty_handsets(scenario_run, vendor):
    result, _ = scenario_run("pinhole-table-full", vendor)
    assert present(result) == set()
    assert result["alg"]["dropped"] == 0


@pytest.mark.parametrize("vendor, settings", [
    ("linux-netfilter", SMALL_TABLE),
    ("tp-link", ()),   # their defaults: the kernel's table for a 128 MB router
    ("billion", ()),
])
def test_a_small_expectation_table_fills_with_registrations(scenario_run, vendor, settings):
    result, _ = scenario_run("pinhole-table-full", vendor, *settings)
    assert present(result) == {"registration_failure", "incoming_calls_not_ringing", "calls_not_connecting"}
    # One permanent signalling pinhole per registered handset: 101..132 fill the 32 entries, the
    # eight handsets that register last never do.
    failing = result["symptoms"]["registration_failure"]["failing_devices"]
    assert failing == [f"phone-{n}" for n in range(133, 141)], failing
    assert result["alg"]["messages"]["outbound REGISTER"]["dropped"] > 0
    # The verdict names the mechanism, the message and the kernel's reason.
    first = result["symptoms"]["registration_failure"]["mechanisms"][0]
    assert (first["action"], first["message"], first["reason"]) == ("dropped", "outbound REGISTER", "all ports in use for SIP")
    # The ring group: 140 has no binding, 101's INVITE finds no room for its media pinholes.
    offered = {o["extension"]: o["verdict"]
               for o in result["symptoms"]["incoming_calls_not_ringing"]["affected_calls"][0]["offered"]}
    assert offered == {"101": "not_rang", "140": "unreachable"}
    calls = result["symptoms"]["calls_not_connecting"]["calls"]
    assert [(c["device"], c["outcome"]) for c in calls] == [("phone-101", "timed_out"), ("phone-103", "timed_out")]


@pytest.mark.parametrize("vendor, knob", [("linux-netfilter", "expect_max"), ("tp-link", "nf_conntrack_expect_max")])
def test_a_table_with_room_for_the_office_is_clean(scenario_run, vendor, knob):
    result, _ = scenario_run("pinhole-table-full", vendor, "--set", f"router.alg.{knob}=64")
    assert present(result) == set()
