"""With the Linux kernel's SIP ALG (linux-netfilter) in the router, the scenarios change the way
the kernel's behaviour predicts. The 'alg' record says what the ALG did to the messages; the
symptoms say what the devices experienced."""
import pytest


def fields(result, kind):
    return result["alg"]["messages"].get(kind, {}).get("fields", {})


def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


def test_none_has_no_alg_activity(scenario_run):
    result, _ = scenario_run("office")
    assert result["alg"]["inspected"] == 0 and result["alg"]["rewritten"] == 0


def test_office_trunk_messages_rewritten_as_the_kernel_does(scenario_run):
    result, _ = scenario_run("office", "linux-netfilter")
    alg = result["alg"]
    assert alg["inspected"] > 1000          # every SIP and RTP packet crossing the NAT
    assert alg["dropped"] == 0
    # REGISTER and keepalive OPTIONS from the PBX's trunk: top Via and Contact made public.
    assert {"Via", "Contact"} <= set(fields(result, "outbound REGISTER"))
    assert {"Via", "Contact"} <= set(fields(result, "outbound OPTIONS"))
    # SDP offers and answers: o=, c= and the recomputed Content-Length.
    for kind in ("outbound INVITE", "outbound 200 INVITE"):
        assert {"c=", "o=", "Content-Length"} <= set(fields(result, kind)), kind
    # Responses coming back: the top Via (received/rport included) is turned back to private.
    assert "Via" in fields(result, "inbound 200 REGISTER")
    # Requests from the provider to the public Contact are sent on to the private one.
    assert "Request-URI" in fields(result, "inbound INVITE")
    # The provider fixes contacts and latches media itself, so the rewrite is harmless here.
    assert present(result) == set()


def dead_air_legs(result):
    """Handset legs that talked for at least one 200 OK retransmission interval (T1 = 500 ms,
    25 packets of 20 ms) and heard nothing."""
    streams = result["symptoms"]["one_way_audio"]["streams"]
    return [s for s in streams if s["device"].startswith("phone-") and s["received"] == 0 and s["sent"] >= 25]


def test_hosted_second_handset_answer_dropped_for_its_media_port(scenario_run):
    """Every handset offers RTP on the same port. When a ring group rings them all and more
    than one answers, the kernel cannot open a second pinhole for the same public media port
    and drops the 200 OK ('all ports in use for SDP media'): that handset talks into dead air
    until a retransmitted 200 gets through and the PBX hangs it up. In a clean run the losing
    handsets are hung up at once. How many retransmissions the kernel drops depends on the
    ARP timing of the run (seeded), so the dead air lasts 0.5 s or more; only from 1 s on
    (minPacketsToJudge) do the probes also call it one_way_audio."""
    clean, _ = scenario_run("hosted")
    result, _ = scenario_run("hosted", "linux-netfilter")
    alg = result["alg"]
    assert alg["drop_reasons"].get("all ports in use for SDP media", 0) > 0
    assert result["alg"]["messages"]["outbound 200 INVITE"]["dropped"] > 0
    assert present(clean) == set()
    assert dead_air_legs(clean) == []
    assert dead_air_legs(result) != []
    for s in result["symptoms"]["one_way_audio"]["one_way_streams"]:
        assert s["device"].startswith("phone-") and s["received"] == 0


def test_kernel_keeps_sip_bindings_alive_for_sip_timeout_but_not_across_a_reboot(alglab):
    """No keepalives anywhere and a 60 s UDP timeout: a plain NAT forgets the handsets'
    bindings before the inbound call at 250 s, so nothing rings. The kernel's SIP helper gives
    SIP connections sip_timeout (3600 s), so the same call rings everywhere through it. Its
    state lives in RAM, so after the reboot at 600 s both routers fail the 780 s call until the
    handsets re-register."""
    import json
    args = ["run", "hosted", "--json", "--set", "phones.defaults.keepalive=none",
            "--set", "pbx.nat_keepalive=0s", "--set", "router.udp_timeout=60s",
            "--set", "phones.defaults.register_expiry=600s", "--set", "timeline.4.at=250s"]
    outcome = {}
    for vendor in ("none", "linux-netfilter"):
        proc = alglab(*args, "--vendor", vendor)
        assert proc.returncode == 0, proc.stderr
        calls = json.loads(proc.stdout)["symptoms"]["incoming_calls_not_ringing"]["affected_calls"]
        outcome[vendor] = {c["t"]: c["outcome"] for c in calls}
    assert outcome["none"] == {250.0: "none_rang", 780.0: "none_rang"}
    assert outcome["linux-netfilter"] == {780.0: "none_rang"}


@pytest.mark.parametrize("scenario", ["call-across-reboot", "wan-outage"])
def test_a_call_between_two_handsets_of_one_office_never_connects(scenario_run, scenario):
    """Both handsets offer RTP on the same port, and the PBX relays media from one address.
    The caller's INVITE leaves with its media expectation (PBX -> public address:port); the
    callee's 200 OK needs an expectation with the very same tuple for another master
    connection, which nf_ct_expect_related refuses with -EALREADY, and nf_nat_sdp_media gives up
    at the first error other than -EBUSY: 'all ports in use for SDP media', the 200 OK and every
    retransmission of it are dropped, the PBX never hears the answer and the call never starts.
    Through a plain NAT the same call connects."""
    clean, _ = scenario_run(scenario)
    result, _ = scenario_run(scenario, "linux-netfilter")
    assert clean["metrics"]["calls_established"] > 0
    assert result["metrics"]["calls_established"] == 0
    answer = result["alg"]["messages"]["outbound 200 INVITE"]
    # RFC 3261 Timer G retransmits the 200 until Timer H (32 s): 11 sends, all dropped.
    assert answer["dropped"] == 11 and answer["rewritten"] == 0, answer
    assert result["alg"]["drop_reasons"] == {"all ports in use for SDP media": 11}
    # The caller's INVITE was rewritten (and its expectation created) as usual.
    assert {"c=", "o=", "Via", "Contact"} <= set(fields(result, "outbound INVITE"))
    # What the caller experienced: the PBX gave up ringing (480) and the call never connected.
    assert "calls_not_connecting" not in present(clean)
    assert "calls_not_connecting" in present(result)
    [call] = result["symptoms"]["calls_not_connecting"]["calls"]
    assert (call["device"], call["outcome"], call["end_reason"]) == ("phone-101", "failed", "480"), call
