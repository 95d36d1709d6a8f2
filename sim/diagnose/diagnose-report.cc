#include "sim/diagnose/diagnose-report.h"

#include "sim/diagnose/capture-diagnosis.h"
#include "sim/diagnose/capture-reader.h"
#include "sim/diagnose/router-pairing.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace alglab::diagnose {

using nlohmann::json;

namespace {

json CaptureSummary(const CaptureInfo& info, const CaptureExtractor& extract) {
  const auto& c = info.counts;
  return json{{"file", info.path},
              {"link_type", ToString(info.link)},
              {"frames", c.frames},
              {"udp_tcp_segments", c.segments},
              {"ip_fragments_skipped", c.ipFragments},
              {"other_ip", c.otherIp},
              {"not_ipv4", c.notIpv4},
              {"truncated_frames", c.truncatedFrames},
              {"tcp_out_of_order_dropped", extract.Counts().tcpOutOfOrderDropped},
              {"tcp_bytes_unframed", extract.Counts().tcpBytesUnframed},
              {"rtp_not_analysed", extract.Counts().rtpDropped},
              {"first_time", extract.FirstTime()},
              {"last_time", extract.LastTime()}};
}

CaptureExtractor Extract(const std::string& path, CaptureInfo& info) {
  CaptureExtractor extract;
  info = ReadCapture(path, [&](CapturedSegment&& s) { extract.Add(std::move(s)); });
  extract.Finish();
  return extract;
}

json Defects(const CaptureExtractor& extract) {
  json out = json::array();
  for (const auto& d : extract.Defects()) out.push_back({{"frame", d.frame}, {"error", d.error}});
  return out;
}

}  // namespace

json DiagnoseFiles(const std::string& capture, const std::optional<std::string>& wan) {
  CaptureInfo lanInfo;
  const CaptureExtractor lan = Extract(capture, lanInfo);
  json out;
  out["capture"] = CaptureSummary(lanInfo, lan);
  out["capture"]["analysis"] = DiagnoseCapture(lan);
  out["capture"]["sip_defects"] = Defects(lan);
  if (wan) {
    CaptureInfo wanInfo;
    const CaptureExtractor wanExtract = Extract(*wan, wanInfo);
    out["wan"] = CaptureSummary(wanInfo, wanExtract);
    out["wan"]["analysis"] = DiagnoseCapture(wanExtract);
    out["wan"]["sip_defects"] = Defects(wanExtract);
    out["across_router"] = PairAcrossRouter(lan, wanExtract);
  }
  // The verdict in one place: every symptom and every ALG fingerprint, whichever capture showed it.
  std::set<std::string> symptoms, mechanisms;
  bool alg = false, plainNatLeak = false;
  for (const char* side : {"capture", "wan"}) {
    if (!out.contains(side)) continue;
    for (const auto& s : out[side]["analysis"]["symptoms"]) symptoms.insert(s["symptom"].get<std::string>());
    for (const auto& f : out[side]["analysis"]["fingerprints"]) {
      if (f["alg"].get<bool>()) alg = true, mechanisms.insert(f["mechanism"].get<std::string>());
      else plainNatLeak = true;
    }
  }
  if (out.contains("across_router") && out["across_router"]["rewritten_messages"].get<std::size_t>() > 0)
    alg = true, mechanisms.insert("rewrites across the router");
  out["summary"] = json{{"symptoms", symptoms},
                        {"alg_fingerprints", alg},
                        {"alg_mechanisms", mechanisms},
                        {"private_address_leak", plainNatLeak}};
  return out;
}

std::string FormatDiagnosis(const json& d) {
  std::string out;
  auto side = [&](const char* key, const char* title) {
    if (!d.contains(key)) return;
    const auto& c = d[key];
    const auto& a = c["analysis"];
    out += fmt::format("{} {} ({}, {} frames, {} side): {} SIP messages, {} RTP packets, {} calls ({} established)\n", title,
                       c["file"].get<std::string>(), c["link_type"].get<std::string>(), c["frames"].get<std::uint64_t>(),
                       a["side"].get<std::string>(), a["sip_messages"].get<std::uint64_t>(),
                       a["rtp_packets"].get<std::uint64_t>(), a["calls"].get<std::uint64_t>(),
                       a["calls_established"].get<std::uint64_t>());
    if (c["ip_fragments_skipped"].get<std::uint64_t>() > 0)
      out += fmt::format("  {} IP fragments counted and skipped (not reassembled)\n",
                         c["ip_fragments_skipped"].get<std::uint64_t>());
    if (a["sip_defects"].get<std::uint64_t>() > 0)
      out += fmt::format("  {} SIP-looking payloads did not parse\n", a["sip_defects"].get<std::uint64_t>());
    out += "  Symptoms:\n";
    if (a["symptoms"].empty()) out += "    none visible\n";
    for (const auto& s : a["symptoms"]) {
      std::string frames;
      for (const auto& f : s["frames"]) frames += (frames.empty() ? "" : ",") + std::to_string(f.get<std::uint64_t>());
      out += fmt::format("    {:<28} {} [Call-ID {}; frames {}]\n      likely: {}\n", s["symptom"].get<std::string>(),
                         s["what"].get<std::string>(), s["call_id"].get<std::string>(), frames,
                         s["mechanism"].get<std::string>());
    }
    out += "  Fingerprints:\n";
    if (a["fingerprints"].empty()) out += "    none\n";
    // Three of each kind in text; the JSON lists up to 20 and counts them all.
    std::map<std::string, std::size_t> shown;
    for (const auto& f : a["fingerprints"])
      if (++shown[f["kind"].get<std::string>()] <= 3)
      out += fmt::format("    {:<24} {} frame {} {} {}: {} = {}\n      {} ({})\n", f["kind"].get<std::string>(),
                         f["alg"].get<bool>() ? "ALG" : "NAT", f["frame"].get<std::uint64_t>(),
                         f["message"].get<std::string>(), f["packet"].get<std::string>(), f["field"].get<std::string>(),
                         f["value"].get<std::string>(), f["why"].get<std::string>(), f["mechanism"].get<std::string>());
    for (const auto& [kind, count] : a["fingerprint_counts"].items())
      if (count.get<std::size_t>() > 3)
        out += fmt::format("    ... {} {} in all\n", count.get<std::size_t>(), kind);
    for (const auto& n : a["not_visible"])
      out += fmt::format("  Not visible here: {}: {}\n", n["symptom"].get<std::string>(), n["why"].get<std::string>());
  };
  side("capture", "Capture");
  side("wan", "WAN capture");
  if (d.contains("across_router")) {
    const auto& p = d["across_router"];
    out += fmt::format("Across the router (public address {}): {} messages paired, {} rewritten\n",
                       p["router_wan_address"].is_null() ? "unknown" : p["router_wan_address"].get<std::string>(),
                       p["paired"].get<std::uint64_t>(), p["rewritten_messages"].get<std::uint64_t>());
    // Per kind of rewrite a count, then the first rewrites one by one (all of them in the JSON).
    std::map<std::string, std::size_t> kinds;
    for (const auto& r : p["rewrites"])
      ++kinds[r["direction"].get<std::string>() + " " + r["message"].get<std::string>() + ": " + r["field"].get<std::string>()];
    for (const auto& [kind, n] : kinds) out += fmt::format("  {:<48} x{}\n", kind, n);
    constexpr std::size_t kRewritesShown = 30;
    std::size_t shownRewrites = 0;
    for (const auto& r : p["rewrites"])
      if (++shownRewrites <= kRewritesShown)
      out += fmt::format("  {} {} (LAN frame {}, WAN frame {}) {}: {} -> {}\n", r["direction"].get<std::string>(),
                         r["message"].get<std::string>(), r["frame_lan"].get<std::uint64_t>(),
                         r["frame_wan"].get<std::uint64_t>(), r["field"].get<std::string>(), r["before"].get<std::string>(),
                         r["after"].get<std::string>());
    if (shownRewrites > kRewritesShown)
      out += fmt::format("  ... {} rewrites in all (--json lists every one)\n", shownRewrites);
    for (const auto& r : p["dropped"])
      out += fmt::format("  dropped {} {} ({} frame {}, {}): {}\n", r["direction"].get<std::string>(),
                         r["message"].get<std::string>(), r["side"].get<std::string>(), r["frame"].get<std::uint64_t>(),
                         r["damage"].get<std::string>(), r["why"].get<std::string>());
    for (const auto& r : p["added"])
      out += fmt::format("  added {} {} ({} frame {}): {}\n", r["direction"].get<std::string>(),
                         r["message"].get<std::string>(), r["side"].get<std::string>(), r["frame"].get<std::uint64_t>(),
                         r["why"].get<std::string>());
    for (const auto& m : p["media_dropped"])
      out += fmt::format("  RTP {} arrived {} delivered {} ({}): {}\n", m["flow"].get<std::string>(),
                         m["arrived"].get<std::uint64_t>(), m["delivered"].get<std::uint64_t>(),
                         m["damage"].get<std::string>(), m["why"].get<std::string>());
  }
  const auto& s = d["summary"];
  std::string symptoms, mechanisms;
  for (const auto& x : s["symptoms"]) symptoms += (symptoms.empty() ? "" : ", ") + x.get<std::string>();
  for (const auto& x : s["alg_mechanisms"]) mechanisms += (mechanisms.empty() ? "" : ", ") + x.get<std::string>();
  out += fmt::format("Summary: symptoms: {}; ALG fingerprints: {}{}\n", symptoms.empty() ? "none" : symptoms,
                     s["alg_fingerprints"].get<bool>() ? "yes" : "no",
                     mechanisms.empty() ? "" : " (" + mechanisms + ")");
  return out;
}

}  // namespace alglab::diagnose
