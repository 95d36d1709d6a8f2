"""`alglab remediate --vendor V [--json]`: every vendor's remediation runbook
(alg-models/<vendor>/runbook.yaml) as a person reads it and as JSON.

The field note (/work/shared/seed-sip-alg.txt, "How to disable SIP ALG on common routers")
names eight vendors; every step it gives for one must be in that vendor's runbook, in its own
words. The key words of each step are kept here, so the test runs from a clean clone too; when
the field note is beside the repository (../shared/seed-sip-alg.txt) the test also checks that
each key word really is the field note's, so this list cannot drift from it."""
import json

import pytest

from conftest import SOURCE_DIR, list_vendors, run_alglab

FIELD_NOTE = SOURCE_DIR.parent / "shared" / "seed-sip-alg.txt"

# vendor -> (the field note's heading, the key words of every step it gives, in order)
FIELD_NOTE_STEPS = {
    "meraki-mx": ("Cisco / Meraki", [["Security & SD-WAN", "Firewall", "Layer 7", "SIP inspection"]]),
    "fortigate": ("FortiGate", [["session-helper", "SIP entry", "delete"],
                                ["VoIP profile", "sip-helper disable", "sip-nat-trace disable"],
                                ["reboot"]]),
    "draytek": ("Draytek", [["NAT", "ALG", "SIP ALG"]]),
    "mikrotik": ("Mikrotik", [["IP", "Firewall", "Service Ports", "SIP"]]),
    "unifi": ("Ubiquiti / UniFi", [["Settings", "Routing & Firewall", "Conntrack Modules", "SIP"], ["H.323"]]),
    "tp-link": ("TP-Link", [["Network", "ALG Settings", "SIP"]]),
    "d-link": ("D-Link", [["Advanced", "Firewall Settings", "SIP"], ["Enable SPI"]]),
    "billion": ("Billion", [["Advanced Setup", "NAT", "ALG", "SIP"]]),
}

# The field note's Cisco / Meraki heading also covers the Cisco routers; their steps are the
# vendor's CLI (the field note's Layer 7 page is Meraki's Dashboard).
CISCO_UNDER_MERAKI_HEADING = ["cisco-ios", "cisco-asa"]

# Vendors with a CLI: a CLI line every runbook of theirs must give (vendor dossier).
CLI_LINES = {
    "fortigate": ["config system session-helper", "delete", "set sip-nat-trace disable", "execute reboot"],
    "mikrotik": ["/ip firewall service-port disable sip", "/ip firewall connection remove"],
    "unifi": ["set system conntrack modules sip disable", "commit", "save"],
    "cisco-ios": ["no ip nat service sip udp port 5060", "no ip nat service sip tcp port 5060",
                  "clear ip nat translation *"],
    "cisco-asa": ["policy-map global_policy", "class inspection_default", "no inspect sip", "clear conn"],
    "draytek": ["sys sip_alg -e 0"],
    "linux-netfilter": ['ct helper set "sip"', "conntrack -F"],
}


def remediate(vendor):
    proc = run_alglab("remediate", "--vendor", vendor)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def remediate_json(vendor):
    proc = run_alglab("remediate", "--vendor", vendor, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def field_note_section(heading):
    """The field note's instruction under `heading` (each heading is followed by one line)."""
    lines = FIELD_NOTE.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    return " ".join(lines[start + 1:start + 2])


@pytest.mark.parametrize("vendor", sorted(FIELD_NOTE_STEPS))
def test_every_field_note_step_is_in_the_vendors_runbook(alglab, vendor):
    heading, steps = FIELD_NOTE_STEPS[vendor]
    book = remediate_json(vendor)
    text = remediate(vendor)
    assert book["field_note"] == heading
    assert f"Field note heading: {heading}" in text
    assert len(book["steps"]) >= len(steps)
    for words in steps:
        # One step of the runbook carries all the key words of this field-note step.
        carriers = [s for s in book["steps"]
                    if all(w in (s["field_note"] or "") + " " + (s["ui"] or "") + " " + (s["cli"] or "")
                           for w in words)]
        assert carriers, f"{vendor}: no step has {words}"
        for w in words:
            assert w in text


@pytest.mark.skipif(not FIELD_NOTE.exists(), reason="the field note is not beside this checkout")
@pytest.mark.parametrize("vendor", sorted(FIELD_NOTE_STEPS))
def test_the_key_words_are_the_field_notes_own(vendor):
    heading, steps = FIELD_NOTE_STEPS[vendor]
    section = field_note_section(heading)
    for words in steps:
        for w in words:
            assert w in section, f"{w!r} is not in the field note's {heading} section"
    # And each runbook step's field_note is quoted from that section word for word.
    for step in remediate_json(vendor)["steps"]:
        if step["field_note"]:
            assert step["field_note"] in section, step["field_note"]


@pytest.mark.parametrize("vendor", CISCO_UNDER_MERAKI_HEADING)
def test_cisco_routers_name_the_heading_and_point_to_meraki_for_its_page(vendor):
    book = remediate_json(vendor)
    assert book["field_note"] == "Cisco / Meraki"
    # The field note's Layer 7 step is the Dashboard's, not theirs: no step claims its words.
    assert all(s["field_note"] is None for s in book["steps"])
    assert any("meraki-mx" in w for w in book["warnings"])


@pytest.mark.parametrize("vendor", sorted(CLI_LINES))
def test_vendors_with_a_cli_give_its_commands(vendor):
    book = remediate_json(vendor)
    cli = "\n".join(s["cli"] or "" for s in book["steps"])
    for line in CLI_LINES[vendor]:
        assert line in cli, f"{vendor}: {line!r}"
    text = remediate(vendor)
    assert "CLI:" in text


def test_every_vendor_model_has_a_runbook_with_steps():
    vendors = {v for v, info in list_vendors().items() if not info["example"] and v != "none"}
    assert {"billion", "cisco-asa", "cisco-ios", "d-link", "draytek", "fortigate", "linux-netfilter",
            "meraki-mx", "mikrotik", "tp-link", "unifi"} <= vendors
    for vendor in sorted(vendors):
        book = remediate_json(vendor)
        assert book["vendor"] == vendor
        assert book["file"] == f"alg-models/{vendor}/runbook.yaml"
        assert len(book["steps"]) >= 1
        assert book["reregister"] is True
        for step in book["steps"]:
            assert step["ui"] or step["cli"]
            assert step["confidence"] in ("documented", "from-code", "unverified")
        # The ALG goes off through a knob, and something ends the connections that kept it.
        assert any(s["set"] for s in book["steps"])
        assert any({"flush", "reboot"} & set(s["then"]) for s in book["steps"])


def test_json_shape():
    book = remediate_json("fortigate")
    assert list(book) == ["vendor", "product", "field_note", "file", "steps", "reregister", "warnings", "sources",
                          "with_the_alg_off"]
    assert [s["number"] for s in book["steps"]] == [1, 2, 3]
    step = book["steps"][0]
    assert list(step) == ["number", "title", "field_note", "ui", "cli", "confidence", "why", "set", "then"]
    assert step["ui"] is None  # the session helper is CLI only
    assert step["set"] == [{"knob": "router.alg.session-helper-sip", "value": "deleted"}]
    assert book["steps"][2]["then"] == ["reboot"]
    assert all(isinstance(x, str) for x in book["warnings"] + book["sources"])


def test_readable_output_numbers_the_steps_and_says_what_each_needs():
    text = remediate("d-link")
    assert text.startswith("d-link: D-Link")
    assert "\n1. Untick SIP" in text and "\n2. Untick Enable SPI" in text
    assert "Then: save the configuration; reboot the router" in text
    assert "Confidence: documented" in text
    assert "Afterwards: re-register every phone" in text
    assert "Warnings:" in text and "Sources:" in text


def test_a_router_without_an_alg_has_nothing_to_turn_off():
    proc = run_alglab("remediate", "--vendor", "none")
    assert proc.returncode == 0, proc.stderr
    assert "nothing to turn off" in proc.stdout
    book = remediate_json("none")
    assert book["vendor"] == "none" and book["steps"] == [] and book["reregister"] is False


@pytest.mark.parametrize("args, words", [
    (["--vendor", "acme"], ["unknown vendor 'acme'", "valid:", "fortigate", "none"]),
    (["--vendor", "example-cpe"], ["'example-cpe' has no runbook", "teaching model"]),
    ([], ["--vendor"]),
])
def test_bad_input_is_one_line_and_status_2(args, words):
    proc = run_alglab("remediate", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    for w in words:
        assert w in proc.stderr
