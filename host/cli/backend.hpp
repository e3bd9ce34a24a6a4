// Which Device the CLI opens. One function, so the commands never name a backend: with the
// driver's factory (smartnic/backend.hpp, target smartnic_driver) it is `open_device`; in a
// build without it, the simulator is constructed directly.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "smartnic/device.hpp"

namespace smartnic::cli {

struct BackendArgs {
  std::string kind = "sim";
  // xrt
  std::string device = "0";  // index or PCIe BDF
  std::string xclbin;
  std::string kernel = "smartnic_top";
  // sim
  double clock_mhz = 250.0;
  std::uint32_t mem_latency_ns = 1000;
  std::uint64_t seed = 1;
  std::string trace;
  std::string pcap;
  bool fast_model = false;  // SimConfig::assertions off
};

// --backend, --device, --xclbin, --kernel and the simulator's options, bound to `args`.
boost::program_options::options_description backend_options(BackendArgs& args);

struct OpenedBackend {
  std::unique_ptr<Device> device;
  // Takes (and forgets) the frames sent on the network port; set for the simulator, whose
  // port keeps every frame until taken; empty for hardware.
  std::function<std::uint64_t()> take_port_frames;
};

// Throws DeviceError (unknown or unbuilt backend, device not found) with what to do.
OpenedBackend open_backend(const BackendArgs& args);

}  // namespace smartnic::cli
