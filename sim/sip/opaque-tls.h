#ifndef ALGLAB_SIP_OPAQUE_TLS_H
#define ALGLAB_SIP_OPAQUE_TLS_H

// SIP over TLS as a router sees it (RFC 3261 section 26.2, port 5061): TLS records of content
// type 23 (application data), version 0x0303, a 16-bit length, and bytes nobody on the path
// can read. What matters for an ALG is that it cannot parse them, not real secrecy, so the
// payload is the SIP stream XOR-masked with a fixed keystream that depends only on the byte's
// offset in its direction of the connection: deterministic, and both ends decode it. There is
// no handshake; the first record on a connection is application data.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace alglab::sip {

/// The TLS record header: content type, version, length (RFC 5246 section 6.2.1).
inline constexpr std::uint8_t kTlsApplicationData = 23;
inline constexpr std::uint16_t kTlsVersion12 = 0x0303;
inline constexpr std::size_t kTlsHeaderBytes = 5;
/// The largest plaintext a record may carry (2^14).
inline constexpr std::size_t kTlsMaxRecordPayload = 16384;

/// The mask byte at `offset` of a direction's stream.
std::uint8_t OpaqueTlsKeystream(std::uint64_t offset);

/// One direction of a connection, sending: wraps stream bytes into records.
class OpaqueTlsWriter {
 public:
  /// `plain` as one or more records (one per kTlsMaxRecordPayload bytes); empty input, no record.
  std::string Seal(std::string_view plain);
  std::uint64_t Offset() const { return m_offset; }

 private:
  std::uint64_t m_offset = 0;
};

/// One direction of a connection, receiving: takes the byte stream as segments bring it and
/// gives back the SIP stream, record by record.
class OpaqueTlsReader {
 public:
  /// Appends received bytes and returns the SIP bytes of every record now complete. After a
  /// record that is not application data of version 0x0303 (or longer than 2^14 bytes) the
  /// stream cannot be delimited any more: Failed() turns true and nothing more is returned.
  std::string Feed(std::string_view wire);
  bool Failed() const { return m_failed; }
  /// Bytes waiting for the rest of their record.
  std::size_t Buffered() const { return m_buffer.size(); }

 private:
  std::string m_buffer;
  std::uint64_t m_offset = 0;
  bool m_failed = false;
};

}  // namespace alglab::sip

#endif
