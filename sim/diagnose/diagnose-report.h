#ifndef ALGLAB_DIAGNOSE_DIAGNOSE_REPORT_H
#define ALGLAB_DIAGNOSE_DIAGNOSE_REPORT_H

// `alglab diagnose`'s result: one capture (and optionally the router's other side) read,
// analysed and paired, as JSON (docs/schemas/diagnose.schema.json) or as text.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace alglab::diagnose {

/// Reads and analyses `capture` (the phone side) and, when given, `wan` (the provider side of
/// the same router). Throws CaptureError naming the file that cannot be read.
nlohmann::json DiagnoseFiles(const std::string& capture, const std::optional<std::string>& wan);

/// The same result for a person: symptoms, fingerprints, then the rewrites across the router.
std::string FormatDiagnosis(const nlohmann::json& diagnosis);

}  // namespace alglab::diagnose

#endif
