// The host runtime: one instance defines all VMs, their guest memory, rings and addresses,
// programs the NIC, posts datagrams, reaps completions and delivers hairpin traffic.
//
// Threading: not thread-safe; one thread drives a Switch (send/flush/poll/receive).
// Time: the runtime's notion of device time is the sum of the budgets it passed to
// Device::wait(); hairpin age bounds and drain timeouts are measured on it, so a simulation is
// deterministic and hardware behaves the same as wait() sleeps in real time.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "smartnic/completion_ring.hpp"
#include "smartnic/device.hpp"
#include "smartnic/guest_memory.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/stats.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic {

using MacAddress = std::array<std::uint8_t, 6>;

struct SwitchConfig {
  unsigned cpl_ring_log2 = 10;
  unsigned rx_cpl_ring_log2 = 10;  // RX (ingress) completion ring, shared by all VMs
  std::uint32_t cpl_coalesce_cycles = 64;
  MacAddress mac_src{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered
  MacAddress mac_dst{0x02, 0x00, 0x00, 0x00, 0x00, 0xFE};  // next hop
  // Hairpin to a VM with no free input buffer waits, holding the sender's output buffer, while
  // fewer than this many wait for that destination and for at most max_age of device time;
  // beyond either bound it is dropped as INPUT_FULL.
  std::size_t hairpin_max_pending = 64;
  std::chrono::nanoseconds hairpin_max_age{100'000};
  // Device time handed to Device::wait() when a poll finds nothing to do.
  std::chrono::nanoseconds idle_wait{200};
  // Invalidate every table slot at open, so entries left by an earlier run cannot misroute.
  bool clear_table = true;
};

struct VmConfig {
  std::string name;
  std::vector<Ipv4Address> addresses;
  unsigned tx_ring_log2 = 8;     // TX ring entries = output buffers = 2^n (2..15)
  unsigned input_ring_log2 = 8;  // hairpin input ring entries = input buffers = 2^n (2..15)
  unsigned ingress_ring_log2 = 8;  // buffers posted for the NIC to fill from the network (2..15)
};

// The NIC's own counters (registers), read at one moment.
struct NicCounters {
  struct Vm {  // VM_CNT_* of one NIC slot
    std::uint32_t desc, external, hairpin, drop, bytes, rx, rx_bytes, rx_drop;
  };
  std::array<std::uint32_t, regs::kNumDropReasons> drops{};  // drop counter per reason
  std::uint32_t rx_frames = 0, arp_replies = 0;
  std::uint32_t rx_quiesce_drops = 0;  // RX_QUIESCE_DROPS: not cleared by a device reset
  std::vector<Vm> vms;  // every NIC slot, 0..NUM_VMS-1
};

struct ReceivedDatagram {
  std::vector<std::byte> data;
  VmId source = 0;            // sending VM of a hairpin datagram
  bool from_network = false;  // came in through the NIC's port (source is then meaningless)
};

class Switch {
 public:
  // Checks ID and VERSION (throws IncompatibleDevice), reads NUM_VMS and TABLE_ENTRIES,
  // allocates and programs the completion ring, MACs, clears the table, enables the NIC.
  Switch(Device& device, SwitchConfig config = {});
  // Stops the NIC before the DMA memory is freed: every VM disabled, quiesced (no AXI transaction
  // open, bounded wait), every VM window closed (size 0), CTRL = 0.
  ~Switch();
  Switch(const Switch&) = delete;
  Switch& operator=(const Switch&) = delete;

  // Defines a VM: allocates its guest memory, programs its ring and window, adds its addresses
  // and enables it. Throws ConfigError (nothing changed) on duplicate name or address, bad ring
  // size, no free VM slot, or a full table. The VM gets the lowest free NIC slot, so ids are
  // 0..n-1 in definition order until a VM is removed; a removed VM's slot is reused.
  VmId add_vm(const VmConfig& config);
  // Removes a VM: disables its ring (VM_CTRL = 0), polls until every descriptor the NIC already
  // fetched (VM_TX_FETCH) has completed (its addresses still registered, so the NIC's source
  // check passes), removes its table entries (the NIC stops choosing it at once), drops what it
  // posted but the NIC never fetched and the hairpins waiting to or
  // from it (counted as VM_REMOVED on the sender), and frees its guest memory. Its final
  // counters move to removed_stats(), so totals and accounting stay whole. After it returns,
  // nothing is delivered to the VM and the slot is free.
  // Throws ConfigError for an unknown id, DrainTimeout when the NIC has not completed the fetched
  // descriptors within `timeout` of device time: the VM then stays defined but disabled (send()
  // refuses) with its addresses, its memory kept because the NIC may still read it; calling
  // again retries.
  void remove_vm(VmId vm, std::chrono::nanoseconds timeout = std::chrono::milliseconds(1));
  // Full reset of the NIC with traffic in flight; the runtime's configuration and every datagram
  // survive it. The NIC first quiesces (CTRL.QUIESCE: no descriptor fetch, frames arriving from
  // the network refused whole and counted in RX_QUIESCE_DROPS) until STATUS.QUIESCED: every
  // descriptor it fetched has completed, every frame it took in has landed, no AXI transaction is
  // open; all of it is reaped. Then CTRL.RESET returns every register, counter, ring index and
  // table slot to power-on, and the runtime programs the NIC again: MACs, completion rings, every
  // table entry, each VM's window and rings. Datagrams posted but not yet fetched are posted again
  // (the NIC never saw them: they are sent after the reset, not dropped); free ingress buffers are
  // posted again; hairpins waiting for an input buffer keep waiting. Returns the NIC's counters as
  // they were just before the reset (they restart at zero).
  // Throws DrainTimeout when the NIC has not quiesced within `timeout` of device time (a stalled
  // network port holding a frame): the NIC is then let run on as before, nothing reset or lost,
  // and calling again retries. NicProtocolError if the NIC misreports.
  NicCounters reset_device(std::chrono::nanoseconds timeout = std::chrono::milliseconds(1));
  // Reads every NIC counter register now.
  NicCounters read_nic_counters();
  // Completed reset_device() calls.
  std::uint64_t device_resets() const { return device_resets_; }

  void add_address(VmId vm, Ipv4Address address);
  void remove_address(Ipv4Address address);

  // The VM hands over one datagram: copied into a free output buffer, descriptor written (the
  // doorbell waits for flush/poll). Returns false, with nothing handed over, when the VM has no
  // free output buffer (or is being removed). A datagram longer than an output buffer is handed over and dropped
  // (TOO_BIG).
  bool send(VmId vm, std::span<const std::byte> datagram);
  // One VM_TX_PROD write per VM with new descriptors.
  void flush();
  // flush(), reap completions (one CPL_CONS write per batch), deliver/expire waiting hairpins.
  // When nothing happened but work is outstanding, lets the device run for idle_wait and reaps
  // again. Returns the number of completions reaped.
  std::size_t poll();
  // Lets the device work for idle_wait of device time, then polls: for callers waiting for
  // input from the network, which poll() alone does not wait for (nothing is outstanding).
  std::size_t idle();
  // Next datagram for the VM, hairpin or from the network, in arrival order; frees its buffer.
  std::optional<ReceivedDatagram> receive(VmId vm);
  // Polls until nothing is in flight or pending; throws DrainTimeout after `timeout` of device
  // time, naming per VM what is still outstanding.
  void drain(std::chrono::nanoseconds timeout);

  VmStats stats(VmId vm) const;
  // Live VMs in id order (the same order as vm_ids()).
  std::vector<VmStats> all_stats() const;
  // Sum of the final counters of every removed VM.
  const VmStats& removed_stats() const { return removed_; }
  // Live VMs plus removed_stats().
  VmStats totals() const;
  // Empty when the accounting invariant holds for every VM (see stats.hpp).
  std::vector<std::string> check_accounting() const;

  // Number of live VMs; equal to 1 + the highest id while no VM has been removed.
  std::size_t vm_count() const;
  std::vector<VmId> vm_ids() const;
  const std::string& vm_name(VmId vm) const;
  std::optional<VmId> find_vm(std::string_view name) const;
  const std::vector<Ipv4Address>& vm_addresses(VmId vm) const;
  std::size_t free_output_buffers(VmId vm) const;
  std::optional<VmId> owner(Ipv4Address address) const { return table_.find(address); }
  const VmIpTable& table() const { return table_; }
  // Reads every slot back from the NIC (TBL_CMD = 2), for `table dump` and consistency checks.
  std::vector<VmIpTable::Slot> read_device_table();

  unsigned device_vms() const { return num_vms_; }
  std::size_t device_table_entries() const { return table_.capacity(); }
  std::chrono::nanoseconds device_time() const { return now_; }
  std::uint64_t doorbell_writes() const { return doorbell_writes_; }

 private:
  struct Vm;
  struct Waiting {  // a HAIRPIN verdict waiting for an input buffer at its destination
    VmId src;
    std::uint16_t buffer;
    std::uint16_t len;
    std::chrono::nanoseconds since;
  };

  void program_globals();
  void program_vm(const Vm& vm);
  Vm& vm_at(VmId vm);
  const Vm& vm_at(VmId vm) const;
  void write_slot(const VmIpTable::SlotWrite& write);
  void apply(const std::vector<VmIpTable::SlotWrite>& writes);
  void wait_device();
  std::size_t reap();
  // complete(), hairpin() and deliver() are inline, defined in switch.cpp (its only user):
  // forced into the reaping loop, see there.
  inline void complete(const TxCompletion& c);
  std::size_t reap_ingress();
  template <class Handle, class EndChunk>
  std::size_t drain_ring(CompletionRing& ring, std::uint32_t cons_reg, Handle&& handle, EndChunk&& end_chunk);
  void complete_ingress(const TxCompletion& c);
  void post_ingress(Vm& vm, std::uint16_t buffer);
  inline void hairpin(Vm& src, std::uint16_t buffer, std::uint16_t len, std::uint8_t dst_vm);
  bool still_owner(const Waiting& w, VmId dst) const;
  struct HairpinCopy {  // a delivery's data: from the sender's output buffer into the input slot
    std::byte* dst;
    const std::byte* src;
    std::size_t len;
  };
  // Completions read and handled per chunk (drain_ring); bounds the hairpin copies queued.
  static constexpr std::size_t kReapChunk = 64;
  // The copies of one chunk, in completion order: a fixed array, nothing allocated per poll.
  class CopyQueue {
   public:
    // At most one per completion of a chunk, and the queue is emptied after each chunk: more is
    // a logic error, not back-pressure.
    void push(const HairpinCopy& c) {
      if (size_ == items_.size()) throw std::logic_error("Switch: more hairpin copies than completions in a chunk");
      items_[size_++] = c;
    }
    std::size_t size() const { return size_; }
    const HairpinCopy& operator[](std::size_t i) const { return items_[i]; }
    void clear() { size_ = 0; }

   private:
    std::array<HairpinCopy, kReapChunk> items_;
    std::size_t size_ = 0;
  };
  inline void deliver(Vm& dst, const Waiting& w);
  void copy_hairpins();
  void drop_waiting(const Waiting& w, HostDropReason reason);
  void service_waiting(Vm& dst);
  void release_output(Vm& vm, std::uint16_t buffer);
  std::uint64_t outstanding() const;
  void forget_waiting_from(VmId src);

  Device& device_;
  SwitchConfig config_;
  unsigned num_vms_;  // initialised by probing the device: must precede table_
  VmIpTable table_;
  CompletionRing cpl_;
  CompletionRing rx_cpl_;             // ingress completions: one per buffer the NIC used or returned
  std::uint64_t ingress_for_removed_ = 0;  // ingress completions for a VM removed meanwhile
  std::vector<std::unique_ptr<Vm>> vms_;  // indexed by VmId (= NIC slot); null = free slot
  VmStats removed_;
  std::chrono::nanoseconds now_{0};
  std::uint64_t doorbell_writes_ = 0;
  std::uint64_t device_resets_ = 0;
  std::uint64_t removals_ = 0;  // remove_address calls: a hairpin posted before one is re-checked
  CopyQueue copies_;            // hairpin copies of the chunk being reaped (see reap())
  // The chunk of completions drain_ring() is handling (a member, not a local: a local array of
  // them is zeroed on every call). drain_ring() is never re-entered: handlers do not reap.
  std::array<TxCompletion, kReapChunk> chunk_;
};

}  // namespace smartnic
