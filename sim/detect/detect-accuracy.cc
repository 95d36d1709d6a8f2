#include "sim/detect/detect-accuracy.h"

#include "sim/detect/detect-diagnosis.h"
#include "sim/detect/detect-references.h"
#include "sim/detect/detect-simulation.h"
#include "sim/detect/detect-workers.h"
#include "sim/detect/family-rank.h"
#include "sim/scenario/scenario-catalog.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace alglab::detect {

namespace {

using Counts = std::map<std::string, std::map<std::string, std::size_t>>;

nlohmann::ordered_json MatrixJson(const Counts& counts) {
  std::set<std::string> labels;
  std::size_t correct = 0, total = 0;
  nlohmann::ordered_json rows = nlohmann::ordered_json::object();
  for (const auto& [truth, row] : counts) {
    labels.insert(truth);
    nlohmann::ordered_json r = nlohmann::ordered_json::object();
    for (const auto& [detected, n] : row) {
      labels.insert(detected);
      r[detected] = n;
      total += n;
      if (detected == truth) correct += n;
    }
    rows[truth] = r;
  }
  const double accuracy = total == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(total);
  return {{"labels", std::vector<std::string>(labels.begin(), labels.end())},
          {"counts", rows},
          {"correct", correct},
          {"total", total},
          {"accuracy", std::round(accuracy * 10000.0) / 10000.0}};
}

std::string Percent(const nlohmann::ordered_json& matrix) {
  return fmt::format("{:.1f}% ({}/{})", matrix.at("accuracy").get<double>() * 100.0,
                     matrix.at("correct").get<std::size_t>(), matrix.at("total").get<std::size_t>());
}

void FormatMatrix(std::ostringstream& out, const std::string& title, const nlohmann::ordered_json& matrix) {
  out << title << ": " << Percent(matrix) << "\n";
  const auto labels = matrix.at("labels").get<std::vector<std::string>>();
  std::size_t width = 8;
  for (const auto& l : labels) width = std::max(width, l.size() + 1);
  out << fmt::format("  {:<{}}", "truth \\ detected", width + 2);
  for (const auto& l : labels) out << fmt::format("{:>{}}", l, width);
  out << "\n";
  for (const auto& [truth, row] : matrix.at("counts").items()) {
    out << fmt::format("  {:<{}}", truth, width + 2);
    for (const auto& l : labels) out << fmt::format("{:>{}}", row.value(l, 0), width);
    out << "\n";
  }
}

}  // namespace

std::vector<AccuracyCase> MeasureAccuracy(const std::string& scenarioName, const std::vector<DetectVariant>& variants,
                                          unsigned jobs) {
  const std::string path = scenario::ResolveScenario(scenarioName);
  const auto verdicts = DetectVariantsInWorkers(path, variants, jobs);
  std::vector<AccuracyCase> cases;
  std::vector<FamilyReference> references;
  std::vector<std::size_t> referenceCase;  // the case each reference came from
  for (std::size_t i = 0; i < variants.size(); ++i) {
    AccuracyCase c;
    c.variant = variants[i];
    const auto knobs = VendorKnobsOf(variants[i]);
    c.truth = TruthOf(variants[i].vendor, {knobs.begin(), knobs.end()});
    c.detectedPresent = verdicts[i].value("alg_present", false);
    c.detectedKind = DetectedKind(verdicts[i]);
    cases.push_back(c);
    if (!variants[i].heldOut) {
      references.push_back({c.truth.family, variants[i].vendor, variants[i].label, FeaturesOf(verdicts[i])});
      referenceCase.push_back(i);
    }
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    // Leave-one-out: a tuning configuration is not ranked against its own reference.
    std::vector<FamilyReference> others;
    for (std::size_t r = 0; r < references.size(); ++r)
      if (referenceCase[r] != i) others.push_back(references[r]);
    const auto ranking = RankVerdict(verdicts[i], others);
    if (!ranking.empty()) {
      cases[i].detectedFamily = ranking.front().family;
      cases[i].familyConfidence = ranking.front().confidence;
    }
  }
  return cases;
}

nlohmann::ordered_json AccuracyToJson(const std::string& scenarioName, const std::vector<AccuracyCase>& cases) {
  Counts presence, kind, proxyRewrite, familyTuning, familyHeldOut;
  std::size_t falseAlarms = 0, noAlgCases = 0;
  nlohmann::ordered_json heldOut = nlohmann::ordered_json::array();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const auto yesNo = [](bool b) { return std::string(b ? "alg" : "no-alg"); };
  for (const AccuracyCase& c : cases) {
    ++presence[yesNo(c.truth.present)][yesNo(c.detectedPresent)];
    ++kind[c.truth.kind][c.detectedKind];
    if (c.truth.present) {
      const std::string detected = c.detectedKind == "proxy" || c.detectedKind == "rewrite" ? c.detectedKind : "neither";
      ++proxyRewrite[c.truth.kind][detected];
    }
    ++(c.variant.heldOut ? familyHeldOut : familyTuning)[c.truth.family][c.detectedFamily];
    if (c.variant.vendor == "none") {
      ++noAlgCases;
      if (c.detectedPresent) ++falseAlarms;
    }
    if (c.variant.heldOut) heldOut.push_back(c.variant.vendor + " " + c.variant.label);
    list.push_back({{"vendor", c.variant.vendor},
                    {"configuration", c.variant.label},
                    {"held_out", c.variant.heldOut},
                    {"truth", {{"present", c.truth.present}, {"kind", c.truth.kind}, {"family", c.truth.family}}},
                    {"detected",
                     {{"present", c.detectedPresent},
                      {"kind", c.detectedKind},
                      {"family", c.detectedFamily},
                      {"confidence", std::round(c.familyConfidence * 1000.0) / 1000.0}}}});
  }
  nlohmann::ordered_json j;
  j["scenario"] = scenarioName;
  j["configurations"] = cases.size();
  j["held_out"] = heldOut;
  j["presence"] = MatrixJson(presence);
  j["rewrite_kind"] = MatrixJson(kind);
  j["proxy_vs_rewrite"] = MatrixJson(proxyRewrite);
  j["family_tuning"] = MatrixJson(familyTuning);
  j["family_held_out"] = MatrixJson(familyHeldOut);
  j["false_alarms"] = falseAlarms;
  j["no_alg_configurations"] = noAlgCases;
  j["targets"] = {{"presence", 1.0}, {"rewrite_kind", 1.0}, {"family_held_out", 0.95}, {"false_alarms", 0}};
  j["targets_met"] = j["presence"]["accuracy"].get<double>() >= 1.0 &&
                     j["rewrite_kind"]["accuracy"].get<double>() >= 1.0 &&
                     j["family_held_out"]["accuracy"].get<double>() >= 0.95 && falseAlarms == 0;
  j["cases"] = list;
  return j;
}

std::string FormatAccuracy(const nlohmann::ordered_json& a) {
  std::ostringstream out;
  out << "Detector accuracy in simulation (scenario " << a.at("scenario").get<std::string>() << ", "
      << a.at("configurations").get<std::size_t>() << " router configurations, "
      << a.at("held_out").size() << " held out)\n\n";
  FormatMatrix(out, "Presence (target 100%)", a.at("presence"));
  out << "\n";
  FormatMatrix(out, "Rewrite kind (target 100%)", a.at("rewrite_kind"));
  out << "\n";
  FormatMatrix(out, "Proxy vs rewrite, where an ALG acts", a.at("proxy_vs_rewrite"));
  out << "\n";
  FormatMatrix(out, "Vendor family top-1, tuning configurations (leave-one-out)", a.at("family_tuning"));
  out << "\n";
  FormatMatrix(out, "Vendor family top-1, held-out configurations (target >= 95%)", a.at("family_held_out"));
  out << "\nFalse alarms on none and plain NAT: " << a.at("false_alarms").get<std::size_t>() << " of "
      << a.at("no_alg_configurations").get<std::size_t>() << " (target 0)\n";
  out << "Held out: ";
  bool first = true;
  for (const auto& h : a.at("held_out")) {
    out << (first ? "" : "; ") << h.get<std::string>();
    first = false;
  }
  out << "\nTargets " << (a.at("targets_met").get<bool>() ? "met" : "NOT met") << "\n";
  return out.str();
}

}  // namespace alglab::detect
