#include "xclbin_builder.hpp"

#include <cstddef>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <xrt/xclbin.h>

namespace smartnic::test {

namespace {

struct Section {
  axlf_section_kind kind;
  std::string name;
  std::vector<char> data;
};

template <typename T>
std::vector<char> bytes_of(const T& v) {
  std::vector<char> out(sizeof(T));
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

void copy_name(unsigned char* dst, std::size_t cap, const std::string& s) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, s.data(), std::min(s.size(), cap - 1));
}

}  // namespace

std::vector<char> build_xclbin(const FakeXclbin& spec) {
  std::vector<Section> sections;

  // EMBEDDED_METADATA: the kernel, its ports and its one m_axi argument, as v++ writes it.
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<project name=\"smartnic\"><platform vendor=\"xilinx\" boardid=\"test\" name=\"test\" featureRomTime=\"0\">"
      "<version major=\"1\" minor=\"0\"/><description/><board name=\"\" vendor=\"\" fpga=\"\"/>"
      "<device name=\"fpga0\" fpgaDevice=\"\" addrWidth=\"0\"><systemClocks/>"
      "<core name=\"OCL_REGION_0\" target=\"hw\" type=\"clc_region\" clockFreq=\"0MHz\" numComputeUnits=\"1\">"
      "<kernel name=\"" + spec.kernel + "\" language=\"ip_c\" vlnv=\"smartnic:kernel:" + spec.kernel +
      ":1.0\" preferredWorkGroupSizeMultiple=\"0\" workGroupSize=\"1\" interrupt=\"false\" "
      "hwControlProtocol=\"user_managed\">"
      "<port name=\"s_axi_control\" mode=\"slave\" range=\"0x10000\" dataWidth=\"32\" portType=\"addressable\" base=\"0x0\"/>"
      "<port name=\"m_axi\" mode=\"master\" range=\"0xFFFFFFFFFFFFFFFF\" dataWidth=\"512\" portType=\"addressable\" base=\"0x0\"/>"
      "<arg name=\"m_axi\" addressQualifier=\"1\" id=\"0\" port=\"m_axi\" size=\"0x8\" offset=\"0xFF8\" "
      "hostOffset=\"0x0\" hostSize=\"0x8\" type=\"void*\"/>"
      "<instance name=\"" + spec.instance + "\"><addrRemap base=\"0x1800000\" range=\"0x10000\" port=\"s_axi_control\"/></instance>"
      "</kernel></core></device></platform></project>\n";
  sections.push_back({EMBEDDED_METADATA, "metadata", std::vector<char>(xml.begin(), xml.end())});

  if (spec.with_instance) {
    ip_layout ips{};
    ips.m_count = 1;
    ips.m_ip_data[0].m_type = IP_KERNEL;
    ips.m_ip_data[0].m_base_address = 0x1800000;
    copy_name(ips.m_ip_data[0].m_name, sizeof ips.m_ip_data[0].m_name, spec.kernel + ":" + spec.instance);
    sections.push_back({IP_LAYOUT, "ip_layout", bytes_of(ips)});
  }

  if (!spec.m_axi_bank.empty()) {
    // Two banks: card DDR (index 0) and the bank the argument connects to (index 1).
    std::vector<char> topo(offsetof(mem_topology, m_mem_data) + 2 * sizeof(mem_data), 0);
    auto* t = reinterpret_cast<mem_topology*>(topo.data());
    t->m_count = 2;
    t->m_mem_data[0].m_type = MEM_DDR4;
    t->m_mem_data[0].m_used = 1;
    t->m_mem_data[0].m_size = 16 * 1024 * 1024;  // KB
    copy_name(t->m_mem_data[0].m_tag, sizeof t->m_mem_data[0].m_tag, "bank0");
    t->m_mem_data[1].m_type = spec.m_axi_bank.rfind("HOST", 0) == 0 ? MEM_HOST : MEM_DDR4;
    t->m_mem_data[1].m_used = 1;
    t->m_mem_data[1].m_size = 1024 * 1024;
    copy_name(t->m_mem_data[1].m_tag, sizeof t->m_mem_data[1].m_tag, spec.m_axi_bank);
    sections.push_back({MEM_TOPOLOGY, "mem_topology", topo});

    if (spec.with_instance) {
      connectivity conn{};
      conn.m_count = 1;
      conn.m_connection[0].arg_index = 0;
      conn.m_connection[0].m_ip_layout_index = 0;
      conn.m_connection[0].mem_data_index = 1;
      sections.push_back({CONNECTIVITY, "connectivity", bytes_of(conn)});
    }
  }

  const std::size_t header = offsetof(axlf, m_sections) + sections.size() * sizeof(axlf_section_header);
  std::size_t total = header;
  for (const auto& s : sections) total += (s.data.size() + 7) / 8 * 8;
  std::vector<char> out(total, 0);
  axlf top{};
  std::memcpy(top.m_magic, "xclbin2", 8);
  top.m_signature_length = -1;
  std::memset(top.reserved, 0xFF, sizeof top.reserved);
  top.m_header.m_length = total;
  top.m_header.m_versionMajor = 2;
  top.m_header.m_numSections = static_cast<std::uint32_t>(sections.size());
  std::memcpy(top.m_header.m_platformVBNV, "xilinx_test_platform", 21);
  for (int i = 0; i < 16; ++i) top.m_header.uuid[i] = static_cast<unsigned char>(0x10 + i);
  std::memcpy(out.data(), &top, offsetof(axlf, m_sections));
  std::size_t offset = header;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    axlf_section_header sh{};
    sh.m_sectionKind = sections[i].kind;
    std::strncpy(sh.m_sectionName, sections[i].name.c_str(), sizeof sh.m_sectionName - 1);
    sh.m_sectionOffset = offset;
    sh.m_sectionSize = sections[i].data.size();
    std::memcpy(out.data() + offsetof(axlf, m_sections) + i * sizeof sh, &sh, sizeof sh);
    std::memcpy(out.data() + offset, sections[i].data.data(), sections[i].data.size());
    offset += (sections[i].data.size() + 7) / 8 * 8;
  }
  return out;
}

void write_file(const std::filesystem::path& path, const std::vector<char>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace smartnic::test
