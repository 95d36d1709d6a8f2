// RegisterModelFile: a model file becomes a vendor in the registry. Parsing happens once, at
// registration; building, at each creation (every run gets fresh mechanisms).

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"

#include <memory>

namespace alglab::alg {

namespace {

/// "alg-models/tp-link/model.yaml" -> "tp-link".
std::string FolderOf(const std::string& file) {
  const std::size_t slash = file.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : file.substr(0, slash);
  const std::size_t before = dir.rfind('/');
  return before == std::string::npos ? dir : dir.substr(before + 1);
}

}  // namespace

bool RegisterModelFile(const char* file, const char* text) {
  AlgModelInfo info;
  info.vendor = FolderOf(file);
  info.file = file;
  try {
    auto spec = std::make_shared<const ModelSpec>(ParseModelFile(text, file));
    if (spec->id != info.vendor) {
      throw ModelFileError(std::string(file) + ": id '" + spec->id + "' is not its folder's name '" +
                           info.vendor + "'");
    }
    info.summary = spec->summary;
    info.remediation = spec->remediation;
    info.engine = spec->engine;
    info.create = [spec] {
      try {
        return ns3::Ptr<AlgModel>(ComposedAlgModel::Build(spec));
      } catch (const ModelFileError& e) {
        throw AlgConfigError(e.what());
      }
    };
  } catch (const ModelFileError& e) {
    const std::string error = e.what();
    info.summary = "(model file error) " + error;
    info.create = [error]() -> ns3::Ptr<AlgModel> { throw AlgConfigError(error); };
  }
  return AlgModelRegistry::Instance().Register(std::move(info));
}

}  // namespace alglab::alg
