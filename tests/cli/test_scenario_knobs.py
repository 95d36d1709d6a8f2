"""The knob table as the command line shows it, extension ranges and timeline knob changes
end to end, and their bad input (one line, exit status 2)."""
import json

import pytest

from conftest import run_alglab, run_json
from test_cli_errors import assert_usage_error


def knobs():
    proc = run_alglab("list", "knobs", "--json")
    assert proc.returncode == 0, proc.stderr
    return {k["name"]: k for k in json.loads(proc.stdout)}


def test_list_knobs_names_object_attribute_type_unit_and_range():
    table = knobs()
    udp = table["router.udp_timeout"]
    assert (udp["object"], udp["attribute"], udp["type"], udp["unit"]) == \
        ("alglab::NatRoutingProtocol", "UdpTimeout", "duration", "s")
    assert udp["min"] == 1 and udp["default"] == "120s"
    assert table["phones.defaults.keepalive_interval"]["attribute"] == "KeepaliveInterval"
    assert table["pbx.fix_contact"]["object"] == "alglab::SipPbx"
    assert table["network.wan_rate"]["type"] == "data-rate"
    assert table["phones.defaults.keepalive"]["choices"] == ["crlf", "none", "options"]
    assert table["phones.defaults.sip_port"]["changes_during_run"] is False
    # Keepalive intervals: 0s is off, otherwise at least a second (a sub-millisecond interval
    # would flood the simulation).
    ka = table["phones.defaults.keepalive_interval"]
    assert (ka["min"], ka["zero_means_off"]) == (1, True)
    assert table["router.udp_timeout"]["zero_means_off"] is False
    assert table["pbx.domain"]["type"] == "sip-host"
    assert table["pbx.trunk.user"]["type"] == "sip-user"
    assert table["phones.defaults.password"]["type"] == "password"
    text = run_alglab("list", "knobs").stdout
    assert "router.udp_timeout" in text and "default 120s" in text


def test_every_listed_knob_is_accepted_by_set_with_its_default():
    """The table's names are exactly what --set takes, and its defaults pass validation."""
    args = ["run", "office", "--vendor", "none", "--set", "duration=1s", "--set", "timeline=[]"]
    for name, knob in knobs().items():
        args += ["--set", f"{name}={knob['default']}"]
    result = run_json(*args)
    assert result["metrics"]["simulated_seconds"] == 1.0


def test_extension_ranges_build_every_handset():
    result = run_json("run", "office", "--vendor", "none", "--set", "duration=60s", "--set", "timeline=[]",
                      "--set", "phones.extensions=[101-104, 110-115, 120]")
    assert result["metrics"]["registrations_succeeded"] == 11 + 1  # the handsets and the PBX trunk


def answer_times(result, start, end):
    """When handsets answered (their legs were established) between start and end."""
    legs = result["symptoms"]["one_way_audio"]["streams"]
    return sorted(s["established"] for s in legs if s["device"].startswith("phone-") and start <= s["established"] < end)


def test_timeline_set_of_a_phone_knob_applies_from_its_time_on():
    """Handsets answer after 2 s; a set at 100 s makes it 5 s. The inbound call at 50 s is
    answered as before, the one at 150 s three seconds later."""
    calls = ("{at: 50s, inbound: {did: \"+15550100\", duration: 10s}},"
             " {at: 150s, inbound: {did: \"+15550100\", duration: 10s}}")
    base = ["run", "office", "--vendor", "none", "--set", "duration=200s"]
    plain = run_json(*base, "--set", f"timeline=[{calls}]")
    slow = run_json(*base, "--set",
                    f"timeline=[{calls}, {{at: 100s, set: {{knob: phones.defaults.answer_after, value: 5s}}}}]")
    assert answer_times(slow, 0, 100) == answer_times(plain, 0, 100) != []
    before, after = answer_times(plain, 150, 200), answer_times(slow, 150, 200)
    assert before and after
    assert after[0] - before[0] == pytest.approx(3.0, abs=0.01)


@pytest.mark.parametrize("sets,needles", [
    (["phones.extensions=[101-103, 102]"], ["listed twice", "101-103", "102"]),
    (["phones.extensions=[110-101]"], ["ends below its start"]),
    (["timeline=[{at: 10s, set: {knob: router.bogus, value: 1}}]"], ["unknown knob 'router.bogus'", "router.udp_timeout"]),
    (["timeline=[{at: 10s, set: {knob: router.udp_timeout, value: soon}}]"], ["not a duration"]),
    (["timeline=[{at: 10s, set: {knob: phones.defaults.sip_port, value: 5070}}]"], ["cannot change during a run"]),
    (["timeline=[{at: 10s, set: {knob: phones.defaults.keepalive, value: none}}]"], ["cannot change during a run"]),
    (["timeline=[{at: 10s, flush: switch}]"], ["'switch'", "router"]),
    (["timeline=[{at: 10s, set: {knob: router.alg.sip_direct_media, value: 0}}]"], ["has no ALG"]),
])
def test_bad_ranges_and_timeline_changes_are_one_line_and_exit_2(sets, needles):
    args = ["run", "office", "--vendor", "none"]
    for s in sets:
        args += ["--set", s]
    assert_usage_error(run_alglab(*args), *needles)


def test_bad_vendor_knob_names_the_set_or_the_file_line(tmp_path):
    proc = run_alglab("run", "office", "--vendor", "linux-netfilter", "--set", "router.alg.bogus=1")
    assert_usage_error(proc, "--set router.alg.bogus=1", "router.alg.bogus")
    from conftest import SOURCE_DIR
    bad = tmp_path / "alg.yaml"
    bad.write_text((SOURCE_DIR / "scenarios" / "office.yaml").read_text().replace(
        "alg: {}", "alg:\n    bogus: 1"))
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "bogus" in l)
    assert_usage_error(run_alglab("run", bad, "--vendor", "linux-netfilter"), f"{bad}:{line}:", "router.alg.bogus")


TINY = "scenario: tiny\nduration: 5s\nrouter:\n  vendor: none\n{router}phones:\n  extensions: [101]\n"


def test_the_run_reports_each_router_knob_as_built_and_where_it_came_from(tmp_path):
    """`"router"` in the run's JSON: the knob table's default for what nobody states, the
    scenario file's value, --set over the file."""
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(TINY.format(router="  udp_timeout: 60s\n"))
    router = run_json("run", tiny, "--vendor", "linux-netfilter")["router"]
    assert list(router) == [k.split(".", 1)[1] for k in knobs() if k.startswith("router.")]
    assert router["udp_timeout"] == {"value": "60s", "from": "scenario"}
    assert router["filtering"] == {"value": "address-port-dependent", "from": "default"}
    router = run_json("run", tiny, "--vendor", "none", "--set", "router.udp_timeout=30s",
                      "--set", "router.filtering=endpoint-independent")["router"]
    assert router["udp_timeout"] == {"value": "30s", "from": "scenario"}
    assert router["filtering"] == {"value": "endpoint-independent", "from": "scenario"}


def test_list_vendors_gives_each_models_router_defaults():
    vendors = {v["id"]: v for v in run_json("list", "vendors")}
    assert all(isinstance(v["router"], dict) for v in vendors.values())
    assert vendors["linux-netfilter"]["router"] == {} and vendors["none"]["router"] == {}
