#include "smartnic/switch.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <sstream>

#include "byte_order.hpp"
#include "fixed_queue.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"

namespace smartnic {

using detail::load_be32;
using detail::load_le;
using detail::store_le;
namespace reg = regs::reg;

namespace {

std::string hex(std::uint32_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// Checks the device is a SmartNIC with our register-map major version; returns NUM_VMS.
unsigned probe(Device& device) {
  const std::uint32_t id = device.read32(reg::ID);
  if (id != regs::kId) {
    throw IncompatibleDevice("device " + device.describe() + " has ID " + hex(id) + ", expected " +
                             hex(regs::kId) + " ('SNIC'): wrong device or bitstream not loaded");
  }
  const std::uint32_t version = device.read32(reg::VERSION);
  if ((version >> 16) != (regs::kVersion >> 16)) {
    throw IncompatibleDevice("device " + device.describe() + " has register-map version " +
                             std::to_string(version >> 16) + "." + std::to_string(version & 0xFFFF) +
                             ", this runtime needs major version " + std::to_string(regs::kVersion >> 16) +
                             ": rebuild the runtime or load a matching bitstream");
  }
  const std::uint32_t vms = device.read32(reg::NUM_VMS);
  if (vms == 0 || vms > 256) {  // completions carry VM ids in one byte
    throw IncompatibleDevice("device reports NUM_VMS = " + std::to_string(vms) + ", expected 1..256");
  }
  return vms;
}

std::uint32_t mac_lo(const MacAddress& m) {
  return (std::uint32_t{m[2]} << 24) | (std::uint32_t{m[3]} << 16) | (std::uint32_t{m[4]} << 8) | m[5];
}
std::uint32_t mac_hi(const MacAddress& m) { return (std::uint32_t{m[0]} << 8) | m[1]; }

constexpr std::uint32_t lo32(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t hi32(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }

}  // namespace

// Everything the runtime holds for one VM. Output buffers are not tied to ring slots: a
// buffer held by a waiting hairpin must not stop the ring, so free buffers sit on a stack and
// the descriptor's cookie names the buffer.
struct Switch::Vm {
  enum class Out : std::uint8_t { Free, Posted, Held };

  Vm(Device& device, const VmConfig& c, VmId vm_id)
      : name(c.name),
        id(vm_id),
        mem(device, GuestMemoryLayout::compute(c.tx_ring_log2, c.input_ring_log2, c.ingress_ring_log2)),
        out_state(mem.layout().tx_entries, Out::Free),
        out_len(mem.layout().tx_entries, 0),
        out_removals(mem.layout().tx_entries, 0),
        arrivals(mem.layout().input_entries + mem.layout().ingress_entries) {
    for (std::size_t i = mem.layout().tx_entries; i-- > 0;) free_outputs.push_back(static_cast<std::uint16_t>(i));
  }

  bool has_free_input() const { return in_prod - in_cons < mem.layout().input_entries; }

  // What receive() hands out next, in arrival order across both input paths.
  struct Arrival {
    bool network;          // ingress buffer (else: next hairpin input ring entry)
    std::uint16_t buffer;  // ingress buffer index
    std::uint16_t len;
  };

  std::string name;
  VmId id;
  std::vector<Ipv4Address> addresses;
  GuestMemory mem;
  std::vector<std::uint16_t> free_outputs;
  std::vector<Out> out_state;
  std::vector<std::uint16_t> out_len;
  std::vector<std::uint64_t> out_removals;  // Switch::removals_ when the buffer was posted
  // Free-running TX indices: posted, announced by doorbell, completed (NIC order per VM).
  std::uint32_t tx_prod = 0, tx_doorbell = 0, tx_completed = 0;
  // Hairpin input ring: the runtime produces, receive() consumes.
  std::uint32_t in_prod = 0, in_cons = 0;
  // Ingress ring: the runtime posts free buffers, the NIC fills them from the network.
  std::uint32_t rx_prod = 0, rx_doorbell = 0;
  // Each holds an input-ring slot or an ingress buffer: never more than both rings' entries.
  detail::FixedQueue<Arrival> arrivals;
  std::deque<Waiting> waiting;     // as destination, oldest first
  std::uint64_t pending_out = 0;   // as sender: own buffers held in someone's waiting queue
  VmStats counters;                // in_flight and pending are derived in stats()
  bool enabled = true;             // false once remove_vm has disabled the ring
};

Switch::Switch(Device& device, SwitchConfig config)
    : device_(device),
      config_(config),
      num_vms_(probe(device)),
      table_(check_table_geometry(device)),
      cpl_(device, config.cpl_ring_log2),
      rx_cpl_(device, config.rx_cpl_ring_log2) {
  device_.write32(reg::CTRL, 0);
  for (unsigned v = 0; v < num_vms_; ++v) device_.write32(regs::vm_reg(v, reg::VM_CTRL), 0);
  program_globals();
  if (config_.clear_table) {
    clear_device_table(device_);  // one command: the NIC clears every slot itself
  } else {
    wait_table_ready(device_);
  }
  device_.write32(reg::CTRL, regs::bit::CTRL_ENABLE);
}

// MACs and the two completion rings (from their first entry: the runtime's rings are new or
// restarted).
void Switch::program_globals() {
  device_.write32(reg::MAC_SRC_LO, mac_lo(config_.mac_src));
  device_.write32(reg::MAC_SRC_HI, mac_hi(config_.mac_src));
  device_.write32(reg::MAC_DST_LO, mac_lo(config_.mac_dst));
  device_.write32(reg::MAC_DST_HI, mac_hi(config_.mac_dst));
  device_.write32(reg::CPL_BASE_LO, lo32(cpl_.device_address()));
  device_.write32(reg::CPL_BASE_HI, hi32(cpl_.device_address()));
  device_.write32(reg::CPL_SIZE_LOG2, cpl_.size_log2());  // resets producer index and phase
  device_.write32(reg::CPL_CONS, 0);
  device_.write32(reg::CPL_COALESCE, config_.cpl_coalesce_cycles);
  device_.write32(reg::RX_CPL_BASE_LO, lo32(rx_cpl_.device_address()));
  device_.write32(reg::RX_CPL_BASE_HI, hi32(rx_cpl_.device_address()));
  device_.write32(reg::RX_CPL_SIZE_LOG2, rx_cpl_.size_log2());
  device_.write32(reg::RX_CPL_CONS, 0);
}

// A VM's window and both of its rings (NIC indices restart at 0), left disabled.
void Switch::program_vm(const Vm& vm) {
  const GuestMemory& m = vm.mem;
  const VmId id = vm.id;
  device_.write32(regs::vm_reg(id, reg::VM_CTRL), 0);
  device_.write32(regs::vm_reg(id, reg::VM_WIN_BASE_LO), lo32(m.window_base()));
  device_.write32(regs::vm_reg(id, reg::VM_WIN_BASE_HI), hi32(m.window_base()));
  device_.write32(regs::vm_reg(id, reg::VM_WIN_SIZE_LO), lo32(m.window_size()));
  device_.write32(regs::vm_reg(id, reg::VM_WIN_SIZE_HI), hi32(m.window_size()));
  device_.write32(regs::vm_reg(id, reg::VM_TX_BASE_LO), lo32(m.tx_ring_address()));
  device_.write32(regs::vm_reg(id, reg::VM_TX_BASE_HI), hi32(m.tx_ring_address()));
  device_.write32(regs::vm_reg(id, reg::VM_TX_SIZE_LOG2), static_cast<std::uint32_t>(std::countr_zero(m.layout().tx_entries)));  // resets indices
  device_.write32(regs::vm_reg(id, reg::VM_RX_BASE_LO), lo32(m.ingress_ring_address()));
  device_.write32(regs::vm_reg(id, reg::VM_RX_BASE_HI), hi32(m.ingress_ring_address()));
  device_.write32(regs::vm_reg(id, reg::VM_RX_SIZE_LOG2), static_cast<std::uint32_t>(std::countr_zero(m.layout().ingress_entries)));  // resets indices
}

Switch::~Switch() {
  // The NIC must stop touching guest memory and the completion ring before they are freed.
  // Reaping keeps it from stalling on a full completion ring while it finishes; errors are
  // swallowed because a destructor must not throw.
  // Quiesced is stronger than idle: no AXI transaction open either (a descriptor prefetch of
  // an ingress ring, for one, is not an engine's work yet). Then every window is closed, so
  // that frames arriving later cannot be written into memory that is no longer the VMs'.
  try {
    for (std::size_t v = 0; v < vms_.size(); ++v) device_.write32(regs::vm_reg(v, reg::VM_CTRL), 0);
    device_.write32(reg::CTRL, regs::bit::CTRL_QUIESCE);
    for (int i = 0; i < 1000 && !(device_.read32(reg::STATUS) & regs::bit::STATUS_QUIESCED); ++i) {
      reap();
      reap_ingress();
      device_.wait(config_.idle_wait);
    }
    for (unsigned v = 0; v < num_vms_; ++v) {
      device_.write32(regs::vm_reg(v, reg::VM_WIN_SIZE_LO), 0);
      device_.write32(regs::vm_reg(v, reg::VM_WIN_SIZE_HI), 0);
    }
    device_.write32(reg::CTRL, 0);
  } catch (...) {
  }
}

Switch::Vm& Switch::vm_at(VmId vm) {
  return const_cast<Vm&>(static_cast<const Switch*>(this)->vm_at(vm));
}

const Switch::Vm& Switch::vm_at(VmId vm) const {
  if (vm >= vms_.size() || !vms_[vm]) {
    throw ConfigError("no VM with id " + std::to_string(vm) + " (" + std::to_string(vm_count()) +
                      " VMs defined)");
  }
  return *vms_[vm];
}

// The one place that writes the hardware table: a single slot, applied atomically by TBL_CMD=1.
void Switch::write_slot(const VmIpTable::SlotWrite& w) {
  device_.write32(reg::TBL_SLOT, static_cast<std::uint32_t>(w.slot));
  device_.write32(reg::TBL_KEY, w.value.key.value());
  device_.write32(reg::TBL_VALUE, (w.value.valid ? 0x8000'0000u : 0u) | (w.value.vm & 0xFF));
  device_.write32(reg::TBL_CMD, 1);
}

void Switch::apply(const std::vector<VmIpTable::SlotWrite>& writes) {
  for (const auto& w : writes) write_slot(w);
}

std::vector<VmIpTable::Slot> Switch::read_device_table() {
  std::vector<VmIpTable::Slot> out(table_.capacity());
  for (std::size_t s = 0; s < out.size(); ++s) {
    device_.write32(reg::TBL_SLOT, static_cast<std::uint32_t>(s));
    device_.write32(reg::TBL_CMD, 2);
    const std::uint32_t value = device_.read32(reg::TBL_VALUE);
    out[s] = {Ipv4Address(device_.read32(reg::TBL_KEY)), value & 0xFF, (value >> 31) != 0};
  }
  return out;
}

VmId Switch::add_vm(const VmConfig& config) {
  if (config.name.empty()) throw ConfigError("a VM needs a name");
  if (const auto other = find_vm(config.name)) {
    throw ConfigError("VM name '" + config.name + "' is already used by VM " + std::to_string(*other));
  }
  VmId id = 0;
  while (id < vms_.size() && vms_[id]) ++id;  // lowest free slot
  if (id >= num_vms_) {
    throw ConfigError("cannot add VM '" + config.name + "': the NIC has " + std::to_string(num_vms_) +
                      " VM slots and all are in use");
  }
  for (std::size_t i = 0; i < config.addresses.size(); ++i) {
    const Ipv4Address a = config.addresses[i];
    if (const auto owner = table_.find(a)) {
      throw ConfigError("cannot add VM '" + config.name + "': address " + a.to_string() +
                        " already belongs to VM " + std::to_string(*owner) + " ('" + vms_[*owner]->name + "')");
    }
    if (std::find(config.addresses.begin(), config.addresses.begin() + i, a) != config.addresses.begin() + i) {
      throw ConfigError("cannot add VM '" + config.name + "': address " + a.to_string() + " is listed twice");
    }
  }
  if (table_.size() + config.addresses.size() > table_.capacity()) {
    throw ConfigError("cannot add VM '" + config.name + "': its " + std::to_string(config.addresses.size()) +
                      " addresses do not fit in the VM-IP table (" + std::to_string(table_.size()) + " of " +
                      std::to_string(table_.capacity()) + " entries used)");
  }

  auto vm = std::make_unique<Vm>(device_, config, id);  // validates ring sizes
  program_vm(*vm);
  device_.write32(regs::vm_reg(id, reg::VM_CTRL), 1);
  if (id == vms_.size()) vms_.emplace_back();
  vms_[id] = std::move(vm);
  // Every ingress buffer starts posted: the NIC can deliver as soon as the address is visible.
  Vm& nv = *vms_[id];
  for (std::size_t b = 0; b < nv.mem.layout().ingress_entries; ++b) post_ingress(nv, static_cast<std::uint16_t>(b));
  flush();
  // Addresses last: the VM can receive hairpin traffic from the moment its address is visible.
  for (const Ipv4Address a : config.addresses) add_address(id, a);
  return id;
}

void Switch::add_address(VmId vm, Ipv4Address address) {
  Vm& v = vm_at(vm);
  apply(table_.insert(address, vm));
  v.addresses.push_back(address);
}

void Switch::remove_address(Ipv4Address address) {
  const auto owner = table_.find(address);
  apply(table_.erase(address));  // throws when absent
  ++removals_;
  auto& list = vms_[*owner]->addresses;
  list.erase(std::remove(list.begin(), list.end(), address), list.end());
}

void Switch::remove_vm(VmId id, std::chrono::nanoseconds timeout) {
  Vm& v = vm_at(id);
  // The scheduler stops fetching this ring; what it already fetched still completes, while the
  // VM still owns its addresses: the NIC's anti-spoofing check needs the source registered, so
  // removing the addresses first would turn the VM's last datagrams into SPOOFED_SRC drops.
  device_.write32(regs::vm_reg(id, reg::VM_CTRL), 0);
  v.enabled = false;  // no more send() or doorbells for it
  const auto start = now_;
  for (;;) {
    const auto fetched = static_cast<std::uint16_t>(device_.read32(regs::vm_reg(id, reg::VM_TX_FETCH)));
    const auto nic_owned = static_cast<std::uint16_t>(fetched - static_cast<std::uint16_t>(v.tx_completed));
    if (nic_owned > v.tx_prod - v.tx_completed) {
      throw NicProtocolError("VM '" + v.name + "': VM_TX_FETCH = " + std::to_string(fetched) +
                             " is ahead of the descriptors posted (completed " +
                             std::to_string(v.tx_completed & 0xFFFF) + ", posted " +
                             std::to_string(v.tx_prod & 0xFFFF) + ")");
    }
    if (nic_owned == 0) break;
    if (now_ - start >= timeout) {
      throw DrainTimeout("cannot remove VM '" + v.name + "': the NIC has not completed " +
                         std::to_string(nic_owned) + " descriptors it fetched after " +
                         std::to_string(timeout.count()) + " ns of device time; the VM stays "
                         "defined but disabled (the NIC may still read its memory) and removing it "
                         "again retries; check that the NIC's clock runs (device: " +
                         device_.describe() + ")");
    }
    poll();
  }
  // Now the addresses: from the next lookup on the NIC chooses this VM for nothing new; hairpins
  // it chose before complete as VM_REMOVED or STALE_OWNER, never as a delivery.
  while (!v.addresses.empty()) remove_address(v.addresses.back());
  // Posted but never fetched: these will never complete.
  for (std::size_t b = 0; b < v.out_state.size(); ++b) {
    if (v.out_state[b] != Vm::Out::Posted) continue;
    ++v.counters.host_drops[static_cast<unsigned>(HostDropReason::VM_REMOVED)];
    release_output(v, static_cast<std::uint16_t>(b));
  }
  v.tx_completed = v.tx_doorbell = v.tx_prod;
  // Hairpins waiting for this VM's input buffers (counted on their senders), then this VM's own
  // hairpins waiting at others.
  while (!v.waiting.empty()) {
    const Waiting w = v.waiting.front();
    v.waiting.pop_front();
    --vms_[w.src]->pending_out;
    drop_waiting(w, HostDropReason::VM_REMOVED);
  }
  forget_waiting_from(id);
  // Close its window so the NIC could not reach the memory about to be freed.
  device_.write32(regs::vm_reg(id, reg::VM_WIN_SIZE_LO), 0);
  device_.write32(regs::vm_reg(id, reg::VM_WIN_SIZE_HI), 0);
  // A frame the NIC looked up before the addresses went may still be on its way into an
  // ingress buffer: let the NIC go idle (bounded) so no write lands after the memory is freed.
  for (int i = 0; i < 64 && !(device_.read32(reg::STATUS) & 1); ++i) {
    wait_device();
    reap_ingress();
  }
  reap_ingress();
  removed_ += stats(id);
  vms_[id].reset();  // frees its guest memory
}

NicCounters Switch::read_nic_counters() {
  NicCounters c;
  for (unsigned r = 0; r < regs::kNumDropReasons; ++r) c.drops[r] = device_.read32(regs::drop_counter(r));
  c.rx_frames = device_.read32(reg::RX_FRAMES);
  c.arp_replies = device_.read32(reg::ARP_REPLIES);
  c.rx_quiesce_drops = device_.read32(reg::RX_QUIESCE_DROPS);
  for (unsigned v = 0; v < num_vms_; ++v) {
    auto r = [&](std::uint32_t off) { return device_.read32(regs::vm_reg(v, off)); };
    c.vms.push_back({r(reg::VM_CNT_DESC), r(reg::VM_CNT_EXTERNAL), r(reg::VM_CNT_HAIRPIN), r(reg::VM_CNT_DROP),
                     r(reg::VM_CNT_BYTES), r(reg::VM_CNT_RX), r(reg::VM_CNT_RX_BYTES), r(reg::VM_CNT_RX_DROP)});
  }
  return c;
}

NicCounters Switch::reset_device(std::chrono::nanoseconds timeout) {
  // 1. Quiesce: the NIC fetches nothing new and refuses new frames from the network; what it
  //    has completes. Completions are reaped meanwhile, or a full completion ring would hold it.
  device_.write32(reg::CTRL, regs::bit::CTRL_ENABLE | regs::bit::CTRL_QUIESCE);
  const auto start = now_;
  while (!(device_.read32(reg::STATUS) & regs::bit::STATUS_QUIESCED)) {
    if (now_ - start >= timeout) {
      device_.write32(reg::CTRL, regs::bit::CTRL_ENABLE);  // back to work, nothing reset
      const std::uint32_t status = device_.read32(reg::STATUS);
      throw DrainTimeout("device reset refused: the NIC did not quiesce within " + std::to_string(timeout.count()) +
                         " ns of device time (STATUS = " + hex(status) +
                         (status & regs::bit::STATUS_IDLE ? ", engines idle: an AXI transaction or a frame from "
                                                            "the network is still open"
                                                          : ", engines busy: is the network port accepting frames?") +
                         "); the NIC runs on as before and nothing was lost; retry when the port moves again");
    }
    wait_device();
    reap();
    reap_ingress();
  }
  // 2. Everything the NIC did before it went quiet is in the completion rings now.
  reap();
  reap_ingress();
  for (auto& v : vms_) {
    if (!v) continue;
    const auto fetched = static_cast<std::uint16_t>(device_.read32(regs::vm_reg(v->id, reg::VM_TX_FETCH)));
    if (fetched != static_cast<std::uint16_t>(v->tx_completed)) {
      throw NicProtocolError("device reset: the NIC reports quiesced but VM '" + v->name + "' has descriptors "
                             "fetched without completion (VM_TX_FETCH = " + std::to_string(fetched) +
                             ", completed " + std::to_string(v->tx_completed & 0xFFFF) + "); the NIC was not reset");
    }
  }
  NicCounters before = read_nic_counters();
  // 3. Reset: every register, counter, ring index and the table back to power-on.
  device_.write32(reg::CTRL, regs::bit::CTRL_RESET);
  if (device_.read32(reg::CTRL) != 0) {
    throw NicProtocolError("device reset: CTRL still reads " + hex(device_.read32(reg::CTRL)) +
                           " after CTRL.RESET was accepted; the NIC did not reset");
  }
  wait_table_ready(device_);
  // 4. Program it again from the runtime's state.
  cpl_.restart();
  rx_cpl_.restart();
  program_globals();
  const auto& slots = table_.slots();
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (slots[s].valid) write_slot({s, slots[s]});
  }
  for (auto& vp : vms_) {
    if (!vp) continue;
    Vm& v = *vp;
    program_vm(v);
    // Posted, never fetched: the NIC never saw them, so they go again from the ring's start.
    const std::size_t tx_mask = v.mem.layout().tx_entries - 1;
    std::vector<std::array<std::byte, regs::DESC_BYTES>> unfetched;
    for (std::uint32_t i = v.tx_completed; i != v.tx_prod; ++i) {
      const auto d = v.mem.tx_descriptor(i & tx_mask);
      std::array<std::byte, regs::DESC_BYTES> copy;
      std::copy(d.begin(), d.end(), copy.begin());
      unfetched.push_back(copy);
    }
    for (std::size_t i = 0; i < unfetched.size(); ++i) {
      const auto d = v.mem.tx_descriptor(i);
      std::copy(unfetched[i].begin(), unfetched[i].end(), d.begin());
    }
    v.tx_completed = v.tx_doorbell = 0;
    v.tx_prod = static_cast<std::uint32_t>(unfetched.size());
    // Ingress buffers: every one not holding a datagram for the VM is posted again.
    std::vector<bool> held(v.mem.layout().ingress_entries, false);
    for (std::size_t i = 0; i < v.arrivals.size(); ++i) {
      if (v.arrivals[i].network) held[v.arrivals[i].buffer] = true;
    }
    v.rx_prod = v.rx_doorbell = 0;
    for (std::size_t b = 0; b < held.size(); ++b) {
      if (!held[b]) post_ingress(v, static_cast<std::uint16_t>(b));
    }
    if (v.enabled) device_.write32(regs::vm_reg(v.id, reg::VM_CTRL), 1);
  }
  device_.write32(reg::CTRL, regs::bit::CTRL_ENABLE);
  ++device_resets_;
  flush();
  return before;
}

void Switch::forget_waiting_from(VmId src) {
  for (auto& dst : vms_) {
    if (!dst) continue;
    auto& q = dst->waiting;
    for (auto it = q.begin(); it != q.end();) {
      if (it->src != src) {
        ++it;
        continue;
      }
      --vms_[src]->pending_out;
      drop_waiting(*it, HostDropReason::VM_REMOVED);
      it = q.erase(it);
    }
  }
}

bool Switch::send(VmId vm, std::span<const std::byte> datagram) {
  Vm& v = vm_at(vm);
  if (datagram.size() > GuestMemoryLayout::kBufferBytes) {
    ++v.counters.submitted;
    ++v.counters.host_drops[static_cast<unsigned>(HostDropReason::TOO_BIG)];
    return true;
  }
  if (v.free_outputs.empty() || !v.enabled) return false;
  const std::uint16_t buf = v.free_outputs.back();
  v.free_outputs.pop_back();
  std::memcpy(v.mem.output_buffer(buf).data(), datagram.data(), datagram.size());

  const auto desc = v.mem.tx_descriptor(v.tx_prod & (v.mem.layout().tx_entries - 1));
  std::fill(desc.begin(), desc.end(), std::byte{0});
  store_le<std::uint64_t>(desc, regs::tx_desc::ADDR_BYTE, v.mem.output_buffer_address(buf));
  store_le<std::uint16_t>(desc, regs::tx_desc::LEN_BYTE, static_cast<std::uint16_t>(datagram.size()));
  store_le<std::uint32_t>(desc, regs::tx_desc::COOKIE_BYTE, (std::uint32_t{vm} << 16) | buf);
  v.out_state[buf] = Vm::Out::Posted;
  v.out_len[buf] = static_cast<std::uint16_t>(datagram.size());
  v.out_removals[buf] = removals_;
  ++v.tx_prod;
  ++v.counters.submitted;
  return true;
}

void Switch::flush() {
  bool fenced = false;
  for (auto& v : vms_) {
    if (!v || !v->enabled || v->tx_prod == v->tx_doorbell) continue;
    if (!fenced) {  // descriptors and data must be visible before the NIC sees the doorbell
      std::atomic_thread_fence(std::memory_order_release);
      fenced = true;
    }
    device_.write32(regs::vm_reg(v->id, reg::VM_TX_PROD), v->tx_prod & 0xFFFF);
    v->tx_doorbell = v->tx_prod;
    ++doorbell_writes_;
  }
  for (auto& v : vms_) {  // buffers given back to the NIC's ingress rings
    if (!v || v->rx_prod == v->rx_doorbell) continue;
    std::atomic_thread_fence(std::memory_order_release);
    device_.write32(regs::vm_reg(v->id, reg::VM_RX_PROD), v->rx_prod & 0xFFFF);
    v->rx_doorbell = v->rx_prod;
    ++doorbell_writes_;
  }
}

// Hands an ingress buffer (back) to the NIC: a descriptor at the ingress ring's producer
// index; the doorbell goes out with the next flush().
void Switch::post_ingress(Vm& v, std::uint16_t buffer) {
  const auto desc = v.mem.ingress_descriptor(v.rx_prod & (v.mem.layout().ingress_entries - 1));
  std::fill(desc.begin(), desc.end(), std::byte{0});
  store_le<std::uint64_t>(desc, regs::rx_desc::ADDR_BYTE, v.mem.ingress_buffer_address(buffer));
  store_le<std::uint16_t>(desc, regs::rx_desc::LEN_BYTE, static_cast<std::uint16_t>(GuestMemoryLayout::kBufferBytes));
  store_le<std::uint32_t>(desc, regs::rx_desc::COOKIE_BYTE, (std::uint32_t{v.id} << 16) | buffer);
  ++v.rx_prod;
}

std::size_t Switch::poll() {
  flush();
  auto step = [this] {
    const std::size_t reaped = reap() + reap_ingress();
    for (auto& v : vms_) {
      if (v) service_waiting(*v);
    }
    return reaped;
  };
  std::size_t n = step();
  if (n == 0 && outstanding() > 0) {
    wait_device();
    n = step();
  }
  return n;
}

std::size_t Switch::idle() {
  wait_device();
  return poll();
}

void Switch::wait_device() {
  device_.wait(config_.idle_wait);
  now_ += config_.idle_wait;
}

// Reaps a completion ring in batches of at most one ring, telling the NIC the consumer index
// (register `cons_reg`) once per batch rather than once per entry. Entries are read a chunk at a
// time (CompletionRing::peek) and each is consumed once handled; `end_chunk` runs after each
// chunk (reap() does the chunk's hairpin copies there).
template <class Handle, class EndChunk>
std::size_t Switch::drain_ring(CompletionRing& ring, std::uint32_t cons_reg, Handle&& handle, EndChunk&& end_chunk) {
  auto& chunk = chunk_;
  std::size_t total = 0;
  for (;;) {
    std::size_t batch = 0;
    while (batch < ring.entries()) {
      const std::size_t n = ring.peek(std::span(chunk).first(std::min(chunk.size(), ring.entries() - batch)));
      if (n == 0) break;
      for (std::size_t i = 0; i < n; ++i) {
        handle(chunk[i]);
        ring.pop();
      }
      end_chunk();
      batch += n;
    }
    if (batch == 0) break;
    device_.write32(cons_reg, ring.consumer());
    total += batch;
    if (batch < ring.entries()) break;
  }
  return total;
}

// Two passes per chunk: complete() checks and accounts every completion (hairpins included:
// input ring entry, counters, the sender's buffer back on its free stack) and only queues the
// hairpin copies, which copy_hairpins() then does back to back. The bookkeeping of a chunk thus
// touches its metadata while it is in cache instead of after each 1.5 kB copy has pushed it out,
// and the copies run without branches and calls in between. Nothing can reuse a released
// sender buffer or the input slot between the passes (no send() or receive() runs in between).
std::size_t Switch::reap() {
  try {
    return drain_ring(cpl_, reg::CPL_CONS, [this](const TxCompletion& c) { complete(c); },
                      [this] { copy_hairpins(); });
  } catch (...) {
    // A bad completion later in the chunk throws; the hairpins before it are already accounted
    // as delivered, so their data must arrive too.
    copy_hairpins();
    throw;
  }
}

constexpr std::size_t kCacheLine = 64;

// Prefetches the next copy's destination while copying: its lines are usually not in L1 (the
// input ring's buffers are touched once per pass over the ring), and the copy's stores then
// wait for them one by one; prefetched, they arrive during the previous copy. (Prefetching the
// source as well measured slower: the sender wrote it just before, it is still in L2 and the
// hardware prefetcher follows it.)
void Switch::copy_hairpins() {
  const std::size_t n = copies_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 1 < n) {
      const HairpinCopy& next = copies_[i + 1];
      for (std::size_t off = 0; off < next.len; off += kCacheLine) {
        __builtin_prefetch(next.dst + off, 1);
      }
    }
    std::memcpy(copies_[i].dst, copies_[i].src, copies_[i].len);
  }
  copies_.clear();
}

std::size_t Switch::reap_ingress() {
  return drain_ring(rx_cpl_, reg::RX_CPL_CONS, [this](const TxCompletion& c) { complete_ingress(c); }, [] {});
}

// One ingress buffer came back: filled with a datagram from the network, or unused with the
// reason. Either way it is accounted once and eventually posted again.
void Switch::complete_ingress(const TxCompletion& c) {
  const VmId vm = c.dst_vm;
  if (vm >= vms_.size() || !vms_[vm] || (c.cookie >> 16) != vm) {
    ++ingress_for_removed_;  // its memory is gone (or going): nothing to deliver or repost
    return;
  }
  Vm& v = *vms_[vm];
  const auto buffer = static_cast<std::uint16_t>(c.cookie & 0xFFFF);
  if (buffer >= v.mem.layout().ingress_entries) {
    throw NicProtocolError("bad RX completion for VM '" + v.name + "': cookie " + hex(c.cookie) +
                           " names no ingress buffer");
  }
  switch (static_cast<regs::Verdict>(c.verdict)) {
    case regs::Verdict::DELIVER: {
      // The NIC chose this VM by the destination address; if the address moved since, the
      // old owner must not see it (same rule as for hairpin).
      const auto data = v.mem.ingress_buffer(buffer);
      const bool owner = c.len >= 20 && table_.find(Ipv4Address(load_be32(data, 16))) == vm && v.enabled;
      if (!owner) {
        ++v.counters.ingress_stale;
        post_ingress(v, buffer);
        return;
      }
      ++v.counters.ingress;
      v.arrivals.push_back({true, buffer, c.len});
      return;
    }
    case regs::Verdict::DROP:
      if (c.reason >= regs::kNumDropReasons) {
        throw NicProtocolError("bad RX completion for VM '" + v.name + "': unknown drop reason " +
                               std::to_string(c.reason));
      }
      ++v.counters.ingress_drops[c.reason];
      post_ingress(v, buffer);
      return;
    default:
      throw NicProtocolError("bad RX completion for VM '" + v.name + "': verdict " +
                             std::to_string(c.verdict));
  }
}

// complete(), hairpin() and deliver() are forced inline into the reaping loop: the common
// hairpin went through three calls per datagram, each saving and restoring six registers, a
// visible share of the per-datagram bookkeeping. The cold paths (throws, drops) stay out of line.
[[gnu::always_inline]] inline void Switch::complete(const TxCompletion& c) {
  auto bad = [&](const std::string& why) {
    return NicProtocolError("bad TX completion (cookie " + hex(c.cookie) + ", src VM " +
                            std::to_string(c.src_vm) + ", ring index " + std::to_string(c.ring_idx) +
                            "): " + why);
  };
  if (c.src_vm >= vms_.size() || !vms_[c.src_vm]) throw bad("no such VM");
  Vm& v = *vms_[c.src_vm];
  const std::uint16_t buf = c.cookie & 0xFFFF;
  if ((c.cookie >> 16) != c.src_vm || buf >= v.out_state.size() || v.out_state[buf] != Vm::Out::Posted) {
    throw bad("cookie names no descriptor posted by this VM");
  }
  if (c.ring_idx != static_cast<std::uint16_t>(v.tx_completed)) {
    throw bad("expected ring index " + std::to_string(v.tx_completed & 0xFFFF) + " (in-order per VM)");
  }
  if (c.len != v.out_len[buf]) {
    throw bad("length " + std::to_string(c.len) + " but " + std::to_string(v.out_len[buf]) + " was posted");
  }
  ++v.tx_completed;
  switch (static_cast<regs::Verdict>(c.verdict)) {
    case regs::Verdict::EXTERNAL:
      ++v.counters.external;
      release_output(v, buf);
      return;
    case regs::Verdict::HAIRPIN:
      hairpin(v, buf, c.len, c.dst_vm);
      return;
    case regs::Verdict::DROP:
      if (c.reason >= regs::kNumDropReasons) throw bad("unknown drop reason " + std::to_string(c.reason));
      ++v.counters.nic_drops[c.reason];
      release_output(v, buf);
      return;
    case regs::Verdict::DELIVER:
      break;  // an RX verdict has no place in the TX ring
  }
  throw bad("unknown verdict " + std::to_string(c.verdict));
}

[[gnu::always_inline]] inline void Switch::hairpin(Vm& src, std::uint16_t buffer, std::uint16_t len, std::uint8_t dst_vm) {
  const Waiting w{src.id, buffer, len, now_};
  if (dst_vm >= vms_.size()) {
    drop_waiting(w, HostDropReason::NO_SUCH_VM);
    return;
  }
  if (!vms_[dst_vm]) {  // the NIC chose it before remove_vm took its addresses away
    drop_waiting(w, HostDropReason::VM_REMOVED);
    return;
  }
  Vm& dst = *vms_[dst_vm];
  // The NIC chose dst by its table at some moment after the datagram was posted. With no
  // address removed (or moved) since the post, every owner then is still the owner now, so
  // the lookup of the shadow table is only needed when one was.
  if (src.out_removals[buffer] != removals_ && !still_owner(w, dst_vm)) {
    drop_waiting(w, HostDropReason::STALE_OWNER);
  } else if (dst.waiting.empty() && dst.has_free_input()) {  // keep order behind waiting ones
    deliver(dst, w);  // the data is copied at the end of the chunk (reap())
  } else if (dst.waiting.size() < config_.hairpin_max_pending) {
    src.out_state[buffer] = Vm::Out::Held;
    ++src.pending_out;
    dst.waiting.push_back(w);
  } else {
    drop_waiting(w, HostDropReason::INPUT_FULL);
  }
}

// The NIC chose dst by the destination address; if that address was removed (or moved) since,
// the old owner must not receive it.
bool Switch::still_owner(const Waiting& w, VmId dst) const {
  const auto data = vms_[w.src]->mem.output_buffer(w.buffer);
  return table_.find(Ipv4Address(load_be32(data, 16))) == dst;
}

// Everything of a delivery but the copy of the data, which is queued: the caller runs
// copy_hairpins() (see reap()). (Queued in place rather than returned: a returned copy went
// through the stack, and reading it back stalled on store forwarding.)
[[gnu::always_inline]] inline void Switch::deliver(Vm& dst, const Waiting& w) {
  Vm& src = *vms_[w.src];
  const std::size_t slot = dst.in_prod & (dst.mem.layout().input_entries - 1);
  copies_.push({dst.mem.input_buffer(slot).data(), src.mem.output_buffer(w.buffer).data(), w.len});
  // Two 8-byte stores cover the whole entry (unused bytes zero). Field by field, each store
  // through std::byte could alias anything, and the compiler reloaded the VM's state after each.
  static_assert(hairpin_in_entry::BYTES == 16 && hairpin_in_entry::ADDR_BYTE == 0 &&
                hairpin_in_entry::LEN_BYTE == 8 && hairpin_in_entry::SRC_VM_BYTE == 10);
  const auto e = dst.mem.input_entry(slot);
  store_le<std::uint64_t>(e, hairpin_in_entry::ADDR_BYTE, dst.mem.input_buffer_address(slot));
  store_le<std::uint64_t>(e, hairpin_in_entry::LEN_BYTE, w.len | (std::uint64_t{static_cast<std::uint8_t>(w.src)} << 16));
  ++dst.in_prod;
  dst.arrivals.push_back({false, 0, w.len});
  ++dst.counters.hairpin_in;
  ++src.counters.hairpin_out;
  release_output(src, w.buffer);
}

void Switch::drop_waiting(const Waiting& w, HostDropReason reason) {
  Vm& src = *vms_[w.src];
  ++src.counters.host_drops[static_cast<unsigned>(reason)];
  release_output(src, w.buffer);
}

// Delivers waiting hairpins in order while input buffers are free; drops the ones past the age
// bound or whose destination address has moved.
void Switch::service_waiting(Vm& dst) {
  while (!dst.waiting.empty()) {
    const Waiting w = dst.waiting.front();
    const bool stale = !still_owner(w, dst.id);
    const bool expired = now_ - w.since >= config_.hairpin_max_age;
    if (!stale && !expired && !dst.has_free_input()) break;
    dst.waiting.pop_front();
    --vms_[w.src]->pending_out;
    if (stale) {
      drop_waiting(w, HostDropReason::STALE_OWNER);
    } else if (dst.has_free_input()) {
      deliver(dst, w);
      copy_hairpins();
    } else {
      drop_waiting(w, HostDropReason::INPUT_FULL);
    }
  }
}

void Switch::release_output(Vm& vm, std::uint16_t buffer) {
  vm.out_state[buffer] = Vm::Out::Free;
  vm.free_outputs.push_back(buffer);
}

std::optional<ReceivedDatagram> Switch::receive(VmId vm) {
  Vm& v = vm_at(vm);
  if (v.arrivals.empty()) return std::nullopt;
  const Vm::Arrival a = v.arrivals.front();
  v.arrivals.pop_front();
  ReceivedDatagram r;
  ++v.counters.received_consumed;
  if (a.network) {
    const auto data = v.mem.ingress_buffer(a.buffer).first(a.len);
    r.data.assign(data.begin(), data.end());
    r.from_network = true;
    post_ingress(v, a.buffer);  // the doorbell goes with the next flush
    return r;
  }
  const std::size_t slot = v.in_cons & (v.mem.layout().input_entries - 1);
  const std::span<const std::byte> e = v.mem.input_entry(slot);
  const auto len = load_le<std::uint16_t>(e, hairpin_in_entry::LEN_BYTE);
  r.source = load_le<std::uint8_t>(e, hairpin_in_entry::SRC_VM_BYTE);
  const auto data = v.mem.input_buffer(slot).first(len);
  r.data.assign(data.begin(), data.end());
  ++v.in_cons;
  service_waiting(v);  // a buffer just became free
  return r;
}

std::uint64_t Switch::outstanding() const {
  std::uint64_t n = 0;
  for (const auto& v : vms_) {
    if (v) n += (v->tx_prod - v->tx_completed) + v->pending_out;
  }
  return n;
}

void Switch::drain(std::chrono::nanoseconds timeout) {
  const auto start = now_;
  for (;;) {
    poll();
    if (outstanding() == 0) return;
    if (now_ - start >= timeout) {
      std::string msg = "drain timed out after " + std::to_string(timeout.count()) +
                        " ns of device time with datagrams still outstanding:";
      for (const auto& v : vms_) {
        if (!v) continue;
        const std::uint32_t in_flight = v->tx_prod - v->tx_completed;
        if (in_flight == 0 && v->pending_out == 0) continue;
        msg += " VM " + std::to_string(v->id) + " '" + v->name + "': " + std::to_string(in_flight) +
               " in flight (no completion), " + std::to_string(v->pending_out) +
               " waiting for a hairpin input buffer;";
      }
      msg += " check that the NIC is enabled and its clock runs (device: " + device_.describe() + ")";
      throw DrainTimeout(msg);
    }
  }
}

VmStats Switch::stats(VmId vm) const {
  const Vm& v = vm_at(vm);
  VmStats s = v.counters;
  s.in_flight = v.tx_prod - v.tx_completed;
  s.pending = v.pending_out;
  s.unread = v.arrivals.size();
  return s;
}

std::vector<VmStats> Switch::all_stats() const {
  std::vector<VmStats> out;
  for (const VmId v : vm_ids()) out.push_back(stats(v));
  return out;
}

std::size_t Switch::vm_count() const {
  return static_cast<std::size_t>(std::count_if(vms_.begin(), vms_.end(), [](const auto& v) { return v != nullptr; }));
}

std::vector<VmId> Switch::vm_ids() const {
  std::vector<VmId> ids;
  for (const auto& v : vms_) {
    if (v) ids.push_back(v->id);
  }
  return ids;
}

VmStats Switch::totals() const {
  VmStats t = removed_;
  for (const auto& s : all_stats()) t += s;
  return t;
}

std::vector<std::string> Switch::check_accounting() const {
  // Removed VMs take part as one row, so hairpins they sent or received still balance.
  std::vector<std::string> names;
  for (const auto& v : vms_) {
    if (v) names.push_back(v->name);
  }
  std::vector<VmStats> rows = all_stats();
  if (removed_.submitted != 0 || removed_.hairpin_in != 0) {
    rows.push_back(removed_);
    names.push_back("removed VMs");
  }
  return smartnic::check_accounting(rows, names);
}

const std::string& Switch::vm_name(VmId vm) const { return vm_at(vm).name; }

std::optional<VmId> Switch::find_vm(std::string_view name) const {
  for (const auto& v : vms_) {
    if (v && v->name == name) return v->id;
  }
  return std::nullopt;
}

const std::vector<Ipv4Address>& Switch::vm_addresses(VmId vm) const { return vm_at(vm).addresses; }

std::size_t Switch::free_output_buffers(VmId vm) const { return vm_at(vm).free_outputs.size(); }

}  // namespace smartnic
