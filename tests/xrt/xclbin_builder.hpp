// Writes small but well-formed xclbin (axlf) files for the no-board tests: the metadata XRT
// reads to list kernels, compute units and the memory bank of each argument, no bitstream.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace smartnic::test {

struct FakeXclbin {
  std::string kernel = "smartnic_top";
  std::string instance = "smartnic_top_1";
  bool with_instance = true;       // IP_LAYOUT entry (compute unit) for the kernel
  std::string m_axi_bank = "HOST[0]";  // tag of the bank the m_axi argument connects to; "" = none
};

std::vector<char> build_xclbin(const FakeXclbin& spec);
void write_file(const std::filesystem::path& path, const std::vector<char>& bytes);

}  // namespace smartnic::test
