#include "smartnic/backend.hpp"

#include "smartnic/sim_device.hpp"
#ifdef SMARTNIC_HAVE_XRT
#include "smartnic/xrt_device.hpp"
#endif

namespace smartnic {

std::vector<std::string> available_backends() {
  std::vector<std::string> kinds{"sim"};
#ifdef SMARTNIC_HAVE_XRT
  kinds.emplace_back("xrt");
#endif
  return kinds;
}

std::unique_ptr<Device> open_device(const BackendOptions& options) {
  if (options.kind == "sim") return std::make_unique<SimDevice>(options.sim);
#ifdef SMARTNIC_HAVE_XRT
  if (options.kind == "xrt") return std::make_unique<XrtDevice>(options.xrt);
#endif
  std::string list;
  for (const auto& k : available_backends()) list += (list.empty() ? "" : ", ") + k;
  std::string msg = "unknown device backend '" + options.kind + "'";
  if (options.kind == "xrt")
    msg = "device backend 'xrt' is not built into this program (XRT was not found when it was configured: "
          "install libxrt-dev or source /opt/xilinx/xrt/setup.sh, then reconfigure with -DSMARTNIC_XRT=ON)";
  throw DeviceError(msg + "; available backends: " + list);
}

}  // namespace smartnic
