#ifndef ALGLAB_SIP_MESSAGE_FRAMER_H
#define ALGLAB_SIP_MESSAGE_FRAMER_H

#include "sim/sip/sip-message.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace alglab::sip {

/// Where the first frame of a SIP byte stream ends, without parsing it (a router that must
/// see whole messages on TCP uses this to know when it has one).
struct StreamFrame {
  enum class Kind {
    Incomplete,  ///< more bytes are needed
    Keepalive,   ///< `length` bytes of RFC 5626 CRLF keepalives
    Message,     ///< one message of `length` bytes: head, blank line, Content-Length bytes
    Defective,   ///< the frame cannot be delimited (no numeric Content-Length, over the limits)
  };
  Kind kind = Kind::Incomplete;
  std::size_t length = 0;
};
/// The first frame of `stream`, delimited as MessageFramer delimits it.
StreamFrame FirstStreamFrame(std::string_view stream);

/// Cuts SIP messages out of a byte stream (TCP): header block up to the blank line, then exactly
/// Content-Length body bytes (mandatory on streams, RFC 3261 section 18.3). Leading CRLF
/// keepalives (RFC 5626) are skipped and counted: a CRLFCRLF ping counts once, a lone CRLF
/// (pong) once. A missing Content-Length is taken as 0.
class MessageFramer {
 public:
  /// Appends received bytes.
  void Feed(std::string_view bytes);
  /// The next complete message, a parse error for a defective one (the framer then skips the
  /// broken bytes it could delimit, or everything buffered if it cannot), or nullopt if more
  /// bytes are needed.
  std::optional<ParseResult<SipMessage>> Next();
  std::size_t Buffered() const { return m_buffer.size(); }
  std::size_t KeepalivesSeen() const { return m_keepalives; }
  /// Of those, CRLFCRLF pings and lone-CRLF pongs (RFC 5626 section 4.4.1).
  std::size_t PingsSeen() const { return m_pings; }
  std::size_t PongsSeen() const { return m_pongs; }
  /// Upper bound on a header block; beyond it Next() reports an error instead of waiting forever.
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
  /// Upper bound on a Content-Length; a larger one is reported and the buffer discarded.
  static constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

 private:
  /// Drops `count` leading bytes and restarts the blank-line search.
  void Consume(std::size_t count);

  std::string m_buffer;
  std::size_t m_keepalives = 0;
  std::size_t m_pings = 0;
  std::size_t m_pongs = 0;
  std::size_t m_scanFrom = 0;  ///< where the blank-line search resumes (bytes before are known)
};

}  // namespace alglab::sip

#endif
