#include "smartnic/vm_ip_table.hpp"

#include <algorithm>
#include <string>

#include "smartnic/errors.hpp"

namespace smartnic {

VmIpTable::VmIpTable(std::size_t slots) : slots_(slots) {}

std::vector<VmIpTable::SlotWrite> VmIpTable::insert(Ipv4Address address, VmId vm) {
  if (const auto owner = find(address)) {
    throw ConfigError("address " + address.to_string() + " already belongs to VM " +
                      std::to_string(*owner) + "; remove it there first");
  }
  const auto free = std::find_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.valid; });
  if (free == slots_.end()) {
    throw ConfigError("VM-IP table is full (" + std::to_string(capacity()) +
                      " entries): cannot add " + address.to_string() + "; remove an address first");
  }
  const auto slot = static_cast<std::size_t>(free - slots_.begin());
  *free = Slot{address, vm, true};
  index_.emplace(address.value(), slot);
  return {SlotWrite{slot, *free}};
}

std::vector<VmIpTable::SlotWrite> VmIpTable::erase(Ipv4Address address) {
  const auto it = index_.find(address.value());
  if (it == index_.end()) {
    throw ConfigError("address " + address.to_string() + " is not in the VM-IP table");
  }
  const std::size_t slot = it->second;
  index_.erase(it);
  slots_[slot] = Slot{};
  return {SlotWrite{slot, slots_[slot]}};
}

std::optional<VmId> VmIpTable::find(Ipv4Address address) const {
  const auto it = index_.find(address.value());
  if (it == index_.end()) return std::nullopt;
  return slots_[it->second].vm;
}

}  // namespace smartnic
