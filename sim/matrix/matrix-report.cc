#include "sim/matrix/matrix-report.h"

#include <fmt/format.h>

#include <set>

namespace alglab::matrix {

namespace {

std::string Letter(const nlohmann::ordered_json& s) {
  std::string out;
  if (s.value("present", false)) {
    const std::string cause = s.value("cause", "");
    out = cause == "alg" ? "A" : cause == "plain-nat" ? "N" : "B";
    // What the vendor's runbook left: f = fixed, s = stays.
    if (s.contains("after_remediation")) out += s["after_remediation"].get<bool>() ? "s" : "f";
    if (s.contains("back_after_factory_reset_in")) out += "r";
  } else {
    out = s.contains("masked_in") ? "m" : ".";
  }
  if (s.contains("exposed_by_remediation")) out += "x";
  return out;
}

std::string Describe(const nlohmann::json& verdict) {
  if (verdict.is_null()) return "absent";
  const std::string what = verdict.value("exposed_by_remediation", false) ? std::string("exposed by remediation")
                           : verdict.value("masked", false)             ? std::string("masked")
                                                                        : verdict.value("cause", "?");
  const std::string mechanism = verdict.value("mechanism", "");
  std::string out = mechanism.empty() ? what : what + " (" + mechanism + ")";
  if (verdict.contains("after_remediation"))
    out += verdict["after_remediation"].get<bool>() ? ", stays after remediation" : ", fixed by remediation";
  return out;
}

void CompareSymptoms(const nlohmann::json& now, const nlohmann::json& then, const std::string& prefix,
                     std::vector<std::string>& out) {
  std::set<std::string> names;
  for (const auto& [k, v] : now.items())
    if (k != "without_server_nat_traversal") names.insert(k);
  for (const auto& [k, v] : then.items())
    if (k != "without_server_nat_traversal") names.insert(k);
  for (const std::string& n : names) {
    const nlohmann::json a = then.contains(n) ? then[n] : nlohmann::json();
    const nlohmann::json b = now.contains(n) ? now[n] : nlohmann::json();
    if (a != b) out.push_back(prefix + n + ": golden " + Describe(a) + ", now " + Describe(b));
  }
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

}  // namespace

/// The column heads: the field note's shorthand for each symptom.
std::string SymptomColumnHead(const std::string& symptom) {
  static const std::map<std::string, std::string> kShort{
      {"registration_failure", "REG"},  {"incoming_calls_not_ringing", "RING"}, {"blf_not_updating", "BLF"},
      {"one_way_audio", "1WAY"},        {"audio_drop_midcall", "DROP"},         {"fails_after_reboot", "BOOT"},
      {"calls_not_connecting", "CONN"}};
  const auto it = kShort.find(symptom);
  return it == kShort.end() ? symptom : it->second;
}

std::string FormatTable(const nlohmann::ordered_json& matrix) {
  std::string out = fmt::format("{:<18}", "vendor");
  for (const auto& s : matrix["symptoms"]) out += fmt::format(" {:<5}", SymptomColumnHead(s.get<std::string>()));
  out += "\n";
  for (const auto& [vendor, v] : matrix["vendors"].items()) {
    out += fmt::format("{:<18}", vendor);
    for (const auto& s : matrix["symptoms"]) out += fmt::format(" {:<5}", Letter(v["symptoms"][s.get<std::string>()]));
    out += "\n";
  }
  out += "A = the ALG causes it, N = plain NAT does (also with the ALG off), B = both, "
         "m = the ALG masks a plain-NAT problem, . = none (servers' NAT traversal on; --json for the rest)\n"
         "after the vendor's runbook: f = fixed, s = stays, x = appears only then (the ALG hid a plain-NAT problem), "
         "r = back where the scenario resets the router to factory settings (ALG on again)\n";
  return out;
}

std::map<std::pair<std::string, std::string>, std::vector<std::string>> CompareWithGolden(
    const nlohmann::ordered_json& matrix, const nlohmann::json& golden) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (const auto& [vendor, v] : matrix["vendors"].items()) {
    for (const auto& [scenario, cell] : v["scenarios"].items()) {
      const nlohmann::json* then = nullptr;
      if (golden.contains("vendors") && golden["vendors"].contains(vendor) &&
          golden["vendors"][vendor].contains("scenarios") && golden["vendors"][vendor]["scenarios"].contains(scenario))
        then = &golden["vendors"][vendor]["scenarios"][scenario];
      if (then == nullptr) {
        out[{vendor, scenario}].push_back("not in the golden file");
        continue;
      }
      std::vector<std::string> lines;
      const nlohmann::json now = cell;
      CompareSymptoms(now, *then, "", lines);
      const nlohmann::json empty = nlohmann::json::object();
      CompareSymptoms(now.value("without_server_nat_traversal", empty),
                      then->value("without_server_nat_traversal", empty), "without server NAT traversal: ", lines);
      if (!lines.empty()) out[{vendor, scenario}] = lines;
    }
  }
  return out;
}

std::string FormatJunit(const nlohmann::ordered_json& matrix,
                        const std::map<std::pair<std::string, std::string>, std::vector<std::string>>& differences,
                        bool judged) {
  std::size_t tests = 0;
  for (const auto& [vendor, v] : matrix["vendors"].items()) tests += v["scenarios"].size();
  std::string body;
  for (const auto& [vendor, v] : matrix["vendors"].items()) {
    for (const auto& [scenario, cell] : v["scenarios"].items()) {
      body += fmt::format("    <testcase classname=\"matrix.{}\" name=\"{}\">\n", Escape(vendor), Escape(scenario));
      const auto it = differences.find({vendor, scenario});
      if (it != differences.end()) {
        std::string text;
        for (const auto& line : it->second) text += line + "\n";
        body += fmt::format("      <failure message=\"{}\">{}</failure>\n",
                            Escape(std::to_string(it->second.size()) + " symptom(s) differ from the golden matrix"),
                            Escape(text));
      }
      body += fmt::format("      <system-out>{}</system-out>\n", Escape(cell.dump()));
      body += "    </testcase>\n";
    }
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"alglab matrix{}\" tests=\"{}\" "
      "failures=\"{}\">\n{}  </testsuite>\n</testsuites>\n",
      judged ? "" : " (no golden file: not judged)", tests, differences.size(), body);
}

}  // namespace alglab::matrix
