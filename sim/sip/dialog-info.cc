#include "sim/sip/dialog-info.h"

#include "sim/sip/detail/mini-xml.h"
#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::Excerpt;
using detail::XmlElement;

const char* ToString(DialogState s) {
  switch (s) {
    case DialogState::Trying: return "trying";
    case DialogState::Proceeding: return "proceeding";
    case DialogState::Early: return "early";
    case DialogState::Confirmed: return "confirmed";
    case DialogState::Terminated: return "terminated";
  }
  return "terminated";
}

std::optional<DialogState> DialogStateFromString(std::string_view s) {
  for (DialogState d : {DialogState::Trying, DialogState::Proceeding, DialogState::Early,
                        DialogState::Confirmed, DialogState::Terminated}) {
    if (detail::IEquals(s, ToString(d))) {
      return d;
    }
  }
  return std::nullopt;
}

namespace {

ParseError XmlError(const XmlElement& at, std::string detail) {
  return detail::MakeError(ParseErrorKind::BadXml, at.line, at.column, std::move(detail));
}

std::string_view TrimXmlSpace(std::string_view s) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && isSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && isSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::string> OptionalAttribute(const XmlElement& el, std::string_view name) {
  if (const std::string* v = el.Attribute(name)) {
    return *v;
  }
  return std::nullopt;
}

ParseResult<DialogInfoEntry> ParseDialog(const XmlElement& el) {
  DialogInfoEntry entry;
  const std::string* id = el.Attribute("id");
  if (id == nullptr || id->empty()) {
    return XmlError(el, "<dialog> without an id attribute");
  }
  entry.id = *id;
  entry.callId = OptionalAttribute(el, "call-id");
  entry.localTag = OptionalAttribute(el, "local-tag");
  entry.remoteTag = OptionalAttribute(el, "remote-tag");
  entry.direction = OptionalAttribute(el, "direction");
  if (entry.direction && *entry.direction != "initiator" && *entry.direction != "recipient") {
    return XmlError(el, fmt::format("dialog direction '{}' is neither initiator nor recipient",
                                    Excerpt(*entry.direction)));
  }
  bool sawState = false;
  for (const auto& child : el.children) {
    if (child.localName != "state") {
      continue;  // duration, local, remote, ...: not needed for a lamp
    }
    const std::string_view text = TrimXmlSpace(child.text);
    const auto state = DialogStateFromString(text);
    if (!state) {
      return XmlError(child, fmt::format("unknown dialog state '{}'", Excerpt(text)));
    }
    entry.state = *state;
    sawState = true;
  }
  if (!sawState) {
    return XmlError(el, fmt::format("dialog '{}' has no <state>", Excerpt(entry.id)));
  }
  return entry;
}

}  // namespace

ParseResult<DialogInfo> DialogInfo::Parse(std::string_view xml) {
  auto rootResult = detail::ParseXml(xml);
  if (!rootResult) {
    return rootResult.Error();
  }
  const XmlElement& root = rootResult.Value();
  if (root.localName != "dialog-info") {
    return XmlError(root, fmt::format("root element is <{}>, not <dialog-info>",
                                      Excerpt(root.name)));
  }
  DialogInfo info;
  const std::string* version = root.Attribute("version");
  if (version == nullptr) {
    return XmlError(root, "<dialog-info> without a version attribute");
  }
  const auto v = detail::ParseUnsigned(*version, 0xFFFFFFFFull);
  if (!v) {
    return XmlError(root, fmt::format("version '{}' is not a number", Excerpt(*version)));
  }
  info.version = static_cast<std::uint32_t>(*v);
  const std::string* state = root.Attribute("state");
  if (state == nullptr || (*state != "full" && *state != "partial")) {
    return XmlError(root, "<dialog-info> state must be \"full\" or \"partial\"");
  }
  info.full = *state == "full";
  if (const std::string* entity = root.Attribute("entity")) {
    info.entity = *entity;
  }
  for (const auto& child : root.children) {
    if (child.localName != "dialog") {
      continue;
    }
    auto entry = ParseDialog(child);
    if (!entry) {
      return entry.Error();
    }
    info.dialogs.push_back(std::move(entry).Value());
  }
  return info;
}

std::string DialogInfo::ToString() const {
  using detail::XmlEscape;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n";
  out += fmt::format(
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"{}\" state=\"{}\" "
      "entity=\"{}\">\r\n",
      version, full ? "full" : "partial", XmlEscape(entity));
  for (const auto& d : dialogs) {
    out += fmt::format("  <dialog id=\"{}\"", XmlEscape(d.id));
    const std::pair<const char*, const std::optional<std::string>*> attrs[] = {
        {"call-id", &d.callId},
        {"local-tag", &d.localTag},
        {"remote-tag", &d.remoteTag},
        {"direction", &d.direction}};
    for (const auto& [name, value] : attrs) {
      if (*value) {
        out += fmt::format(" {}=\"{}\"", name, XmlEscape(**value));
      }
    }
    out += fmt::format(">\r\n    <state>{}</state>\r\n  </dialog>\r\n", sip::ToString(d.state));
  }
  out += "</dialog-info>\r\n";
  return out;
}

DialogState DialogInfo::AggregateState() const {
  // Busy beats ringing beats setting up beats idle.
  auto rank = [](DialogState s) {
    switch (s) {
      case DialogState::Confirmed: return 4;
      case DialogState::Early: return 3;
      case DialogState::Proceeding: return 2;
      case DialogState::Trying: return 1;
      case DialogState::Terminated: return 0;
    }
    return 0;
  };
  DialogState best = DialogState::Terminated;
  for (const auto& d : dialogs) {
    if (rank(d.state) > rank(best)) {
      best = d.state;
    }
  }
  return best;
}

}  // namespace alglab::sip
