#include "sim/scenario/value-parsing.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

namespace alglab::scenario {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Splits "12.5ms" into 12.5 and "ms"; nullopt if there is no leading finite number.
std::optional<std::pair<double, std::string>> NumberAndUnit(std::string_view text) {
  std::string s(text);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v)) return std::nullopt;
  // strtod accepts "inf", "nan" and hex floats; a scenario file never needs them.
  if (!std::isdigit(static_cast<unsigned char>(s[0])) && s[0] != '.') return std::nullopt;
  return std::make_pair(v, Lower(std::string_view(end)));
}

}  // namespace

std::optional<double> ParseDuration(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu || nu->first < 0) return std::nullopt;
  static const std::array<std::pair<const char*, double>, 5> kUnits{
      {{"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"us", 1e-6}}};
  for (const auto& [unit, scale] : kUnits) {
    if (nu->second == unit) return nu->first * scale;
  }
  return std::nullopt;
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string s = Lower(text);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  return std::nullopt;
}

std::optional<double> ParseRatio(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu) return std::nullopt;
  double v = nu->first;
  if (nu->second == "%") v /= 100.0;
  else if (!nu->second.empty()) return std::nullopt;
  if (v < 0.0 || v > 1.0) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view text) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<std::string> ParseDataRate(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu || nu->first <= 0) return std::nullopt;
  for (const char* unit : {"bps", "kbps", "mbps", "gbps"}) {
    if (nu->second == unit) {
      std::string u = unit;
      if (u != "bps") u[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(u[0])));
      std::ostringstream os;
      os << nu->first << (u == "Kbps" ? "kbps" : u);
      return os.str();
    }
  }
  return std::nullopt;
}

std::string FormatSeconds(double seconds) {
  std::ostringstream os;
  os << seconds << "s";
  return os.str();
}

}  // namespace alglab::scenario
