// The runtime's shadow copy of the NIC's VM-IP table and the placement policy for it.
//
// The hardware only looks up and writes single slots; where a key goes is decided here. Every
// change returns the list of single-slot writes to apply in order, so the caller (Switch) has
// exactly one function that talks to the registers. Today placement is "first free slot"; a
// cuckoo hash with host-computed placement replaces it behind the same interface, its moves
// returned back to front so a key is never missing for packets in flight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "smartnic/ipv4.hpp"

namespace smartnic {

using VmId = unsigned;

class VmIpTable {
 public:
  struct Slot {
    Ipv4Address key;
    VmId vm = 0;
    bool valid = false;
    bool operator==(const Slot&) const = default;
  };
  struct SlotWrite {
    std::size_t slot;
    Slot value;
  };

  explicit VmIpTable(std::size_t slots);

  // Throws ConfigError when the address is already present (naming the owner) or the table is
  // full (naming the capacity). The shadow is unchanged on error.
  std::vector<SlotWrite> insert(Ipv4Address address, VmId vm);
  // Throws ConfigError when the address is not present.
  std::vector<SlotWrite> erase(Ipv4Address address);

  std::optional<VmId> find(Ipv4Address address) const;
  const std::vector<Slot>& slots() const { return slots_; }
  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return slots_.size(); }

 private:
  std::vector<Slot> slots_;
  std::unordered_map<std::uint32_t, std::size_t> index_;  // key -> slot
};

}  // namespace smartnic
