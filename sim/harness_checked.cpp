// The checked NIC model: verilated with --assert and the RTL's assertion sections, so every
// protocol, isolation and integrity assertion of docs/verification.md runs under the traffic.
#include "Vsmartnic_top_checked.h"
#include "harness_impl.hpp"

namespace smartnic::sim {

std::unique_ptr<HarnessModel> make_checked_model(const HarnessConfig& cfg, HostMemory& memory) {
  return std::make_unique<ModelAndBuses<Vsmartnic_top_checked>>(cfg, memory);
}

}  // namespace smartnic::sim
