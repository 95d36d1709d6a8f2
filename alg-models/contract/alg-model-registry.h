#ifndef ALGLAB_ALG_MODELS_CONTRACT_ALG_MODEL_REGISTRY_H
#define ALGLAB_ALG_MODELS_CONTRACT_ALG_MODEL_REGISTRY_H

// Vendor name -> ALG model. A model registers itself with one line in its own folder
// (ALGLAB_REGISTER_ALG_MODEL), so adding a router model never edits a core file. The model
// object itself is created through the ns-3 TypeId registry, which also carries its knobs.

#include <functional>
#include <string>
#include <vector>

#include "ns3/ptr.h"

namespace alglab::alg {

class AlgModel;

struct AlgModelInfo {
  std::string vendor;     ///< name used by --vendor and scenario files: "none", "linux-netfilter"
  std::string typeId;     ///< ns-3 TypeId name of the model; empty for "none" (no ALG at all)
  std::string summary;    ///< one line for `alglab list vendors`
  std::string remediation;///< how the vendor's own UI/CLI turns the ALG off (one line)
  /// Builds the model (a model file's models; empty: through `typeId`). Throws AlgConfigError.
  std::function<ns3::Ptr<AlgModel>()> create;
  std::string engine;     ///< what the router runs, for `alglab list vendors`
  std::string file;       ///< the model file, for a model built from one
  /// A teaching model that stands for no product (example-cpe, sdp-c-only): listed, runnable,
  /// but not one of the vendors `alglab matrix` covers by default.
  bool example = false;
};

/// Registers the model a model file describes (the build embeds every
/// alg-models/<id>/model.yaml and calls this at static initialisation). The vendor id is the
/// folder's name; a file that does not parse, or whose id differs from its folder, registers
/// a model whose creation fails with the file's one-line error.
bool RegisterModelFile(const char* file, const char* text);

class AlgModelRegistry {
 public:
  static AlgModelRegistry& Instance();
  /// Returns true so it can initialise a static in the model's file.
  bool Register(AlgModelInfo info);
  const AlgModelInfo* Find(const std::string& vendor) const;
  /// Sorted by vendor name.
  std::vector<AlgModelInfo> All() const;
  std::vector<std::string> Names() const;

 private:
  std::vector<AlgModelInfo> m_models;
};

}  // namespace alglab::alg

#define ALGLAB_ALG_CONCAT2(a, b) a##b
#define ALGLAB_ALG_CONCAT(a, b) ALGLAB_ALG_CONCAT2(a, b)
/// Registers a vendor model at static-initialisation time.
#define ALGLAB_REGISTER_ALG_MODEL(...)                                            \
  static const bool ALGLAB_ALG_CONCAT(g_alglabAlgRegistered_, __LINE__) =           \
      ::alglab::alg::AlgModelRegistry::Instance().Register(::alglab::alg::AlgModelInfo{__VA_ARGS__})

#endif
