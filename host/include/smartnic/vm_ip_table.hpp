// The runtime's shadow copy of the NIC's VM-IP table and the placement policy for it.
//
// The NIC's table is a cuckoo hash table in block RAM (rtl/vm_ip_hash_table.sv, see
// docs/vm-ip-table.md): a key may only sit in one bucket per way (chosen by hash constants shared
// with the RTL) or in the small stash. The hardware only looks up and writes single slots; where
// a key goes is decided here, by CuckooPlacement. Every change returns the list of single-slot
// writes to apply in order (one TBL_SLOT/KEY/VALUE + TBL_CMD=1 each), moves back to front, so a
// key is never missing for packets in flight and the caller (Switch) has exactly one function
// that talks to the registers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "smartnic/cuckoo_placement.hpp"

namespace smartnic {

class Device;

// VmIpTable is the cuckoo placement behind the interface the runtime has always used:
// insert / erase / find, each change a list of single-slot writes (Slot, SlotWrite), slots(),
// size(), capacity(). insert throws ConfigError for a duplicate (naming the owner) and TableFull
// (a ConfigError naming the key and the load) when no chain of moves and no stash slot is left:
// with hashing that happens at ~96-97 % load, not only at capacity(). The shadow is unchanged on
// error. set_vm() and rehome_stash() are available as well (CuckooPlacement).
//
// erase() also keeps the stash free: CuckooPlacement::erase only clears the key's slot, so after
// many erase/insert cycles keys that once had to go to the stash would stay there while the main
// table has room again, and the next key without a chain would fail early (TableFull) on a full
// stash. An erase is the only change that frees a main slot, hence the only moment a stash entry
// can gain a chain of moves; so erase() here appends rehome_stash() to the clear of the key's slot,
// when the stash holds anything. The caller (Switch::remove_address) applies the list in order
// through its single-slot writes, as for an insert: the erased key is gone after the first write;
// each rehomed key's chain comes back to front and its stash slot is cleared last, so no key is
// ever missing for lookups in flight. Work per erase is bounded: at most `stash` breadth-first
// searches of at most max_moves levels, and at most stash * (max_moves + 2) extra writes (in
// practice one chain: one slot was freed).
class VmIpTable : public CuckooPlacement {
 public:
  // The NIC's geometry, as read from TABLE_GEOMETRY (check_table_geometry below).
  explicit VmIpTable(CuckooGeometry geometry) : CuckooPlacement(geometry) {}
  // The standard geometry for `slots` slots: 4 ways of (slots - 8) / 4 buckets, 1 slot per
  // bucket, stash 8 (65544 = 4 x 16384 + 8). Throws ConfigError when `slots` has no such form.
  // Prefer the geometry constructor: the same slot count can be split differently.
  explicit VmIpTable(std::size_t slots) : CuckooPlacement(standard_geometry(slots)) {}

  static CuckooGeometry standard_geometry(std::size_t slots);

  // Clears the key's slot (the first write of the list), then moves stash entries that now have
  // a chain back into the main table (see above). Throws ConfigError when the key is absent.
  // Hides CuckooPlacement::erase on purpose: the runtime calls erase through VmIpTable.
  std::vector<SlotWrite> erase(Ipv4Address key);
};

// TABLE_GEOMETRY register: [7:0] ways, [15:8] log2 buckets per way, [23:16] slots per bucket,
// [31:24] stash slots.
CuckooGeometry decode_table_geometry(std::uint32_t reg);
std::uint32_t encode_table_geometry(const CuckooGeometry& g);

// Reads TABLE_GEOMETRY, TABLE_ENTRIES and TABLE_HASH_SEED and checks that this runtime's
// placement can drive that table: ways within the generated hash constants, buckets a power of
// two they can index, TABLE_ENTRIES = ways * buckets * slots + stash, and the same hash seed.
// Throws IncompatibleDevice naming what differs; returns the geometry to build VmIpTable with.
// Call it when the device is opened (Switch constructor: `table_(check_table_geometry(device))`).
CuckooGeometry check_table_geometry(Device& device);
// The same, and also refuses a device whose geometry differs from `runtime` (the geometry a
// VmIpTable was already built with, e.g. VmIpTable(TABLE_ENTRIES)).
void check_table_geometry(Device& device, const CuckooGeometry& runtime);

// Clears every slot of the NIC's table: waits for a clear already running (after reset), writes
// TBL_CMD=3, and waits (Device::wait, device time) until STATUS.TABLE_INIT reads 0. The clear
// takes TABLE_BUCKETS cycles (66 us for 16384 at 250 MHz). Throws NicProtocolError when
// TABLE_INIT is still set after `timeout` of device time. The shadow (VmIpTable) is the caller's:
// after this call the device table is empty, so start from an empty VmIpTable.
void clear_device_table(Device& device, std::chrono::nanoseconds timeout = std::chrono::milliseconds(10));
// Waits (bounded, as above) until STATUS.TABLE_INIT reads 0, e.g. after a reset, before the first
// TBL_CMD: a TBL_CMD write while it is set answers SLVERR (DeviceError).
void wait_table_ready(Device& device, std::chrono::nanoseconds timeout = std::chrono::milliseconds(10));

}  // namespace smartnic
