#include "sim/detect/model-family.h"

#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"
#include "alg-models/contract/sample-flows.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

namespace alglab::detect {

namespace {

/// A phone's OPTIONS keepalive: what answering ALGs take.
const char* const kOptionsFlow =
    ">>> out\n"
    "OPTIONS sip:203.0.113.2 SIP/2.0\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKopt1\n"
    "From: <sip:100@203.0.113.2>;tag=o1\n"
    "To: <sip:203.0.113.2>\n"
    "Call-ID: o1@10.0.0.2\n"
    "CSeq: 1 OPTIONS\n"
    "Content-Length: {CL}\n";

/// A phone's REGISTER through the flow topology: what every ALG sees first.
const char* const kRegisterFlow =
    ">>> out\n"
    "REGISTER sip:203.0.113.2 SIP/2.0\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKreg1\n"
    "From: <sip:100@203.0.113.2>;tag=r1\n"
    "To: <sip:100@203.0.113.2>\n"
    "Call-ID: r1@10.0.0.2\n"
    "CSeq: 1 REGISTER\n"
    "Contact: <sip:100@10.0.0.2:5060>\n"
    "Expires: 3600\n"
    "Content-Length: {CL}\n";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// The Via header values of a message, in order (long and compact form).
std::vector<std::string> Vias(const std::string& message) {
  std::vector<std::string> vias;
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of the headers
    const std::string lower = Lower(line);
    if (lower.rfind("via:", 0) == 0 || lower.rfind("v:", 0) == 0) vias.push_back(line.substr(line.find(':') + 1));
  }
  return vias;
}

/// The branch parameters of a message's Vias.
std::set<std::string> Branches(const std::string& message) {
  std::set<std::string> branches;
  for (const std::string& via : Vias(message)) {
    const std::string lower = Lower(via);
    const auto at = lower.find("branch=");
    if (at == std::string::npos) continue;
    const auto end = lower.find_first_of(";, \t", at);
    branches.insert(lower.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7));
  }
  return branches;
}

/// "none" < "rewrite" < "proxy": what one replayed flow shows of the model.
std::string KindOfReplay(const std::string& flowText, const std::string& vendor,
                         const std::map<std::string, std::string>& knobs) {
  const flow::FlowFile flow = flow::ParseFlowText(flowText, "detect-truth");
  std::string kind = "none";
  for (const mangle::BlockOutcome& b : mangle::ReplayFlow(flow, vendor, knobs)) {
    if (b.emitted) {
      // A request the router sends on toward the peer is re-originated: a proxy's work. An
      // answer it makes itself terminates the request in place.
      if (b.dir == flow::FlowBlock::Out && b.delivered && b.delivered->rfind("SIP/2.0 ", 0) != 0) return "proxy";
      kind = "rewrite";
      continue;
    }
    if (b.stolen) kind = "rewrite";
    if (!b.delivered) {
      if (b.dropReason.rfind("alg", 0) == 0) kind = "rewrite";
      continue;
    }
    const std::string& sent = b.sent;
    const std::string& got = *b.delivered;
    if (Vias(got).size() > Vias(sent).size() || Branches(got) != Branches(sent)) return "proxy";
    if (got != sent) kind = "rewrite";
  }
  return kind;
}

std::string ShortType(const std::string& type) {
  const auto at = type.rfind("::");
  return at == std::string::npos ? type : type.substr(at + 2);
}

/// Shared compositions and the mechanism types they place at hook points, from every model
/// file that composes one.
std::map<std::string, std::set<std::string>> CompositionTypes() {
  std::map<std::string, std::set<std::string>> compositions;
  for (const alg::AlgModelInfo& info : alg::AlgModelRegistry::Instance().All()) {
    if (info.file.empty()) continue;
    ns3::Ptr<alg::AlgModel> model;
    try {
      model = alg::CreateAlgModel(info.vendor, {});
    } catch (const std::exception&) {
      continue;  // a model file that does not build has no say in families
    }
    auto composed = ns3::DynamicCast<alg::ComposedAlgModel>(model);
    if (!composed) continue;
    const alg::ModelSpec& spec = composed->Spec();
    for (const alg::MechanismSpec& m : spec.mechanisms) {
      if (m.file == spec.file || m.file.empty() || m.at.empty()) continue;
      compositions[std::filesystem::path(m.file).stem().string()].insert(ShortType(m.type));
    }
  }
  return compositions;
}

}  // namespace

std::string FamilyOf(const std::string& vendor, const std::map<std::string, std::string>& knobs) {
  ns3::Ptr<alg::AlgModel> model = alg::CreateAlgModel(vendor, knobs);
  if (!model) return "none";
  std::set<std::string> active;
  for (alg::HookPoint point : alg::kAllHookPoints)
    for (const auto& m : model->Chain(point))
      if (m->Active()) active.insert(ShortType(m->GetInstanceTypeId().GetName()));
  static const std::map<std::string, std::set<std::string>> compositions = CompositionTypes();
  for (const auto& [name, types] : compositions)
    if (std::includes(active.begin(), active.end(), types.begin(), types.end())) return name;
  return vendor;
}

ModelTruth TruthOf(const std::string& vendor, const std::map<std::string, std::string>& knobs) {
  ModelTruth truth;
  // Over UDP and TCP: a model may watch either (or both) on port 5060.
  for (const char* transport : {"", " tcp"}) {
    for (std::string flowText :
         {std::string(kRegisterFlow), alg::samples::InviteWithSdpFlow(), std::string(kOptionsFlow)}) {
      flowText.replace(0, flowText.find('\n'), std::string(">>> out") + transport);
      const std::string kind = KindOfReplay(flowText, vendor, knobs);
      if (kind == "proxy" || (kind == "rewrite" && truth.kind == "none")) truth.kind = kind;
    }
  }
  truth.present = truth.kind != "none";
  truth.family = truth.present ? FamilyOf(vendor, knobs) : "none";
  return truth;
}

}  // namespace alglab::detect
