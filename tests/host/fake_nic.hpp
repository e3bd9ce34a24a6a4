// A C++ stand-in for the NIC's TX side, only for unit-testing the runtime's bookkeeping (ring
// indices, phase wrap, batching, hairpin bounds, accounting). It reads descriptors and data from
// DMA memory and writes completions exactly as the register map describes; verdicts come from
// the independent reference model. The real NIC is tested by the system tests.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "smartnic/device.hpp"
#include "smartnic/refmodel.hpp"
#include "smartnic/regs.hpp"

namespace smartnic::test {

class FakeNic : public Device {
 public:
  struct Options {
    std::uint32_t id = regs::kId;
    std::uint32_t version = regs::kVersion;
    unsigned num_vms = regs::NUM_VMS;
    unsigned table_entries = regs::TABLE_ENTRIES;
    // Descriptors processed per wait() call (models a slow NIC and partial batches).
    std::size_t per_wait = std::numeric_limits<std::size_t>::max();
  };

  FakeNic() : FakeNic(Options{}) {}
  explicit FakeNic(Options options);
  ~FakeNic() override;

  std::uint32_t read32(std::uint32_t offset) override;
  void write32(std::uint32_t offset, std::uint32_t value) override;
  std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment) override;
  void wait(std::chrono::nanoseconds budget) override;
  std::string describe() const override { return "fake NIC (unit tests)"; }

  // Test hooks.
  bool stalled = false;                      // wait() does nothing: completions never come
  std::uint64_t doorbell_writes = 0;         // VM_TX_PROD writes
  std::uint64_t cpl_cons_writes = 0;
  std::uint64_t descriptors_seen = 0;
  std::vector<std::vector<std::byte>> frames;  // EXTERNAL datagrams as Ethernet frames
  std::uint32_t reg(std::uint32_t offset) const;
  // Writes a table slot behind the runtime's back (to provoke NO_SUCH_VM).
  void poke_slot(std::size_t slot, std::uint32_t key, unsigned vm);
  std::vector<std::vector<std::byte>> take_frames();
  // Fetches every descriptor the VM has rung the doorbell for without completing them yet, the
  // way the real NIC holds fetched descriptors in its pipeline: VM_TX_FETCH moves ahead, and
  // they complete on later wait() calls (unless `stalled`) even when the VM is disabled.
  void fetch_without_completing(unsigned vm);
  // Host view of `len` bytes of DMA memory at a device address (to read or corrupt what the
  // runtime or the fake wrote there, e.g. a completion); throws std::out_of_range outside any buffer.
  std::span<std::byte> dma(std::uint64_t addr, std::size_t len);

 private:
  class Buffer;
  struct Slot {
    std::uint32_t key = 0;
    std::uint32_t value = 0;
  };
  std::byte* translate(std::uint64_t addr, std::size_t len);
  bool process_one(unsigned vm);  // false when that VM has nothing to do or the ring is full
  void write_slot(std::size_t slot, Slot s);

  Options opt_;
  std::map<std::uint32_t, std::uint32_t> regs_;
  std::vector<Slot> table_;
  refmodel::ReferenceModel model_;
  std::vector<std::uint16_t> fetch_;    // per VM: descriptors completed
  std::vector<std::uint16_t> claimed_;  // per VM: fetched (VM_TX_FETCH) but not completed yet
  std::uint16_t cpl_prod_ = 0;
  std::map<std::uint64_t, Buffer*> buffers_;  // device address -> live buffer
  std::uint64_t next_addr_ = 0x1'0000'0000ull;
};

}  // namespace smartnic::test
