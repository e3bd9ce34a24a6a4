#include <gtest/gtest.h>

#include "fake_nic.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/guest_memory.hpp"

namespace smartnic {
namespace {

struct Region {
  std::size_t begin, end;
};

TEST(GuestMemoryLayout, RegionsAlignedDisjointAndInsideWindow) {
  for (unsigned tx = 2; tx <= 10; tx += 4) {
    for (unsigned in = 2; in <= 10; in += 3) {
      const auto l = GuestMemoryLayout::compute(tx, in);
      EXPECT_EQ(l.tx_entries, 1u << tx);
      EXPECT_EQ(l.input_entries, 1u << in);
      const std::vector<Region> regions = {
          {l.tx_ring_offset, l.tx_ring_offset + l.tx_entries * 16},
          {l.output_offset, l.output_buffer_offset(l.tx_entries)},
          {l.input_ring_offset, l.input_ring_offset + l.input_entries * 16},
          {l.input_buffers_offset, l.input_buffer_offset(l.input_entries)},
      };
      for (std::size_t i = 0; i < regions.size(); ++i) {
        EXPECT_EQ(regions[i].begin % 64, 0u);
        EXPECT_LE(regions[i].end, l.total_bytes);
        if (i > 0) {
          EXPECT_GE(regions[i].begin, regions[i - 1].end) << "regions overlap";
        }
      }
      for (std::size_t b = 0; b < l.tx_entries; ++b) EXPECT_EQ(l.output_buffer_offset(b) % 64, 0u);
      for (std::size_t b = 0; b < l.input_entries; ++b) EXPECT_EQ(l.input_buffer_offset(b) % 64, 0u);
    }
  }
}

TEST(GuestMemoryLayout, RejectsRingSizesOutOfRange) {
  EXPECT_THROW(GuestMemoryLayout::compute(1, 4), ConfigError);
  EXPECT_THROW(GuestMemoryLayout::compute(16, 4), ConfigError);
  EXPECT_THROW(GuestMemoryLayout::compute(4, 1), ConfigError);
  EXPECT_THROW(GuestMemoryLayout::compute(4, 16), ConfigError);
}

TEST(GuestMemory, ViewsAndAddressesLieInTheWindow) {
  test::FakeNic nic;
  GuestMemory mem(nic, GuestMemoryLayout::compute(3, 2));
  const std::uint64_t base = mem.window_base(), end = base + mem.window_size();
  EXPECT_EQ(base % 64, 0u);
  EXPECT_EQ(mem.tx_ring_address() % 64, 0u);
  for (std::size_t i = 0; i < 8; ++i) {
    const std::uint64_t a = mem.output_buffer_address(i);
    EXPECT_EQ(a % 64, 0u);
    EXPECT_GE(a, base);
    EXPECT_LE(a + GuestMemoryLayout::kBufferBytes, end);
    EXPECT_EQ(mem.output_buffer(i).size(), GuestMemoryLayout::kBufferBytes);
    EXPECT_EQ(mem.tx_descriptor(i).size(), 16u);
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t a = mem.input_buffer_address(i);
    EXPECT_EQ(a % 64, 0u);
    EXPECT_LE(a + GuestMemoryLayout::kBufferBytes, end);
    EXPECT_EQ(mem.input_entry(i).size(), 16u);
  }
}

}  // namespace
}  // namespace smartnic
