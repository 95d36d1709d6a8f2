#ifndef ALGLAB_MATRIX_MATRIX_REPORT_H
#define ALGLAB_MATRIX_MATRIX_REPORT_H

// The matrix for people and for CI servers: a table, the differences from a golden matrix per
// vendor x scenario cell, and those cells as JUnit test cases.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace alglab::matrix {

/// A symptom's column head in the text tables: the field note's shorthand ("REG", "1WAY").
std::string SymptomColumnHead(const std::string& symptom);

/// Vendors down, symptoms across: A (the ALG), N (plain NAT), B (both), m (the ALG masks a
/// plain-NAT problem), . (nothing).
std::string FormatTable(const nlohmann::ordered_json& matrix);

/// Per (vendor, scenario) cell that differs from `golden`: one line per differing symptom
/// ("one_way_audio: golden alg (helper ...), now absent"). Cells the golden file lacks
/// differ as "not in the golden file". Cells of `golden` not in `matrix` are not judged
/// (a matrix run over fewer vendors or scenarios).
std::map<std::pair<std::string, std::string>, std::vector<std::string>> CompareWithGolden(
    const nlohmann::ordered_json& matrix, const nlohmann::json& golden);

/// JUnit XML: one test case per vendor x scenario, failing where `differences` has the cell.
std::string FormatJunit(const nlohmann::ordered_json& matrix,
                        const std::map<std::pair<std::string, std::string>, std::vector<std::string>>& differences,
                        bool judged);

}  // namespace alglab::matrix

#endif
