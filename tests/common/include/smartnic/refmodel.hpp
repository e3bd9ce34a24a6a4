// Reference model of the NIC's TX verdict: given the VM-IP table contents and a datagram with
// its sending VM, predicts EXTERNAL / HAIRPIN(vm) / DROP(reason) by the rules of the contract,
// checked in this order:
//   DESC_LEN    length < 20 or > 9000
//   IP_VERSION  version != 4
//   IP_IHL      IHL < 5 or IHL*4 > length
//   IP_LEN      IPv4 total length != descriptor length
//   IP_CHECKSUM header checksum over IHL*4 bytes wrong
//   SPOOFED_SRC source address not registered to the sending VM
//   lookup of the destination address: hit -> HAIRPIN(owner), miss -> EXTERNAL
// (DESC_ALIGN / DESC_WINDOW / AXI_ERROR depend on addresses, not content: not modelled.)
// Deliberately shares no code with the runtime, only the generated register header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "smartnic/regs.hpp"

namespace smartnic::refmodel {

struct Prediction {
  regs::Verdict verdict = regs::Verdict::EXTERNAL;
  unsigned dst_vm = 0;  // HAIRPIN only
  regs::DropReason reason = regs::DropReason::NONE;  // DROP only

  bool operator==(const Prediction&) const = default;
  std::string to_string() const;  // "EXTERNAL", "HAIRPIN(2)", "DROP(ip_len)"
};

Prediction external();
Prediction hairpin(unsigned vm);
Prediction drop(regs::DropReason reason);

class ReferenceModel {
 public:
  // IPv4 addresses as host-order u32 (192.0.2.1 = 0xC0000201), as in TBL_KEY.
  void set_owner(std::uint32_t ipv4, unsigned vm) { owners_[ipv4] = vm; }
  void remove(std::uint32_t ipv4) { owners_.erase(ipv4); }
  void clear() { owners_.clear(); }
  std::optional<unsigned> owner(std::uint32_t ipv4) const;

  // `src_vm` is the sending VM; the rules above do not depend on it today (a source-address
  // check would), so it is part of the interface already.
  Prediction predict(std::span<const std::byte> datagram, unsigned src_vm) const;

 private:
  std::unordered_map<std::uint32_t, unsigned> owners_;
};

// Parses "a.b.c.d" into a host-order u32; throws std::invalid_argument on anything else.
std::uint32_t parse_ipv4(const std::string& text);

}  // namespace smartnic::refmodel
