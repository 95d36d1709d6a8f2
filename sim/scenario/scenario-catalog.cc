#include "sim/scenario/scenario-catalog.h"

#include "sim/scenario/bounded-yaml-parse.h"
#include "sim/scenario/scenario-error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alglab::scenario {

namespace fs = std::filesystem;

std::string ScenarioDirectory() {
  if (const char* env = std::getenv("ALGLAB_SCENARIO_DIR"); env && *env) return env;
  return ALGLAB_DEFAULT_SCENARIO_DIR;
}

std::vector<CatalogEntry> ListScenarios() {
  std::vector<CatalogEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(ScenarioDirectory(), ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    CatalogEntry e{entry.path().stem().string(), entry.path().string(), ""};
    try {
      // A file in a user's scenario directory may be anything: parse it within the bound.
      std::ifstream in(e.path, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      const std::vector<YAML::Node> documents = LoadAllBounded(text.str());
      const YAML::Node doc = documents.empty() ? YAML::Node() : documents.front();
      if (doc.IsMap() && doc["description"] && doc["description"].IsScalar()) {
        e.description = doc["description"].Scalar();
        e.description = e.description.substr(0, e.description.find('\n'));
      }
    } catch (const std::exception&) {  // a YAML error or a parse that did not finish
      e.description = "(unreadable: run it to see the error)";
    }
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const CatalogEntry& a, const CatalogEntry& b) { return a.name < b.name; });
  return out;
}

std::string ResolveScenario(const std::string& nameOrPath) {
  std::error_code ec;
  const bool looksLikePath = nameOrPath.find('/') != std::string::npos ||
                             fs::path(nameOrPath).extension() == ".yaml";
  if (looksLikePath) {
    if (fs::is_regular_file(nameOrPath, ec)) return nameOrPath;
    // A FIFO would block the reader forever and a device or directory is never a scenario.
    if (fs::exists(nameOrPath, ec))
      throw ScenarioError(nameOrPath + ": not a regular file (a scenario is a YAML file)");
    throw ScenarioError(nameOrPath + ": no such scenario file");
  }
  for (const auto& e : ListScenarios()) {
    if (e.name == nameOrPath) return e.path;
  }
  std::string valid;
  for (const auto& e : ListScenarios()) valid += (valid.empty() ? "" : ", ") + e.name;
  throw ScenarioError("unknown scenario '" + nameOrPath + "' (valid: " + valid + ")");
}

}  // namespace alglab::scenario
