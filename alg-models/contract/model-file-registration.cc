// RegisterModelFile: a model file becomes a vendor in the registry. Parsing happens once, at
// registration; building, at each creation (every run gets fresh mechanisms).

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"
#include "alg-models/contract/yaml-file-reader.h"

#include <memory>

namespace alglab::alg {

bool RegisterModelFile(const char* file, const char* text) {
  AlgModelInfo info;
  info.vendor = DataFileFolder(file);
  info.file = file;
  try {
    // Only the descriptive keys now: compositions register at static initialisation too, in
    // no fixed order, so the whole file is read when the model is first created.
    const ModelSpec header = ParseModelHeader(text, file);
    if (header.id != info.vendor) {
      throw ModelFileError(std::string(file) + ": id '" + header.id + "' is not its folder's name '" +
                           info.vendor + "'");
    }
    info.summary = header.summary;
    info.remediation = header.remediation;
    info.engine = header.engine;
    info.example = header.example;
    auto parsed = std::make_shared<std::shared_ptr<const ModelSpec>>();
    info.create = [parsed, file = std::string(file), text = std::string(text)] {
      try {
        if (*parsed == nullptr) *parsed = std::make_shared<const ModelSpec>(ParseModelFile(text, file));
        return ns3::Ptr<AlgModel>(ComposedAlgModel::Build(*parsed));
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
