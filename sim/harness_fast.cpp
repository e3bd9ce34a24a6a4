// The fast NIC model: verilated without the RTL's assertions and their observation logic
// (SMARTNIC_NO_ASSERTIONS) and compiled with profile-guided optimisation (sim/CMakeLists.txt).
#include "Vsmartnic_top.h"
#include "harness_impl.hpp"

namespace smartnic::sim {

std::unique_ptr<HarnessModel> make_fast_model(const HarnessConfig& cfg, HostMemory& memory) {
  return std::make_unique<ModelAndBuses<Vsmartnic_top>>(cfg, memory);
}

}  // namespace smartnic::sim
