#ifndef ALGLAB_SCENARIO_SCENARIO_CATALOG_H
#define ALGLAB_SCENARIO_SCENARIO_CATALOG_H

#include <string>
#include <vector>

namespace alglab::scenario {

struct CatalogEntry {
  std::string name;         ///< "office"
  std::string path;         ///< ".../scenarios/office.yaml"
  std::string description;  ///< first line of the file's description
};

/// Scenario files shipped with alglab: the folder named by $ALGLAB_SCENARIO_DIR, else the
/// source tree's scenarios/ folder compiled in at build time.
std::string ScenarioDirectory();

/// Every *.yaml in the scenario directory, sorted by name.
std::vector<CatalogEntry> ListScenarios();

/// A scenario name ("office") or a path to a file. Throws ScenarioError listing the valid
/// names when neither exists.
std::string ResolveScenario(const std::string& nameOrPath);

}  // namespace alglab::scenario

#endif
