#ifndef ALGLAB_CONFIG_CHECK_CHECK_CONFIG_JSON_H
#define ALGLAB_CONFIG_CHECK_CHECK_CONFIG_JSON_H

/// \file
/// `alglab check-config --json`: one object, documented by
/// docs/schemas/check-config.schema.json.

#include "sim/config-check/config-evaluation.h"
#include "sim/config-check/config-fix.h"

#include <nlohmann/json.hpp>

namespace alglab::configcheck {

/// {"file","vendor","format","format_title","statements","alg_on","alg_on_because":[...],
///  "knobs":[...],"other_statements":[...],"expected_symptoms":{...},"fix":{...}}
nlohmann::ordered_json CheckConfigJson(const ConfigReading& reading, const ConfigFix& fix,
                                       const nlohmann::ordered_json& symptoms);

}  // namespace alglab::configcheck

#endif
