"""`alglab run --remediate`: the vendor's runbook applied in the simulation through its knobs,
symptoms measured from the remediation time, compared with the same run without it."""
import json
import re

import pytest

from conftest import SOURCE_DIR, run_alglab, run_json

SCENARIO = "shared-rtp-port"  # 100 s; the kernel helper breaks the calls at 10 s and 60 s


def symptoms_present(result):
    return [name for name, s in result["symptoms"].items() if s["present"]]


def remediated(scenario, vendor, *args):
    return run_json("run", scenario, "--vendor", vendor, "--remediate", *args)


def test_remediated_run_records_each_change_and_what_it_fixed():
    plain = run_json("run", SCENARIO, "--vendor", "linux-netfilter")
    result = remediated(SCENARIO, "linux-netfilter")
    assert plain["remediated"] is False and result["remediated"] is True
    r = result["remediation"]
    assert r["at"] == 0 and r["runbook"] == "alg-models/linux-netfilter/runbook.yaml"
    # Every step records the knobs it changed, from what to what, and when such a change applies.
    changes = [c for step in r["steps"] for c in step["changes"]]
    assert changes, r["steps"]
    for c in changes:
        assert c["knob"].startswith("router.") and c["from"] != c["to"], c
        assert c["applies"] in ("immediate", "new-sessions", "after-reboot")
    # Before = the same run without remediation; after = this run.
    assert r["before"]["present"] == symptoms_present(plain) != []
    assert r["after"]["present"] == symptoms_present(result) == []
    assert r["removed"] == r["before"]["present"] and r["remaining"] == [] and r["exposed"] == []
    assert [a["verdict"] for a in r["advice"]] == ["fixed"] * len(r["removed"])


def test_symptoms_are_measured_from_the_remediation_time():
    # The inbound call at 10 s leaves one handset in a silent call (one_way_audio); remediating at
    # 65 s, after both broken calls, that is before the window in both runs compared.
    whole = run_json("run", SCENARIO, "--vendor", "linux-netfilter")
    assert "one_way_audio" in symptoms_present(whole)
    late = remediated(SCENARIO, "linux-netfilter", "--remediate-at", "65s")
    assert late["remediation"]["measured_from"] == 65
    assert "one_way_audio" not in late["remediation"]["before"]["present"]
    assert "calls_not_connecting" not in late["remediation"]["before"]["present"]  # the 60 s call
    # ... and what the devices had experienced until then.
    assert "one_way_audio" in late["remediation"]["until_then"]["present"]
    assert "until_then" not in remediated(SCENARIO, "linux-netfilter")["remediation"]  # nothing before 0
    # The metrics still cover the whole run.
    assert late["metrics"]["simulated_seconds"] == whole["metrics"]["simulated_seconds"]


def test_remediated_runs_are_deterministic():
    args = ("run", SCENARIO, "--vendor", "linux-netfilter", "--remediate", "--remediate-at", "30s", "--json")
    first, second = run_alglab(*args), run_alglab(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


@pytest.mark.parametrize("args, message", [
    (["--vendor", "linux-netfilter", "--remediate-at", "30s"], "--remediate-at needs --remediate"),
    (["--vendor", "linux-netfilter", "--remediate-steps", "1"], "--remediate-steps needs --remediate"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "99"], "no step 99"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1,x"], "'x' is not a step number"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1,1"], "named twice"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-at", "500s"], "outside the run"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-at", "soon"], "--remediate-at soon"),
    (["--vendor", "none", "--remediate"], "nothing to turn off"),
])
def test_bad_remediation_input_is_one_line_exit_2(args, message):
    proc = run_alglab("run", SCENARIO, *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


# --- which step matters, for the vendors whose fix has several steps --------------------------

def steps_alone(scenario, vendor):
    result = remediated(scenario, vendor)
    r = result["remediation"]
    assert r["before"]["present"], "the scenario must show the vendor's symptoms under defaults"
    assert r["after"]["present"] == [] and r["alg_still_acts"] is False, r
    return r["before"]["present"], {s["step"]: s["alone"] for s in r["steps"]}


def test_fortigate_needs_every_step_the_field_note_gives():
    before, alone = steps_alone("reboot-port-swap", "fortigate")
    # Deleting the session helper alone changes nothing: the proxy-based SIP ALG still runs.
    assert alone[1]["removed"] == [] and alone[1]["alg_still_acts"]
    # The VoIP profile and engine change alone: the engine switch waits for a reboot, and the
    # scenario's own reboot then starts the kernel session helper, still configured.
    assert alone[2]["alg_still_acts"] and alone[2]["added"], alone[2]
    # The reboot alone leaves the ALG as it was (what it removes is timing, and says so).
    assert alone[3]["alg_still_acts"]


@pytest.mark.parametrize("vendor, switch, other", [
    ("d-link", 1, 2),   # untick SIP (save, reboot) matters; unticking Enable SPI does not
    ("unifi", 1, 2),    # the SIP conntrack module matters; the H.323 one does not
])
def test_one_step_removes_the_symptoms_and_the_other_does_not(vendor, switch, other):
    before, alone = steps_alone(SCENARIO, vendor)
    assert alone[switch]["removed"] == before and alone[switch]["alg_still_acts"] is False
    assert alone[other]["removed"] == [] and alone[other]["alg_still_acts"] is True


# --- side effects: the simulation applies each change with its declared semantics --------------

def test_a_flush_is_needed_for_connections_made_before_the_change():
    # At 5 s both handsets have registered: their SIP connections carry the kernel helper.
    helper_off = remediated(SCENARIO, "linux-netfilter", "--remediate-at", "5s", "--remediate-steps", "1")
    r = helper_off["remediation"]
    assert r["steps"][0]["changes"][0]["applies"] == "new-sessions"
    assert r["remaining"] == r["before"]["present"] != [] and r["alg_still_acts"]
    assert {a["verdict"] for a in r["advice"]} == {"alg-still-active"}
    flushed = remediated(SCENARIO, "linux-netfilter", "--remediate-at", "5s", "--remediate-steps", "1,2")
    assert flushed["remediation"]["after"]["present"] == [] and not flushed["remediation"]["alg_still_acts"]


def scenario_with(tmp_path, name, events):
    """shared-rtp-port with `events` (YAML list items) before its two calls."""
    text = (SOURCE_DIR / "scenarios" / "shared-rtp-port.yaml").read_text()
    head, timeline = text.split("\ntimeline:\n")
    path = tmp_path / f"{name}.yaml"
    path.write_text(head.replace("scenario: shared-rtp-port", f"scenario: {name}") + "\ntimeline:\n" + events + timeline)
    return path


def test_d_link_sip_box_takes_effect_only_after_a_reboot_of_the_saved_configuration(tmp_path):
    book = run_json("remediate", "--vendor", "d-link")
    assert book["steps"][0]["then"] == ["save", "reboot"]
    runs = {}
    for name, events in {
        "saved-no-reboot": '  - at: 2s\n    set: {knob: router.alg.SIP, value: "off"}\n  - at: 2s\n    save_config: router\n',
        "unsaved-reboot": '  - at: 2s\n    set: {knob: router.alg.SIP, value: "off"}\n  - at: 2s\n    reboot: router\n',
        "saved-reboot": '  - at: 2s\n    set: {knob: router.alg.SIP, value: "off"}\n  - at: 2s\n    save_config: router\n'
                        '  - at: 2s\n    reboot: router\n',
    }.items():
        runs[name] = run_json("run", scenario_with(tmp_path, name, events), "--vendor", "d-link")
    # Unticked and saved, but the router keeps running the helper until it reboots.
    assert "one_way_audio" in symptoms_present(runs["saved-no-reboot"])
    # Rebooted without saving: the startup configuration (SIP ticked) comes back.
    assert "calls_not_connecting" in symptoms_present(runs["unsaved-reboot"])
    # Saved and rebooted: the helper is gone.
    assert symptoms_present(runs["saved-reboot"]) == []


def test_a_factory_reset_turns_the_alg_back_on(tmp_path):
    reset = scenario_with(tmp_path, "reset-after-fix", "  - at: 20s\n    factory_reset: router\n")
    fixed = remediated(SCENARIO, "unifi", "--set", "router.boot_time=5s")
    assert fixed["remediation"]["after"]["present"] == []
    undone = remediated(reset, "unifi", "--set", "router.boot_time=5s")
    r = undone["remediation"]
    assert r["undone_at"] == [20] and r["alg_still_acts"]
    assert "calls_not_connecting" in r["after"]["present"]
    assert {a["verdict"] for a in r["advice"]} == {"alg-back-after-reset"}


# --- the matrix: what each vendor's own fix leaves -----------------------------------------------

def test_golden_matrix_after_remediation_no_alg_cell_keeps_its_symptom():
    # tests/golden/matrix.json is what `alglab matrix --workarounds none` prints (CTest matrix_golden).
    matrix = json.loads((SOURCE_DIR / "tests" / "golden" / "matrix.json").read_text())
    checked = 0
    for vendor, v in matrix["vendors"].items():
        for scenario, cell in v["scenarios"].items():
            for symptom, verdict in cell.items():
                if symptom == "without_server_nat_traversal" or verdict.get("cause") != "alg":
                    continue
                if vendor == "none":
                    continue
                checked += 1
                # Gone after the runbook, unless the scenario itself resets the router to its
                # shipped configuration afterwards (and then the matrix says so).
                assert verdict["after_remediation"] is False or verdict["alg_back_at"], (vendor, scenario, symptom)
        for symptom, s in v["symptoms"].items():
            if s["present"] and s["cause"] == "alg":
                assert s["after_remediation"] is False, (vendor, symptom)
    assert checked > 40


def test_matrix_keeps_plain_nat_symptoms_after_remediation_and_says_so():
    # long-refresh: handsets refresh every 10 minutes without keepalives; D-Link closes idle
    # ports after 5 (plain NAT), and the kernel helper's long SIP timer hides that.
    matrix = run_json("matrix", "--vendors", "d-link,linux-netfilter", "--scenarios", "long-refresh",
                      "--workarounds", "none", "--jobs", "2")
    ring = matrix["vendors"]["d-link"]["symptoms"]["incoming_calls_not_ringing"]
    assert ring["cause"] in ("plain-nat", "both") and ring["after_remediation"] is True
    assert ring["advice"].startswith("plain NAT causes it") and "keepalives" in ring["advice"]
    exposed = matrix["vendors"]["linux-netfilter"]["symptoms"]["incoming_calls_not_ringing"]
    assert exposed["present"] is False and exposed["exposed_by_remediation"] == ["long-refresh"]
    assert "server side" in exposed["exposure_advice"] and "rport" in exposed["exposure_advice"]


def test_a_remediated_runs_page_shows_the_runbook_and_what_it_changed(tmp_path):
    out = tmp_path / "run"
    proc = run_alglab("run", SCENARIO, "--vendor", "linux-netfilter", "--remediate", "--out", out)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((out / "result.json").read_text())
    assert result["remediated"] is True and result["remediation"]["after"]["present"] == []
    html = (out / "run.html").read_text()
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)[1])
    assert data["remediation"]["removed"] == result["remediation"]["removed"] != []
    assert data["runbooks"]["linux-netfilter"]["steps"][1]["cli"].startswith("conntrack -F")


def test_the_readable_report_shows_each_step_and_the_advice():
    proc = run_alglab("run", SCENARIO, "--vendor", "d-link", "--remediate")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "Remediation (alg-models/d-link/runbook.yaml) at 0 s" in text
    assert "router.alg.SIP: on -> off (after-reboot)" in text
    assert "alone it removes: none (the ALG still acts)" in text  # Enable SPI
    assert "without the runbook: one_way_audio" in text and "with it:             none" in text
    assert "[fixed]" in text


@pytest.mark.parametrize("vendor, timeout", [("d-link", "300s"), ("fortigate", "180s"), ("linux-netfilter", "120s")])
def test_each_runbook_warns_what_turning_the_alg_off_exposes_with_the_vendors_own_nat(vendor, timeout):
    book = run_json("remediate", "--vendor", vendor)
    exposure = book["with_the_alg_off"]
    fixes = " ".join(e["fix"] for e in exposure)
    for words in ("rport", "Contact fixing", "keepalives", "media latching"):
        assert words in fixes, (vendor, fixes)
    assert any(f"after {timeout}" in e["risk"] for e in exposure), exposure
    text = run_alglab("remediate", "--vendor", vendor).stdout
    assert "With the ALG off this router is plain NAT" in text and f"more often than every {timeout}" in text
