#include "sim/detect/family-rank.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace alglab::detect {

namespace {

/// Keys that are not observations to compare: free text, and what this ranking produces.
bool Skipped(const std::string& key) {
  static const std::set<std::string> kSkipped{"evidence", "vendor_family", "predicted_symptoms", "runbook",
                                              "scenario", "vendor", "seed", "configured", "notes"};
  return kSkipped.count(key) != 0;
}

/// A record's identity: its first text member ("INVITE" of a rewrite, "primary" of an inbound
/// result). Records of one method on several transports or ports share it: which transports an
/// ALG watches is a knob (and shows in `triggers`), what it does to a method is its engine.
std::string RecordKey(const nlohmann::json& record) {
  for (const auto& [name, member] : record.items())
    if (!Skipped(name) && member.is_string()) return member.get<std::string>();
  return "";
}

void Flatten(const nlohmann::json& value, const std::string& path, VerdictFeatures& out);

/// A record's observations: its flags and lists (its text and numbers are its identity).
void FlattenRecord(const nlohmann::json& record, const std::string& path, VerdictFeatures& out) {
  for (const auto& [name, member] : record.items()) {
    if (Skipped(name) || member.is_string() || member.is_number()) continue;
    Flatten(member, path + "." + name, out);
  }
}

void Flatten(const nlohmann::json& value, const std::string& path, VerdictFeatures& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (Skipped(key)) continue;
      Flatten(child, path.empty() ? key : path + "." + key, out);
    }
  } else if (value.is_array()) {
    for (const auto& element : value) {
      if (element.is_object()) {
        // A list of records (rewrites per method and port, inbound per sender): each record
        // under its identity, so records do not overwrite each other.
        FlattenRecord(element, path + "[" + RecordKey(element) + "]", out);
      } else if (element.is_array()) {
        Flatten(element, path + "[]", out);
      } else {
        out[path + "[]=" + element.dump()] = true;
      }
    }
  } else if (!value.is_null()) {
    out[path] = value;
  }
}

/// The aspect of the ALG a feature belongs to: its top-level key, and for a list of records
/// the member too ("inbound.rewritten", "rewrites.fields"). Each aspect counts once in a
/// comparison, however many features it has, so an aspect with many features (the fields of
/// every method) cannot outvote one with few (the signalling timer).
std::string AspectOf(const std::string& path) {
  // The SIP binding's lifetime against plain UDP's: the ALG's signalling timer, if any.
  if (path.rfind("nat.timeouts.sip", 0) == 0) return "sip-timer";
  const auto cut = path.find_first_of(".[=");
  const std::string head = path.substr(0, cut);
  if (cut == std::string::npos || path[cut] != '[' || path.compare(cut, 3, "[]=") == 0) return head;
  const auto close = path.find(']', cut);
  if (close == std::string::npos || close + 1 >= path.size() || path[close + 1] != '.') return head;
  const auto member = path.substr(close + 2, path.find_first_of(".[=", close + 2) - close - 2);
  return head + "." + member;
}

/// Aspect weights. What the ALG's engine does weighs more than its scope: which transports,
/// ports and methods wake it, and so which fields, which media and which drops a probe saw, are
/// knobs of most models (a model watching TCP only is still that model), while its signalling
/// timer, whether it re-originates and what it does to requests coming in are its engine. The
/// plain NAT around it weighs least.
double WeightOf(const std::string& aspect) {
  if (aspect == "sip-timer" || aspect == "alg_present" || aspect == "proxy") return 4;
  if (aspect.rfind("inbound", 0) == 0) return 2;
  return 1;  // media, drops, rewrites and rewritten fields, triggers, the NAT's own class and timers
}

bool Agree(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return std::fabs(x - y) <= 0.1 * std::max(std::fabs(x), std::fabs(y)) + 1e-9;
  }
  return a == b;
}

}  // namespace

VerdictFeatures FeaturesOf(const nlohmann::json& verdict) {
  VerdictFeatures features;
  Flatten(verdict, "", features);
  return features;
}

double Similarity(const VerdictFeatures& a, const VerdictFeatures& b) {
  // Per aspect: features compared, features that agree.
  std::map<std::string, std::pair<double, double>> aspects;
  auto ia = a.begin();
  auto ib = b.begin();
  // Both maps are sorted by path: one merge pass over the union.
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
      aspects[AspectOf(ia->first)].first += 1;
      ++ia;
    } else if (ia == a.end() || ib->first < ia->first) {
      aspects[AspectOf(ib->first)].first += 1;
      ++ib;
    } else {
      auto& [compared, agreed] = aspects[AspectOf(ia->first)];
      compared += 1;
      if (Agree(ia->second, ib->second)) agreed += 1;
      ++ia;
      ++ib;
    }
  }
  double total = 0, agreed = 0;
  for (const auto& [aspect, counts] : aspects) {
    const double w = WeightOf(aspect);
    total += w;
    agreed += w * counts.second / counts.first;
  }
  return total == 0 ? 1.0 : agreed / total;
}

std::vector<FamilyScore> RankFamilies(const VerdictFeatures& observed,
                                      const std::vector<FamilyReference>& references) {
  std::map<std::string, FamilyScore> best;
  for (const FamilyReference& r : references) {
    const double s = Similarity(observed, r.features);
    auto [it, added] = best.try_emplace(r.family, FamilyScore{r.family, s, 0, r.vendor, r.variant});
    // References come in a fixed order, so the first of equally near ones is the same every time.
    if (!added && s > it->second.similarity) it->second = FamilyScore{r.family, s, 0, r.vendor, r.variant};
  }
  std::vector<FamilyScore> ranking;
  for (auto& [family, score] : best) ranking.push_back(score);
  // Confidence: a sharp share of the similarities, so a family matched exactly dominates
  // families that agree on most but not all of the ALG's behaviour.
  constexpr double kSharpness = 30;
  double sum = 0;
  for (const auto& s : ranking) sum += std::pow(s.similarity, kSharpness);
  for (auto& s : ranking) s.confidence = sum > 0 ? std::pow(s.similarity, kSharpness) / sum : 1.0 / ranking.size();
  std::stable_sort(ranking.begin(), ranking.end(), [](const FamilyScore& x, const FamilyScore& y) {
    if (x.similarity != y.similarity) return x.similarity > y.similarity;
    return x.family < y.family;
  });
  return ranking;
}

nlohmann::ordered_json FamilyRankingToJson(const std::vector<FamilyScore>& ranking) {
  const auto round3 = [](double v) { return std::round(v * 1000.0) / 1000.0; };
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const FamilyScore& s : ranking) {
    out.push_back({{"family", s.family},
                   {"confidence", round3(s.confidence)},
                   {"similarity", round3(s.similarity)},
                   {"nearest", {{"vendor", s.vendor}, {"variant", s.variant}}}});
  }
  return out;
}

}  // namespace alglab::detect
