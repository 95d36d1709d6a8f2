#ifndef ALGLAB_ALG_MODELS_CONTRACT_YAML_FILE_READER_H
#define ALGLAB_ALG_MODELS_CONTRACT_YAML_FILE_READER_H

/// \file
/// Reading the YAML data files of alg-models/ (model, composition and runbook files) with
/// one-line "FILE:LINE: what" errors (ModelFileError).

#include "alg-models/contract/model-file.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace alglab::alg {

/// Reads one data file (a model, composition or runbook file), failing with "FILE:LINE: what"
/// at the node concerned.
class YamlFileReader {
 public:
  explicit YamlFileReader(std::string file) : m_file(std::move(file)) {}
  const std::string& File() const { return m_file; }

  [[noreturn]] void Fail(const YAML::Node& at, const std::string& what) const {
    const int line = at.Mark().line;
    throw ModelFileError(m_file + (line >= 0 ? ":" + std::to_string(line + 1) : "") + ": " + what);
  }
  std::size_t Line(const YAML::Node& n) const {
    return n.Mark().line >= 0 ? static_cast<std::size_t>(n.Mark().line + 1) : 0;
  }
  std::string Text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) Fail(n, key + ": expected a single value");
    return n.Scalar();
  }
  /// Every key of `map` must be one of `known`.
  void OnlyKeys(const YAML::Node& map, const std::string& where, const std::set<std::string>& known) const {
    if (!map.IsMap()) Fail(map, where + ": expected a map of keys");
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (known.count(key) == 0) {
        std::string valid;
        for (const std::string& k : known) valid += (valid.empty() ? "" : ", ") + k;
        Fail(kv.first, where + ": unknown key '" + key + "' (valid: " + valid + ")");
      }
    }
  }
  std::map<std::string, std::string> TextMap(const YAML::Node& n, const std::string& key) const {
    if (!n.IsMap()) Fail(n, key + ": expected a map");
    std::map<std::string, std::string> out;
    for (const auto& kv : n) out[kv.first.Scalar()] = Text(kv.second, key + "." + kv.first.Scalar());
    return out;
  }
  /// `when: {knob: word | [word, ...]}`.
  std::map<std::string, std::vector<std::string>> WhenMap(const YAML::Node& n) const {
    if (!n.IsMap()) Fail(n, "when: expected a map of selector knob -> value or list of values");
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& kv : n) {
      const std::string knob = kv.first.Scalar();
      std::vector<std::string>& words = out[knob];
      if (kv.second.IsSequence()) {
        for (const YAML::Node& w : kv.second) words.push_back(Text(w, "when." + knob));
      } else {
        words.push_back(Text(kv.second, "when." + knob));
      }
      if (words.empty()) Fail(kv.second, "when." + knob + ": expected at least one value");
    }
    return out;
  }

 private:
  std::string m_file;
};

/// The folder a data file sits in, which names its model: "alg-models/tp-link/model.yaml" ->
/// "tp-link" (model, runbook and config map files are registered under it).
inline std::string DataFileFolder(const std::string& file) {
  const std::size_t slash = file.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : file.substr(0, slash);
  const std::size_t up = dir.rfind('/');
  return up == std::string::npos ? dir : dir.substr(up + 1);
}

/// Parses `text`, a YAML parse error becoming "FILE:LINE: what".
inline YAML::Node LoadYaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ModelFileError(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace alglab::alg

#endif
