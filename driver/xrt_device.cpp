// XrtDevice: see smartnic/xrt_device.hpp for the contract and the order of checks at open.
#include "smartnic/xrt_device.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <system_error>
#include <thread>

#include <experimental/xrt_ip.h>
#include <experimental/xrt_xclbin.h>
#include <xrt/xclbin.h>
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

namespace smartnic {

namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "XrtDevice: ";
constexpr const char* kSetupHint = "source /opt/xilinx/xrt/setup.sh";
constexpr const char* kExamineHint =
    "run `xbutil examine` to list the cards and their BDFs (use the user function, usually "
    "ending in .1); `lspci -d 10ee:` shows whether the card is on the bus and `lsmod | grep "
    "xocl` whether its driver is loaded";
constexpr const char* kBuildHint = "build it as described in docs/deployment.md (deploy/)";
// Budgets at least this long sleep; shorter ones spin, as a sleep may oversleep by ~50 us.
constexpr std::chrono::nanoseconds kSleepThreshold = std::chrono::microseconds(50);
constexpr std::size_t kXrtAlignment = 4096;  // XRT allocates whole pages

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool starts_with_host(const std::string& tag) { return tag.rfind("HOST", 0) == 0; }

// ---------------------------------------------------------------- xclbin file checks

[[noreturn]] void xclbin_error(const std::string& path, const std::string& what, const std::string& check) {
  throw DeviceError(std::string(kPrefix) + "xclbin '" + path + "' " + what + ". Check: " + check);
}

std::vector<char> read_xclbin_file(const std::string& path) {
  if (path.empty())
    throw DeviceError(std::string(kPrefix) +
                      "no xclbin given: pass the linked design with --xclbin PATH (XrtConfig.xclbin); " +
                      kBuildHint);
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    std::string abs = path;
    if (auto a = fs::absolute(path, ec); !ec) abs = a.string();
    xclbin_error(path, "does not exist (looked for " + abs + ")",
                 "the path and the working directory; " + std::string(kBuildHint));
  }
  if (fs::is_directory(st)) xclbin_error(path, "is a directory, not a file", "pass the .xclbin file itself");
  if (!fs::is_regular_file(st)) xclbin_error(path, "is not a regular file", "pass the .xclbin file itself");

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    xclbin_error(path, std::string("cannot be opened for reading (") + std::strerror(err) + ")",
                 "the file's permissions (`ls -l " + path + "`)");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) xclbin_error(path, "has no readable size (" + ec.message() + ")", "the file system");
  std::vector<char> data(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(data.data(), static_cast<std::streamsize>(size)))
    xclbin_error(path, "could not be read completely", "the file system and the file's permissions");
  return data;
}

// The axlf container checks XRT 2.13 does not make before it follows the header.
void check_axlf(const std::string& path, const std::vector<char>& data) {
  constexpr std::size_t kHeaderBytes = offsetof(axlf, m_sections);
  if (data.size() < 8 || std::memcmp(data.data(), "xclbin2", 8) != 0)
    xclbin_error(path, "is not an xclbin (it does not start with the 'xclbin2' magic)",
                 "that it is the .xclbin from `v++ --link`, not an .xo, a bitstream or a text file");
  if (data.size() < kHeaderBytes)
    xclbin_error(path,
                 "is too short to be an xclbin (" + std::to_string(data.size()) + " bytes, the header alone is " +
                     std::to_string(kHeaderBytes) + ")",
                 "that it is the .xclbin from `v++ --link`, not an .xo or a partial copy");
  axlf top;
  std::memcpy(&top, data.data(), kHeaderBytes);  // copy: the vector's storage may be unaligned for axlf
  if (top.m_header.m_length > data.size())
    xclbin_error(path,
                 "is truncated (its header says " + std::to_string(top.m_header.m_length) + " bytes, the file has " +
                     std::to_string(data.size()) + ")",
                 "copy the xclbin again");
  const std::uint64_t sections = top.m_header.m_numSections;
  if (sections > (data.size() - kHeaderBytes) / sizeof(axlf_section_header))
    xclbin_error(path, "is corrupt (its section table runs past the end of the file)", "copy the xclbin again");
  for (std::uint64_t i = 0; i < sections; ++i) {
    axlf_section_header s;
    std::memcpy(&s, data.data() + kHeaderBytes + i * sizeof(axlf_section_header), sizeof s);
    if (s.m_sectionOffset > data.size() || s.m_sectionSize > data.size() - s.m_sectionOffset)
      xclbin_error(path, "is corrupt (section " + std::to_string(i) + " lies outside the file)",
                   "copy the xclbin again");
  }
}

}  // namespace

XclbinInfo inspect_xclbin(const std::string& path, const std::string& kernel) {
  const std::vector<char> data = read_xclbin_file(path);
  check_axlf(path, data);

  XclbinInfo info;
  info.path = path;
  try {
    const xrt::xclbin xb{data};
    info.uuid = xb.get_uuid().to_string();
    info.platform = xb.get_xsa_name();
    std::optional<xrt::xclbin::kernel> found;
    for (const auto& k : xb.get_kernels()) {
      info.kernels.push_back(k.get_name());
      if (k.get_name() == kernel) found = k;
    }
    if (!found)
      xclbin_error(path,
                   "has no kernel '" + kernel + "' (kernels in it: " +
                       (info.kernels.empty() ? std::string("none") : join(info.kernels)) + ")",
                   "that the xclbin was linked from smartnic_top.xo (deploy/), or set the kernel name "
                   "(XrtConfig.kernel)");
    const auto cus = found->get_cus();
    for (const auto& cu : cus) info.compute_units.push_back(cu.get_name());
    // The bank of the m_axi argument: the argument whose port is m_axi (kernel.xml names the
    // argument like the port). Prefer a HOST bank if the linker listed several.
    for (const auto& cu : cus) {
      for (const auto& arg : cu.get_args()) {
        if (!iequals(arg.get_port(), "m_axi") && !iequals(arg.get_name(), "m_axi")) continue;
        for (const auto& mem : arg.get_mems()) {
          if (info.host_mem_group < 0 || (starts_with_host(mem.get_tag()) && !starts_with_host(info.host_mem_tag))) {
            info.host_mem_group = mem.get_index();
            info.host_mem_tag = mem.get_tag();
          }
        }
      }
      if (info.host_mem_group >= 0) break;
    }
  } catch (const DeviceError&) {
    throw;
  } catch (const std::exception& e) {
    xclbin_error(path, std::string("cannot be parsed by XRT: ") + e.what(), "copy the xclbin again, or rebuild it");
  }
  return info;
}

// ---------------------------------------------------------------- the device

namespace {

// The host-memory buffer. Holds the device handle so that it stays valid if the XrtDevice
// goes first.
class XrtDmaBuffer final : public DmaBuffer {
 public:
  XrtDmaBuffer(xrt::device device, xrt::bo bo, std::span<std::byte> host, std::uint64_t address)
      : device_(std::move(device)), bo_(std::move(bo)), host_(host), address_(address) {}
  std::span<std::byte> host() override { return host_; }
  std::uint64_t device_address() const override { return address_; }

 private:
  xrt::device device_;  // declared first: destroyed after the buffer
  xrt::bo bo_;
  std::span<std::byte> host_;
  std::uint64_t address_;
};

struct DeviceSpec {
  std::optional<unsigned> index;  // set: open by index
  std::string bdf;                // else: open by BDF
  std::string what;               // "with index 0" / "with BDF 0000:3b:00.1", for messages
};

DeviceSpec parse_device(const std::string& s) {
  static const std::regex kIndex("[0-9]{1,4}");
  static const std::regex kBdf("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
  DeviceSpec spec;
  if (std::regex_match(s, kIndex)) {
    spec.index = static_cast<unsigned>(std::stoul(s));
    spec.what = "with index " + s;
  } else if (std::regex_match(s, kBdf)) {
    spec.bdf = s;
    spec.what = "with BDF " + s;
  } else {
    throw DeviceError(std::string(kPrefix) + "device '" + s +
                      "' is neither a device index (0, 1, ...) nor a PCIe BDF (0000:3b:00.1). Check: " +
                      kExamineHint);
  }
  return spec;
}

// What to check when XRT could not open the card, most specific first.
std::string open_hints() {
  std::string hints;
  const char* xrt = std::getenv("XILINX_XRT");
  if (xrt == nullptr || *xrt == '\0') {
    hints = std::string("XILINX_XRT is not set: ") + kSetupHint +
            " (AMD's XRT package; XRT loads its driver shim from $XILINX_XRT/lib); ";
  } else {
    std::error_code ec;
    const fs::path shim = fs::path(xrt) / "lib" / "libxrt_core.so.2";
    if (!fs::exists(shim, ec))
      hints = std::string("XILINX_XRT=") + xrt + " has no lib/libxrt_core.so.2: " + kSetupHint + "; ";
  }
  return hints + kExamineHint;
}

template <xrt::info::device Param>
std::string device_info(const xrt::device& d) {
  try {
    return d.get_info<Param>();
  } catch (const std::exception&) {
    return "unknown";
  }
}

}  // namespace

struct XrtDevice::Impl {
  XrtConfig cfg;
  XclbinInfo info;
  std::string cu_name;    // "smartnic_top:smartnic_top_1"
  std::string card_name;  // from XRT, e.g. "xilinx_u250_gen3x16_xdma_shell_4_1"
  std::string card_bdf;
  xrt::device device;     // declared before ip: destroyed after it
  xrt::ip ip;

  std::string where() const { return "card " + card_bdf + " (" + card_name + ")"; }
};

XrtDevice::XrtDevice(const XrtConfig& config) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.cfg = config;

  // 1-2: configuration and the xclbin, without a card.
  const DeviceSpec spec = parse_device(config.device);
  m.info = inspect_xclbin(config.xclbin, config.kernel);
  if (m.info.compute_units.empty())
    xclbin_error(config.xclbin, "has no instance of kernel '" + config.kernel + "'",
                 "the nk= line of the v++ link config (deploy/link_*.cfg)");
  if (m.info.host_mem_group < 0 || !starts_with_host(m.info.host_mem_tag))
    xclbin_error(config.xclbin,
                 "connects the m_axi port of '" + m.info.compute_units.front() + "' to " +
                     (m.info.host_mem_tag.empty() ? std::string("no memory") : "'" + m.info.host_mem_tag + "'") +
                     ", not to host memory",
                 "the link config has sp=<cu>.m_axi:HOST[0] (deploy/link_*.cfg) and the platform supports "
                 "host memory");
  m.cu_name = m.info.compute_units.front();

  // 3: the card.
  try {
    m.device = spec.index ? xrt::device(*spec.index) : xrt::device(spec.bdf);
  } catch (const std::exception& e) {
    throw DeviceError(std::string(kPrefix) + "cannot open the Alveo card " + spec.what + " (for xclbin '" +
                      config.xclbin + "'): XRT says: " + e.what() + ". Check: " + open_hints());
  }
  m.card_name = device_info<xrt::info::device::name>(m.device);
  m.card_bdf = device_info<xrt::info::device::bdf>(m.device);

  // 4: the design onto the card, then the kernel's registers.
  xrt::uuid uuid;
  try {
    uuid = m.device.load_xclbin(config.xclbin);
  } catch (const std::exception& e) {
    throw DeviceError(std::string(kPrefix) + "cannot load xclbin '" + config.xclbin + "' (platform " +
                      (m.info.platform.empty() ? std::string("unknown") : m.info.platform) + ") onto " + m.where() +
                      ": XRT says: " + e.what() +
                      ". Check: the xclbin was linked for the shell on this card (`xbutil examine -d " + m.card_bdf +
                      "` shows it), no other process is using the card, and `dmesg` for the driver's reason");
  }
  // xrt::ip takes "kernel:{instance}"; the xclbin names the CU "kernel:instance".
  const auto colon = m.cu_name.find(':');
  const std::string ip_name =
      colon == std::string::npos ? m.cu_name : m.cu_name.substr(0, colon) + ":{" + m.cu_name.substr(colon + 1) + "}";
  try {
    m.ip = xrt::ip(m.device, uuid, ip_name);
  } catch (const std::exception& e) {
    throw DeviceError(std::string(kPrefix) + "cannot open the registers of '" + ip_name + "' in xclbin '" +
                      config.xclbin + "' on " + m.where() + ": XRT says: " + e.what() +
                      ". Check: no other process has the NIC open (xrt::ip access is exclusive; `xbutil examine -d " +
                      m.card_bdf + " -r dynamic-regions` lists the compute units and their users)");
  }
}

XrtDevice::~XrtDevice() = default;

const XclbinInfo& XrtDevice::xclbin_info() const { return impl_->info; }

std::uint32_t XrtDevice::read32(std::uint32_t offset) {
  if (offset % 4 != 0) throw DeviceError(std::string(kPrefix) + "unaligned register read at " + hex(offset));
  try {
    return impl_->ip.read_register(offset);
  } catch (const std::exception& e) {
    throw DeviceError(std::string(kPrefix) + "register read at " + hex(offset) + " on " + impl_->where() +
                      " failed: " + e.what());
  }
}

void XrtDevice::write32(std::uint32_t offset, std::uint32_t value) {
  if (offset % 4 != 0) throw DeviceError(std::string(kPrefix) + "unaligned register write at " + hex(offset));
  try {
    impl_->ip.write_register(offset, value);
  } catch (const std::exception& e) {
    throw DeviceError(std::string(kPrefix) + "register write of " + hex(value) + " at " + hex(offset) + " on " +
                      impl_->where() + " failed: " + e.what());
  }
}

std::unique_ptr<DmaBuffer> XrtDevice::alloc_dma(std::size_t bytes, std::size_t alignment) {
  if (bytes == 0) throw DeviceError(std::string(kPrefix) + "alloc_dma of 0 bytes");
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    throw DeviceError(std::string(kPrefix) + "alloc_dma alignment " + std::to_string(alignment) +
                      " is not a power of two");
  Impl& m = *impl_;
  const auto group = static_cast<xrt::memory_group>(m.info.host_mem_group);
  auto allocate = [&](std::size_t total) {
    try {
      return xrt::bo(m.device, total, xrt::bo::flags::host_only, group);
    } catch (const std::exception& e) {
      throw DeviceError(std::string(kPrefix) + "cannot allocate " + std::to_string(total) + " bytes of host memory (" +
                        m.info.host_mem_tag + ", memory group " + std::to_string(m.info.host_mem_group) + ") on " +
                        m.where() + ": XRT says: " + e.what() +
                        ". Check: host memory is enabled and large enough (`xbutil configure --host-mem -d " +
                        m.card_bdf + " ENABLE --size 1G`, `xbutil examine -d " + m.card_bdf +
                        "` shows it) and hugepages are reserved (docs/deployment.md)");
    }
  };
  // XRT returns page-aligned buffers; over-allocate only when more is asked, or when the
  // address happens not to be aligned.
  std::size_t total = alignment > kXrtAlignment ? bytes + alignment : bytes;
  xrt::bo bo = allocate(total);
  std::uint64_t addr = bo.address();
  std::uint64_t offset = ((addr + alignment - 1) & ~std::uint64_t(alignment - 1)) - addr;
  if (offset + bytes > total) {
    total = bytes + alignment;
    bo = allocate(total);
    addr = bo.address();
    offset = ((addr + alignment - 1) & ~std::uint64_t(alignment - 1)) - addr;
  }
  auto* base = bo.map<std::byte*>();
  if (base == nullptr)
    throw DeviceError(std::string(kPrefix) + "host memory buffer of " + std::to_string(total) +
                      " bytes has no host mapping on " + m.where());
  // Host memory reached over PCIe is cache coherent on x86: no bo.sync() is needed.
  std::memset(base, 0, total);
  return std::make_unique<XrtDmaBuffer>(m.device, std::move(bo), std::span<std::byte>(base + offset, bytes),
                                        addr + offset);
}

void XrtDevice::wait(std::chrono::nanoseconds budget) {
  if (budget <= std::chrono::nanoseconds::zero()) {
    std::this_thread::yield();
    return;
  }
  if (budget >= kSleepThreshold) {
    std::this_thread::sleep_for(budget);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
}

std::string XrtDevice::describe() const {
  const Impl& m = *impl_;
  std::ostringstream s;
  s << "Alveo " << m.card_name << " at " << m.card_bdf << ", xclbin " << m.cfg.xclbin << " (uuid " << m.info.uuid
    << ", platform " << m.info.platform << "), kernel " << m.cu_name << ", DMA in " << m.info.host_mem_tag
    << " (memory group " << m.info.host_mem_group << ")";
  return s.str();
}

}  // namespace smartnic
