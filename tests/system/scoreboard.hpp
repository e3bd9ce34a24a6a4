// Scoreboard for system tests: remembers every datagram the test hands to the runtime with
// the reference model's prediction, then checks what came out of the NIC and the runtime:
// each datagram seen exactly once, at the predicted place, byte for byte, and the drop
// counts per VM and reason equal to the predicted ones.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "smartnic/refmodel.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::test {

class Scoreboard {
 public:
  explicit Scoreboard(const refmodel::ReferenceModel& model) : model_(model) {}

  // A datagram handed over by `src`. Carries a unique tag in its UDP payload (see tag_of).
  void sent(std::uint64_t tag, unsigned src, std::vector<std::byte> datagram);
  // A frame taken from the network port (Ethernet header included).
  void on_port(const std::vector<std::uint8_t>& frame, const MacAddress& mac_dst,
               const MacAddress& mac_src);
  // A datagram a VM received from its hairpin input ring.
  void received(unsigned vm, const ReceivedDatagram& d);
  // Compares everything the runtime reports with the predictions; returns the list of
  // mismatches (empty = all accounted for exactly once).
  std::vector<std::string> finish(const Switch& sw) const;

  std::size_t count() const { return sent_.size(); }
  std::size_t predicted(regs::Verdict v) const;

  // Tag layout: the first 8 bytes of the UDP payload, little-endian.
  static std::uint64_t tag_of(const std::byte* datagram, std::size_t len);

 private:
  struct Entry {
    unsigned src;
    std::vector<std::byte> bytes;
    refmodel::Prediction prediction;
    unsigned seen = 0;
  };
  const refmodel::ReferenceModel& model_;
  std::map<std::uint64_t, Entry> sent_;
  std::vector<std::string> errors_;
};

}  // namespace smartnic::test
