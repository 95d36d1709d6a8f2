#include "sim/detect/detect-references.h"

#include "sim/detect/detect-simulation.h"
#include "sim/detect/detect-variations.h"
#include "sim/detect/model-family.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/version/source-version.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <unistd.h>

namespace alglab::detect {

namespace {

namespace fs = std::filesystem;

/// FNV-1a, 64 bits: a cache key, not a security measure.
std::uint64_t Fnv(const std::string& text, std::uint64_t hash = 1469598103934665603ULL) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path CacheDir() {
  if (const char* dir = std::getenv("ALGLAB_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "alglab";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "alglab";
  return {};
}

/// What the references depend on: the code that computes them (the hash of the sources that
/// decide a result, the same for the CLI and the Python module, so both share one cache), the
/// configurations, the scenario.
std::string CacheKey(const std::vector<DetectVariant>& tuning, const std::string& scenarioPath) {
  std::ostringstream what;
  what << "source " << version::SourceHash() << '\n';
  for (const DetectVariant& v : tuning) {
    what << v.vendor;
    for (const auto& s : v.sets) what << ' ' << s;
    what << '\n';
  }
  what << ReadFile(scenarioPath);
  std::ostringstream key;
  key << std::hex << Fnv(what.str());
  return key.str();
}

nlohmann::json ToJson(const std::vector<FamilyReference>& references) {
  nlohmann::json list = nlohmann::json::array();
  for (const FamilyReference& r : references) {
    nlohmann::json features = nlohmann::json::object();
    for (const auto& [path, value] : r.features) features[path] = value;
    list.push_back({{"family", r.family}, {"vendor", r.vendor}, {"variant", r.variant}, {"features", features}});
  }
  return list;
}

std::vector<FamilyReference> FromJson(const nlohmann::json& list) {
  std::vector<FamilyReference> references;
  for (const auto& r : list) {
    FamilyReference ref{r.at("family"), r.at("vendor"), r.at("variant"), {}};
    for (const auto& [path, value] : r.at("features").items()) ref.features[path] = value;
    references.push_back(std::move(ref));
  }
  return references;
}

}  // namespace

std::vector<FamilyReference> LoadReferences(unsigned jobs) {
  const std::string scenarioPath = scenario::ResolveScenario(kReferenceScenario);
  std::vector<DetectVariant> tuning;
  for (const DetectVariant& v : DetectVariants(DefaultDetectVendors(), true))
    if (!v.heldOut) tuning.push_back(v);
  const fs::path dir = CacheDir();
  const fs::path file = dir.empty() ? fs::path() : dir / ("detect-references-" + CacheKey(tuning, scenarioPath) + ".json");
  if (!file.empty()) {
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) {
      try {
        return FromJson(nlohmann::json::parse(ReadFile(file)));
      } catch (const std::exception&) {
        // A damaged cache is rebuilt below.
      }
    }
  }
  const auto verdicts = DetectVariantsInWorkers(scenarioPath, tuning, jobs);
  std::vector<FamilyReference> references;
  for (std::size_t i = 0; i < tuning.size(); ++i) {
    const auto knobs = VendorKnobsOf(tuning[i]);
    const ModelTruth truth = TruthOf(tuning[i].vendor, {knobs.begin(), knobs.end()});
    references.push_back({truth.family, tuning[i].vendor, tuning[i].label, FeaturesOf(verdicts[i])});
  }
  if (!file.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    // Written aside and renamed, so a reader in another process never sees half a file.
    const fs::path partial = file.string() + "." + std::to_string(::getpid()) + ".partial";
    {
      std::ofstream out(partial, std::ios::binary);
      out << ToJson(references).dump();
    }
    fs::rename(partial, file, ec);
    if (ec) fs::remove(partial, ec);
  }
  return references;
}

}  // namespace alglab::detect
