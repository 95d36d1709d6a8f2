#ifndef ALGLAB_SCENARIO_SCENARIO_ERROR_H
#define ALGLAB_SCENARIO_SCENARIO_ERROR_H

#include <stdexcept>
#include <string>

namespace alglab::scenario {

/// Bad input from the user: a scenario file, a --set override, a vendor name. The message is
/// one complete line that names where the problem is ("file:line: ..." or "--set k=v: ...");
/// the CLI prints it and exits with status 2. Control characters that reach a message from the
/// input (a raw line break in a bad YAML escape, say) are written as escapes, so the message
/// stays one line whoever prints it.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(const std::string& message) : std::runtime_error(OneLine(message)) {}

 private:
  static std::string OneLine(const std::string& text) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      } else {
        out += ch;
      }
    }
    return out;
  }
};

}  // namespace alglab::scenario

#endif
