#ifndef ALGLAB_ENDPOINTS_ENDPOINT_TRACES_H
#define ALGLAB_ENDPOINTS_ENDPOINT_TRACES_H

// Trace-source signatures shared by every SIP endpoint (phone, PBX, provider). Probes connect
// to these by name (Config::ConnectWithoutContext / TraceConnectWithoutContext) and never look
// inside the endpoints. Every callback carries the endpoint's "Name" attribute first, so a sink
// needs no context string. Times are Simulator::Now() at the sink.

#include <cstdint>
#include <string>

namespace alglab::traces {

/// "RegistrationOutcome": a REGISTER transaction finished (final response or timeout).
/// (device, registrar ("pbx"|"provider"|name), success, status code (408 for a timeout)).
using RegistrationOutcome = void (*)(const std::string& device, const std::string& registrar,
                                     bool success, std::uint16_t status);

/// "CallAttempt": an endpoint sent an initial INVITE. (device, callId, target URI string).
using CallAttempt = void (*)(const std::string& device, const std::string& callId,
                             const std::string& target);

/// "IncomingCall": an endpoint received an initial INVITE and alerted the user (sent 180).
/// On a phone this is "the handset rang". (device, callId, caller URI string).
using IncomingCall = void (*)(const std::string& device, const std::string& callId,
                              const std::string& from);

/// "CallEstablished" / "CallEnded": a dialog was confirmed / terminated at this endpoint.
/// (device, callId, detail: peer for established, reason for ended, e.g. "bye", "cancel", "408").
using CallEvent = void (*)(const std::string& device, const std::string& callId,
                           const std::string& detail);

/// "RtpSent" / "RtpReceived": one RTP packet of a call's media stream left / arrived.
/// (device, callId, sequence number, RTP timestamp).
using RtpPacket = void (*)(const std::string& device, const std::string& callId,
                           std::uint16_t sequence, std::uint32_t timestamp);

/// PBX "CallForked": an inbound (trunk) call was offered to a ring-group member.
/// (pbx, inbound callId, extension, leg callId; empty leg when the member had no usable contact).
using CallForked = void (*)(const std::string& pbx, const std::string& inboundCallId,
                            const std::string& extension, const std::string& legCallId);

/// PBX "CallBridged": a call's caller leg was connected to the callee leg that answered; from
/// now on the PBX relays media between them. (pbx, caller leg callId, callee leg callId).
using CallBridged = void (*)(const std::string& pbx, const std::string& callerCallId,
                             const std::string& calleeCallId);

/// Provider "InboundCallPlaced" / PBX "InboundCall": a call toward a DID was sent / arrived.
/// (device, callId, did).
using InboundCall = void (*)(const std::string& device, const std::string& callId,
                             const std::string& did);

/// PBX "DialogState": the PBX's own view of an extension's BLF state changed (the truth).
/// Phone "BlfNotify": a watching handset received a NOTIFY and its lamp now shows `state`.
/// (device, monitored extension, state name as in RFC 4235: "terminated", "early", "confirmed").
using BlfState = void (*)(const std::string& device, const std::string& extension,
                          const std::string& state);

}  // namespace alglab::traces

#endif
