#include "smartnic/vm_ip_table.hpp"

#include <cstdio>
#include <string>

#include "smartnic/device.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/vm_ip_hash_tables.hpp"

namespace smartnic {

namespace {

namespace reg = regs::reg;

constexpr std::uint32_t kStatusTableInit = 1u << 1;  // STATUS bit 1 TABLE_INIT

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

std::string text(const CuckooGeometry& g) {
  return std::to_string(g.ways) + " ways x " + std::to_string(g.buckets) + " buckets x " +
         std::to_string(g.slots) + " slots + stash " + std::to_string(g.stash) + " (" +
         std::to_string(g.total_slots()) + " slots)";
}

bool power_of_two(std::size_t v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

CuckooGeometry VmIpTable::standard_geometry(std::size_t slots) {
  constexpr unsigned kWays = 4, kStash = 8;
  if (slots <= kStash || (slots - kStash) % kWays != 0 || !power_of_two((slots - kStash) / kWays) ||
      (slots - kStash) / kWays > 65536) {
    throw ConfigError("VM-IP table of " + std::to_string(slots) +
                      " slots has no standard hash geometry (4 ways x 2^k buckets + stash 8, e.g. 65544); "
                      "build the table from the device's TABLE_GEOMETRY instead");
  }
  return CuckooGeometry{kWays, (slots - kStash) / kWays, 1, kStash};
}

std::vector<VmIpTable::SlotWrite> VmIpTable::erase(Ipv4Address key) {
  std::vector<SlotWrite> writes = CuckooPlacement::erase(key);
  if (stash_used() == 0) return writes;  // the common case: nothing to rehome, no search
  const std::vector<SlotWrite> moves = rehome_stash();
  writes.insert(writes.end(), moves.begin(), moves.end());
  return writes;
}

CuckooGeometry decode_table_geometry(std::uint32_t r) {
  const unsigned log2_buckets = (r >> 8) & 0xFF;
  CuckooGeometry g;
  g.ways = r & 0xFF;
  g.buckets = log2_buckets < 32 ? std::size_t{1} << log2_buckets : 0;
  g.slots = (r >> 16) & 0xFF;
  g.stash = (r >> 24) & 0xFF;
  return g;
}

std::uint32_t encode_table_geometry(const CuckooGeometry& g) {
  return (std::uint32_t(g.stash & 0xFF) << 24) | (std::uint32_t(g.slots & 0xFF) << 16) |
         (std::uint32_t(g.index_bits() & 0xFF) << 8) | std::uint32_t(g.ways & 0xFF);
}

CuckooGeometry check_table_geometry(Device& device) {
  const std::uint32_t r = device.read32(reg::TABLE_GEOMETRY);
  const std::uint32_t entries = device.read32(reg::TABLE_ENTRIES);
  const std::uint32_t seed = device.read32(reg::TABLE_HASH_SEED);
  const CuckooGeometry g = decode_table_geometry(r);
  const std::string where = "device " + device.describe() + ": VM-IP table geometry " + hex32(r);
  if (g.ways < 1 || g.ways > kVmIpHashMaxWays) {
    throw IncompatibleDevice(where + " has " + std::to_string(g.ways) + " ways; this runtime's hash constants cover 1.." +
                             std::to_string(kVmIpHashMaxWays) + ": load a matching bitstream");
  }
  if (g.buckets < 2 || g.buckets > 65536) {
    throw IncompatibleDevice(where + " has 2^" + std::to_string((r >> 8) & 0xFF) +
                             " buckets per way; this runtime's hash constants index 2..65536: load a matching bitstream");
  }
  if (!power_of_two(g.slots) || g.stash < 1) {
    throw IncompatibleDevice(where + " has " + std::to_string(g.slots) + " slots per bucket and a stash of " +
                             std::to_string(g.stash) + "; expected a power of two and at least 1");
  }
  if (g.total_slots() != entries) {
    throw IncompatibleDevice(where + " (" + text(g) + ") does not match TABLE_ENTRIES = " + std::to_string(entries) +
                             ": the bitstream is inconsistent");
  }
  const auto want_seed = static_cast<std::uint32_t>(kVmIpHashSeed);
  if (seed != want_seed) {
    throw IncompatibleDevice("device " + device.describe() + ": VM-IP table hash seed " + hex32(seed) +
                             ", this runtime's hash constants use " + hex32(want_seed) +
                             " (scripts/gen_hash_tables.py): placement would put keys where the NIC never looks; "
                             "rebuild the runtime or load a matching bitstream");
  }
  return g;
}

void check_table_geometry(Device& device, const CuckooGeometry& runtime) {
  const CuckooGeometry g = check_table_geometry(device);
  if (!(g == runtime)) {
    throw IncompatibleDevice("device " + device.describe() + ": VM-IP table is " + text(g) +
                             ", the runtime's placement was built for " + text(runtime) +
                             ": build VmIpTable from check_table_geometry(device)");
  }
}

void wait_table_ready(Device& device, std::chrono::nanoseconds timeout) {
  constexpr std::chrono::nanoseconds kStep = std::chrono::microseconds(10);
  std::chrono::nanoseconds waited{0};
  while (device.read32(reg::STATUS) & kStatusTableInit) {
    if (waited >= timeout) {
      throw NicProtocolError("device " + device.describe() + ": the VM-IP table is still clearing (STATUS.TABLE_INIT = 1) after " +
                             std::to_string(waited.count() / 1000) + " us of device time; a clear of " +
                             std::to_string(regs::TABLE_BUCKETS) +
                             " buckets takes 66 us at 250 MHz: the NIC is stuck or not clocked (reset the card)");
    }
    device.wait(kStep);
    waited += kStep;
  }
}

void clear_device_table(Device& device, std::chrono::nanoseconds timeout) {
  wait_table_ready(device, timeout);  // the clear after reset may still run: TBL_CMD would answer SLVERR
  device.write32(reg::TBL_CMD, 3);
  wait_table_ready(device, timeout);
}

}  // namespace smartnic
