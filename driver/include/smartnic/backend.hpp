// Backend factory: opens the Device the CLI asked for, by name, so that nothing above the
// driver needs to know which backends this build has.
//
//   "sim"  SimDevice: the Verilator model of the NIC (always built)
//   "xrt"  XrtDevice: an Alveo card through XRT (built when XRT is found: CMake SMARTNIC_XRT)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smartnic/device.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/xrt_device.hpp"

namespace smartnic {

struct BackendOptions {
  std::string kind = "sim";  // one of available_backends()
  SimConfig sim;             // used when kind == "sim"
  XrtConfig xrt;             // used when kind == "xrt"
};

// Opens the backend named by options.kind. Throws DeviceError for an unknown kind or one not
// compiled into this build (the message lists the available ones), and whatever the backend
// itself throws when it cannot open.
std::unique_ptr<Device> open_device(const BackendOptions& options);

// The backends compiled into this build, in a stable order ("sim" first).
std::vector<std::string> available_backends();

}  // namespace smartnic
