#include "probes/detect/echo-protocol.h"

#include "sim/flow/base64.h"

#include <cstdio>
#include <cstdlib>

namespace alglab::detect {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// "a=b; c=d" -> pairs (spaces around ';' and '=' ignored).
std::vector<std::pair<std::string, std::string>> SplitPairs(std::string_view text, char separator) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    const auto end = text.find(separator);
    const auto item = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      pairs.emplace_back(std::string(item), "");
    else
      pairs.emplace_back(std::string(Trim(item.substr(0, eq))), std::string(Trim(item.substr(eq + 1))));
  }
  return pairs;
}

}  // namespace

std::string DetectCommand::ToHeaderValue() const {
  std::string act;
  const auto add = [&act](bool on, const char* name) {
    if (!on) return;
    if (!act.empty()) act += '+';
    act += name;
  };
  add(inbound, "inbound");
  add(rtpPrimary, "rtp-primary");
  add(rtpAlt, "rtp-alt");
  add(filter, "filter");
  std::string value = "probe=" + probe;
  if (!act.empty()) value += "; act=" + act;
  if (callbackAfter) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", *callbackAfter);
    value += std::string("; after=") + buffer;
  }
  return value;
}

std::optional<DetectCommand> DetectCommand::Parse(std::string_view value) {
  DetectCommand command;
  for (const auto& [key, val] : SplitPairs(value, ';')) {
    if (key == "probe") {
      command.probe = val;
    } else if (key == "act") {
      for (const auto& [action, unused] : SplitPairs(val, '+')) {
        if (action == "inbound") command.inbound = true;
        if (action == "rtp-primary") command.rtpPrimary = true;
        if (action == "rtp-alt") command.rtpAlt = true;
        if (action == "filter") command.filter = true;
      }
    } else if (key == "after") {
      char* end = nullptr;
      const double seconds = std::strtod(val.c_str(), &end);
      // Bounded: a server never holds a callback longer than an hour.
      if (end != val.c_str() && *end == '\0' && seconds >= 0 && seconds <= 3600) command.callbackAfter = seconds;
    }
  }
  if (command.probe.empty()) return std::nullopt;
  return command;
}

std::string EchoReport::ToBody() const {
  return "probe=" + probe + "\r\ntransport=" + transport + "\r\nsource=" + flow::EncodeBase64(ToString(source)) +
         "\r\nlocal=" + flow::EncodeBase64(ToString(local)) + "\r\narrived=" + flow::EncodeBase64(arrived) + "\r\n" +
         (serverAlt.empty() ? "" : "alt=" + flow::EncodeBase64(serverAlt) + "\r\n");
}

std::optional<EchoReport> EchoReport::Parse(std::string_view body) {
  EchoReport report;
  bool haveSource = false, haveLocal = false, haveArrived = false;
  while (!body.empty()) {
    const auto end = body.find('\n');
    const auto line = Trim(body.substr(0, end));
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const auto key = line.substr(0, eq);
    const auto value = line.substr(eq + 1);
    if (key == "probe") report.probe = std::string(value);
    if (key == "transport") report.transport = std::string(value);
    if (key == "source" || key == "local") {
      const auto text = flow::DecodeBase64(value);
      if (!text) return std::nullopt;
      const auto endpoint = ParseEndpoint(*text);
      if (!endpoint) return std::nullopt;
      (key == "source" ? report.source : report.local) = *endpoint;
      (key == "source" ? haveSource : haveLocal) = true;
    }
    if (key == "alt") {
      const auto text = flow::DecodeBase64(value);
      if (!text) return std::nullopt;
      report.serverAlt = *text;
    }
    if (key == "arrived") {
      // Base64 always ends in '=' or an alphabet character; the '=' of padding is part of it.
      auto bytes = flow::DecodeBase64(value);
      if (!bytes) return std::nullopt;
      report.arrived = std::move(*bytes);
      haveArrived = true;
    }
  }
  if (report.probe.empty() || !haveSource || !haveLocal || !haveArrived) return std::nullopt;
  return report;
}

std::string InboundTag::ToHeaderValue() const { return "probe=" + probe + "; from=" + from; }

std::optional<InboundTag> InboundTag::Parse(std::string_view value) {
  InboundTag tag;
  for (const auto& [key, val] : SplitPairs(value, ';')) {
    if (key == "probe") tag.probe = val;
    if (key == "from") tag.from = val;
  }
  if (tag.probe.empty() || tag.from.empty()) return std::nullopt;
  return tag;
}

std::string MakeRtpPayload(const InboundTag& tag, std::uint16_t sequence) {
  // RTP version 2, payload type 0 (PCMU), the sequence number, timestamp and SSRC fixed.
  std::string packet{'\x80', '\x00', static_cast<char>(sequence >> 8), static_cast<char>(sequence & 0xff),
                     '\0', '\0', '\0', '\0', 'a', 'l', 'g', 'l'};
  packet += "alglab " + tag.probe + " " + tag.from;
  return packet;
}

std::optional<InboundTag> ParseRtpPayload(std::string_view datagram) {
  if (datagram.size() < 12 || static_cast<unsigned char>(datagram[0]) != 0x80) return std::nullopt;
  auto text = datagram.substr(12);
  if (text.substr(0, 7) != "alglab ") return std::nullopt;
  text.remove_prefix(7);
  const auto space = text.find(' ');
  if (space == std::string_view::npos || space == 0 || space + 1 == text.size()) return std::nullopt;
  return InboundTag{std::string(text.substr(0, space)), std::string(text.substr(space + 1))};
}

std::optional<Endpoint> ParseEndpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto address = text.substr(0, colon);
  const auto port = text.substr(colon + 1);
  // Four decimal octets 0..255.
  int octets = 0;
  std::size_t i = 0;
  while (i < address.size()) {
    std::size_t j = i;
    unsigned value = 0;
    while (j < address.size() && address[j] >= '0' && address[j] <= '9' && j - i < 3)
      value = value * 10 + static_cast<unsigned>(address[j++] - '0');
    if (j == i || value > 255) return std::nullopt;
    ++octets;
    if (j == address.size()) break;
    if (address[j] != '.') return std::nullopt;
    i = j + 1;
    if (i == address.size()) return std::nullopt;
  }
  if (octets != 4 || port.empty() || port.size() > 5) return std::nullopt;
  unsigned portValue = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    portValue = portValue * 10 + static_cast<unsigned>(c - '0');
  }
  if (portValue > 65535) return std::nullopt;
  return Endpoint{std::string(address), static_cast<std::uint16_t>(portValue)};
}

std::string ToString(const Endpoint& endpoint) { return endpoint.address + ":" + std::to_string(endpoint.port); }

}  // namespace alglab::detect
